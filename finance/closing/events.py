"""Events of a financial year, one writer each, written in the transaction of the change."""

from backoffice.core.events import record
from finance.closing.models import PeriodEvent
from finance.ledger.models import FinancialYear

Kind = PeriodEvent.Kind


def _year_event(kind: str, year: FinancialYear, actor, note: str = "", **values) -> PeriodEvent:
    return record(PeriodEvent, kind=kind, actor=actor, obj=year, year=year, note=note, **values)


def year_closed(*, year: FinancialYear, actor, note: str = "", anchor=None) -> PeriodEvent:
    return _year_event(
        Kind.CLOSED,
        year,
        actor,
        note,
        old={"status": "open"},
        new={"status": "gesloten"},
        anchor=anchor,
    )


def reopen_requested(*, year: FinancialYear, actor, reason: str) -> PeriodEvent:
    return _year_event(Kind.REOPEN_REQUESTED, year, actor, reason)


def reopen_approved(*, year: FinancialYear, actor) -> PeriodEvent:
    return _year_event(Kind.REOPEN_APPROVED, year, actor)


def year_reopened(*, year: FinancialYear, actor, reason: str) -> PeriodEvent:
    return _year_event(
        Kind.REOPENED, year, actor, reason, old={"status": "gesloten"}, new={"status": "open"}
    )


def decharge_granted(*, year: FinancialYear, actor, findings: str) -> PeriodEvent:
    return _year_event(Kind.DECHARGE, year, actor, findings)
