"""One writer per business event of initiatives (the shape of backoffice.core.events)."""

from backoffice.core.events import record
from groups.initiatives import report_counts
from groups.initiatives.models import InitiativeEvent

Kind = InitiativeEvent.Kind


def initiative_event(kind: str, *, obj, actor=None, old=None, new=None, note="") -> InitiativeEvent:
    """Events never carry personal data: amounts, statuses and references only."""
    event = record(InitiativeEvent, kind=kind, actor=actor, obj=obj, old=old, new=new, note=note)
    report_counts.on_event(event)  # the municipality's month counts (tenants/figures.py)
    return event
