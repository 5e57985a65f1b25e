"""Lessons from real initiatives: sharing, reading and withdrawing lesson cards.

A group's board shares a closed initiative as a card: the figures come from the group's own
books at that moment (the caller passes them; this module only checks and freezes them) and
the evaluation is the group's own text. Only a board member of that group may share or
withdraw, and sharing twice is refused while a card is live.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.money import CENT
from tenants import facade as tenants

from .audience import Viewer
from .models import LessonCard, Theme
from .rendering import check_length, clean_text, render_markdown

EVALUATION_LIMIT = 5_000


@dataclass(frozen=True)
class LessonFigures:
    """What an initiative cost and reached, as the group's books say at sharing time."""

    awarded: Decimal
    spent_by_category: tuple[tuple[str, Decimal], ...]
    volunteers: int
    participants: int

    @property
    def spent(self) -> Decimal:
        return sum((amount for _, amount in self.spent_by_category), Decimal("0.00"))

    def as_json(self) -> dict:
        return {
            "currency": "EUR",
            "awarded": str(self.awarded),
            "spent": str(self.spent),
            "spent_by_category": [[name, str(amount)] for name, amount in self.spent_by_category],
            "volunteers": self.volunteers,
            "participants": self.participants,
        }


def _checked(figures: LessonFigures) -> LessonFigures:
    amounts = [figures.awarded, *(amount for _, amount in figures.spent_by_category)]
    for amount in amounts:
        if not isinstance(amount, Decimal) or amount != amount.quantize(CENT) or amount < 0:
            raise ValidationError(
                {"figures": _("Bedragen in een les zijn hele centen en niet negatief.")}
            )
    if figures.volunteers < 0 or figures.participants < 0:
        raise ValidationError({"figures": _("Aantallen mensen zijn niet negatief.")})
    return figures


def _require_board(*, user, group) -> None:
    access = tenants.group_access(user=user, group=group)
    if not access.has_any(*tenants.BOARD_ROLES):
        raise PermissionDenied(_("Alleen het bestuur van de groep kan een les delen of intrekken."))


@transaction.atomic
def lesson_card_share(
    *,
    group,
    source_id: int,
    title: str,
    evaluation: str,
    themes: list[str],
    figures: LessonFigures,
    consented_by,
    anonymous: bool = False,
) -> LessonCard:
    """Freeze `figures` and the evaluation into a card, with the board member's consent."""
    _require_board(user=consented_by, group=group)
    _checked(figures)
    evaluation = clean_text(evaluation or "").strip()
    errors = {}
    if not evaluation:
        errors["evaluation"] = [_("Schrijf kort op wat werkte en wat niet.")]
    else:
        try:
            check_length(evaluation, field="evaluation", limit=EVALUATION_LIMIT)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    unknown = set(themes) - set(Theme.values)
    if not themes or unknown:
        errors["themes"] = [_("Kies minstens één thema uit de lijst.")]
    live = LessonCard.objects.select_for_update().filter(
        group=group, source_kind="initiatief", source_id=source_id, withdrawn_at__isnull=True
    )
    if live.exists():
        errors["__all__"] = [_("Dit initiatief is al gedeeld. Trek die les eerst in.")]
    if errors:
        raise ValidationError(errors)
    card = LessonCard(
        group=group,
        anonymous=bool(anonymous),
        source_id=source_id,
        title=clean_text(title)[:200],
        evaluation=evaluation,
        evaluation_html=render_markdown(evaluation),
        themes=list(themes),
        figures=figures.as_json(),
        consented_by=consented_by,
    )
    card._change_reason = _("gedeeld met toestemming van het bestuur")
    card.full_clean()
    card.save()
    return card


@transaction.atomic
def lesson_card_withdraw(*, card_id: int, group, user, reason: str = "") -> LessonCard:
    """Take a card out of the learning space; who, when and why stay in its history."""
    _require_board(user=user, group=group)
    card = LessonCard.objects.select_for_update().filter(pk=card_id, group=group).first()
    if card is None:
        raise ValidationError(_("Deze les bestaat niet (meer)."))
    if card.is_withdrawn:
        return card
    card.withdrawn_at = timezone.now()
    card.withdrawn_by = user
    card.withdrawal_reason = clean_text(reason or "")[:500]
    card._change_reason = _("ingetrokken")
    card.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    return card


# --- Reading -------------------------------------------------------------------------------


def cards_visible(*, viewer: Viewer):
    """Live cards for the groups and the support organisation (officials do not see them)."""
    if not viewer.may_exchange:
        return LessonCard.objects.none()
    return LessonCard.objects.filter(withdrawn_at__isnull=True).select_related("group")


def card_get(*, viewer: Viewer, pk: int) -> LessonCard | None:
    return cards_visible(viewer=viewer).filter(pk=pk).first()


def cards_of_source(*, group, source_id: int):
    """Every card (live and withdrawn) shared of one initiative, newest first."""
    return LessonCard.objects.filter(group=group, source_kind="initiatief", source_id=source_id)


def shown_group(card: LessonCard, *, viewer: Viewer) -> str:
    """The group's name, unless it shared without it and the reader is not its own or staff."""
    if not card.anonymous or viewer.is_moderator or card.group_id in viewer.group_ids:
        return card.group.name
    return _("een bewonersgroep")
