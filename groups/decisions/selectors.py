"""Reads on decisions: the rules in force, quorum and majority, meetings, decisions,
and the spending authority finance relies on (through groups.facade)."""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.money import format_euro
from groups.decisions.models import Attendance, Decision, DecisionRules, Meeting
from groups.organisation.models import Member, RoleTerm
from tenants.facade import BOARD_ROLES


def rules_at(on: datetime.date) -> DecisionRules | None:
    """The version of the house rules in force on `on` (None before the first version)."""
    return DecisionRules.objects.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()


def rules_current() -> DecisionRules | None:
    return rules_at(timezone.localdate())


def rules_versions() -> QuerySet[DecisionRules]:
    return DecisionRules.objects.select_related("decision").order_by("-valid_from", "-id")


def decision_for_spending(
    *, decision_id: int, amount: Decimal, already_spent: Decimal = Decimal("0")
) -> Decision:
    """The decision that allows a payment of `amount`, or a ValidationError saying why not.

    `already_spent` is what earlier payments against the same decision took; the decision's
    amount must cover both.
    """
    decision = (
        Decision.objects.select_related("meeting").filter(pk=decision_id).first()
        if decision_id is not None
        else None
    )
    if decision is None:
        raise ValidationError(
            _("Besluit %(id)s bestaat niet in deze groep.") % {"id": decision_id},
            code="decision_missing",
        )
    if not decision.is_valid:
        raise ValidationError(
            _("Besluit %(ref)s is ongeldig (%(why)s). Daarmee mag niet worden betaald.")
            % {"ref": decision.reference, "why": decision.get_outcome_display()},
            code="decision_invalid",
        )
    if decision.amount is None:
        raise ValidationError(
            _("Besluit %(ref)s noemt geen bedrag. Daarmee mag niet worden betaald.")
            % {"ref": decision.reference},
            code="decision_without_amount",
        )
    if decision.amount < amount + already_spent:
        if already_spent:
            message = _(
                "Besluit %(ref)s staat %(allowed)s toe; er is al %(spent)s uitgegeven, "
                "dus %(amount)s past er niet meer in."
            )
        else:
            message = _("Besluit %(ref)s staat %(allowed)s toe; deze uitgave is %(amount)s.")
        raise ValidationError(
            message
            % {
                "ref": decision.reference,
                "allowed": format_euro(decision.amount),
                "spent": format_euro(already_spent),
                "amount": format_euro(amount),
            },
            code="decision_amount_too_low",
        )
    return decision


def majority_met(
    *, rules: DecisionRules, votes_for: int, votes_against: int, votes_abstain: int
) -> bool:
    if votes_for <= 0:
        return False
    if rules.majority == DecisionRules.Majority.ABSOLUTE:
        return 2 * votes_for > votes_for + votes_against + votes_abstain
    if rules.majority == DecisionRules.Majority.TWO_THIRDS:
        return 3 * votes_for >= 2 * (votes_for + votes_against)
    return votes_for > votes_against


@dataclass(frozen=True)
class Quorum:
    rules: DecisionRules | None
    applies: bool  # a neighbourhood meeting has no quorum
    eligible: int  # people entitled to vote (board or members on the meeting's date)
    present_eligible: int
    present_total: int  # everyone present, including neighbours outside the register
    required: int

    @property
    def met(self) -> bool:
        return self.present_eligible >= self.required


def _eligible_member_ids(meeting: Meeting) -> set[int]:
    on = meeting.held_on
    if meeting.kind == Meeting.Kind.BOARD:
        return set(
            RoleTerm.objects.filter(role__in=BOARD_ROLES, starts_on__lte=on)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
            .values_list("member_id", flat=True)
        )
    return set(
        Member.objects.filter(joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=on))
        .values_list("id", flat=True)
    )


def meeting_quorum(*, meeting: Meeting) -> Quorum:
    """Quorum from attendance and the rules in force on the meeting's date."""
    rules = rules_at(meeting.held_on)
    present_ids = set(meeting.attendance.values_list("member_id", flat=True))
    present_total = len(present_ids) + meeting.guests
    if meeting.kind == Meeting.Kind.NEIGHBOURHOOD:
        return Quorum(rules, False, 0, present_total, present_total, 1)
    eligible = _eligible_member_ids(meeting)
    percent = rules.quorum_percent if rules else 50
    required = max(1, math.ceil(len(eligible) * percent / 100))
    return Quorum(rules, True, len(eligible), len(present_ids & eligible), present_total, required)


def meetings_list() -> QuerySet[Meeting]:
    return Meeting.objects.annotate(
        decision_count=Count("decisions", distinct=True),
        present_count=Count("attendance", distinct=True),
    ).order_by("-held_on", "-id")


def meeting_get(*, pk: int) -> Meeting | None:
    return Meeting.objects.filter(pk=pk).first()


def meeting_attendees(*, meeting: Meeting) -> list[Member]:
    return [a.member for a in Attendance.objects.filter(meeting=meeting).select_related("member")]


def members_eligible_for(*, meeting: Meeting) -> QuerySet[Member]:
    """Members who were in the register on the meeting's date (for the attendance list)."""
    on = meeting.held_on
    return Member.objects.filter(joined_on__lte=on, anonymised_at__isnull=True).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=on)
    )


@dataclass
class DecisionFilters:
    year: int | None = None
    kind: str = ""
    outcome: str = ""
    published: str = ""  # "ja" / "nee" / ""
    q: str = ""
    choices: dict = field(default_factory=dict)


def decisions_list(*, filters: DecisionFilters | None = None) -> QuerySet[Decision]:
    qs = Decision.objects.select_related("meeting").order_by("-year", "-number")
    if filters is None:
        return qs
    if filters.year:
        qs = qs.filter(year=filters.year)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.outcome == "geldig":
        qs = qs.filter(outcome=Decision.Outcome.ADOPTED)
    elif filters.outcome == "ongeldig":
        qs = qs.exclude(outcome=Decision.Outcome.ADOPTED)
    if filters.published == "ja":
        qs = qs.filter(is_published=True)
    elif filters.published == "nee":
        qs = qs.filter(is_published=False)
    if filters.q:
        qs = qs.filter(Q(title__icontains=filters.q) | Q(text__icontains=filters.q))
    return qs


def decision_years() -> list[int]:
    return list(Decision.objects.order_by("-year").values_list("year", flat=True).distinct())


def decision_get(*, pk: int) -> Decision | None:
    return Decision.objects.select_related("meeting", "rules").filter(pk=pk).first()


def decisions_published() -> QuerySet[Decision]:
    return Decision.objects.filter(is_published=True).order_by("-decided_on", "-number")


def decisions_for_rules_change() -> QuerySet[Decision]:
    """Valid decisions about the rules that have not yet produced a rules version."""
    return Decision.objects.filter(
        kind=Decision.Kind.RULES, outcome=Decision.Outcome.ADOPTED, rules_version__isnull=True
    ).order_by("-decided_on")


def spending_decisions() -> QuerySet[Decision]:
    """Adopted decisions with an amount: the ones a payment can cite."""
    return Decision.objects.filter(outcome=Decision.Outcome.ADOPTED, amount__isnull=False).order_by(
        "-year", "-number"
    )
