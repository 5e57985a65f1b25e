"""Per-group figures in the public schema, kept current on write.

A report over a thousand groups cannot visit a thousand schemas (docs/adr/0017): the facts
a report needs are written here, in the same transaction as the booking or the grant change
that makes them true, by the one writer of each fact:

- `GroupMonthFigure`: what the posted journal lines of one month add up to, per account and
  grant. Written by `finance.ledger.postings.figures_record` when entries are posted (an
  upsert that adds, so concurrent postings of one group never lose each other's amounts).
- `GroupGrantFigure`: a grant's awarded amount and its open commitments. Written by
  finance.grants' services under the grant's row lock.

`manage.py rebuild_group_figures` recomputes both from the groups' books; a test asserts the
rebuilt rows equal the maintained ones. Amounts only: no names, descriptions or free text.
"""

from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Q

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


@transaction.atomic
def figures_replace(*, group_id: int, months: list[MonthDelta], grants: list[GrantFacts]) -> None:
    """Replace all of a group's figures with recomputed ones (the rebuild command)."""
    GroupMonthFigure.objects.filter(group_id=group_id).delete()
    GroupGrantFigure.objects.filter(group_id=group_id).delete()
    month_figures_add(group_id=group_id, deltas=months)
    for facts in grants:
        grant_figure_set(group_id=group_id, facts=facts)
