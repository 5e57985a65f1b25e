"""Reads on a group's organisation, and the contract other apps (finance) rely on.

Contract for finance:
- `decision_for_spending(*, decision_id, amount, already_spent=0) -> Decision` raises a Dutch
  ValidationError when the decision is missing, invalid, or allows less than the spending.
- `spending_threshold() -> Decimal`: above this amount a payment needs a decision.
- `spending_authority(*, amount) -> str`: who may approve a payment of `amount`.
"""

import datetime
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import facade as finance_facade
from groups.models import (
    BOARD_ROLES,
    Attendance,
    Conflict,
    Decision,
    DecisionRules,
    GroupEvent,
    Meeting,
    Member,
    Partner,
    Profile,
    Role,
    RoleTerm,
)


def euro(amount: Decimal | None) -> str:
    """€ 1.234,56: Dutch notation for messages."""
    if amount is None:
        return ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{'-' if amount < 0 else ''}€ {'.'.join(groups)},{cents}"


# --- Profile -------------------------------------------------------------------------------


def profile_get() -> Profile | None:
    return Profile.objects.filter(id=1).first()


# --- Rules and the finance contract --------------------------------------------------------


def rules_at(on: datetime.date) -> DecisionRules | None:
    """The version of the house rules in force on `on` (None before the first version)."""
    return DecisionRules.objects.filter(valid_from__lte=on).order_by("-valid_from", "-id").first()


def rules_current() -> DecisionRules | None:
    return rules_at(timezone.localdate())


def rules_versions() -> QuerySet[DecisionRules]:
    return DecisionRules.objects.select_related("decision").order_by("-valid_from", "-id")


def spending_threshold() -> Decimal:
    """The amount above which a payment needs a decision (from the rules in force today).

    A group without rules yet has no delegated authority: every payment needs a decision, so
    the threshold is 0.
    """
    rules = rules_current()
    return rules.treasurer_and_chair_up_to if rules else Decimal("0.00")


TREASURER = "penningmeester"
TREASURER_AND_CHAIR = "penningmeester_en_voorzitter"
DECISION = "besluit"


def spending_authority(*, amount: Decimal) -> str:
    """Who may approve a payment: 'penningmeester', 'penningmeester_en_voorzitter' or 'besluit'."""
    rules = rules_current()
    if rules is None:
        return DECISION
    if amount <= rules.treasurer_alone_up_to:
        return TREASURER
    if amount <= rules.treasurer_and_chair_up_to:
        return TREASURER_AND_CHAIR
    return DECISION


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
                "allowed": euro(decision.amount),
                "spent": euro(already_spent),
                "amount": euro(amount),
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


# --- Meetings and quorum -------------------------------------------------------------------


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


# --- Decisions -----------------------------------------------------------------------------


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


# --- Members and roles ---------------------------------------------------------------------


def members_list(*, include_former: bool = False) -> QuerySet[Member]:
    today = timezone.localdate()
    current_terms = RoleTerm.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    qs = Member.objects.prefetch_related(
        Prefetch("terms", queryset=current_terms, to_attr="current_terms")
    ).order_by("name", "id")
    if not include_former:
        qs = qs.filter(left_on__isnull=True, anonymised_at__isnull=True)
    return qs


def member_get(*, pk: int) -> Member | None:
    return Member.objects.filter(pk=pk).first()


def member_for_user(*, user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, anonymised_at__isnull=True).first()


def member_terms(*, member: Member) -> QuerySet[RoleTerm]:
    return member.terms.select_related("handed_over_from__member").order_by("-starts_on")


def term_get(*, pk: int) -> RoleTerm | None:
    return RoleTerm.objects.select_related("member").filter(pk=pk).first()


def role_holders(*, on: datetime.date | None = None) -> dict[str, list[RoleTerm]]:
    on = on or timezone.localdate()
    terms = (
        RoleTerm.objects.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("member")
        .order_by("role", "starts_on")
    )
    holders: dict[str, list[RoleTerm]] = {role.value: [] for role in Role}
    for term in terms:
        holders[term.role].append(term)
    return holders


def board_gaps(*, on: datetime.date | None = None) -> list[str]:
    """Board roles nobody holds today: labels for the warning (chair, treasurer, secretary)."""
    holders = role_holders(on=on)
    return [str(role.label) for role in BOARD_ROLES if not holders[role.value]]


def member_export_data(*, member: Member) -> dict:
    """Everything the register holds about one person (AVG inzage)."""
    terms = member_terms(member=member)
    meetings = (
        Attendance.objects.filter(member=member)
        .select_related("meeting")
        .order_by("meeting__held_on")
    )
    return {
        "lid": {
            "nummer": member.pk,
            "naam": member.name,
            "e-mail": member.email,
            "telefoon": member.phone,
            "adres": member.address,
            "lid_sinds": member.joined_on.isoformat(),
            "gestopt_op": member.left_on.isoformat() if member.left_on else None,
            "heeft_account": member.user_id is not None,
        },
        "rollen": [
            {
                "rol": t.role,
                "begint_op": t.starts_on.isoformat(),
                "eindigt_op": t.ends_on.isoformat() if t.ends_on else None,
                "overdracht": t.handover_note,
            }
            for t in terms
        ],
        "aanwezig_bij": [
            {"vergadering": a.meeting.get_kind_display(), "datum": a.meeting.held_on.isoformat()}
            for a in meetings
        ],
        "geschiedenis": [
            {
                "datum": h.history_date.isoformat(),
                "soort": h.history_type,
                "naam": h.name,
                "e-mail": h.email,
                "telefoon": h.phone,
                "adres": h.address,
            }
            for h in member.history.order_by("history_date", "history_id")
        ],
    }


# --- Conflicts, partners, events -----------------------------------------------------------


def conflicts_list() -> QuerySet[Conflict]:
    return Conflict.objects.order_by("-occurred_on", "-id")


def conflict_get(*, pk: int) -> Conflict | None:
    return Conflict.objects.filter(pk=pk).first()


def partners_list() -> QuerySet[Partner]:
    return Partner.objects.annotate(agreement_count=Count("agreements")).order_by("name", "id")


def partner_get(*, pk: int) -> Partner | None:
    return Partner.objects.prefetch_related("agreements").filter(pk=pk).first()


def events_recent(*, limit: int = 10) -> list[GroupEvent]:
    return list(GroupEvent.objects.select_related("decision").order_by("-at", "-id")[:limit])


# --- Setting up a group --------------------------------------------------------------------

DONE = "klaar"
MISSING = "ontbreekt"
NOT_CHECKED = "niet_gecontroleerd"


@dataclass(frozen=True)
class SetupItem:
    step: str
    label: str
    state: str  # DONE, MISSING or NOT_CHECKED
    detail: str = ""


def _finance_item(step: str, label, done: bool) -> SetupItem:
    return SetupItem(step, str(label), DONE if done else MISSING)


SETUP_LABELS = {
    "profiel": gettext_lazy("Profiel van de groep"),
    "rollen": gettext_lazy("Rollen: voorzitter, penningmeester, secretaris"),
    "regels": gettext_lazy("Beslisregels"),
    "bank": gettext_lazy("Bankrekening"),
    "begroting": gettext_lazy("Begroting"),
    "privacy": gettext_lazy("Privacyverklaring"),
}
SETUP_STEPS = list(SETUP_LABELS)


def setup_status() -> list[SetupItem]:
    """What a new group has set up and what is still missing, in the wizard's order."""
    profile = profile_get()
    items = []
    missing_profile = []
    if profile is None or not profile.name:
        missing_profile.append(_("naam"))
    elif profile.legal_form != Profile.LegalForm.INFORMAL and not profile.kvk_number:
        missing_profile.append(_("KvK-nummer"))
    if profile is not None and not (
        profile.contact_email or profile.contact_phone or profile.contact_note
    ):
        missing_profile.append(_("contactgegevens"))
    items.append(
        SetupItem(
            "profiel",
            str(SETUP_LABELS["profiel"]),
            MISSING if missing_profile else DONE,
            _("Nog nodig: %(list)s.") % {"list": ", ".join(missing_profile)}
            if missing_profile
            else "",
        )
    )
    gaps = board_gaps()
    items.append(
        SetupItem(
            "rollen",
            str(SETUP_LABELS["rollen"]),
            MISSING if gaps else DONE,
            _("Nog niemand als: %(list)s.") % {"list": ", ".join(gaps)} if gaps else "",
        )
    )
    items.append(
        SetupItem("regels", str(SETUP_LABELS["regels"]), DONE if rules_current() else MISSING)
    )
    books = finance_facade.setup_state()
    items.append(_finance_item("bank", SETUP_LABELS["bank"], books.bank_account_present))
    items.append(_finance_item("begroting", SETUP_LABELS["begroting"], books.budget_present))
    items.append(
        SetupItem(
            "privacy",
            str(SETUP_LABELS["privacy"]),
            DONE if profile is not None and profile.privacy_statement.strip() else MISSING,
        )
    )
    return items


def spending_decisions() -> QuerySet[Decision]:
    """Adopted decisions with an amount: the ones a payment can cite."""
    return Decision.objects.filter(outcome=Decision.Outcome.ADOPTED, amount__isnull=False).order_by(
        "-year", "-number"
    )


def decision_required_above() -> Decimal | None:
    """The amount above which a payment must cite a decision, or None while the group has no
    decision rules yet (the setup wizard asks for them)."""
    rules = rules_current()
    return rules.treasurer_and_chair_up_to if rules else None
