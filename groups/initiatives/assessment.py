"""Assessing an initiative: declarations of interest, scores, and the group's decision.

An assessor first declares a conflict of interest or none. A declared conflict excludes them
from scoring that initiative, and the decision names who stood aside. The outcome is always
a numbered decision of the group (groups.facade.decision_record), published with its reasons;
an award becomes a commitment on the round's budget line (finance.facade), and the initiator
is told by e-mail once everything has committed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.money import format_euro, positive_money
from backoffice.core.services import model_update
from finance import facade as finance
from groups import facade as groups
from groups.initiatives import events
from groups.initiatives.models import Criterion, Declaration, Initiative, Round, Score
from tenants.facade import BOARD_ROLES, Role, require_role, user_get

ASSESSORS = (*BOARD_ROLES, Role.MEMBER)
OPEN = {Initiative.Status.SUBMITTED, Initiative.Status.MORE_INFO}


class Outcome:
    APPROVED = Initiative.Status.APPROVED
    PARTLY = Initiative.Status.PARTLY
    REJECTED = Initiative.Status.REJECTED
    MORE_INFO = Initiative.Status.MORE_INFO
    CHOICES = [
        (APPROVED, gettext_lazy("goedgekeurd")),
        (PARTLY, gettext_lazy("deels goedgekeurd, met een lager bedrag")),
        (REJECTED, gettext_lazy("afgewezen")),
        (MORE_INFO, gettext_lazy("meer informatie nodig")),
    ]


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().select_related("round").get(pk=initiative.pk)


@transaction.atomic
def declare(*, initiative: Initiative, user, has_conflict: bool, note: str = "") -> Declaration:
    require_role(user, *ASSESSORS, message=_("Alleen leden van de groep beoordelen aanvragen."))
    initiative = _lock(initiative)
    if Declaration.objects.filter(initiative=initiative, assessor_id=user.pk).exists():
        raise ValidationError(_("Je hebt voor deze aanvraag al verklaard of je belang hebt."))
    if has_conflict and not note.strip():
        raise ValidationError({"note": _("Zeg kort welk belang je hebt.")})
    declaration = model_update(
        Declaration(initiative=initiative, assessor_id=user.pk),
        user,
        has_conflict=has_conflict,
        note=note.strip()[:300],
    )
    events.initiative_event(
        events.Kind.DECLARED, obj=initiative, actor=user, new={"conflict": has_conflict}
    )
    return declaration


@transaction.atomic
def score(*, initiative: Initiative, user, scores: dict[int, tuple[int, str]]) -> list[Score]:
    """Scores (1-5) with a reason per criterion of the round, by an assessor without conflict."""
    require_role(user, *ASSESSORS, message=_("Alleen leden van de groep beoordelen aanvragen."))
    initiative = _lock(initiative)
    if initiative.status not in OPEN:
        raise ValidationError(_("Over deze aanvraag is al besloten."))
    declaration = Declaration.objects.filter(initiative=initiative, assessor_id=user.pk).first()
    if declaration is None:
        raise ValidationError(_("Verklaar eerst of je een eigen belang hebt."))
    if declaration.has_conflict:
        raise ValidationError(
            _("Je hebt een eigen belang verklaard en beoordeelt deze aanvraag daarom niet.")
        )
    criteria = list(Criterion.objects.filter(round=initiative.round_id))
    errors = {}
    for criterion in criteria:
        value, reason = scores.get(criterion.pk, (None, ""))
        if value is None or not 1 <= int(value) <= 5:
            errors[f"score_{criterion.pk}"] = _("Geef een score van 1 tot en met 5.")
        elif not (reason or "").strip():
            errors[f"reason_{criterion.pk}"] = _("Geef een korte reden.")
    if errors:
        raise ValidationError(errors)
    rows = []
    for criterion in criteria:
        value, reason = scores[criterion.pk]
        existing = Score.objects.filter(
            initiative=initiative, criterion=criterion, assessor_id=user.pk
        ).first()
        rows.append(
            model_update(
                existing or Score(initiative=initiative, criterion=criterion, assessor_id=user.pk),
                user,
                score=int(value),
                reason=reason.strip()[:300],
            )
        )
    events.initiative_event(
        events.Kind.SCORED, obj=initiative, actor=user, new={"scores": [r.score for r in rows]}
    )
    return rows


@dataclass(frozen=True)
class AssessmentSummary:
    per_criterion: list[tuple[Criterion, Decimal | None, int]]  # criterion, average, count
    assessors: int
    excluded: list[tuple[str, str]]  # name, note of who declared a conflict


def summary(initiative: Initiative) -> AssessmentSummary:
    criteria = list(Criterion.objects.filter(round=initiative.round_id))
    scores = list(Score.objects.filter(initiative=initiative))
    per = []
    for criterion in criteria:
        values = [s.score for s in scores if s.criterion_id == criterion.pk]
        average = (Decimal(sum(values)) / len(values)).quantize(Decimal("0.1")) if values else None
        per.append((criterion, average, len(values)))
    excluded = [
        (_name(d.assessor_id), d.note)
        for d in Declaration.objects.filter(initiative=initiative, has_conflict=True)
    ]
    return AssessmentSummary(per, len({s.assessor_id for s in scores}), excluded)


def _name(user_id: int) -> str:
    user = user_get(user_id)
    return (user.get_full_name() or user.get_username()) if user else str(user_id)


def round_awarded(round_: Round) -> Decimal:
    total = round_.initiatives.filter(
        status__in=[
            Initiative.Status.APPROVED,
            Initiative.Status.PARTLY,
            Initiative.Status.ACCOUNTED,
            Initiative.Status.CLOSED,
        ]
    ).aggregate(total=Sum("awarded_amount"))["total"]
    return total or Decimal("0.00")


@transaction.atomic
def decide(
    *,
    initiative: Initiative,
    user,
    outcome: str,
    reason: str,
    meeting_id: int,
    votes_for: int,
    votes_against: int,
    votes_abstain: int = 0,
    amount: Decimal | None = None,
    notify: bool = True,
) -> groups.DecisionRef:
    """The board records the outcome as a numbered decision of the group.

    An invalid decision (no quorum, no majority) is still numbered, for the minutes, but
    leaves the initiative undecided.
    """
    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur legt een besluit vast."))
    initiative = _lock(initiative)
    round_ = Round.objects.select_for_update().get(pk=initiative.round_id)
    if initiative.status not in OPEN:
        raise ValidationError(_("Over deze aanvraag is al besloten."))
    if outcome not in dict(Outcome.CHOICES):
        raise ValidationError({"outcome": _("Kies een uitkomst.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Geef de redenen van het besluit; die zijn openbaar.")})
    if outcome == Outcome.APPROVED:
        amount = initiative.requested_amount
    elif outcome == Outcome.PARTLY:
        amount = positive_money(amount, field="amount") if amount is not None else None
        if amount is None or amount >= initiative.requested_amount:
            raise ValidationError(
                {"amount": _("Deels goedgekeurd: geef een bedrag lager dan het gevraagde.")}
            )
    else:
        amount = None
    if amount is not None:
        left = round_.budget - round_awarded(round_)
        if amount > left:
            raise ValidationError(
                {"amount": _("In deze ronde is nog %(left)s over.") % {"left": format_euro(left)}}
            )
    summary_ = summary(initiative)
    conflict_note = "; ".join(f"{name}: {note}" for name, note in summary_.excluded)
    label = str(dict(Outcome.CHOICES)[outcome])
    decision = groups.decision_record(
        meeting_id=meeting_id,
        title=_("Initiatief %(ref)s %(title)s: %(outcome)s")
        % {"ref": initiative.reference, "title": initiative.title, "outcome": label},
        text=reason.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
        amount=amount,
        budget_line_id=round_.budget_line_id if amount is not None else None,
        conflict_note=conflict_note,
        by_user_id=user.pk,
    )
    if not decision.is_valid:
        return decision
    commitment_id = None
    if amount is not None:
        commitment_id = finance.initiative_award_commit(
            user=user,
            budget_line_id=round_.budget_line_id,
            amount=amount,
            description=_("Initiatief %(ref)s %(title)s")
            % {"ref": initiative.reference, "title": initiative.title},
            approved_on=decision.decided_on,
        )
    old = {"status": initiative.status}
    model_update(
        initiative,
        user,
        status=outcome,
        awarded_amount=amount,
        outcome_reason=reason.strip(),
        decision_id=decision.id,
        decision_reference=decision.reference,
        commitment_id=commitment_id,
    )
    events.initiative_event(
        events.Kind.DECIDED,
        obj=initiative,
        actor=user,
        old=old,
        new={
            "status": outcome,
            "amount": str(amount) if amount else None,
            "decision": decision.reference,
        },
    )
    if notify:
        _mail_outcome(initiative, label)
    return decision


def _mail_outcome(initiative: Initiative, label: str) -> None:
    subject = _("Besluit over je aanvraag %(ref)s: %(outcome)s") % {
        "ref": initiative.reference,
        "outcome": label,
    }
    lines = [
        _("Beste %(name)s,") % {"name": initiative.initiator_name},
        "",
        _('De groep heeft over je aanvraag "%(title)s" besloten: %(outcome)s.')
        % {"title": initiative.title, "outcome": label},
    ]
    if initiative.awarded_amount:
        lines.append(
            _("Je krijgt %(amount)s.") % {"amount": format_euro(initiative.awarded_amount)}
        )
    lines += [
        "",
        _("Waarom:"),
        initiative.outcome_reason,
        "",
        _("Met je persoonlijke link zie je alles terug en leg je later verantwoording af."),
    ]
    body = "\n".join(lines)
    to = initiative.initiator_email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))
