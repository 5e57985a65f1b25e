"""Writes on a group's organisation. Every write of a person goes through here.

All functions run in the current group's schema (the caller has set it: a request through the
middleware, or `tenant_context`). Errors are Django ValidationErrors with Dutch messages; a
failing call saves nothing.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from groups import selectors
from groups.models import (
    Agreement,
    Attendance,
    Conflict,
    Decision,
    DecisionRules,
    DecisionSequence,
    GroupEvent,
    Meeting,
    Member,
    Partner,
    Profile,
    Role,
    RoleTerm,
)
from tenants.models import Group, Membership

# --- Profile -------------------------------------------------------------------------------

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


# --- Events --------------------------------------------------------------------------------


def _event(*, kind: str, user_id: int | None, summary: str, decision: Decision | None = None):
    return GroupEvent.objects.create(
        kind=kind, user_id=user_id, summary=summary[:300], decision=decision
    )


# --- Members -------------------------------------------------------------------------------

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
    _event(
        kind=GroupEvent.Kind.MEMBER_ANONYMISED,
        user_id=by_user_id,
        summary=_("Lid nr. %(id)s geanonimiseerd op verzoek (AVG).") % {"id": member.pk},
    )
    return member


# --- Roles and terms -----------------------------------------------------------------------

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
    _event(
        kind=GroupEvent.Kind.ROLE_HANDED_OVER,
        user_id=by_user_id,
        summary=_("Rol %(role)s overgedragen per %(date)s.")
        % {"role": term.get_role_display(), "date": on.strftime("%d-%m-%Y")},
    )
    return Handover(ended=term, started=new)


# --- Decision rules ------------------------------------------------------------------------

RULE_FIELDS = {
    "quorum_percent",
    "majority",
    "treasurer_alone_up_to",
    "treasurer_and_chair_up_to",
    "conflict_of_interest_rule",
    "conflict_protocol",
}


@transaction.atomic
def rules_initialise(*, valid_from: datetime.date, **fields) -> DecisionRules:
    """The first version of the rules, set while setting the group up (no decision yet)."""
    # The profile row is the group's mutex here: two first versions cannot race in.
    list(Profile.objects.select_for_update().filter(id=1))
    if DecisionRules.objects.exists():
        raise ValidationError(
            _("Er zijn al beslisregels. Een wijziging is een besluit: leg dat eerst vast.")
        )
    return _rules_save(DecisionRules(valid_from=valid_from), fields)


@transaction.atomic
def rules_change(*, decision: Decision, by_user_id: int | None, **fields) -> DecisionRules:
    """A new version of the rules, in force from the date of the decision that changed them."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.kind != Decision.Kind.RULES:
        raise ValidationError({"decision": _("Kies een besluit over de beslisregels.")})
    if not decision.is_valid:
        raise ValidationError(
            {"decision": _("Dit besluit is ongeldig; daarmee kun je de regels niet wijzigen.")}
        )
    if DecisionRules.objects.filter(decision=decision).exists():
        raise ValidationError({"decision": _("Met dit besluit zijn de regels al gewijzigd.")})
    rules = _rules_save(DecisionRules(valid_from=decision.decided_on, decision=decision), fields)
    _event(
        kind=GroupEvent.Kind.RULES_CHANGED,
        user_id=by_user_id,
        decision=decision,
        summary=_("Beslisregels gewijzigd door besluit %(ref)s.") % {"ref": decision.reference},
    )
    return rules


def _rules_save(rules: DecisionRules, fields: dict) -> DecisionRules:
    unknown = set(fields) - RULE_FIELDS
    if unknown:
        raise TypeError(f"Unknown rule fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(rules, name, value)
    if (
        rules.treasurer_alone_up_to is not None
        and rules.treasurer_and_chair_up_to is not None
        and rules.treasurer_and_chair_up_to < rules.treasurer_alone_up_to
    ):
        raise ValidationError(
            {
                "treasurer_and_chair_up_to": _(
                    "Dit bedrag moet minstens zo hoog zijn als wat de penningmeester alleen mag."
                )
            }
        )
    rules.full_clean()
    rules.save()
    return rules


# --- Meetings ------------------------------------------------------------------------------

MEETING_FIELDS = {"kind", "held_on", "starts_at", "place", "agenda", "minutes", "guests"}


def _check_meeting(meeting: Meeting) -> None:
    if meeting.kind != Meeting.Kind.NEIGHBOURHOOD and meeting.guests:
        raise ValidationError(
            {
                "guests": _(
                    "Buurtbewoners buiten het register tellen alleen bij een buurtbijeenkomst."
                )
            }
        )
    meeting.full_clean()


@transaction.atomic
def meeting_create(**fields) -> Meeting:
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting(**fields)
    _check_meeting(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, **fields) -> Meeting:
    unknown = set(fields) - MEETING_FIELDS
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    has_decisions = meeting.decisions.exists()
    frozen = {"kind", "held_on", "guests"}
    if has_decisions and any(getattr(meeting, f) != fields[f] for f in frozen & set(fields)):
        raise ValidationError(
            _(
                "Er zijn al besluiten genomen in deze vergadering. Soort, datum en aantal "
                "aanwezigen liggen daarom vast."
            )
        )
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check_meeting(meeting)
    meeting.save()
    return meeting


@transaction.atomic
def meeting_set_attendance(
    *, meeting: Meeting, present: list[Member], guests: int | None = None
) -> Meeting:
    """Who was there. Fixed once a decision has been recorded (its votes depend on it)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.decisions.exists():
        raise ValidationError(
            _("Er zijn al besluiten genomen in deze vergadering; de aanwezigheid ligt vast.")
        )
    wanted = {m.pk for m in present}
    members = {m.pk: m for m in Member.objects.filter(pk__in=wanted)}
    for pk in wanted:
        m = members.get(pk)
        if (
            m is None
            or m.is_anonymised
            or m.joined_on > meeting.held_on
            or (m.left_on and m.left_on < meeting.held_on)
        ):
            raise ValidationError(
                {"present": _("Alleen leden die op de datum van de vergadering lid waren.")}
            )
    current = set(meeting.attendance.values_list("member_id", flat=True))
    for row in meeting.attendance.filter(member_id__in=current - wanted):
        row.delete()  # one by one, so each removal gets its history row
    for pk in sorted(wanted - current):
        Attendance.objects.create(meeting=meeting, member=members[pk])
    if guests is not None and guests != meeting.guests:
        meeting.guests = guests
        _check_meeting(meeting)
        meeting.save()
    return meeting


# --- Decisions -----------------------------------------------------------------------------


def _next_number(year: int) -> int:
    """The next number in `year`, under a row lock: concurrent decisions wait, none skips."""
    DecisionSequence.objects.bulk_create(
        [DecisionSequence(year=year, last_number=0)], ignore_conflicts=True
    )
    sequence = DecisionSequence.objects.select_for_update().get(year=year)
    DecisionSequence.objects.filter(pk=sequence.pk).update(last_number=F("last_number") + 1)
    return sequence.last_number + 1


@transaction.atomic
def decision_record(
    *,
    meeting: Meeting,
    title: str,
    text: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int = 0,
    decided_on: datetime.date | None = None,
    kind: str = Decision.Kind.GENERAL,
    amount: Decimal | None = None,
    budget_line_id: int | None = None,
    present_count: int | None = None,
    conflict_note: str = "",
    by_user_id: int | None = None,
) -> Decision:
    """Record a decision taken in `meeting`; its number and outcome are computed here.

    The outcome follows the rules in force on the meeting's date: no quorum or no majority
    makes the decision invalid (it is still recorded and numbered, for the minutes).
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    decided_on = decided_on or meeting.held_on
    errors: dict[str, str] = {}
    if decided_on < meeting.held_on:
        errors["decided_on"] = _(
            "Een besluit kan niet eerder zijn dan de vergadering (%(date)s)."
        ) % {"date": meeting.held_on.strftime("%d-%m-%Y")}
    quorum = selectors.meeting_quorum(meeting=meeting)
    if quorum.rules is None:
        raise ValidationError(
            _("Er zijn nog geen beslisregels voor deze datum. Leg eerst de beslisregels vast.")
        )
    if present_count is None:
        present_count = quorum.present_total
    if present_count > quorum.present_total:
        errors["present_count"] = _(
            "Er waren %(n)s mensen aanwezig; er kunnen er niet meer meestemmen."
        ) % {"n": quorum.present_total}
    votes = [votes_for, votes_against, votes_abstain]
    if any(v is None or v < 0 for v in votes):
        errors["votes_for"] = _("Aantallen stemmen kunnen niet negatief zijn.")
    elif sum(votes) > present_count:
        errors["votes_for"] = _(
            "Er zijn meer stemmen (%(votes)s) dan mensen aanwezig (%(present)s)."
        ) % {"votes": sum(votes), "present": present_count}
    if kind == Decision.Kind.FINANCIAL:
        if amount is None or amount <= 0:
            errors["amount"] = _("Een besluit over geld noemt een bedrag groter dan nul.")
    elif amount is not None:
        errors["amount"] = _("Alleen een besluit over geld heeft een bedrag. Kies 'over geld'.")
    if budget_line_id is not None and kind != Decision.Kind.FINANCIAL:
        errors["budget_line_id"] = _("Alleen een besluit over geld hoort bij een begrotingspost.")
    if errors:
        raise ValidationError(errors)

    rules = quorum.rules
    quorum_met = quorum.met
    majority_met = selectors.majority_met(
        rules=rules, votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain
    )
    if not quorum_met:
        outcome = Decision.Outcome.NO_QUORUM
    elif not majority_met:
        outcome = Decision.Outcome.NO_MAJORITY
    else:
        outcome = Decision.Outcome.ADOPTED
    decision = Decision(
        meeting=meeting,
        year=decided_on.year,
        number=0,
        decided_on=decided_on,
        kind=kind,
        title=title,
        text=text,
        amount=amount,
        budget_line_id=budget_line_id,
        present_count=present_count,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        conflict_note=conflict_note,
        rules=rules,
        quorum_required=quorum.required,
        quorum_met=quorum_met,
        majority_met=majority_met,
        outcome=outcome,
        recorded_by_id=by_user_id,
    )
    decision.full_clean(exclude=["number"], validate_constraints=False)
    decision.number = _next_number(decided_on.year)
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError as exc:  # a DB guard caught what the checks above should have
        raise ValidationError(_("Dit besluit klopt niet en is niet opgeslagen.")) from exc
    _event(
        kind=GroupEvent.Kind.DECISION_RECORDED,
        user_id=by_user_id,
        decision=decision,
        summary=_("Besluit %(ref)s vastgelegd: %(outcome)s.")
        % {"ref": decision.reference, "outcome": decision.get_outcome_display()},
    )
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: Decision,
    title: str,
    text: str,
    budget_line_id: int | None,
    conflict_note: str = "",
) -> Decision:
    """Correct the wording. Votes, date and amount are fixed: a new decision changes those."""
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if budget_line_id is not None and decision.kind != Decision.Kind.FINANCIAL:
        raise ValidationError(
            {"budget_line_id": _("Alleen een besluit over geld hoort bij een begrotingspost.")}
        )
    decision.title = title
    decision.text = text
    decision.budget_line_id = budget_line_id
    decision.conflict_note = conflict_note
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def decision_publish(*, decision: Decision, publish: bool, by_user_id: int | None) -> Decision:
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.is_published == publish:
        return decision
    decision.is_published = publish
    decision.published_at = timezone.now() if publish else None
    decision.save()
    if publish:
        _event(
            kind=GroupEvent.Kind.DECISION_PUBLISHED,
            user_id=by_user_id,
            decision=decision,
            summary=_("Besluit %(ref)s staat op de openbare pagina.") % {"ref": decision.reference},
        )
    return decision


# --- Conflicts and partners ----------------------------------------------------------------

CONFLICT_FIELDS = {"occurred_on", "parties", "subject", "steps_taken", "outcome", "status"}
PARTNER_FIELDS = {"kind", "name", "contact_name", "contact_email", "contact_phone", "notes"}
AGREEMENT_FIELDS = {"title", "description", "starts_on", "ends_on"}


def _save_with(obj, fields: dict, allowed: set[str]):
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def conflict_create(**fields) -> Conflict:
    return _save_with(Conflict(), fields, CONFLICT_FIELDS)


@transaction.atomic
def conflict_update(*, conflict: Conflict, **fields) -> Conflict:
    return _save_with(
        Conflict.objects.select_for_update().get(pk=conflict.pk), fields, CONFLICT_FIELDS
    )


@transaction.atomic
def partner_create(**fields) -> Partner:
    return _save_with(Partner(), fields, PARTNER_FIELDS)


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    return _save_with(
        Partner.objects.select_for_update().get(pk=partner.pk), fields, PARTNER_FIELDS
    )


@transaction.atomic
def agreement_create(*, partner: Partner, **fields) -> Agreement:
    return _save_with(Agreement(partner=partner), fields, AGREEMENT_FIELDS)


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
