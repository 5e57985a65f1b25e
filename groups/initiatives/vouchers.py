"""Vouchers: issued once per household address, pooled by residents to fund initiatives.

Redemption is a single conditional UPDATE; there is no read-then-write, so with any number
of concurrent attempts on one code exactly one row change wins and the rest are told the
code has been used.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.money import format_euro
from groups import facade as groups
from groups.initiatives import codes, events
from groups.initiatives.models import Household, Initiative, Round, Voucher
from groups.initiatives.protection import rate_hits
from tenants.facade import BOARD_ROLES, require_role

ELIGIBLE = {Initiative.Status.SUBMITTED}
# Attempts per hour: per client address, per code prefix (the first group), per round.
LIMIT_PER_ADDRESS = 30
LIMIT_PER_PREFIX = 20
LIMIT_PER_ROUND = 5000


@dataclass(frozen=True)
class Address:
    street: str
    house_number: int
    addition: str
    postcode: str


@dataclass(frozen=True)
class Printed:
    """A code with its address and row, only in memory while its letter is made."""

    voucher_id: int
    household: Address | Household
    code: str

    @property
    def voucher(self) -> Voucher:
        return Voucher.objects.get(pk=self.voucher_id)


def _insert_issued(round_: Round, rows: list[tuple[int, str]], user) -> dict[int, int]:
    """Insert vouchers and their history rows in two statements; household id -> voucher id.

    10,000 letters at once: building a model instance (and its history instance) per row
    costs more than the rest of issuing together, so the rows go in as arrays.
    """
    voucher = connection.ops.quote_name(Voucher._meta.db_table)
    history = connection.ops.quote_name(Voucher.history.model._meta.db_table)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {voucher} (round_id, household_id, code_hash, value, expires_on, "  # noqa: S608
            "issued_at, void_reason) SELECT %s, t.h, t.c, %s, %s, %s, '' "
            "FROM unnest(%s::bigint[], %s::text[]) AS t(h, c) RETURNING household_id, id",
            [
                round_.pk,
                round_.voucher_value,
                round_.ends_on,
                now,
                [h for h, _c in rows],
                [c for _h, c in rows],
            ],
        )
        ids = dict(cursor.fetchall())
        cursor.execute(
            f"INSERT INTO {history} (id, value, expires_on, issued_at, redeemed_at, voided_at, "  # noqa: S608
            "void_reason, history_user_id, round_id, household_id, initiative_id, history_date, "
            "history_change_reason, history_type) SELECT id, value, expires_on, issued_at, "
            "redeemed_at, voided_at, void_reason, %s, round_id, household_id, initiative_id, "
            f"%s, NULL, '+' FROM {voucher} WHERE id = ANY(%s::bigint[])",
            [getattr(user, "pk", None), now, list(ids.values())],
        )
    return ids


@transaction.atomic
def vouchers_issue(*, round_: Round, user) -> list[Printed]:
    """One voucher for every household that has none in this round yet. The codes exist
    only in the returned list, for the letters: print them now, they are not kept."""
    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur geeft vouchers uit."))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.decided_by != Round.DecidedBy.VOUCHERS or not round_.voucher_value:
        raise ValidationError(_("Deze ronde werkt niet met vouchers."))
    if timezone.localdate() > round_.ends_on:
        raise ValidationError(_("Deze ronde is voorbij."))
    have = Voucher.objects.filter(round=round_, voided_at__isnull=True).values("household_id")
    households = list(
        Household.objects.exclude(pk__in=have)
        .order_by("postcode", "house_number", "addition")
        .values_list("pk", "street", "house_number", "addition", "postcode")
    )
    if not households:
        raise ValidationError(_("Elk huishouden heeft al een voucher voor deze ronde."))
    issued = [(row, codes.new_code()) for row in households]
    hashes = codes.code_hashes([codes.normalise(code) for _row, code in issued])
    ids = _insert_issued(
        round_, [(row[0], h) for (row, _c), h in zip(issued, hashes, strict=True)], user
    )
    events.initiative_event(
        events.Kind.VOUCHERS_ISSUED, obj=round_, actor=user, new={"count": len(ids)}
    )
    return [Printed(ids[row[0]], Address(*row[1:]), code) for row, code in issued]


@transaction.atomic
def voucher_reissue(*, round_: Round, household: Household, user, reason: str) -> Printed:
    """A lost letter: the old code is voided (recorded) and a new one issued."""
    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur geeft vouchers uit."))
    if not reason.strip():
        raise ValidationError({"reason": _("Zeg waarom er een nieuwe voucher nodig is.")})
    old = (
        Voucher.objects.select_for_update()
        .filter(round=round_, household=household, voided_at__isnull=True)
        .first()
    )
    if old is None:
        raise ValidationError(_("Dit huishouden heeft nog geen voucher in deze ronde."))
    if old.redeemed_at is not None:
        raise ValidationError(_("Deze voucher is al gebruikt; hij kan niet worden vervangen."))
    old.voided_at = timezone.now()
    old.void_reason = reason.strip()[:200]
    old._history_user = user
    old.save(update_fields=["voided_at", "void_reason"])
    code = codes.new_code()
    new = Voucher(
        round=round_,
        household=household,
        code_hash=codes.code_hash(codes.normalise(code)),
        value=old.value,
        expires_on=round_.ends_on,
    )
    new._history_user = user
    new.save()
    printed = Printed(new.pk, household, code)
    events.initiative_event(
        events.Kind.VOUCHER_REISSUED,
        obj=new,
        actor=user,
        old={"voucher": old.pk},
        note=reason.strip()[:200],
    )
    return printed


class Refused(ValidationError):
    pass


def _refuse(message: str):
    raise Refused({"code": message})


def voucher_redeem(
    *, code: str, initiative: Initiative, address: str, today: datetime.date | None = None
) -> Voucher:
    """Give a voucher to an initiative of its round. Rate-limited per address, per code
    prefix and per round; every refusal says why in plain Dutch."""
    today = today or timezone.localdate()
    round_id = initiative.round_id
    hour = datetime.timedelta(hours=1)
    if not rate_hits(
        {
            f"voucher-ip:{address}": LIMIT_PER_ADDRESS,
            f"voucher-prefix:{codes.prefix(code)}": LIMIT_PER_PREFIX,
            f"voucher-round:{round_id}": LIMIT_PER_ROUND,
        },
        window=hour,
    ):
        _refuse(_("Te veel pogingen. Probeer het over een uur opnieuw."))
    try:
        raw = codes.normalise(code)
    except codes.CodeError as exc:
        if exc.kind == "typo":
            _refuse(_("Er zit een tikfout in de code. Kijk hem nog eens goed na."))
        _refuse(_("Dit is geen vouchercode. Een code heeft 16 tekens, zoals K7QM-3XHT-9RWC-PDFA."))
    if initiative.status not in ELIGIBLE:
        _refuse(_("Dit initiatief doet niet (meer) mee."))
    digest = codes.code_hash(raw)
    with transaction.atomic():
        now = timezone.now()
        won = Voucher.objects.filter(
            code_hash=digest,
            round_id=round_id,
            redeemed_at__isnull=True,
            voided_at__isnull=True,
            expires_on__gte=today,
        ).update(redeemed_at=now, initiative=initiative)
        if won == 1:
            voucher = Voucher.objects.get(code_hash=digest)
            Voucher.history.bulk_history_create([voucher], update=True)
            events.initiative_event(
                events.Kind.VOUCHER_REDEEMED, obj=voucher, new={"initiative": initiative.pk}
            )
            return voucher
    voucher = Voucher.objects.filter(code_hash=digest).first()
    if voucher is None:
        _refuse(_("Deze code kennen we niet. Kijk hem nog eens goed na."))
    if voucher.round_id != round_id:
        _refuse(_("Deze voucher hoort bij een andere ronde."))
    if voucher.voided_at is not None:
        _refuse(_("Deze voucher is vervangen door een nieuwe brief en werkt niet meer."))
    if voucher.redeemed_at is not None:
        _refuse(_("Deze voucher is al gebruikt."))
    _refuse(_("Deze voucher is verlopen: de ronde is voorbij."))
    raise AssertionError  # unreachable


def pools(round_: Round) -> dict[int, int]:
    """Vouchers given per initiative in a round."""
    return dict(
        Voucher.objects.filter(round=round_, initiative__isnull=False)
        .values("initiative_id")
        .annotate(n=Count("id"))
        .values_list("initiative_id", "n")
    )


@transaction.atomic
def vouchers_settle(
    *, round_: Round, user, meeting_id: int, today: datetime.date | None = None
) -> list[Initiative]:
    """After applications close: every initiative whose pool reached its target is funded,
    as a decision of the group with a commitment on the round's budget line (so the pooled
    money flows into the books like any award; advances follow through the ledger)."""
    from groups.initiatives import assessment

    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur rondt de vouchers af."))
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.decided_by != Round.DecidedBy.VOUCHERS:
        raise ValidationError(_("Deze ronde werkt niet met vouchers."))
    if (today or timezone.localdate()) <= round_.closes_on:
        raise ValidationError(_("Afronden kan pas als de aanvragen gesloten zijn."))
    counts = pools(round_)
    funded = []
    for initiative in Initiative.objects.filter(round=round_, status__in=ELIGIBLE).order_by("pk"):
        pooled = round_.voucher_value * counts.get(initiative.pk, 0)
        if pooled >= initiative.requested_amount:
            assessment.decide(
                initiative=initiative,
                user=user,
                outcome=Initiative.Status.APPROVED,
                reason=_("Gefinancierd door bewoners met %(n)s vouchers (%(amount)s).")
                % {"n": counts[initiative.pk], "amount": format_euro(pooled)},
                meeting_id=meeting_id,
                votes_for=groups.meeting_present(meeting_id),
                votes_against=0,
            )
            funded.append(initiative)
    return funded
