"""A closed initiative shared as a lesson in the learning space (issue 10, point 4).

The figures come from the group's own books at the moment the board shares: what was
awarded, what the bookings of its payouts spent per cost category (net of returns), and the
volunteers and participants the initiator reported. The learning space freezes them into a
card (knowledge.facade.lesson_card_share), so later changes in the books do not change it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from backoffice.core.money import ZERO
from finance import facade as finance
from groups.initiatives.models import Initiative
from knowledge import facade as knowledge
from tenants.facade import current_group

ZERO_PEOPLE = 0


def lesson_figures(initiative: Initiative) -> knowledge.LessonFigures:
    """What the books say this initiative cost and reached, now."""
    entry_ids = [p.entry_id for p in initiative.payouts.all() if p.entry_id]
    return knowledge.LessonFigures(
        awarded=initiative.awarded_amount or ZERO,
        spent_by_category=finance.spending_by_category(entry_ids),
        volunteers=initiative.volunteers or ZERO_PEOPLE,
        participants=initiative.participants or ZERO_PEOPLE,
    )


def lesson_share(
    *,
    initiative: Initiative,
    user,
    title: str,
    evaluation: str,
    themes: list[str],
    anonymous: bool,
):
    """Share a closed initiative as a lesson card, with the board member's consent."""
    if initiative.status != Initiative.Status.CLOSED:
        raise ValidationError(_("Alleen een afgerond initiatief kan als les gedeeld worden."))
    return knowledge.lesson_card_share(
        group=current_group(),
        source_id=initiative.pk,
        title=title,
        evaluation=evaluation,
        themes=themes,
        figures=lesson_figures(initiative),
        consented_by=user,
        anonymous=anonymous,
    )


def lessons_of(initiative: Initiative):
    return knowledge.cards_of_source(group=current_group(), source_id=initiative.pk)


def lesson_withdraw(*, initiative: Initiative, card_id: int, user, reason: str):
    if not lessons_of(initiative).filter(pk=card_id).exists():
        raise ValidationError(_("Deze les hoort niet bij dit initiatief."))
    return knowledge.lesson_card_withdraw(
        card_id=card_id, group=current_group(), user=user, reason=reason
    )
