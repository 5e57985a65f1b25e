"""The content of a district's report over a period, from the per-group figures.

Everything is read from the public schema (tenants/figures.py, kept current on write), so a
report over a thousand groups is a few queries, not a thousand schema switches. pandas does
the aggregation on `object` columns holding `Decimal`: money is exact to the cent and never a
float (`canonical.money_text` refuses anything else).

Money per group (all amounts in euro, text with two decimals):
- awarded: grants whose period overlaps the report period;
- received: grant income booked in the period (credits minus debits on income accounts,
  earmarked to a grant);
- spent: spending booked in the period (debits minus credits on expense accounts), also per
  category by RGS code;
- committed: open commitments of those grants when the report is made;
- unspent: received minus spent on those grants, up to the period's end;
- toReturn: the unspent part of grants whose period has ended by the period's end.

Counts per group (from tenants/figures.py's month counts, kept by the initiatives' services):
- initiatives submitted, approved (fully or partly) and completed in the period (counts of
  applications, not of people: never suppressed);
- counts of people (suppressed below 5, see suppression.py): board members and active
  volunteers (anyone holding a role in the group, now), households reached (households that
  got a voucher or voting-code letter in the period; a household in two rounds counts
  twice), vouchers used, and consultation ballots online, on paper and in all.

Status per group:
- auditCommittee: for the last financial year that ended on or before the period's end
  (2025 for 2026-Q3; 2026 for 2026 and 2026-Q4), whether its books are closed and how far
  the kascommissie got (notStarted, inProgress, signedOnce, discharged);
- books: the head of the group's keyed hash chain when the report was made (the sequence
  number and HMAC of the last posted entry, docs/adr/0010), so the group and its auditors can
  match the report to the books (`manage.py verify_ledger` prints the same head);
- accountability: of the grants that overlap the period, "notDue" when none has ended by the
  period's end, "accounted" when every ended one lies in a discharged year, else "due".
"""

import datetime
from dataclasses import dataclass
from datetime import date as Date
from decimal import Decimal

import pandas as pd
from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from backoffice.reporting import providers
from backoffice.reporting.canonical import money_text
from backoffice.reporting.suppression import THRESHOLD, suppress_cells
from tenants import facade as tenants

ZERO = Decimal("0.00")
FORMAT = "buurtkas-rapportage/2"
MONEY_KEYS = ("awarded", "received", "spent", "committed", "unspent", "toReturn")
# Counts of people, each suppressed below THRESHOLD (with the cells that would give one away).
COUNT_KEYS = (
    "boardMembers",
    "activeVolunteers",
    "householdsReached",
    "vouchersUsed",
    "consultationBallotsOnline",
    "consultationBallotsPaper",
    "consultationBallots",
)
BALLOTS_SUM = ("consultationBallots", ("consultationBallotsOnline", "consultationBallotsPaper"))
# Counts of applications (not people): never suppressed.
INITIATIVE_KEYS = ("submitted", "approved", "completed")
MEASURE_OF = {
    "submitted": tenants.INITIATIVES_SUBMITTED,
    "approved": tenants.INITIATIVES_APPROVED,
    "completed": tenants.INITIATIVES_COMPLETED,
    "householdsReached": tenants.HOUSEHOLDS_REACHED,
    "vouchersUsed": tenants.VOUCHERS_USED,
    "consultationBallotsOnline": tenants.BALLOTS_ONLINE,
    "consultationBallotsPaper": tenants.BALLOTS_PAPER,
}
INCOME, EXPENSE = "baten", "lasten"


@dataclass(frozen=True)
class GroupRef:
    id: int
    slug: str
    name: str


def rfc3339(moment: datetime.datetime) -> str:
    """UTC, whole seconds, with a Z: 2026-10-01T03:00:00Z."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _frame(rows, columns) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for column in ("net_period", "net_until_end", "awarded", "committed"):
        if column in frame:
            frame[column] = frame[column].astype(object)
    return frame


def _sum(series) -> Decimal:
    total = sum(series, ZERO)
    if not isinstance(total, Decimal):
        raise TypeError("Een som van geldbedragen is geen Decimal geworden.")
    return total


def group_money(
    group_ids: list[int], start: Date, end: Date
) -> tuple[dict[int, dict[str, Decimal]], dict[int, dict[tuple[str, str], Decimal]]]:
    """Money per group, and spending per (RGS code, account code) per group.

    PostgreSQL adds the month rows up per group, account and grant first (in the period, and
    up to its end), so pandas works on a few rows per group, not on every month.
    """
    net = F("debit") - F("credit")
    zero = Value(ZERO, output_field=DecimalField(max_digits=20, decimal_places=2))
    months = _frame(
        tenants.GroupMonthFigure.objects.filter(group_id__in=group_ids, month__lte=end)
        .values("group_id", "account_code", "account_kind", "rgs_code", "grant_id")
        .annotate(
            net_period=Coalesce(Sum(net, filter=Q(month__gte=start.replace(day=1))), zero),
            net_until_end=Coalesce(Sum(net), zero),
            lines_period=Coalesce(Sum("lines", filter=Q(month__gte=start.replace(day=1))), 0),
        )
        .order_by()
        .values_list(
            "group_id",
            "account_code",
            "account_kind",
            "rgs_code",
            "grant_id",
            "net_period",
            "net_until_end",
            "lines_period",
        ),
        [
            "group_id",
            "account_code",
            "account_kind",
            "rgs_code",
            "grant_id",
            "net_period",
            "net_until_end",
            "lines_period",
        ],
    )
    grants = _frame(
        tenants.GroupGrantFigure.objects.filter(
            group_id__in=group_ids, period_start__lte=end, period_end__gte=start
        ).values_list("group_id", "grant_id", "period_end", "awarded", "committed"),
        ["group_id", "grant_id", "period_end", "awarded", "committed"],
    )
    money = {gid: dict.fromkeys(MONEY_KEYS, ZERO) for gid in group_ids}
    categories: dict[int, dict[tuple[str, str], Decimal]] = {gid: {} for gid in group_ids}
    if not months.empty:
        months["grant_id"] = months["grant_id"].fillna(0).astype("int64")
        spending = months[(months["account_kind"] == EXPENSE) & (months["lines_period"] > 0)]
        for (gid, rgs, code), amount in (
            spending.groupby(["group_id", "rgs_code", "account_code"])["net_period"].sum().items()
        ):
            categories[gid][(rgs, code)] = _sum([amount])
        for gid, amount in spending.groupby("group_id")["net_period"].sum().items():
            money[gid]["spent"] = _sum([amount])
        received = months[(months["account_kind"] == INCOME) & (months["grant_id"] > 0)]
        for gid, amount in received.groupby("group_id")["net_period"].sum().items():
            money[gid]["received"] = -_sum([amount])
    if not grants.empty:
        for gid, amount in grants.groupby("group_id")["awarded"].sum().items():
            money[gid]["awarded"] = _sum([amount])
        for gid, amount in grants.groupby("group_id")["committed"].sum().items():
            money[gid]["committed"] = _sum([amount])
        if not months.empty:
            earmarked = months[months["grant_id"] > 0]
            per_grant = {}
            for (gid, grant_id, kind), amount in (
                earmarked.groupby(["group_id", "grant_id", "account_kind"])["net_until_end"]
                .sum()
                .items()
            ):
                per_grant[(gid, grant_id, kind)] = _sum([amount])
            for row in grants.itertuples(index=False):
                received = -per_grant.get((row.group_id, row.grant_id, INCOME), ZERO)
                spent = per_grant.get((row.group_id, row.grant_id, EXPENSE), ZERO)
                left = received - spent
                money[row.group_id]["unspent"] += left
                if row.period_end <= end and left > ZERO:
                    money[row.group_id]["toReturn"] += left
    return money, categories


def group_counts(group_ids: list[int], start: Date, end: Date) -> dict[int, dict[str, int]]:
    """Per group: the month counts of the period added up, by measure (one query)."""
    counts = {gid: dict.fromkeys(tenants.COUNT_MEASURES, 0) for gid in group_ids}
    rows = (
        tenants.GroupMonthCount.objects.filter(
            group_id__in=group_ids, month__gte=start.replace(day=1), month__lte=end
        )
        .values_list("group_id", "measure")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for gid, measure, n in rows:
        counts[gid][measure] = n
    return counts


def audit_year(end: Date) -> int:
    """The last (calendar) financial year that ended on or before `end`."""
    return end.year if (end.month, end.day) == (12, 31) else end.year - 1


def group_statuses(group_ids: list[int], start: Date, end: Date) -> dict[int, dict]:
    """Per group: the kascommissie's status of `audit_year(end)` and the accountability of
    the grants in the period (two queries)."""
    year = audit_year(end)
    years: dict[int, dict[int, tuple[bool, str]]] = {gid: {} for gid in group_ids}
    for gid, y, closed, audit in tenants.GroupYearStatus.objects.filter(
        group_id__in=group_ids
    ).values_list("group_id", "year", "closed", "audit"):
        years[gid][y] = (closed, audit)
    ended: dict[int, list[int]] = {gid: [] for gid in group_ids}
    running: dict[int, int] = dict.fromkeys(group_ids, 0)
    for gid, period_end in tenants.GroupGrantFigure.objects.filter(
        group_id__in=group_ids, period_start__lte=end, period_end__gte=start
    ).values_list("group_id", "period_end"):
        if period_end <= end:
            ended[gid].append(period_end.year)
        else:
            running[gid] += 1
    discharged = tenants.GroupYearStatus.Audit.DISCHARGED
    out = {}
    for gid in group_ids:
        closed, audit = years[gid].get(year, (False, tenants.GroupYearStatus.Audit.NOT_STARTED))
        if not ended[gid]:
            accountability = "notDue"
        elif all(years[gid].get(y, (False, ""))[1] == discharged for y in ended[gid]):
            accountability = "accounted"
        else:
            accountability = "due"
        out[gid] = {
            "auditCommittee": {"year": year, "booksClosed": closed, "status": str(audit)},
            "accountability": accountability,
        }
    return out


def _suppressed_counts(slugs: list[str], counts: dict[str, dict[str, int]]):
    """The cells to hide: (slug, key) per group, ("", key) for a district total."""
    values = {(slug, key): counts[slug][key] for slug in slugs for key in COUNT_KEYS}
    values.update({("", key): sum(counts[s][key] for s in slugs) for key in COUNT_KEYS})
    relations = [(("", key), [(slug, key) for slug in slugs]) for key in COUNT_KEYS]
    total_key, part_keys = BALLOTS_SUM
    for owner in ["", *slugs]:
        relations.append(((owner, total_key), [(owner, k) for k in part_keys]))
    return suppress_cells(values, relations), values


def _hours_total(hours: dict) -> list[dict]:
    total: dict[str, Decimal] = {}
    for items in hours.values():
        for item in items:
            total[item["offering"]] = total.get(item["offering"], ZERO) + Decimal(item["hours"])
    return [{"offering": k, "hours": money_text(v)} for k, v in sorted(total.items())]


def _categories_out(categories: dict[tuple[str, str], Decimal]) -> list[dict]:
    return [
        {"rgsCode": rgs, "accountCode": code, "amount": money_text(amount)}
        for (rgs, code), amount in sorted(categories.items())
    ]


def district_content(
    *,
    district,
    period,
    version: int = 1,
    supersedes=None,
    reason: str = "",
    generated_at=None,
    groups: list[GroupRef] | None = None,
) -> dict:
    """The report content (plain JSON values) of `district` over `period`."""
    if groups is None:
        groups = [
            GroupRef(id=g.pk, slug=g.slug, name=g.name)
            for g in tenants.groups_list().filter(district=district.code).order_by("slug")
        ]
    data = group_data([g.id for g in groups], period)
    return _assemble(
        district=district,
        period=period,
        groups=groups,
        data=data,
        version=version,
        supersedes=supersedes,
        reason=reason,
        generated_at=generated_at,
    )


def districts_content(*, districts, period, generated_at=None) -> dict[int, dict]:
    """The first version's content of several districts' reports at once (by district pk):
    the figures of all their groups are read in one pass (a fixed number of queries for the
    whole city), then each district's report is put together from them."""
    codes = {d.code: d for d in districts}
    by_district: dict[str, list[GroupRef]] = {code: [] for code in codes}
    for g in tenants.groups_list().filter(district__in=codes).order_by("slug"):
        by_district[g.district].append(GroupRef(id=g.pk, slug=g.slug, name=g.name))
    data = group_data([g.id for refs in by_district.values() for g in refs], period)
    return {
        district.pk: _assemble(
            district=district,
            period=period,
            groups=by_district[code],
            data=data,
            generated_at=generated_at,
        )
        for code, district in codes.items()
    }


@dataclass(frozen=True)
class GroupData:
    money: dict
    categories: dict
    people: dict
    measured: dict
    statuses: dict
    heads: dict
    hours: dict


def group_data(ids: list[int], period) -> GroupData:
    """Everything a report says per group, for the groups `ids` (a fixed number of queries)."""
    money, categories = group_money(ids, period.start, period.end)
    return GroupData(
        money=money,
        categories=categories,
        people=tenants.people_counts(group_ids=ids),
        measured=group_counts(ids, period.start, period.end),
        statuses=group_statuses(ids, period.start, period.end),
        heads=tenants.chain_heads(group_ids=ids),
        hours=providers.support_hours_by_offering(
            group_ids=ids, start=period.start, end=period.end
        ),
    )


def _assemble(
    *,
    district,
    period,
    groups: list[GroupRef],
    data: GroupData,
    version: int = 1,
    supersedes=None,
    reason: str = "",
    generated_at=None,
) -> dict:
    money, categories, people = data.money, data.categories, data.people
    measured, statuses, heads, hours = data.measured, data.statuses, data.heads, data.hours

    counts: dict[str, dict[str, int]] = {}
    for g in groups:
        row = {k: measured[g.id][MEASURE_OF[k]] for k in COUNT_KEYS if k in MEASURE_OF}
        row["boardMembers"] = people[g.id]["board"]
        row["activeVolunteers"] = people[g.id]["volunteers"]
        row["consultationBallots"] = (
            row["consultationBallotsOnline"] + row["consultationBallotsPaper"]
        )
        counts[g.slug] = row
    hidden, values = _suppressed_counts([g.slug for g in groups], counts)

    group_rows = []
    for g in groups:
        suppressed = sorted(k for k in COUNT_KEYS if (g.slug, k) in hidden)
        group_rows.append(
            {
                "slug": g.slug,
                "name": g.name,
                "money": {k: money_text(money[g.id][k]) for k in MONEY_KEYS},
                "spendingByCategory": _categories_out(categories[g.id]),
                "initiatives": {k: measured[g.id][MEASURE_OF[k]] for k in INITIATIVE_KEYS},
                "counts": {k: None if k in suppressed else counts[g.slug][k] for k in COUNT_KEYS},
                "suppressed": suppressed,
                "supportHoursByOffering": hours.get(g.id, []),
                **statuses[g.id],
                # the books this was made from: the head of the group's keyed hash chain
                "books": {"chainSequence": heads[g.id][0], "chainHead": heads[g.id][1]},
            }
        )
    all_categories: dict[tuple[str, str], Decimal] = {}
    for g in groups:
        for key, amount in categories[g.id].items():
            all_categories[key] = all_categories.get(key, ZERO) + amount
    totals_hidden = sorted(k for k in COUNT_KEYS if ("", k) in hidden)
    totals = {
        "groups": len(groups),
        "money": {k: money_text(_sum(money[g.id][k] for g in groups)) for k in MONEY_KEYS},
        "spendingByCategory": _categories_out(all_categories),
        "initiatives": {
            k: sum(measured[g.id][MEASURE_OF[k]] for g in groups) for k in INITIATIVE_KEYS
        },
        "counts": {k: None if k in totals_hidden else values[("", k)] for k in COUNT_KEYS},
        "suppressed": totals_hidden,
        "supportHoursByOffering": _hours_total(hours),
        "accountability": {
            state: sum(1 for g in groups if statuses[g.id]["accountability"] == state)
            for state in ("notDue", "due", "accounted")
        },
        "auditCommittee": {
            "year": audit_year(period.end),
            "booksClosed": sum(
                1 for g in groups if statuses[g.id]["auditCommittee"]["booksClosed"]
            ),
            **{
                state: sum(1 for g in groups if statuses[g.id]["auditCommittee"]["status"] == state)
                for state in tenants.GroupYearStatus.Audit.values
            },
        },
    }
    generated_at = generated_at or timezone.now()
    return {
        "format": FORMAT,
        "period": {
            "code": period.code,
            "kind": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "municipality": {"code": district.municipality.code, "name": district.municipality.name},
        "district": {"code": district.code, "name": district.name},
        "version": version,
        "supersedesVersion": supersedes.version if supersedes else None,
        "supersedesSha256": supersedes.sha256 if supersedes else None,
        "reason": reason,
        "generatedAt": rfc3339(generated_at),
        "suppression": {"threshold": THRESHOLD, "appliesTo": list(COUNT_KEYS)},
        "notReported": list(providers.NOT_REPORTED_YET),
        "groups": group_rows,
        "totals": totals,
    }
