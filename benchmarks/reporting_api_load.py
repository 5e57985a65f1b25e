"""GET of a report under load: gunicorn serving, locust (headless) in a second process.

    python benchmarks/reporting_api_load.py [--groups 40] [--users 50] [--rate 1] [--seconds 30]
                                            [--workers 4] [--database bench_reporting]

Needs the `bench` extra (`pip install -c constraints.txt ".[bench]"`: locust; gunicorn is a
dependency of the product). In a database of its own (bench_reporting_api; or, with
`--database`, one a `benchmarks/reporting.py --keep` run left, with its 1,000 groups), with
N groups spread over Amsterdam's districts: the 2026-Q3 reports are generated, one API key is
made per simulated client (each municipal system has its own key, so the per-key throttle is
the real one), gunicorn serves the product on 127.0.0.1 with `--workers` sync workers, and
after a warm-up of every worker, locust (FastHttpUser) runs `--users` clients that each GET
one report (`/api/v1/reports/{id}`, the largest
district's) `--rate` times a second on average (Poisson arrivals; `--burst`: all clients in
step, at the same instant each period) for `--seconds`. Printed: requests, failures, achieved
requests per second, median, p95 and p99 in ms, the report's size, and the load average.
Target (issue 12): p95 ≤ 50 ms with 50 concurrent clients on this 2-core machine.
"""

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from _setup import drop_database, use_database

ROOT = Path(__file__).resolve().parent.parent
DISTRICTS = ["centrum", "nieuw-west", "noord", "oost", "west", "zuid", "zuidoost", "weesp"]

LOCUSTFILE = """
import itertools, os, random
import gevent
from locust import FastHttpUser, constant_throughput, poisson, task

KEYS = itertools.cycle(os.environ["BENCH_KEYS"].split(","))
REPORT = os.environ["BENCH_REPORT"]
RATE = float(os.environ["BENCH_RATE"])
BURST = os.environ.get("BENCH_BURST") == "1"


class Municipality(FastHttpUser):
    # Independent systems: each asks at moments of its own, RATE times a second on average
    # (Poisson arrivals, locust's model of real users). --burst: locust's constant
    # throughput, all clients started in the same second (docs/benchmarks.md: its latencies
    # are far above what gunicorn itself measures; kept as the worst case).
    wait_time = constant_throughput(RATE) if BURST else poisson(RATE)

    def on_start(self):
        self.key = "Api-Key " + next(KEYS)
        if not BURST:
            gevent.sleep(random.random() / RATE)

    @task
    def report(self):
        self.client.get(REPORT, name="report", headers={"Authorization": self.key})
"""


def prepare(groups: int, users: int, database: str | None) -> tuple[str, list[str], int]:
    os.environ.setdefault("BUURTKAS_LEDGER_KEY", "benchmark-only-ledger-key-not-for-production")
    if database:
        use_database(database, fresh=False)
    else:
        use_database("bench_reporting_api", fresh=True)
    from django.core.management import call_command

    from backoffice.reporting import services
    from backoffice.reporting.models import ReportSnapshot
    from tenants import facade as tenants
    from tenants.models import User
    from tenants.services import group_create

    if database:
        call_command("migrate_schemas", "--shared", interactive=False, verbosity=0)
    else:
        call_command("migrate_schemas", interactive=False, verbosity=0)
        for n in range(groups):
            group_create(
                name=f"Groep {n}", slug=f"groep-{n:05d}", district=DISTRICTS[n % len(DISTRICTS)]
            )
    coordinator, _ = User.objects.get_or_create(
        username="bench-coordinator", defaults={"org_role": User.OrgRole.COORDINATOR}
    )
    if not ReportSnapshot.objects.filter(period__code="2026-Q3").exists():
        services.reports_generate(period_code="2026-Q3", user=coordinator)
    snapshot = max(
        ReportSnapshot.objects.filter(period__code="2026-Q3", superseded_by__isnull=True),
        key=lambda s: len(s.canonical),
    )
    amsterdam = tenants.Municipality.objects.get(code="0363")
    keys = []
    for n in range(users):
        client = services.client_create(
            user=coordinator, name=f"Belasting {n}", municipality=amsterdam
        )
        keys.append(services.key_create(client=client, user=coordinator)[1])
    return f"/api/v1/reports/{snapshot.pk}", keys, len(snapshot.canonical)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=40)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--rate", type=float, default=1.0, help="requests per second per client")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--database", help="reuse this database (e.g. bench_reporting)")
    parser.add_argument(
        "--burst", action="store_true", help="every client asks at the same instant each period"
    )
    args = parser.parse_args()

    report, keys, size = prepare(args.groups, args.users, args.database)
    from django.db import connections

    connections.close_all()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECURE": "0",
        "BENCH_KEYS": ",".join(keys),
        "BENCH_REPORT": report,
        "BENCH_RATE": str(args.rate),
        "BENCH_BURST": "1" if args.burst else "0",
    }
    venv = Path(sys.executable).parent
    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(venv / "gunicorn"),
            "backoffice.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(120):  # wait until it answers
            try:
                urllib.request.urlopen(f"{host}/api/v1/openapi.json", timeout=2)
                break
            except OSError:
                time.sleep(0.5)
        # Warm every worker up (its first request loads URLs, templates and translations, ~2 s
        # here): a few concurrent rounds before the measured run.
        from concurrent.futures import ThreadPoolExecutor

        def warm(n):
            request = urllib.request.Request(
                host + report, headers={"Authorization": f"Api-Key {keys[n % len(keys)]}"}
            )
            urllib.request.urlopen(request, timeout=30).read()

        with ThreadPoolExecutor(args.workers * 2) as pool:
            list(pool.map(warm, range(args.workers * 6)))
        with tempfile.TemporaryDirectory() as tmp:
            locustfile = Path(tmp) / "locustfile.py"
            locustfile.write_text(LOCUSTFILE)
            prefix = str(Path(tmp) / "stats")
            subprocess.run(
                [
                    str(venv / "locust"),
                    "-f",
                    str(locustfile),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",  # all started at once; each waits for its own moment
                    str(args.users),
                    "--run-time",
                    f"{args.seconds}s",
                    "--host",
                    host,
                    "--csv",
                    prefix,
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=tmp,
                env=env,
                check=False,
                stdout=subprocess.DEVNULL,
            )
            load = Path("/proc/loadavg").read_text().split()[:3]
            with open(f"{prefix}_stats.csv") as fh:
                row = next(r for r in csv.DictReader(fh) if r["Name"] == "report")
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"GET {report} ({size / 1024:.0f} KiB of content) by {args.users} clients at "
        f"{args.rate:g}/s each{' in step (burst)' if args.burst else ''} for {args.seconds} s, "
        f"gunicorn {args.workers} workers: "
        f"{row['Request Count']} requests, {row['Failure Count']} failures, "
        f"{float(row['Requests/s']):.0f} req/s; median {row['50%']} ms, p95 {row['95%']} ms "
        f"(target ≤ 50 ms), p99 {row['99%']} ms; load average {' '.join(load)}"
    )
    if not args.database:
        drop_database("bench_reporting_api")


if __name__ == "__main__":
    main()
