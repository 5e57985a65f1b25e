"""What the initiatives add to the reports' month counts in the public schema.

The municipality's report counts, per group and month, the initiatives submitted, approved
(fully or partly) and completed, the vouchers used, the ballots cast online and on paper,
and the households that got a voucher or a voting-code letter (tenants/figures.py). Each of
those is a business event of initiatives, so the one writer of those events
(`events.initiative_event`) hands every event to `on_event` in the same transaction; voting
codes have no event of their own and are counted by `codes_issued`. `compute` recomputes the
same counts from the events and the voting codes, for `manage.py rebuild_group_figures`, so a
rebuilt count equals a maintained one. Counts only: nothing here names a person.
"""

from collections.abc import Iterable

from django.utils import timezone

from groups.initiatives.models import InitiativeEvent, VotingCode
from tenants import facade as tenants

Kind = InitiativeEvent.Kind
APPROVED = {"goedgekeurd", "deels"}
COUNTED = (
    Kind.SUBMITTED,
    Kind.DECIDED,
    Kind.CLOSED,
    Kind.VOUCHER_REDEEMED,
    Kind.BALLOT_COUNTED,
    Kind.VOUCHERS_ISSUED,
)


def _measure(kind: str, new: dict | None) -> tuple[str | None, int]:
    new = new or {}
    if kind == Kind.SUBMITTED:
        return tenants.INITIATIVES_SUBMITTED, 1
    if kind == Kind.DECIDED:
        return (tenants.INITIATIVES_APPROVED, 1) if new.get("status") in APPROVED else (None, 0)
    if kind == Kind.CLOSED:
        return tenants.INITIATIVES_COMPLETED, 1
    if kind == Kind.VOUCHER_REDEEMED:
        return tenants.VOUCHERS_USED, 1
    if kind == Kind.BALLOT_COUNTED:
        paper = new.get("channel") == VotingCode.Channel.PAPER
        return (tenants.BALLOTS_PAPER if paper else tenants.BALLOTS_ONLINE), 1
    if kind == Kind.VOUCHERS_ISSUED:
        return tenants.HOUSEHOLDS_REACHED, int(new.get("count") or 0)
    return None, 0


def on_event(event: InitiativeEvent) -> None:
    """Count an event that was just written (inside its transaction)."""
    measure, n = _measure(event.kind, event.new)
    if measure is not None and n:
        tenants.count_add(measure=measure, on=timezone.localdate(event.at), n=n)


def codes_issued(codes: Iterable[VotingCode]) -> None:
    """Count the households that just got a voting code (one per household and round)."""
    for day, n in _per_day(code.issued_at for code in codes).items():
        tenants.count_add(measure=tenants.HOUSEHOLDS_REACHED, on=day, n=n)


def _per_day(moments) -> dict:
    days: dict = {}
    for moment in moments:
        day = timezone.localdate(moment)
        days[day] = days.get(day, 0) + 1
    return days


def compute() -> list:
    """Every count of the current group, recomputed from its events and voting codes."""
    deltas = []
    events = InitiativeEvent.objects.filter(kind__in=COUNTED).values_list("kind", "at", "new")
    for kind, at, new in events.iterator(chunk_size=2000):
        measure, n = _measure(kind, new)
        if measure is not None and n:
            deltas.append(tenants.CountDelta(timezone.localdate(at), measure, n))
    issued = VotingCode.objects.values_list("issued_at", flat=True).iterator(chunk_size=2000)
    for day, n in _per_day(issued).items():
        deltas.append(tenants.CountDelta(day, tenants.HOUSEHOLDS_REACHED, n))
    return deltas
