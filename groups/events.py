"""The group's business events, one writer per event."""

from groups.decisions.models import Decision
from groups.organisation.models import GroupEvent


def _event(*, kind: str, user_id: int | None, summary: str, decision: Decision | None = None):
    return GroupEvent.objects.create(
        kind=kind, user_id=user_id, summary=summary[:300], decision=decision
    )
