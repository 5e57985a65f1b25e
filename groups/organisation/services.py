"""Writes on the organisation: profile, members, roles and terms, and access that follows them.

All functions run in the current group's schema (the caller has set it: a request through the
middleware, or `tenant_context`). Errors are Django ValidationErrors with Dutch messages; a
failing call saves nothing."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.organisation import events
from groups.organisation.models import Member, Profile, RoleTerm
from tenants import facade as tenants

PROFILE_FIELDS = {
    "name",
    "neighbourhood",
    "district",
    "legal_form",
    "kvk_number",
    "mission",
    "contact_email",
    "contact_phone",
    "contact_note",
    "privacy_statement",
}


@transaction.atomic
def profile_initialise(*, name: str, neighbourhood: str = "", district: str = "") -> Profile:
    """Create the group's profile row in the current schema (right after cloning)."""
    profile, _created = Profile.objects.get_or_create(
        id=1, defaults={"name": name, "neighbourhood": neighbourhood, "district": district}
    )
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, **fields) -> Profile:
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"Unknown profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.legal_form == Profile.LegalForm.INFORMAL and profile.kvk_number:
        raise ValidationError(
            {"kvk_number": _("Een informele groep staat niet in de KvK. Laat dit veld leeg.")}
        )
    profile.full_clean()
    profile.save()
    tenants.group_facts_record(**profile_facts(profile))
    return profile


def profile_facts(profile: Profile | None = None) -> dict:
    """The public contact the group shows on its public page, for the registry's row."""
    profile = profile or Profile.objects.filter(pk=1).first()
    if profile is None:
        return {"contact_email": "", "contact_phone": ""}
    return {"contact_email": profile.contact_email, "contact_phone": profile.contact_phone}


MEMBER_FIELDS = {"name", "email", "phone", "address", "joined_on", "left_on"}


@transaction.atomic
def member_create(*, user_id: int | None = None, **fields) -> Member:
    unknown = set(fields) - MEMBER_FIELDS
    if unknown:
        raise TypeError(f"Unknown member fields: {sorted(unknown)}")
    member = Member(user_id=user_id, **fields)
    if user_id is not None and Member.objects.filter(user_id=user_id).exists():
        raise ValidationError(_("Dit account hoort al bij iemand anders in het ledenregister."))
    member.full_clean()
    member.save()
    _sync_access(member)
    return member


@transaction.atomic
def member_update(*, member: Member, **fields) -> Member:
    unknown = set(fields) - MEMBER_FIELDS
    if unknown:
        raise TypeError(f"Unknown member fields: {sorted(unknown)}")
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.is_anonymised:
        raise ValidationError(_("Dit lid is geanonimiseerd en kan niet meer worden gewijzigd."))
    for name, value in fields.items():
        setattr(member, name, value)
    if member.left_on and member.terms.filter(ends_on__isnull=True).exists():
        raise ValidationError(
            {"left_on": _("Dit lid heeft nog een rol. Beëindig of draag die eerst over.")}
        )
    member.full_clean()
    member.save()
    _sync_access(member)  # someone who has left the group no longer enters it
    return member


def _scrubbed_member_values() -> dict:
    return {
        "name": Member.ANONYMOUS_NAME,
        "email": "",
        "phone": "",
        "address": "",
        "user_id": None,
    }


@transaction.atomic
def member_anonymise(*, member: Member, group: tenants.Group, by_user_id: int | None) -> Member:
    """AVG erasure: remove the person's data, keep the row (and its id) so links stay valid.

    Earlier versions in the history table are scrubbed too. Attendance, terms and decisions
    keep pointing at the same id, now showing "Geanonimiseerd lid". The person's access to
    this group (public memberships) ends.
    """
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.is_anonymised:
        return member
    today = timezone.localdate()
    if (
        member.terms.filter(ends_on__isnull=True).exists()
        or member.terms.filter(ends_on__gte=today).exists()
    ):
        raise ValidationError(
            _("Dit lid heeft nog een rol. Draag die eerst over of beëindig de termijn.")
        )
    old_user_id = member.user_id
    for name, value in _scrubbed_member_values().items():
        setattr(member, name, value)
    member.anonymised_at = timezone.now()
    if member.left_on is None:
        member.left_on = max(today, member.joined_on)
    member.save()
    member.history.model.objects.filter(id=member.pk).update(**_scrubbed_member_values())
    if old_user_id is not None:
        tenants.memberships_set(group=group, user_id=old_user_id, roles=set())
    events.member_anonymised(member=member, actor_id=by_user_id)
    return member


def access_roles(member: Member, terms, on: datetime.date) -> set[str]:
    """The access grants the register gives `member` on `on`: "lid" while in the register,
    plus every role of a term that runs on that day. Nothing after leaving or erasure."""
    if member.user_id is None or member.is_anonymised:
        return set()
    if member.joined_on > on or (member.left_on and member.left_on <= on):
        return set()
    return {tenants.Role.MEMBER} | {t.role for t in terms if t.is_current(on)}


def _sync_access(member: Member, on: datetime.date | None = None) -> tuple[int, int]:
    """Make the member's access grants what the register says today (or on `on`)."""
    if member.user_id is None:
        return 0, 0
    on = on or timezone.localdate()
    roles = access_roles(member, member.terms.all(), on)
    return tenants.memberships_set(group=connection.tenant, user_id=member.user_id, roles=roles)


def _check_term(term: RoleTerm) -> None:
    if term.member.is_anonymised or term.member.left_on:
        raise ValidationError({"member": _("Dit lid is gestopt en kan geen rol krijgen.")})
    if term.starts_on < term.member.joined_on:
        raise ValidationError(
            {"starts_on": _("Een termijn kan niet beginnen voordat iemand lid werd.")}
        )
    if term.role not in tenants.BOARD_ROLES:
        # Seats with more people (kascommissie): one person cannot hold it twice at once.
        same = RoleTerm.objects.filter(member=term.member, role=term.role).exclude(pk=term.pk)
        for other in same:
            if _overlaps(term.starts_on, term.ends_on, other.starts_on, other.ends_on):
                raise ValidationError(
                    _(
                        "Deze persoon heeft deze rol al in die periode. "
                        "Termijnen mogen niet overlappen."
                    )
                )
    term.full_clean()


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    far = datetime.date.max
    return a_start <= (b_end or far) and b_start <= (a_end or far)


@transaction.atomic
def role_assign(
    *,
    group: tenants.Group,
    member: Member,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> RoleTerm:
    """Give `member` a role for a term. A board seat can have one person at a time."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    term = RoleTerm(member=member, role=role, starts_on=starts_on, ends_on=ends_on)
    _check_term(term)
    term.save()
    _sync_access(member)
    return term


@transaction.atomic
def role_end(*, group: tenants.Group, term: RoleTerm, ends_on: datetime.date) -> RoleTerm:
    term = RoleTerm.objects.select_for_update().select_related("member").get(pk=term.pk)
    if term.ends_on is not None and term.ends_on <= ends_on:
        raise ValidationError({"ends_on": _("Deze termijn is al beëindigd.")})
    term.ends_on = ends_on
    term.full_clean()
    term.save()
    # Access ends with the recorded end; an end in the future is switched on its day by the
    # daily access sync.
    _sync_access(term.member)
    return term


@dataclass(frozen=True)
class Handover:
    ended: RoleTerm
    started: RoleTerm


@transaction.atomic
def role_handover(
    *,
    group: tenants.Group,
    term: RoleTerm,
    to_member: Member,
    on: datetime.date,
    note: str,
    by_user_id: int | None,
) -> Handover:
    """Hand a role over: the running term ends the day before `on`, the new one starts on it."""
    term = RoleTerm.objects.select_for_update().select_related("member").get(pk=term.pk)
    if term.ends_on is not None:
        raise ValidationError(_("Deze termijn is al beëindigd; geef de rol opnieuw uit."))
    if to_member.pk == term.member_id:
        raise ValidationError({"to_member": _("Kies iemand anders dan de huidige rolhouder.")})
    if on <= term.starts_on:
        raise ValidationError({"on": _("De overdracht moet na het begin van de termijn vallen.")})
    if not note.strip():
        raise ValidationError({"note": _("Schrijf kort op wat er is overgedragen.")})
    term.ends_on = on - datetime.timedelta(days=1)
    term.full_clean()
    term.save()
    to_member = Member.objects.select_for_update().get(pk=to_member.pk)
    new = RoleTerm(
        member=to_member, role=term.role, starts_on=on, handed_over_from=term, handover_note=note
    )
    _check_term(new)
    new.save()
    _sync_access(term.member)
    _sync_access(to_member)
    events.role_handed_over(ended=term, started=new, on=on, actor_id=by_user_id)
    return Handover(ended=term, started=new)


@transaction.atomic
def access_sync(*, group: tenants.Group, on: datetime.date | None = None) -> tuple[int, int]:
    """Make every registered account's access grants what the register says on `on`.

    Terms and memberships can start or end on a future date; the daily scheduled job
    (`manage.py sync_group_access`) runs this so access switches on that day. Only accounts
    linked to a member of this group's register are touched. Returns (granted, revoked).
    """
    on = on or timezone.localdate()
    granted = revoked = 0
    for member in Member.objects.filter(user_id__isnull=False).prefetch_related("terms"):
        roles = access_roles(member, member.terms.all(), on)
        added, removed = tenants.memberships_set(group=group, user_id=member.user_id, roles=roles)
        granted, revoked = granted + added, revoked + removed
    return granted, revoked
