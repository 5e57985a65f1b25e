"""Links between bank lines and the books, one writer each, written with the change."""

from __future__ import annotations

from backoffice.core.events import record
from finance.bank.models import BankLine, MatchEvent

Kind = MatchEvent.Kind


def lines_matched(*, links: list[tuple[BankLine, int, bool]], how: str, actor) -> list[MatchEvent]:
    """Many lines linked at once: (line, entry id, whether the link created the entry)."""
    events = [
        record(
            MatchEvent,
            kind=Kind.MATCHED,
            actor=actor,
            obj=line,
            bank_line=line,
            new={"entry": entry_id, "how": how, "created": created, "claim": line.claim_id},
            save=False,
        )
        for line, entry_id, created in links
    ]
    return MatchEvent.objects.bulk_create(events)


def match_undone(
    *, line: BankLine, actor, entry_id: int, claim_id: int | None, reversal_id: int | None, reason
) -> MatchEvent:
    return record(
        MatchEvent,
        kind=Kind.UNDONE,
        actor=actor,
        obj=line,
        bank_line=line,
        old={"entry": entry_id, "claim": claim_id},
        new={"reversal": reversal_id},
        note=reason,
    )
