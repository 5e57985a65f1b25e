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


def board_public(*, round_id: int | None = None, limit: int = 200) -> list[Initiative]:
    qs = Initiative.objects.only(*PUBLIC_FIELDS).select_related(None).order_by("-submitted_at")
    if round_id is not None:
        qs = qs.filter(round_id=round_id)
    return list(qs[:limit])


def initiative_public(pk: int) -> Initiative | None:
    return Initiative.objects.only(*PUBLIC_FIELDS).filter(pk=pk).first()


def initiative_by_token(token: str) -> Initiative | None:
    if not token or len(token) > 100:
        return None
    return Initiative.objects.select_related("round").filter(token_hash=token_hash(token)).first()


def initiative_get(pk: int) -> Initiative | None:
    return Initiative.objects.select_related("round").filter(pk=pk).first()
