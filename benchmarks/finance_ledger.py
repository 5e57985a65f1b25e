"""Bookkeeping at scale: a group with 100,000 ledger lines.

    python benchmarks/finance_ledger.py [--lines 100000] [--post 10000] [--keep]

Prints, in a database of its own (bench_finance, dropped afterwards unless --keep):
- posting 10,000 entries: one by one through entry_create(post=True) (the page path),
  and as one batch through entries_post (the import path). Target ≤ 10 s.
- server time (median of 5, through Django's test client: middleware, view, template) and
  query count of the dashboard and every report, first on a small ledger and then on the full
  one. Target ≤ 150 ms; the query count must not grow with the data.
- every report as XLSX and PDF download, whole response read: time (median of 3, or one run
  when the first takes over 10 s), size, and the peak of Python's own allocations during the
  request (tracemalloc, a separate run). Target ≤ 2 s; memory must not grow with the data.
"""

import argparse
import random
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

from _setup import drop_database, median, use_database

DB = "bench_finance"
PAGES = [
    ("dashboard", {}, ""),
    ("report", {"kind": "proefbalans"}, "?jaar=2026"),
    ("report", {"kind": "balans"}, "?jaar=2026"),
    ("report", {"kind": "baten-en-lasten"}, "?jaar=2026"),
    ("report", {"kind": "begroting"}, ""),
    ("report", {"kind": "kasboek"}, "?jaar=2026&rekening=1100"),
    ("report", {"kind": "kasboek"}, "?jaar=2026&rekening=1100&pagina=200"),
    ("report", {"kind": "grootboek"}, "?jaar=2026&rekening=4000"),
    ("report", {"kind": "grootboek"}, "?jaar=2026&rekening=4000&pagina=60"),
    ("report", {"kind": "verantwoording"}, ""),
    ("entries", {}, ""),
    ("missing_receipts", {}, ""),
]
EXPORTS = [
    ("proefbalans", "?jaar=2026"),
    ("balans", "?jaar=2026"),
    ("baten-en-lasten", "?jaar=2026"),
    ("begroting", ""),
    ("verantwoording", ""),
    ("kasboek", "?jaar=2026&rekening=1100"),
    ("grootboek", "?jaar=2026&rekening=4000"),
]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--post", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the pages of a database kept with --keep"
    )
    parser.add_argument("--no-exports", action="store_true", help="measure the pages only")
    args = parser.parse_args()

    use_database(DB, fresh=not args.reuse)
    try:
        run(args)
    finally:
        if not args.keep:
            drop_database(DB)


def run(args):
    if args.reuse:
        return measure_only(args)

    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import tenant_context

    from finance.grants import services as grant_services
    from finance.ledger import chain as ledger_chain
    from finance.ledger import postings
    from finance.ledger import services as ledger_services
    from finance.ledger.models import Account, JournalEntry, JournalLine
    from tenants.models import Membership, User
    from tenants.services import group_create

    call_command("migrate_schemas", interactive=False, verbosity=0)
    group = group_create(name="Benchmarkbuurt", slug="benchmarkbuurt", district="noord")
    user = User.objects.create_user(username="bench-treasurer", password="x" * 12)
    Membership.objects.create(user=user, group=group, role="penningmeester")
    rng = random.Random(1)

    with tenant_context(group):
        acc = {a.code: a for a in Account.objects.all()}
        grant = grant_services.grant_create(
            user=user,
            funder="Stadsdeel Noord",
            reference="BENCH-1",
            title="Buurtbudget",
            amount=Decimal("900000.00"),
            period_start=date(2025, 1, 1),
            period_end=date(2026, 12, 31),
        )
        lines = [
            grant_services.budget_line_create(
                grant=grant,
                user=user,
                account=acc[code],
                description=f"Post {code}",
                amount=Decimal("100000.00"),
            )
            for code in ("4000", "4100", "4200", "4300")
        ]

    def fill_drafts(n, start_day):
        """n two-line drafts written in bulk (test data, not a service); returns them."""
        entries = JournalEntry.objects.bulk_create(
            [
                JournalEntry(
                    year=ledger_services.year_for_date(start_day + timedelta(days=(i * 37) % 700)),
                    date=start_day + timedelta(days=(i * 37) % 700),
                    description=f"Uitgave {i}",
                    kind="uitgave",
                    created_by_id=user.pk,
                )
                for i in range(n)
            ],
            batch_size=5000,
        )
        objs = []
        for entry in entries:
            line = rng.choice(lines)
            amount = Decimal(rng.randint(100, 50000)) / 100
            objs += [
                JournalLine(
                    entry=entry,
                    line_no=1,
                    account_id=line.account_id,
                    debit=amount,
                    grant_id=grant.pk,
                    budget_line=line,
                ),
                JournalLine(entry=entry, line_no=2, account=acc["1100"], credit=amount),
            ]
        JournalLine.objects.bulk_create(objs, batch_size=10000)
        return entries

    with tenant_context(group):
        # a small ledger first: the baseline for query counts
        ledger_services.entries_post(entries=fill_drafts(250, date(2025, 1, 2)), user=user)
        connection.set_schema_to_public()
    small = measure_pages(group, user, "pages at 500 lines")
    small_exports = {} if args.no_exports else measure_exports(group, user, "exports at 500 lines")

    with tenant_context(group):
        # posting, one by one through the page path
        n_single = min(args.post, 500)
        start = time.perf_counter()
        for i in range(n_single):
            amount = Decimal(rng.randint(100, 50000)) / 100
            line = lines[i % len(lines)]
            ledger_services.entry_create(
                date=date(2026, 1, 2) + timedelta(days=i % 360),
                description=f"Enkel {i}",
                user=user,
                post=True,
                kind="uitgave",
                lines=[
                    postings.LineInput(account=line.account, debit=amount, budget_line=line),
                    postings.LineInput(account=acc["1100"], credit=amount),
                ],
            )
        single = time.perf_counter() - start
        print(
            f"\nposting one by one (entry_create post=True): {n_single} entries in {single:.2f} s"
            f" = {single / n_single * 1000:.2f} ms/entry -> {args.post} entries ≈ "
            f"{single / n_single * args.post:.1f} s"
        )
        specs = []
        for i in range(args.post):
            amount = Decimal(rng.randint(100, 50000)) / 100
            line = lines[i % len(lines)]
            specs.append(
                postings.EntryInput(
                    date=date(2025, 1, 2) + timedelta(days=(i * 37) % 700),
                    kind="uitgave",
                    description=f"Batch {i}",
                    lines=[
                        postings.LineInput(account=line.account, debit=amount, budget_line=line),
                        postings.LineInput(account=acc["1100"], credit=amount),
                    ],
                )
            )
        start = time.perf_counter()
        ledger_services.entries_create(entries=specs, user=user, post=True)
        batch = time.perf_counter() - start
        print(
            f"creating and posting as a batch (entries_create post=True, with history): "
            f"{args.post} entries in {batch:.2f} s "
            f"(target ≤ 10 s: {'ok' if batch <= 10 else 'NOT MET'})"
        )
        drafts = fill_drafts(args.post, date(2025, 1, 2))
        start = time.perf_counter()
        ledger_services.entries_post(entries=drafts, user=user)
        batch = time.perf_counter() - start
        print(
            f"posting existing drafts (entries_post): {args.post} entries in {batch:.2f} s "
            f"(target ≤ 10 s: {'ok' if batch <= 10 else 'NOT MET'})"
        )
        remaining = args.lines - JournalLine.objects.count()
        start = time.perf_counter()
        while remaining > 0:
            chunk = min(remaining // 2 + remaining % 2, 10_000)
            ledger_services.entries_post(entries=fill_drafts(chunk, date(2025, 1, 2)), user=user)
            remaining -= 2 * chunk
        total = JournalLine.objects.count()
        print(f"filled to {total:,} ledger lines in {time.perf_counter() - start:.1f} s")
        call_command("verify_ledger", group=group.slug, verbosity=0)
        start = time.perf_counter()
        problem = ledger_chain.verify_chain()
        print(
            f"verify_ledger over {total:,} lines: {time.perf_counter() - start:.2f} s, "
            f"{'in orde' if problem is None else problem}"
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connection.set_schema_to_public()
    big = measure_pages(group, user, f"pages at {total:,} lines")
    grew = [k for k in big if big[k][1] != small[k][1]]
    print("\nquery counts " + ("equal at both sizes" if not grew else f"GREW for: {grew}"))
    if not args.no_exports:
        big_exports = measure_exports(group, user, f"exports at {total:,} lines")
        compare_memory(small_exports, big_exports)


def _client(user):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


def _get(client, url) -> tuple[int, int]:
    """Status and body size, the whole (possibly streamed) body read."""
    response = client.get(url)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    return response.status_code, size


def measure_pages(group, user, label):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = _client(user)
    figures = {}
    for name, kwargs, query in PAGES:
        url = reverse(f"finance:{name}", kwargs={"group_slug": group.slug, **kwargs}) + query
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, url
        real = sum(1 for q in ctx.captured_queries if not q["sql"].startswith("SET "))
        key = f"{name} {kwargs.get('kind', '')} {query}".strip()
        figures[key] = (median(times) * 1000, real)
    print(f"\n{label}")
    for key, (ms, queries) in figures.items():
        flag = "ok" if ms <= 150 else "OVER 150 ms"
        print(f"  {key:58} {ms:7.1f} ms  {queries:3d} queries  {flag}")
    return figures


def measure_exports(group, user, label):
    """Every report as XLSX and PDF: time, size and peak Python memory of the request."""
    from django.urls import reverse

    client = _client(user)
    figures = {}
    print(f"\n{label}")
    for kind, query in EXPORTS:
        for fmt in ("xlsx", "pdf"):
            url = reverse("finance:report", kwargs={"group_slug": group.slug, "kind": kind})
            url += (query + "&" if query else "?") + f"formaat={fmt}"
            times = []
            for _ in range(3):
                start = time.perf_counter()
                status, size = _get(client, url)
                times.append(time.perf_counter() - start)
                assert status == 200, url
                if times[0] > 10:
                    break
            seconds = median(times)
            peak = None
            if seconds < 30:  # tracemalloc slows Python down several times
                tracemalloc.start()
                _get(client, url)
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            key = f"{kind} {fmt}"
            figures[key] = (seconds, size, peak)
            memory = f"{peak / 2**20:7.1f} MiB" if peak is not None else "    not measured"
            flag = "ok" if seconds <= 2 else "OVER 2 s"
            print(f"  {key:24} {seconds:8.2f} s  {size / 1024:9.0f} KiB  peak {memory}  {flag}")
    return figures


def compare_memory(small, big):
    grew = [
        k
        for k in big
        if big[k][2] is None or small[k][2] is None or big[k][2] > 2 * small[k][2] + 4 * 2**20
    ]
    print(
        "export memory "
        + ("flat (peak at most 2x + 4 MiB of the small ledger's)" if not grew else f"GREW: {grew}")
    )


def measure_only(args):
    from tenants.models import Group, User

    group = Group.objects.get(slug="benchmarkbuurt")
    user = User.objects.get(username="bench-treasurer")
    measure_pages(group, user, "pages")
    if not args.no_exports:
        measure_exports(group, user, "exports")


if __name__ == "__main__":
    main()
