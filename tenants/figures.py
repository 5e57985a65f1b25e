"""Per-group figures in the public schema, kept current on write.

A report over a thousand groups cannot visit a thousand schemas (docs/adr/0017): the facts
a report needs are written here, in the same transaction as the booking or the grant change
that makes them true, by the one writer of each fact:

- `GroupMonthFigure`: what the posted journal lines of one month add up to, per account and
  grant. Written by `finance.ledger.postings.figures_record` when entries are posted (an
  upsert that adds, so concurrent postings of one group never lose each other's amounts).
- `GroupGrantFigure`: a grant's awarded amount and its open commitments. Written by
  finance.grants' services under the grant's row lock.
- `GroupMonthCount`: how many things of one kind happened in a group in one month
  (initiatives submitted, approved and completed; vouchers used; ballots cast online and on
  paper; households that got a voucher or voting-code letter). Written by the initiatives'
  services (groups.initiatives.report_counts) with an upsert that adds, like the month
  figures, so concurrent writes never lose each other's counts.
- `GroupYearStatus`: per financial year whether the books are closed and how far the
  kascommissie got (started, signed once, discharged). Written by finance's closing services
  under the year's row lock.

`manage.py rebuild_group_figures` recomputes all four from the groups' own tables (the
counts and year statuses through `REPORT_COUNT_SOURCES` / `REPORT_YEAR_SOURCES` in the
settings, like the group facts); a test asserts the rebuilt rows equal the maintained ones.
Amounts and counts only: no names, descriptions or free text.
"""

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils.module_loading import import_string

WIDE_DIGITS = 18  # a month of many lines adds up beyond one line's NUMERIC(14,2)


class GroupMonthFigure(models.Model):
    """Posted debits and credits of one group, month, account and grant."""

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    account_code = models.CharField(max_length=10)
    account_kind = models.CharField(max_length=10)  # finance Account.Kind value
    rgs_code = models.CharField(max_length=30, blank=True)
    grant_id = models.BigIntegerField(null=True)  # the grant's id inside the group's schema
    debit = models.DecimalField(max_digits=WIDE_DIGITS, decimal_places=2, default=0)
    credit = models.DecimalField(max_digits=WIDE_DIGITS, decimal_places=2, default=0)
    lines = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "month", "account_code", "grant_id"],
                nulls_distinct=False,
                name="group_month_figure_once",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="group_month_figure_first_of_month"
            ),
        ]

    def __str__(self):
        return (
            f"{self.group_id} {self.month:%Y-%m} {self.account_code} D{self.debit} C{self.credit}"
        )


class GroupGrantFigure(models.Model):
    """A grant of one group: reference, funder, period, awarded and open commitments."""

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    grant_id = models.BigIntegerField()
    reference = models.CharField(max_length=60)
    funder = models.CharField(max_length=120)
    period_start = models.DateField()
    period_end = models.DateField()
    awarded = models.DecimalField(max_digits=14, decimal_places=2)
    committed = models.DecimalField(max_digits=WIDE_DIGITS, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "grant_id"], name="group_grant_figure_once"),
            models.CheckConstraint(
                condition=Q(awarded__gte=0, committed__gte=0), name="group_grant_figure_positive"
            ),
        ]

    def __str__(self):
        return f"{self.group_id} {self.reference}"


# What the initiatives count per month (GroupMonthCount.measure).
INITIATIVES_SUBMITTED = "initiatives_submitted"
INITIATIVES_APPROVED = "initiatives_approved"
INITIATIVES_COMPLETED = "initiatives_completed"
VOUCHERS_USED = "vouchers_used"
BALLOTS_ONLINE = "ballots_online"
BALLOTS_PAPER = "ballots_paper"
HOUSEHOLDS_REACHED = "households_reached"
COUNT_MEASURES = (
    INITIATIVES_SUBMITTED,
    INITIATIVES_APPROVED,
    INITIATIVES_COMPLETED,
    VOUCHERS_USED,
    BALLOTS_ONLINE,
    BALLOTS_PAPER,
    HOUSEHOLDS_REACHED,
)


class GroupMonthCount(models.Model):
    """How many times something happened in one group and month (no names, only a count)."""

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()  # the first day of the month
    measure = models.CharField(max_length=30, choices=[(m, m) for m in COUNT_MEASURES])
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "month", "measure"], name="group_month_count_once"
            ),
            models.CheckConstraint(
                condition=Q(month__day=1), name="group_month_count_first_of_month"
            ),
            models.CheckConstraint(condition=Q(count__gte=0), name="group_month_count_positive"),
        ]

    def __str__(self):
        return f"{self.group_id} {self.month:%Y-%m} {self.measure} {self.count}"


class GroupYearStatus(models.Model):
    """One financial year of a group: closed or not, and how far the kascommissie got."""

    class Audit(models.TextChoices):
        NOT_STARTED = "notStarted", "notStarted"
        IN_PROGRESS = "inProgress", "inProgress"
        SIGNED_ONCE = "signedOnce", "signedOnce"
        DISCHARGED = "discharged", "discharged"

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    year_end = models.DateField()
    closed = models.BooleanField(default=False)
    audit = models.CharField(max_length=12, choices=Audit.choices, default=Audit.NOT_STARTED)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="group_year_status_once"),
        ]

    def __str__(self):
        return f"{self.group_id} {self.year} {self.audit}"


@dataclass(frozen=True)
class CountDelta:
    """What a write adds to one month count (or, for the rebuild, the whole count)."""

    month: Date
    measure: str
    count: int


@dataclass(frozen=True)
class YearStatus:
    year: int
    year_end: Date
    closed: bool
    audit: str


@dataclass(frozen=True)
class MonthDelta:
    """What a set of posted lines adds to one month figure."""

    month: Date
    account_code: str
    account_kind: str
    rgs_code: str
    grant_id: int | None
    debit: Decimal
    credit: Decimal
    lines: int


@dataclass(frozen=True)
class GrantFacts:
    grant_id: int
    reference: str
    funder: str
    period_start: Date
    period_end: Date
    awarded: Decimal
    committed: Decimal


def _table(model) -> str:
    return f'"{settings.PUBLIC_SCHEMA_NAME}"."{model._meta.db_table}"'


def _arrays(deltas: list[MonthDelta]) -> list:
    return [
        [d.month for d in deltas],
        [d.account_code for d in deltas],
        [d.account_kind for d in deltas],
        [d.rgs_code for d in deltas],
        [d.grant_id for d in deltas],
        [d.debit for d in deltas],
        [d.credit for d in deltas],
        [d.lines for d in deltas],
    ]


_UNNEST = (
    "unnest(%s::date[], %s::varchar[], %s::varchar[], %s::varchar[], %s::bigint[], "
    "%s::numeric[], %s::numeric[], %s::integer[]) "
    "AS v(month, account_code, account_kind, rgs_code, grant_id, debit, credit, lines)"
)


def month_figures_add(*, group_id: int, deltas: list[MonthDelta]) -> None:
    """Add posted amounts to the group's month figures (one statement, race-safe upsert)."""
    if not deltas:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(GroupMonthFigure)} AS f (group_id, month, account_code, "
            "account_kind, rgs_code, grant_id, debit, credit, lines) "
            f"SELECT %s, v.* FROM {_UNNEST} "
            "ON CONFLICT ON CONSTRAINT group_month_figure_once DO UPDATE SET "
            "debit = f.debit + EXCLUDED.debit, credit = f.credit + EXCLUDED.credit, "
            "lines = f.lines + EXCLUDED.lines, account_kind = EXCLUDED.account_kind, "
            "rgs_code = EXCLUDED.rgs_code",
            [group_id, *_arrays(deltas)],
        )


def grant_figure_set(*, group_id: int, facts: GrantFacts) -> None:
    """Store a grant's current facts (the caller holds the grant's row lock)."""
    GroupGrantFigure.objects.update_or_create(
        group_id=group_id,
        grant_id=facts.grant_id,
        defaults={
            "reference": facts.reference,
            "funder": facts.funder,
            "period_start": facts.period_start,
            "period_end": facts.period_end,
            "awarded": facts.awarded,
            "committed": facts.committed,
        },
    )


def _current_group_id() -> int | None:
    group = connection.tenant
    if getattr(group, "pk", None) is None or getattr(group, "is_template", False):
        return None  # the public schema or the template: no group to count for
    return group.pk


def month_counts_add(*, group_id: int, deltas: list[CountDelta]) -> None:
    """Add counts to the group's month counts (one statement, race-safe upsert)."""
    deltas = [d for d in deltas if d.count]
    unknown = {d.measure for d in deltas} - set(COUNT_MEASURES)
    if unknown:
        raise ValueError(f"Unknown count measures: {sorted(unknown)}")
    if not deltas:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table(GroupMonthCount)} AS c (group_id, month, measure, count) "
            "SELECT %s, date_trunc('month', v.day)::date, v.measure, sum(v.n) "
            "FROM unnest(%s::date[], %s::varchar[], %s::integer[]) AS v(day, measure, n) "
            "GROUP BY 2, 3 "
            "ON CONFLICT ON CONSTRAINT group_month_count_once DO UPDATE SET "
            "count = c.count + EXCLUDED.count",
            [
                group_id,
                [d.month for d in deltas],
                [d.measure for d in deltas],
                [d.count for d in deltas],
            ],
        )


def count_add(*, measure: str, on: Date, n: int = 1) -> None:
    """Count `n` of `measure` on day `on` for the group whose schema is active (called by the
    owning service inside its own transaction)."""
    group_id = _current_group_id()
    if group_id is not None:
        month_counts_add(group_id=group_id, deltas=[CountDelta(on, measure, n)])


def year_statuses_set(*, statuses: list[YearStatus]) -> None:
    """Make the active group's year statuses exactly `statuses` (the caller holds the lock of
    the year it changed)."""
    group_id = _current_group_id()
    if group_id is not None:
        _year_statuses_replace(group_id, statuses)


def _year_statuses_replace(group_id: int, statuses: list[YearStatus]) -> None:
    GroupYearStatus.objects.filter(group_id=group_id).exclude(
        year__in=[s.year for s in statuses]
    ).delete()
    for status in statuses:
        GroupYearStatus.objects.update_or_create(
            group_id=group_id,
            year=status.year,
            defaults={"year_end": status.year_end, "closed": status.closed, "audit": status.audit},
        )


def _call_sources(setting: str) -> list:
    out = []
    for path in getattr(settings, setting, []):
        out.extend(import_string(path)())
    return out


def counts_compute(group) -> tuple[list[CountDelta], list[YearStatus]]:
    """The group's month counts and year statuses recomputed from its own tables, by the
    owning apps' functions named in the settings (REPORT_COUNT_SOURCES, REPORT_YEAR_SOURCES)."""
    from django_tenants.utils import tenant_context

    with tenant_context(group):
        counts = _call_sources("REPORT_COUNT_SOURCES")
        years = _call_sources("REPORT_YEAR_SOURCES")
    totals: dict[tuple[Date, str], int] = {}
    for delta in counts:
        key = (delta.month.replace(day=1), delta.measure)
        totals[key] = totals.get(key, 0) + delta.count
    merged = [CountDelta(m, measure, n) for (m, measure), n in sorted(totals.items()) if n]
    return merged, sorted(years, key=lambda s: s.year)


def counts_stored(group_id: int) -> tuple[list[CountDelta], list[YearStatus]]:
    counts = [
        CountDelta(month, measure, count)
        for month, measure, count in GroupMonthCount.objects.filter(group_id=group_id)
        .exclude(count=0)
        .order_by("month", "measure")
        .values_list("month", "measure", "count")
    ]
    years = [
        YearStatus(year, end, closed, audit)
        for year, end, closed, audit in GroupYearStatus.objects.filter(group_id=group_id)
        .order_by("year")
        .values_list("year", "year_end", "closed", "audit")
    ]
    return counts, years


@transaction.atomic
def counts_replace(*, group_id: int, counts: list[CountDelta], years: list[YearStatus]) -> None:
    """Replace all of a group's counts and year statuses with recomputed ones (the rebuild)."""
    GroupMonthCount.objects.filter(group_id=group_id).delete()
    month_counts_add(group_id=group_id, deltas=counts)
    _year_statuses_replace(group_id, years)


@transaction.atomic
def figures_replace(*, group_id: int, months: list[MonthDelta], grants: list[GrantFacts]) -> None:
    """Replace all of a group's figures with recomputed ones (the rebuild command)."""
    GroupMonthFigure.objects.filter(group_id=group_id).delete()
    GroupGrantFigure.objects.filter(group_id=group_id).delete()
    month_figures_add(group_id=group_id, deltas=months)
    for facts in grants:
        grant_figure_set(group_id=group_id, facts=facts)
