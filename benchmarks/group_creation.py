"""Creating a group: clone path vs migration path, at 10 and at N existing groups,
and a no-op migrate_schemas over N groups.

    python benchmarks/group_creation.py [--groups 500] [--keep]

Targets (issue 2): clone ≤ 0.5 s per group and ≥ 10× faster than migrations;
no-op migrate_schemas over 500 groups ≤ 30 s.
"""

import argparse
import os
import subprocess
import sys
import time

from _setup import ROOT, drop_database, median, use_database

DB = "bench_groups"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=500)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    args = parser.parse_args()

    use_database(DB, fresh=True)
    from django.core.management import call_command
    from django.db import connection

    from tenants.services import group_create

    t = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    print(f"initial migrate (public + template): {time.perf_counter() - t:.1f} s")

    counter = iter(range(1_000_000))

    def clone_one():
        n = next(counter)
        start = time.perf_counter()
        group_create(name=f"Groep {n}", slug=f"groep-{n:05d}", district="noord")
        return time.perf_counter() - start

    def migrate_one():
        n = next(counter)
        schema = f"migrated_{n}"
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema}"')
        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
        elapsed = time.perf_counter() - start
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
        return elapsed

    def measure(existing):
        clones = [clone_one() for _ in range(args.samples)]
        migrations = [migrate_one() for _ in range(max(2, args.samples // 2))]
        c, m = median(clones), median(migrations)
        print(
            f"at {existing:>4} groups: clone median {c * 1000:7.0f} ms, "
            f"migrations median {m * 1000:7.0f} ms, clone is {m / c:5.1f}x faster"
        )

    while next_count() < 10:
        clone_one()
    measure(10)
    t = time.perf_counter()
    while next_count() < args.groups:
        clone_one()
    print(f"filled to {args.groups} groups in {time.perf_counter() - t:.0f} s")
    measure(args.groups)

    env = dict(os.environ)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    total = next_count()
    print(
        f"no-op migrate_schemas over {total} groups: {time.perf_counter() - start:.1f} s "
        "(whole command, including start-up)"
    )
    if not args.keep:
        drop_database(DB)


def next_count():
    from tenants.models import Group

    return Group.objects.filter(is_template=False).count()


if __name__ == "__main__":
    main()
