"""Reads on closing: year events, reopen requests, the kascommissie's check."""

from django.db.models import QuerySet

from finance.closing.models import AuditCheck, PeriodEvent, ReopenRequest
from finance.ledger.models import FinancialYear


def year_events(*, year: FinancialYear) -> QuerySet[PeriodEvent]:
    return year.events.order_by("at", "id")


def reopen_request_open(*, year: FinancialYear) -> ReopenRequest | None:
    return year.reopen_requests.filter(completed_at__isnull=True).first()


def audit_for_year(*, year: FinancialYear) -> AuditCheck | None:
    return AuditCheck.objects.filter(year=year).first()
