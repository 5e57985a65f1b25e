"""What other apps may ask of a group's organisation. Nothing outside groups imports more.

Functions run in the current group's schema.

Spending authority has ONE rule, the same for direct expenses and expense claims: the house
rules in force today say up to which amount the treasurer decides alone, up to which the
treasurer and the chair together, and above that a decision of the group is needed. A group
that has not recorded its house rules yet works with the defaults a new set of rules starts
from (DEFAULT_TREASURER_ALONE_UP_TO / DEFAULT_TREASURER_AND_CHAIR_UP_TO), and the set-up
wizard asks for the rules. See docs/adr/0004-spending-authority-and-bank-lines.md.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet

from groups.decisions import selectors as decision_selectors
from groups.decisions.models import Decision, DecisionRules
from groups.organisation import services as org_services
from groups.organisation.models import Member, RoleTerm

TREASURER = "penningmeester"
TREASURER_AND_CHAIR = "penningmeester_en_voorzitter"
DECISION = "besluit"

DEFAULT_TREASURER_ALONE_UP_TO = DecisionRules._meta.get_field("treasurer_alone_up_to").default
DEFAULT_TREASURER_AND_CHAIR_UP_TO = DecisionRules._meta.get_field(
    "treasurer_and_chair_up_to"
).default


@dataclass(frozen=True)
class SpendingRule:
    treasurer_alone_up_to: Decimal
    treasurer_and_chair_up_to: Decimal
    from_house_rules: bool  # False: the defaults, because the group has no rules yet

    @property
    def decision_required_above(self) -> Decimal:
        return self.treasurer_and_chair_up_to

    def authority(self, amount: Decimal) -> str:
        """Who approves a payment of `amount`: TREASURER, TREASURER_AND_CHAIR or DECISION."""
        if amount <= self.treasurer_alone_up_to:
            return TREASURER
        if amount <= self.treasurer_and_chair_up_to:
            return TREASURER_AND_CHAIR
        return DECISION


def spending_rule(on: datetime.date | None = None) -> SpendingRule:
    rules = decision_selectors.rules_at(on) if on else decision_selectors.rules_current()
    if rules is None:
        return SpendingRule(DEFAULT_TREASURER_ALONE_UP_TO, DEFAULT_TREASURER_AND_CHAIR_UP_TO, False)
    return SpendingRule(rules.treasurer_alone_up_to, rules.treasurer_and_chair_up_to, True)


def decision_for_spending(
    *, decision_id: int, amount: Decimal, already_spent: Decimal = Decimal("0.00")
) -> Decision:
    """The decision that allows a payment of `amount` (after `already_spent` under it), or a
    Dutch ValidationError saying why not."""
    return decision_selectors.decision_for_spending(
        decision_id=decision_id, amount=amount, already_spent=already_spent
    )


def decision_lock(decision_id: int) -> None:
    """Lock a decision's row while a payment checks what is left of it (in the caller's
    transaction), so two payments cannot both fit into the same remainder."""
    Decision.objects.select_for_update().filter(pk=decision_id).first()


def spending_decisions() -> QuerySet[Decision]:
    """Adopted decisions with an amount: the ones a payment can cite (for choice lists)."""
    return decision_selectors.spending_decisions()


@transaction.atomic
def group_initialise(group) -> None:
    """Right after a group's schema is made: its profile row (called by tenants' creation)."""
    from django_tenants.utils import tenant_context

    with tenant_context(group):
        org_services.profile_initialise(name=group.name, neighbourhood=group.neighbourhood)


@transaction.atomic
def person_join(*, user_id: int, name: str, email: str, role: str, on: datetime.date) -> Member:
    """Put a person with an account into the register with `role` from `on` (the coordinator
    adding people): a member record, a role term unless the role is plain "lid", and access
    that follows from the register."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from tenants.facade import TERM_ROLES, Role, current_group

    member = Member.objects.filter(user_id=user_id, anonymised_at__isnull=True).first()
    if member is not None and member.left_on is not None:
        raise ValidationError(
            {
                "email": _(
                    "Deze persoon is gestopt bij de groep. Zet dat eerst terug in het register."
                )
            }
        )
    if member is None:
        member = org_services.member_create(
            user_id=user_id, name=name or email, email=email, joined_on=on
        )
    elif role == Role.MEMBER:
        raise ValidationError(
            {"role": _("%(name)s staat al in het ledenregister.") % {"name": name}}
        )
    if role in TERM_ROLES:
        if RoleTerm.objects.filter(member=member, role=role, ends_on__isnull=True).exists():
            raise ValidationError(
                {"role": _("%(name)s heeft deze rol al in deze groep.") % {"name": name}}
            )
        org_services.role_assign(group=current_group(), member=member, role=role, starts_on=on)
    return member


# --- Resident initiatives (groups.initiatives) ---------------------------------------------


@dataclass(frozen=True)
class DecisionRef:
    id: int
    reference: str  # "2026-014"
    title: str
    decided_on: datetime.date
    is_valid: bool  # adopted: quorum and majority met


@dataclass(frozen=True)
class MeetingRef:
    id: int
    label: str


def meetings_for_decisions(limit: int = 20) -> list[MeetingRef]:
    """Recent meetings a decision can be recorded in (choice lists), newest first."""
    from groups.decisions.models import Meeting

    return [
        MeetingRef(m.pk, f"{m.held_on:%d-%m-%Y} · {m.get_kind_display()} · {m.place}")
        for m in Meeting.objects.order_by("-held_on", "-id")[:limit]
    ]


def decision_record(
    *,
    meeting_id: int,
    title: str,
    text: str,
    votes_for: int,
    votes_against: int,
    votes_abstain: int = 0,
    amount: Decimal | None = None,
    budget_line_id: int | None = None,
    conflict_note: str = "",
    publish: bool = True,
    by_user_id: int | None = None,
) -> DecisionRef:
    """Record a numbered decision of the group in a meeting (about money when `amount` is
    given); its outcome follows the house rules. Published on the public page when asked."""
    from groups.decisions import services as decision_services
    from groups.decisions.models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        from django.core.exceptions import ValidationError
        from django.utils.translation import gettext as _

        raise ValidationError({"meeting": _("Kies de vergadering waarin besloten is.")})
    decision = decision_services.decision_record(
        meeting=meeting,
        title=title[:200],
        text=text,
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        kind=Decision.Kind.FINANCIAL if amount is not None else Decision.Kind.GENERAL,
        amount=amount,
        budget_line_id=budget_line_id,
        conflict_note=conflict_note,
        by_user_id=by_user_id,
    )
    if publish:
        decision_services.decision_publish(decision=decision, publish=True, by_user_id=by_user_id)
    return _decision_ref(decision)


def decision_refs(decision_ids: list[int]) -> dict[int, DecisionRef]:
    return {d.pk: _decision_ref(d) for d in Decision.objects.filter(pk__in=decision_ids)}


def _decision_ref(decision: Decision) -> DecisionRef:
    return DecisionRef(
        decision.pk, decision.reference, decision.title, decision.decided_on, decision.is_valid
    )


def meeting_present(meeting_id: int) -> int:
    """How many people were present at a meeting (members and guests)."""
    from groups.decisions.models import Meeting

    meeting = Meeting.objects.filter(pk=meeting_id).first()
    if meeting is None:
        return 0
    return decision_selectors.meeting_quorum(meeting=meeting).present_total


def group_facts() -> dict:
    """Every fact the group's organisation keeps in the registry's row (tenants/facts.py)."""
    from groups.decisions import facts as meeting_facts

    return {**meeting_facts.meetings(), **org_services.profile_facts()}
