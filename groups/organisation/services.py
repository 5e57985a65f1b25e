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

from groups import events
from groups.organisation.models import Member, Profile, Role, RoleTerm
from tenants.models import Group, Membership

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
    return profile


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
    if member.left_on and member.left_on <= timezone.localdate() and member.user_id:
        # Someone who has left the group no longer enters it.
        Membership.objects.filter(group=connection.tenant, user_id=member.user_id).delete()
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
def member_anonymise(*, member: Member, group: Group, by_user_id: int | None) -> Member:
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
        Membership.objects.filter(group=group, user_id=old_user_id).delete()
    events.member_anonymised(member=member, actor_id=by_user_id)
    return member


ACCESS_ROLE = {
    Role.CHAIR: Membership.Role.CHAIR,
    Role.TREASURER: Membership.Role.TREASURER,
    Role.SECRETARY: Membership.Role.SECRETARY,
    Role.AUDIT: Membership.Role.AUDIT,
}


def _grant_access(*, group: Group, member: Member, role: str) -> None:
    """A role holder with an account gets the matching access grant in the public schema."""
    if member.user_id is not None:
        Membership.objects.get_or_create(
            user_id=member.user_id, group=group, role=ACCESS_ROLE[role]
        )


def _revoke_access(*, group: Group, member: Member, role: str) -> None:
    if member.user_id is None:
        return
    still_holds = RoleTerm.objects.filter(member=member, role=role, ends_on__isnull=True).exists()
    if not still_holds:
        Membership.objects.filter(
            user_id=member.user_id, group=group, role=ACCESS_ROLE[role]
        ).delete()


def _check_term(term: RoleTerm) -> None:
    if term.member.is_anonymised or term.member.left_on:
        raise ValidationError({"member": _("Dit lid is gestopt en kan geen rol krijgen.")})
    if term.starts_on < term.member.joined_on:
        raise ValidationError(
            {"starts_on": _("Een termijn kan niet beginnen voordat iemand lid werd.")}
        )
    if term.role not in {r for r in (Role.CHAIR, Role.TREASURER, Role.SECRETARY)}:
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
    group: Group,
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
    if term.is_current():
        _grant_access(group=group, member=member, role=role)
    return term


@transaction.atomic
def role_end(*, group: Group, term: RoleTerm, ends_on: datetime.date) -> RoleTerm:
    term = RoleTerm.objects.select_for_update().select_related("member").get(pk=term.pk)
    if term.ends_on is not None and term.ends_on <= ends_on:
        raise ValidationError({"ends_on": _("Deze termijn is al beëindigd.")})
    term.ends_on = ends_on
    term.full_clean()
    term.save()
    # Access ends with the recorded end. An end in the future keeps access for now: nothing
    # runs on that date, so the board ends or hands over the role again when it comes.
    if ends_on <= timezone.localdate():
        _revoke_access(group=group, member=term.member, role=term.role)
    return term


@dataclass(frozen=True)
class Handover:
    ended: RoleTerm
    started: RoleTerm


@transaction.atomic
def role_handover(
    *,
    group: Group,
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
    if on <= timezone.localdate():
        _revoke_access(group=group, member=term.member, role=term.role)
        _grant_access(group=group, member=to_member, role=term.role)
    events.role_handed_over(ended=term, started=new, on=on, actor_id=by_user_id)
    return Handover(ended=term, started=new)


@transaction.atomic
def access_sync(*, group: Group, on: datetime.date | None = None) -> tuple[int, int]:
    """Make role holders' access grants match their role terms on `on` (default today).

    Terms can start or end on a future date; `manage.py sync_group_access` runs this daily so
    access switches on that day. Only people linked to this group's member register are
    touched: grants a coordinator made by hand for someone without a member record stay.
    Returns (granted, revoked).
    """
    on = on or timezone.localdate()
    linked = {
        m.pk: m
        for m in Member.objects.filter(user_id__isnull=False).only("pk", "user_id", "left_on")
    }
    wanted = set()
    for term in RoleTerm.objects.filter(member_id__in=linked, role__in=ACCESS_ROLE):
        member = linked[term.member_id]
        if term.is_current(on) and not (member.left_on and member.left_on <= on):
            wanted.add((member.user_id, ACCESS_ROLE[term.role]))
    managed = Membership.objects.filter(
        group=group,
        user_id__in={m.user_id for m in linked.values()},
        role__in=set(ACCESS_ROLE.values()),
    )
    current = set(managed.values_list("user_id", "role"))
    revoked = 0
    for user_id, role in current - wanted:
        revoked += Membership.objects.filter(group=group, user_id=user_id, role=role).delete()[0]
    for user_id, role in wanted - current:
        Membership.objects.create(group=group, user_id=user_id, role=role)
    return len(wanted - current), revoked
