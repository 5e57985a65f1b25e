"""Writes on decisions: house rules, meetings and attendance, numbered decisions."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.decisions import facts as meeting_facts
from groups.decisions import selectors as decision_selectors
from groups.decisions.models import Attendance, Decision, DecisionRules, DecisionSequence, Meeting
from groups.organisation import events
from groups.organisation.models import Member, Profile

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
    events.rules_changed(decision=decision, actor_id=by_user_id)
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
    meeting_facts.refresh()
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
    if "held_on" in fields:
        meeting_facts.refresh()
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
    quorum = decision_selectors.meeting_quorum(meeting=meeting)
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
    majority_met = decision_selectors.majority_met(
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
    events.decision_recorded(decision=decision, actor_id=by_user_id)
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
        events.decision_published(decision=decision, actor_id=by_user_id)
    return decision
