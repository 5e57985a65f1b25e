"""The state of each financial year as the municipality's report shows it.

Per year: whether the books are closed, and how far the kascommissie got (notStarted,
inProgress once its check is opened, signedOnce, discharged when two members signed). The
closing services call `record()` in the transaction that changes either, so the row in the
public schema (tenants/figures.py, GroupYearStatus) changes with the write or not at all;
`year_statuses()` is also what `manage.py rebuild_group_figures` recomputes it from. Only
years with something to say are kept: an open year whose check has not started has no row.
"""

from django.db.models import Count, Exists, OuterRef

from finance.closing.models import AuditCheck
from finance.ledger.models import FinancialYear
from tenants import facade as tenants

Audit = tenants.GroupYearStatus.Audit


def year_statuses() -> list:
    years = FinancialYear.objects.annotate(
        signed=Count("audit__signoffs__user_id", distinct=True),
        audit_started=Exists(AuditCheck.objects.filter(year=OuterRef("pk"))),
    ).order_by("year")
    out = []
    for year in years:
        if year.signed >= 2:
            audit = Audit.DISCHARGED
        elif year.signed == 1:
            audit = Audit.SIGNED_ONCE
        elif year.audit_started:
            audit = Audit.IN_PROGRESS
        else:
            audit = Audit.NOT_STARTED
        if year.is_closed or audit != Audit.NOT_STARTED:
            out.append(tenants.YearStatus(year.year, year.end, year.is_closed, str(audit)))
    return out


def record() -> None:
    """Store the current group's year statuses (inside the closing service's transaction)."""
    tenants.year_statuses_set(statuses=year_statuses())
