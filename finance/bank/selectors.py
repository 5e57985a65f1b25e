"""Reads on the bank: accounts, statements, lines and import jobs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from finance.bank.models import BankAccount, BankLine, ImportJob, MatchEvent, Statement


def bank_accounts() -> QuerySet[BankAccount]:
    return BankAccount.objects.select_related("ledger_account").annotate(
        open_count=Count("lines", filter=Q(lines__reconciled_at__isnull=True))
    )


def statements() -> QuerySet[Statement]:
    return Statement.objects.select_related("bank_account").order_by("-imported_at", "-id")


def statement_get(*, pk: int) -> Statement:
    return statements().get(pk=pk)


def import_job_get(*, pk: int) -> ImportJob:
    return ImportJob.objects.get(pk=pk)


def bank_lines(*, open_only: bool = True) -> QuerySet[BankLine]:
    qs = BankLine.objects.select_related("bank_account", "entry", "entry__year", "claim")
    if open_only:
        return qs.filter(reconciled_at__isnull=True).order_by("booking_date", "id")
    return qs.order_by("-booking_date", "-id")


def with_age(lines, *, today: dt.date | None = None):
    today = today or timezone.localdate()
    for line in lines:
        line.age_days = (today - line.booking_date).days
    return lines


def bank_line_get(*, pk: int) -> BankLine:
    return BankLine.objects.select_related(
        "bank_account__ledger_account", "statement", "entry", "entry__year", "claim"
    ).get(pk=pk)


def unreconciled_summary(*, limit: int = 5) -> dict:
    """For the treasurer's dashboard: how many lines wait, the oldest few with their age."""
    qs = BankLine.objects.filter(reconciled_at__isnull=True)
    oldest = with_age(list(qs.order_by("booking_date", "id")[:limit]))
    return {"count": qs[:1000].count() if oldest else 0, "oldest": oldest}


def match_events(*, line: BankLine) -> list:
    """The links of a line with the books and their undoing, oldest first, with who and which
    booking, in three queries."""
    from django.contrib.auth import get_user_model

    from finance.ledger.models import JournalEntry

    events = list(line.match_events.order_by("at", "id"))
    users = get_user_model().objects.in_bulk({e.actor_id for e in events if e.actor_id})
    entry_ids = set()
    for event in events:
        for values in (event.old or {}, event.new or {}):
            entry_ids.update(v for k, v in values.items() if k in {"entry", "reversal"} and v)
    entries = JournalEntry.objects.select_related("year").in_bulk(entry_ids) if entry_ids else {}
    for event in events:
        event.by = users.get(event.actor_id)
        values = event.new if event.kind == MatchEvent.Kind.MATCHED else event.old
        event.entry = entries.get((values or {}).get("entry"))
        event.reversal = entries.get((event.new or {}).get("reversal"))
        event.how = (event.new or {}).get("how", "")
    return events
