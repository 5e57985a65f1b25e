"""Reads for the pages of initiatives. Public reads never select personal data."""

from django.db.models import QuerySet

from groups.initiatives.models import Initiative, Round
from groups.initiatives.protection import token_hash

# What the public board may show of an initiative: no name, no contact of the initiator.
PUBLIC_FIELDS = (
    "id",
    "round_id",
    "title",
    "summary",
    "requested_amount",
    "awarded_amount",
    "status",
    "outcome_reason",
    "decision_reference",
    "submitted_at",
)


def rounds() -> QuerySet[Round]:
    return Round.objects.all()


def rounds_open(today) -> QuerySet[Round]:
    return Round.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on")


BOARD_PAGE = 100


def board_public(*, page: int = 1, round_id: int | None = None) -> tuple[list[Initiative], bool]:
    """One page of the public board, newest first, and whether there is a next page."""
    qs = Initiative.objects.only(*PUBLIC_FIELDS).order_by("-submitted_at", "-id")
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    start = (max(page, 1) - 1) * BOARD_PAGE
    rows = list(qs[start : start + BOARD_PAGE + 1])
    return rows[:BOARD_PAGE], len(rows) > BOARD_PAGE


def initiative_public(pk: int) -> Initiative | None:
    return Initiative.objects.only(*PUBLIC_FIELDS).filter(pk=pk).first()


def initiative_by_token(token: str) -> Initiative | None:
    if not token or len(token) > 100:
        return None
    return Initiative.objects.select_related("round").filter(token_hash=token_hash(token)).first()


def initiative_get(pk: int) -> Initiative | None:
    return Initiative.objects.select_related("round").filter(pk=pk).first()
