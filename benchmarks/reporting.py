"""Reports to the municipality over many groups: from the per-group figures vs a loop over the
groups' schemas with `tenant_context`.

    python benchmarks/reporting.py [--groups 1000] [--lines 2000] [--keep]

In a database of its own (bench_reporting): N groups (cloned schemas), each with `--lines`
posted journal lines in 2026 (half of them in Q3), written with SQL in bulk (triggers off for
the load only), then the per-group figures filled by `rebuild_group_figures` (which a test
proves equal to what the posting path maintains). Then, side by side, median of 3:
- the report content of every district over 2026-Q3 from the public figures (`district_content`,
  pandas, what `generate_reports` does before storing);
- the same money figures per group, computed in each group's schema in a `tenant_context` loop
  (one grouped query per group: what a report without the figures would have to do).
Target (issue 12): ≤ 5 s for 1,000 groups × 2,000 lines, and ≥ 10× faster than the loop.
The report also holds the initiatives' month counts (random ones are written for the run) with
their suppression, support hours, year statuses and the books' chain heads.

Building 1,000 groups takes long on a busy machine: `--keep` leaves the database, and
`--reuse` times again on it (after `migrate_schemas --shared` and the rebuild); a run that
was stopped while building leaves the groups made so far, and `--reuse` measures those.
"""

import argparse
import time
from datetime import date

from _setup import drop_database, median, use_database

DB = "bench_reporting"
DISTRICTS = ["centrum", "nieuw-west", "noord", "oost", "west", "zuid", "zuidoost", "weesp"]


def load_books(connection, schema: str, lines: int) -> None:
    entries = lines // 2
    with connection.cursor() as cursor:
        cursor.execute(f'SET search_path TO "{schema}", public')
        cursor.execute(
            'INSERT INTO finance_financialyear (year, start, "end", status, last_number) '
            "VALUES (2026, '2026-01-01', '2026-12-31', 'open', %s) RETURNING id",
            [entries],
        )
        year_id = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO finance_grant (funder, reference, title, amount, period_start, "
            "period_end, conditions) VALUES ('Gemeente Amsterdam', %s, 'Buurtbudget', 20000, "
            "'2026-01-01', '2026-12-31', '') RETURNING id",
            [f"B-{schema}"],
        )
        grant_id = cursor.fetchone()[0]
        cursor.execute("SELECT code, id FROM finance_account")
        accounts = dict(cursor.fetchall())
        cursor.execute(
            "INSERT INTO finance_journalentry (year_id, number, date, description, kind, status, "
            "created_by_id, created_at, posted_by_id, posted_at, sequence, prev_hash, hash, "
            "origin_kind, period_exception) "
            "SELECT %s, NULL, DATE '2026-01-01' + ((n * 7) %% 364), 'Uitgave', 'uitgave', "
            "'concept', 1, now(), NULL, NULL, NULL, '', '', 'uitgave', '' "
            "FROM generate_series(1, %s) AS n",
            [year_id, entries],
        )
        cursor.execute(
            "INSERT INTO finance_journalline (entry_id, line_no, account_id, debit, credit, "
            "description, grant_id) "
            "SELECT e.id, 1, (ARRAY[%s, %s, %s, %s]::bigint[])[1 + e.id %% 4], "
            "(e.id %% 97) + 0.37, 0, '', %s FROM finance_journalentry e "
            "UNION ALL "
            "SELECT e.id, 2, %s, 0, (e.id %% 97) + 0.37, '', NULL FROM finance_journalentry e",
            [
                accounts["4000"],
                accounts["4100"],
                accounts["4200"],
                accounts["4300"],
                grant_id,
                accounts["1100"],
            ],
        )
        # Posted in one statement, as the posting service's batch path does (the guards and
        # the day totals' trigger run on it).
        cursor.execute(
            "UPDATE finance_journalentry SET status = 'geboekt', number = id, sequence = id, "
            "posted_by_id = 1, posted_at = now(), hash = md5(id::text)"
        )
        cursor.execute("SET search_path TO public")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--reuse", action="store_true", help="time again on the database a --keep run left"
    )
    args = parser.parse_args()

    use_database(DB, fresh=not args.reuse)
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q, Sum
    from django_tenants.utils import tenant_context

    from backoffice.reporting.generation import districts_content
    from backoffice.reporting.periods import period_spec
    from finance.ledger.models import JournalLine
    from tenants import facade as tenants
    from tenants.services import group_create

    if args.reuse:  # only the public schema may have changed since the --keep run
        call_command("migrate_schemas", "--shared", interactive=False, verbosity=0)
    else:
        call_command("migrate_schemas", interactive=False, verbosity=0)
        t = time.perf_counter()
        for n in range(args.groups):
            group = group_create(
                name=f"Groep {n}", slug=f"groep-{n:05d}", district=DISTRICTS[n % len(DISTRICTS)]
            )
            load_books(connection, group.schema_name, args.lines)
            # A fresh server process now and then: one that has touched hundreds of schemas
            # keeps them all in its catalog cache, and each new schema's DDL then costs
            # seconds (the cache is rebuilt on invalidation), growing with every group.
            if n % 20 == 19:
                connection.close()
            if n % 100 == 99:
                print(f"{n + 1} groups: {time.perf_counter() - t:.0f} s", flush=True)
        print(f"{args.groups} groups with {args.lines} lines each: {time.perf_counter() - t:.0f} s")
    t = time.perf_counter()
    call_command("rebuild_group_figures", verbosity=0)
    rows = tenants.GroupMonthFigure.objects.count()
    print(f"figures rebuilt from the books: {time.perf_counter() - t:.0f} s ({rows} rows)")

    # Initiative counts as the services keep them (the bench's books have no initiatives):
    # a few per group and month, so suppression has real small and large cells to work on.
    import random

    from tenants.figures import CountDelta, month_counts_add

    rng = random.Random(2026)
    for group in tenants.groups_list():
        month_counts_add(
            group_id=group.pk,
            deltas=[
                CountDelta(date(2026, month, 1), measure, rng.choice([0, 1, 3, 6, 12, 40]))
                for month in (7, 8, 9)
                for measure in tenants.COUNT_MEASURES
            ],
        )

    period = period_spec("2026-Q3")
    districts = list(tenants.districts_list())
    groups = list(tenants.groups_list())

    def from_figures():  # what generate_reports does before storing
        return list(districts_content(districts=districts, period=period).values())

    def tenant_loop():
        out = {}
        for group in groups:
            with tenant_context(group):
                out[group.pk] = JournalLine.objects.filter(
                    entry__status="geboekt",
                    entry__date__gte=period.start,
                    entry__date__lte=period.end,
                ).aggregate(
                    spent=Sum("debit", filter=Q(account__kind="lasten"))
                    - Sum("credit", filter=Q(account__kind="lasten")),
                    received=Sum("credit", filter=Q(account__kind="baten", grant__isnull=False)),
                    lines=Count("id"),
                )
        connection.set_schema_to_public()
        return out

    def timed(fn):
        start = time.perf_counter()
        result = fn()
        return time.perf_counter() - start, result

    figure_times, loop_times = [], []
    for _ in range(3):
        elapsed, contents = timed(from_figures)
        figure_times.append(elapsed)
        elapsed, loop = timed(tenant_loop)
        loop_times.append(elapsed)
    # the two ways agree on what was spent, to the cent
    by_slug = {g.slug: g.pk for g in groups}
    for content in contents:
        for row in content["groups"]:
            from decimal import Decimal

            assert Decimal(row["money"]["spent"]) == loop[by_slug[row["slug"]]]["spent"]
    fig, lp = median(figure_times), median(loop_times)
    print(
        f"report 2026-Q3 over {len(groups)} groups from the figures: {fig:.2f} s "
        f"(target ≤ 5 s); tenant_context loop: {lp:.2f} s; ratio {lp / fig:.1f}× "
        f"(target ≥ 10×)"
    )
    load = open("/proc/loadavg").read().split()[:3]
    print(f"(measured on {date.today().isoformat()}, load average {' '.join(load)})")
    if not args.keep:
        drop_database(DB)


if __name__ == "__main__":
    main()
