"""Writes of the reporting app: periods, report versions, corrections, clients and keys.

Generating and correcting lock the period row first, so two coordinators (or a coordinator
and the scheduled job) never make the same version twice; the unique (period, district,
version) constraint backs that up in the database.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.services import model_update
from backoffice.reporting.canonical import canonical_text, checksum
from backoffice.reporting.generation import district_content, districts_content
from backoffice.reporting.models import (
    ClientKey,
    CorrectionRequest,
    KeyWindow,
    MunicipalClient,
    ReportingPeriod,
    ReportSnapshot,
)
from backoffice.reporting.periods import period_spec
from tenants import facade as tenants

ROTATION_OVERLAP = datetime.timedelta(days=7)


def period_ensure(code: str) -> ReportingPeriod:
    spec = period_spec(code)
    period, _created = ReportingPeriod.objects.get_or_create(
        code=spec.code, defaults={"kind": spec.kind, "start": spec.start, "end": spec.end}
    )
    return period


def _districts_with_groups():
    codes = set(tenants.groups_list().values_list("district", flat=True))
    return [d for d in tenants.districts_list() if d.code in codes]


def _snapshot_create(
    *, period, district, user, version=1, supersedes=None, reason="", now=None, content=None
):
    if content is None:
        content = district_content(
            district=district,
            period=period,
            version=version,
            supersedes=supersedes,
            reason=reason,
            generated_at=now,
        )
    text = canonical_text(content)
    snapshot = ReportSnapshot(
        period=period,
        district=district,
        version=version,
        supersedes=supersedes,
        reason=reason,
        generated_at=now or timezone.now(),
        generated_by_id=getattr(user, "pk", None),
        canonical=text,
        sha256=checksum(text),
    )
    snapshot.full_clean(validate_constraints=False)
    snapshot.save()
    return snapshot


@transaction.atomic
def reports_generate(*, period_code: str, user=None, now=None) -> list[ReportSnapshot]:
    """Make the first version of every district's report over the period that has none yet.

    Only after the period has ended (the books of its last day may still change before).
    Returns the versions made; running it again makes none (the scheduled job relies on it).
    """
    now = now or timezone.now()
    if user is not None and not user.is_coordinator:
        raise ValidationError(_("Alleen een coördinator maakt rapportages."))
    period = period_ensure(period_code)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if timezone.localdate(now) <= period.end:
        raise ValidationError(
            _("Periode %(p)s is nog niet voorbij; maak de rapportage na %(end)s.")
            % {"p": period.code, "end": period.end.strftime("%d-%m-%Y")}
        )
    done = set(ReportSnapshot.objects.filter(period=period).values_list("district_id", flat=True))
    districts = [d for d in _districts_with_groups() if d.pk not in done]
    contents = districts_content(districts=districts, period=period, generated_at=now)
    return [
        _snapshot_create(
            period=period, district=district, user=user, now=now, content=contents[district.pk]
        )
        for district in districts
    ]


@transaction.atomic
def report_correct(*, snapshot: ReportSnapshot, user, reason: str, now=None) -> ReportSnapshot:
    """A new version of a report, recomputed now, superseding `snapshot` (kept as it was)."""
    if not user.is_coordinator:
        raise ValidationError(_("Alleen een coördinator maakt een nieuwe versie."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Geef de reden van de correctie.")})
    if len(reason) > 300:
        raise ValidationError({"reason": _("Houd de reden korter dan 300 tekens.")})
    ReportingPeriod.objects.select_for_update().get(pk=snapshot.period_id)
    if ReportSnapshot.objects.filter(supersedes_id=snapshot.pk).exists():
        raise ValidationError(_("Er is al een nieuwere versie van deze rapportage."))
    return _snapshot_create(
        period=snapshot.period,
        district=snapshot.district,
        user=user,
        version=snapshot.version + 1,
        supersedes=snapshot,
        reason=reason,
        now=now,
    )


@transaction.atomic
def correction_request_create(*, snapshot: ReportSnapshot, group, user, note: str):
    """A board member of `group` asks for a correction of what `snapshot` says about it."""
    tenants.require_role(
        user, *tenants.BOARD_ROLES, message=_("Alleen het bestuur vraagt een correctie aan.")
    )
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Schrijf op wat er niet klopt.")})
    if snapshot.district.code != group.district:
        raise ValidationError(_("Deze rapportage gaat niet over jullie groep."))
    return model_update(
        CorrectionRequest(snapshot=snapshot, group=group, created_by_id=user.pk),
        user,
        note=note,
    )


@transaction.atomic
def correction_request_handle(*, request: CorrectionRequest, user) -> CorrectionRequest:
    if not user.is_coordinator:
        raise ValidationError(_("Alleen een coördinator handelt een correctieverzoek af."))
    request = CorrectionRequest.objects.select_for_update().get(pk=request.pk)
    return model_update(request, user, status=CorrectionRequest.Status.HANDLED)


@transaction.atomic
def client_create(*, user, name: str, municipality, district=None, contact_email: str = ""):
    if district is not None and district.municipality_id != municipality.pk:
        raise ValidationError({"district": _("Dit stadsdeel hoort niet bij deze gemeente.")})
    return model_update(
        MunicipalClient(),
        user,
        name=name.strip(),
        municipality=municipality,
        district=district,
        contact_email=contact_email,
    )


@transaction.atomic
def key_create(*, client: MunicipalClient, user, name: str = "") -> tuple[ClientKey, str]:
    """A new key; the plain key is returned once and stored only hashed."""
    key, raw = ClientKey.objects.create_key(
        client=client,
        name=(name or f"{client.name} {timezone.localdate():%Y-%m-%d}")[:50],
        created_by_id=user.pk,
    )
    return key, raw


@transaction.atomic
def key_rotate(
    *, key: ClientKey, user, overlap: datetime.timedelta = ROTATION_OVERLAP, now=None
) -> tuple[ClientKey, str]:
    """A new key for the same client; the old one keeps working until the overlap ends."""
    now = now or timezone.now()
    key = ClientKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked or key.has_expired:
        raise ValidationError(_("Deze sleutel werkt al niet meer; maak een nieuwe."))
    ends = now + overlap
    if key.expiry_date is None or key.expiry_date > ends:
        key.expiry_date = ends
        key._history_user = user
        key.save(update_fields=["expiry_date"])
    return key_create(client=key.client, user=user)


@transaction.atomic
def key_revoke(*, key: ClientKey, user) -> ClientKey:
    key = ClientKey.objects.select_for_update().get(pk=key.pk)
    if not key.revoked:
        key.revoked = True
        key._history_user = user
        key.save(update_fields=["revoked"])
    return key


def key_request_count(*, key: ClientKey, window_seconds: int) -> tuple[int, int]:
    """Count one request of `key` in the current window of `window_seconds` (on the
    database's clock, shared by every server process). Returns the requests in this window,
    this one included, and the whole seconds until the window ends (at least 1, as a
    Retry-After). One statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH w AS (
                SELECT to_timestamp(floor(extract(epoch FROM now()) / %(s)s) * %(s)s) AS start
            )
            INSERT INTO {KeyWindow._meta.db_table} AS t (key_id, window_start, requests)
            SELECT %(key)s, w.start, 1 FROM w
            ON CONFLICT (key_id) DO UPDATE SET
                requests = CASE WHEN t.window_start = EXCLUDED.window_start
                                THEN t.requests + 1 ELSE 1 END,
                window_start = EXCLUDED.window_start
            RETURNING requests, greatest(1, ceil(
                extract(epoch FROM window_start + make_interval(secs => %(s)s) - now())
            ))::integer
            """,
            {"s": window_seconds, "key": key.pk},
        )
        requests, seconds_left = cursor.fetchone()
    return requests, seconds_left
