"""Resident initiatives at scale.

    python benchmarks/initiatives.py [--vouchers 10000] [--initiatives 1000] [--keep]

Prints, in a database of its own (bench_initiatives, dropped afterwards unless --keep):
- issuing 10,000 vouchers (codes, HMACs, rows and their history). Target ≤ 2 s.
- the letters PDF for those 10,000 vouchers, streamed to nowhere: time, and the process's
  resident memory after the first 1,000 letters and at the end (flat means no growth with
  the number of letters; tracemalloc is not used because it slows allocation-heavy code
  five-fold). Target ≤ 30 s, memory flat.
- the public board of a group with 1,000 initiatives: server time through Django's test
  client (median of 5) and the query count. Target ≤ 150 ms.
- redeeming a code: server time of the service (median of 20 codes). Target ≤ 50 ms.

The machine is shared: print `/proc/loadavg` with the figures (done at the end).
"""

import argparse
import datetime
import time
from decimal import Decimal

from _setup import drop_database, median, use_database

DB = "bench_initiatives"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vouchers", type=int, default=10_000)
    parser.add_argument("--initiatives", type=int, default=1_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    use_database(DB)
    try:
        run(args)
    finally:
        if not args.keep:
            drop_database(DB)


def run(args):
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import tenant_context

    from finance.grants import services as grant_services
    from finance.ledger.models import Account
    from groups.initiatives import services, vouchers
    from groups.initiatives.models import Household, Initiative
    from groups.initiatives.protection import new_token
    from tenants.facade import memberships_set
    from tenants.models import User
    from tenants.services import group_create

    call_command("migrate_schemas", interactive=False, verbosity=0)
    group = group_create(name="Benchmarkbuurt", slug="benchmarkbuurt", district="zuidoost")
    chair = User.objects.create_user(username="bench-chair", password="x" * 12)
    treasurer = User.objects.create_user(username="bench-treasurer", password="x" * 12)
    memberships_set(group=group, user_id=chair.pk, roles={"voorzitter"})
    memberships_set(group=group, user_id=treasurer.pk, roles={"penningmeester"})
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    with tenant_context(group):
        grant = grant_services.grant_create(
            user=treasurer,
            funder="Gemeente",
            reference="BENCH-1",
            title="Buurtbudget",
            amount=Decimal("500000.00"),
            period_start=today - 30 * day,
            period_end=today + 300 * day,
        )
        line = grant_services.budget_line_create(
            grant=grant,
            user=treasurer,
            account=Account.objects.get(code="4000"),
            description="Initiatieven",
            amount=Decimal("400000.00"),
        )
        round_ = services.round_create(
            user=chair,
            name="Vouchers",
            opens_on=today - day,
            closes_on=today + 30 * day,
            ends_on=today + 60 * day,
            budget_line_id=line.pk,
            budget=Decimal("250000.00"),
            decided_by="vouchers",
            voucher_value=Decimal("25.00"),
        )
        Household.objects.bulk_create(
            [
                Household(street="Bijlmerdreef", house_number=i + 1, postcode="1103 AB")
                for i in range(args.vouchers)
            ],
            batch_size=5000,
        )
        started = time.perf_counter()
        printed = vouchers.vouchers_issue(round_=round_, user=chair)
        issue_s = time.perf_counter() - started
        print(f"issue {len(printed)} vouchers: {issue_s:.2f} s (target ≤ 2 s)")

        from django.test import RequestFactory

        from groups.initiatives.voucher_views import _pdf

        request = RequestFactory().get("/", HTTP_HOST="localhost")
        request.group = group
        started = time.perf_counter()
        size = 0
        rss_early = None
        for n, chunk in enumerate(_pdf(request, round_, printed, "bench").streaming_content):
            size += len(chunk)
            if n == 2000:  # two chunks per letter: after 1,000 letters
                rss_early = _rss_mb()
        pdf_s = time.perf_counter() - started
        print(
            f"letters PDF for {len(printed)} vouchers: {pdf_s:.1f} s, {size / 1e6:.1f} MB, "
            f"resident memory {rss_early:.0f} MB after 1,000 letters, {_rss_mb():.0f} MB at "
            f"the end (target ≤ 30 s, flat)"
        )

        # 1,000 initiatives on the public board (rows written directly: the board is read).
        rows = []
        for n in range(args.initiatives):
            rows.append(
                Initiative(
                    round=round_,
                    title=f"Plan {n}",
                    summary="Een plan voor de buurt.",
                    description="Beschrijving",
                    requested_amount=Decimal("100.00"),
                    initiator_name="Bewoner",
                    initiator_email=f"b{n}@example.org",
                    token_hash=new_token()[1],
                )
            )
        Initiative.objects.bulk_create(rows, batch_size=1000)
        plan = Initiative.objects.first()
        times = []
        for _attempt in range(20):
            item = printed[_attempt]
            started = time.perf_counter()
            vouchers.voucher_redeem(code=item.code, initiative=plan, address=f"10.0.0.{_attempt}")
            times.append(time.perf_counter() - started)
        print(f"redeem a code: median {median(times) * 1000:.1f} ms (target ≤ 50 ms)")

    client = Client()
    url = f"/g/{group.slug}/initiatieven/"
    times = []
    for _attempt in range(6):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST="localhost")
            times.append(time.perf_counter() - started)
        assert response.status_code == 200
    print(
        f"public board with {args.initiatives} initiatives: median "
        f"{median(times[1:]) * 1000:.0f} ms, {len(queries)} queries (target ≤ 150 ms)"
    )
    with open("/proc/loadavg") as load:
        print(f"load average: {load.read().strip()}")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


if __name__ == "__main__":
    main()
