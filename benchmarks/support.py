"""The support organisation's caseload and overview across many groups, on the row of facts
per group (ADR 0013), side by side with the naive way: a `tenant_context` loop reading each
group's own schema. And what keeping the facts current costs a write.

    python benchmarks/support.py [--groups 1000] [--caseload 30] [--keep] [--reuse]

With --reuse the database `bench_support` is kept and reused: it is filled up to --groups
(resuming an interrupted fill), because filling 1,000 groups takes many minutes.

Targets (issue 11): a caseload of 30 groups ≤ 300 ms server time; the coordinator overview
of 1,000 groups ≤ 1 s; both ≥ 10× faster than the naive loop; keeping the facts current
≤ 5 ms per write.
"""

import argparse
import datetime as dt
import os
import time
from decimal import Decimal

os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")

from _setup import drop_database, median, use_database  # noqa: E402

DB = "bench_support"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=1000)
    parser.add_argument("--caseload", type=int, default=30)
    parser.add_argument("--entries", type=int, default=40, help="ledger entries per group")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep and reuse (fill up) the DB")
    parser.add_argument("--fill-only", action="store_true", help="only fill the database")
    args = parser.parse_args()

    use_database(DB, fresh=not args.reuse)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django_tenants.utils import tenant_context

    from backoffice.support import chosen, coaching
    from backoffice.support.models import Offering, Provider
    from backoffice.support.signals import signals_by_group
    from finance.bank import facts as bank_facts
    from finance.bank import importing as bank_import
    from finance.bank.formats import samples
    from finance.ledger import facts as ledger_facts
    from finance.ledger import postings
    from finance.ledger import services as ledger_services
    from finance.ledger.models import Account
    from finance.ledger.postings import LineInput
    from groups.decisions import services as decision_services
    from tenants.facade import memberships_set
    from tenants.facts import facts_compute
    from tenants.models import Assignment, Group, User
    from tenants.services import group_create

    t = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    print(f"migrate (public + template): {time.perf_counter() - t:.1f} s", flush=True)

    def user(username, **fields):
        found = User.objects.filter(username=username).first()
        return found or User.objects.create_user(username=username, password="x", **fields)

    treasurer = user("bench-treasurer")
    worker = user("bench-worker", org_role="ondersteuner")
    coordinator = user("bench-coord", org_role="coordinator")
    provider = Provider.objects.filter(name="Aanbieder").first() or Provider.objects.create(
        name="Aanbieder", kind="intern"
    )
    offering = Offering.objects.filter(title="Hulp").first()
    if offering is None:
        offering = Offering.objects.create(
            title="Hulp", kind="project", typical_hours=Decimal("2"), price=Decimal("100.00")
        )
        offering.providers.set([provider])

    districts = ["noord", "zuidoost", "nieuw-west", "oost", "west", "zuid", "centrum"]
    year = dt.date.today().year
    t = time.perf_counter()
    # A fill interrupted halfway leaves a group without its data: it is removed and refilled.
    filled = set(
        Group.objects.filter(is_template=False, slug__startswith="groep-").values_list(
            "slug", flat=True
        )
    )
    if filled:
        last = max(filled)
        with tenant_context(Group.objects.get(slug=last)):
            from finance.bank.models import BankLine

            complete = BankLine.objects.exists()
        if not complete:
            half = Group.objects.get(slug=last)
            with connection.cursor() as cursor:
                cursor.execute(f'DROP SCHEMA "{half.schema_name}" CASCADE')
            Group.objects.filter(pk=half.pk).delete()
            filled.discard(last)
    for n in range(args.groups):
        if f"groep-{n:04d}" in filled:
            continue
        group = group_create(
            name=f"Bewonersgroep {n:04d}", slug=f"groep-{n:04d}", district=districts[n % 7]
        )
        memberships_set(group=group, user_id=treasurer.pk, roles={"penningmeester"})
        with tenant_context(group):
            expense, bank = Account.objects.get(code="4000"), Account.objects.get(code="1000")
            start = dt.date(year, 1, 2) + dt.timedelta(days=n % 60)
            entries = [
                postings.journal(
                    date=start + dt.timedelta(days=i * 3),
                    description=f"Boeking {i}",
                    lines=[
                        LineInput(account=expense, debit=Decimal("12.50") + i),
                        LineInput(account=bank, credit=Decimal("12.50") + i),
                    ],
                )
                for i in range(args.entries)
            ]
            ledger_services.entries_create(entries=entries, user=treasurer, post=True)
            bank_import.bank_account_create(
                user=treasurer, iban=samples.ACCOUNT_IBAN, name="ING", holder="Groep",
                ledger_account=bank,
            )  # fmt: skip
            lines = samples.sample_lines(10, seed=n, start=start)
            bank_import.import_statement(
                data=samples.camt053_document(lines), filename="a.xml", user=treasurer
            )
            if n % 3:
                decision_services.meeting_create(
                    kind="bestuur", held_on=start + dt.timedelta(days=20), place="Buurthuis"
                )
        if n < args.caseload:
            Assignment.objects.create(user=worker, group=group)
        if n % 4 == 0:
            chosen.budget_set(group=group, year=year, user=coordinator, hours=Decimal("20"))
            chosen.request_create(
                group=group, user=treasurer, offering=offering, provider=provider, year=year
            )
            coaching.session_log(
                group=group, worker=coordinator, held_on=start, minutes=60,
                followups=[("Bellen", start + dt.timedelta(days=7), coordinator)],
            )  # fmt: skip
        if (n + 1) % 25 == 0:
            # A new connection now and then: one server process that made hundreds of schemas
            # keeps every one of their relations in its caches and slows down with them.
            connection.close()
        if (n + 1) % 100 == 0:
            print(f"  {n + 1} groups filled ({time.perf_counter() - t:.0f} s)", flush=True)
    connection.set_schema_to_public()
    lines_total = args.groups * args.entries * 2
    print(f"filled {args.groups} groups, {lines_total} ledger lines, in "
          f"{time.perf_counter() - t:.0f} s", flush=True)  # fmt: skip
    if args.fill_only:
        return
    call_command("rebuild_group_facts", "--check")
    print("rebuild_group_facts --check: maintained facts equal rebuilt ones")

    def server_time(client, url, runs=5):
        client.get(url)  # warm
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - start)
            assert response.status_code == 200, response.status_code
        return median(times)

    def naive(groups, runs=3):
        """What a page would cost reading each group's own schema for its facts."""
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            for group in groups:
                facts_compute(group)
            connection.set_schema_to_public()
            times.append(time.perf_counter() - start)
        return median(times)

    worker_client, coord_client = Client(), Client()
    worker_client.force_login(worker)
    coord_client.force_login(coordinator)
    caseload_groups = list(Group.objects.filter(assignments__user=worker))
    all_groups = list(Group.objects.filter(is_template=False))

    page = server_time(worker_client, "/ondersteuning/caseload/")
    loop = naive(caseload_groups)
    print(f"caseload of {len(caseload_groups)}: page {page * 1000:.0f} ms (target ≤ 300); "
          f"naive tenant_context loop, facts only {loop * 1000:.0f} ms; "
          f"{loop / page:.1f}x")  # fmt: skip
    start = time.perf_counter()
    signals_by_group(all_groups, dt.date.today())
    print(f"signals of all {len(all_groups)} groups (4 queries): "
          f"{(time.perf_counter() - start) * 1000:.0f} ms")  # fmt: skip

    page = server_time(coord_client, "/ondersteuning/", runs=3)
    loop = naive(all_groups, runs=1)
    print(f"overview of {len(all_groups)}: page {page * 1000:.0f} ms (target ≤ 1000); "
          f"naive tenant_context loop, facts only {loop * 1000:.0f} ms; "
          f"{loop / page:.1f}x")  # fmt: skip
    export = server_time(coord_client, "/ondersteuning/overzicht/export/", runs=3)
    print(f"XLSX export of {len(all_groups)} groups: {export * 1000:.0f} ms")

    group = all_groups[len(all_groups) // 2]
    with tenant_context(group):
        from django.db import transaction

        from finance.ledger.chain import LINE_FIELDS
        from finance.ledger.models import JournalEntry, JournalLine
        from tenants import facade as registry

        class Undo(Exception):
            pass

        def timed(fn, runs=50, keep=False):
            """Median time of `fn` inside a transaction (rolled back unless `keep`)."""
            times = []
            for _ in range(runs):
                try:
                    with transaction.atomic():
                        start = time.perf_counter()
                        fn()
                        times.append(time.perf_counter() - start)
                        if not keep:
                            raise Undo
                except Undo:
                    pass
            return median(times)

        # Before (issue 11's figures): every write recomputed its topics and upserted them.
        def booking_recompute():
            registry.group_facts_record(**ledger_facts.bookings(), **ledger_facts.budget())

        def bank_recompute():
            registry.group_facts_record(**bank_facts.bank())

        # Now: a posting and an import add to the row in one UPDATE; what cannot be added up
        # (a reconciliation, a grant, a year) recomputes under the row's lock.
        entry = JournalEntry.objects.filter(status=JournalEntry.Status.POSTED).latest("pk")
        rows = list(JournalLine.objects.filter(entry=entry).values(*LINE_FIELDS))

        def booking_adjust():
            ledger_facts.entries_posted(entries=[entry], lines_by_entry={entry.pk: rows})

        def bank_adjust():
            bank_facts.lines_added([dt.date(year, 3, 1)] * 10)

        before = {"booking": timed(booking_recompute), "bank": timed(bank_recompute)}
        after = {"booking": timed(booking_adjust), "bank": timed(bank_adjust)}
        locked = {
            "bank": timed(bank_facts.refresh),
            "budget": timed(lambda: ledger_facts.refresh(ledger_facts.BUDGET)),
            "year": timed(lambda: ledger_facts.refresh(ledger_facts.AUDIT)),
        }

        def post_one():
            ledger_services.entry_create(
                date=dt.date(year, 6, 1), description="Meting", user=treasurer, post=True,
                lines=[LineInput(account=expense, debit=Decimal("1.00")),
                       LineInput(account=bank, credit=Decimal("1.00"))],
            )  # fmt: skip

        expense, bank = Account.objects.get(code="4000"), Account.objects.get(code="1000")
        whole = timed(post_one, runs=20, keep=True)
    print(f"facts write cost per write (median of 50, {args.entries} entries and 10 bank "
          f"lines a group; target ≤ 5 ms):")  # fmt: skip
    for topic in before:
        print(f"  {topic}: before (recompute and upsert) {before[topic] * 1000:.2f} ms, "
              f"now (one UPDATE) {after[topic] * 1000:.2f} ms")  # fmt: skip
    print("  recomputed under the row's lock (reconciliation, grant, year): "
          + ", ".join(f"{k} {v * 1000:.2f} ms" for k, v in locked.items()))  # fmt: skip
    print(f"a whole posted entry with its facts (median of 20, committed): {whole * 1000:.1f} ms")
    call_command("rebuild_group_facts", "--check")
    print("rebuild_group_facts --check after the measured writes: equal")

    if not (args.keep or args.reuse):
        drop_database(DB)


if __name__ == "__main__":
    main()
