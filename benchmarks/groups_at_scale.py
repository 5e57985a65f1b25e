"""Groups at scale (issue 13): creating a group in a fresh process and in a warm one, one new
tenant migration over every schema, the no-op upgrade, and what one group costs the database.

    python benchmarks/groups_at_scale.py [--groups 200] [--reuse] [--with-pg-dump]
    python benchmarks/groups_at_scale.py --db bench_support --reuse --groups 1000 --only-creation

The database `bench_scale` is filled to --groups groups; with --reuse it is kept and reused
(filled up only). `--db` measures another benchmark's database (e.g. the 1,000 groups with
books that benchmarks/support.py fills); `--only-creation` times start-up and creation only:
Django's bare start-up, ours, `manage.py check`, a whole `create_group` process (wall clock
and CPU seconds: on a shared machine the CPU seconds are what the load does not inflate), the
first and warm in-process creations, and `export_group` (still pg_dump).

The database `bench_scale` is filled to --groups groups; with --reuse it is kept and reused
(filled up only), because building 1,000 schemas takes minutes. Targets at 1,000 groups:
fresh-process create_group ≤ 2 s, in-process ≤ 0.5 s, one migration over all ≤ 10 min.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, drop_database, median, use_database

DB = "bench_scale"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=200)
    parser.add_argument("--samples", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep and reuse the database")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--fill-only", action="store_true", help="only fill the database")
    parser.add_argument(
        "--only-upgrade", action="store_true", help="only first creation and the upgrade"
    )
    parser.add_argument(
        "--with-pg-dump", action="store_true", help="also time the old pg_dump snapshot"
    )
    parser.add_argument(
        "--stock-sample", type=int, default=3, help="schemas migrated the django-tenants way"
    )
    parser.add_argument("--db", default=DB, help="the database to fill and measure")
    parser.add_argument(
        "--only-creation", action="store_true", help="only start-up, creation and export"
    )
    args = parser.parse_args()

    url = use_database(args.db, fresh=not args.reuse)
    from django.core.management import call_command
    from django.db import connection

    from tenants.models import Group
    from tenants.services import group_create

    t = time.perf_counter()
    call_command("migrate_schemas", interactive=False, verbosity=0)
    print(f"migrate_schemas at start: {time.perf_counter() - t:.1f} s")

    def count():
        return Group.objects.filter(is_template=False).count()

    made = []

    def create(prefix):
        n = time.time_ns()
        start = time.perf_counter()
        group = group_create(name=f"Groep {n}", slug=f"{prefix}-{n}", district="noord")
        made.append(group)
        return time.perf_counter() - start

    t = time.perf_counter()
    before = count()
    while count() < args.groups:
        create("g")
    made.clear()  # the fill stays; only the measured groups are removed at the end
    if count() > before:
        filled = count() - before
        seconds = time.perf_counter() - t
        print(f"filled {filled} groups in {seconds:.0f} s ({seconds / filled * 1000:.0f} ms each)")
    total = count()
    print(f"groups: {total}")
    if args.fill_only:
        return
    if args.only_creation:
        made = creation_figures(args, url, total)
        with connection.cursor() as cursor:
            for group in made:
                cursor.execute(f'DROP SCHEMA "{group.schema_name}" CASCADE')
        Group.objects.filter(pk__in=[g.pk for g in made]).delete()
        return
    if args.only_upgrade:
        made = main_first_creation(url)
        one_migration(args, call_command, count)
        with connection.cursor() as cursor:
            for group in made:
                cursor.execute(f'DROP SCHEMA "{group.schema_name}" CASCADE')
        Group.objects.filter(pk__in=[g.pk for g in made]).delete()
        return

    # 1. in-process creation (warm process: snapshot in memory)
    warm = [create("warm") for _ in range(args.samples)]
    print(f"in-process group_create at {total} groups: median {median(warm) * 1000:.0f} ms")

    # 2. the snapshot itself: built from the template's catalog rows (what migrate_schemas does
    #    when the template changed), and the old pg_dump for comparison
    from tenants import schemas

    t = time.perf_counter()
    schemas.template_snapshot_store()
    print(f"snapshot built from the template's catalog rows: {time.perf_counter() - t:.2f} s")
    if args.with_pg_dump:
        t = time.perf_counter()
        subprocess.run(
            [schemas._pg_dump_binary(), "--schema=group_template", "--no-owner", "--inserts"],
            env=schemas._libpq_env(),
            capture_output=True,
            check=True,
        )
        print(f"pg_dump --schema of the template (old way): {time.perf_counter() - t:.1f} s")

    # 3. fresh-process creation: `manage.py create_group`, the whole process
    env = dict(os.environ, DATABASE_URL=url, PYTHONWARNINGS="ignore")
    startup = []
    fresh = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", "pass"], cwd=ROOT, env=env, check=True
        )
        startup.append(time.perf_counter() - t)
        n = time.time_ns()
        t = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "create_group", "--name", f"Vers {n}"]
            + ["--slug", f"vers-{n}", "--district", "oost"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        fresh.append(time.perf_counter() - t)
        made.append(Group.objects.get(slug=f"vers-{n}"))
    print(
        f"fresh-process manage.py create_group at {total} groups: median "
        f"{median(fresh):.2f} s (Django start-up alone {median(startup):.2f} s)"
    )
    first_creation(env, made, Group)

    # 4. what one group costs
    print_costs(connection, made[0].schema_name, total + 1)

    # 5. the no-op upgrade, whole command
    t = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "migrate_schemas", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    print(f"no-op migrate_schemas over {count()} groups: {time.perf_counter() - t:.1f} s")

    # 6. one new tenant migration over every schema
    one_migration(args, call_command, count)

    with connection.cursor() as cursor:
        for group in made:
            cursor.execute(f'DROP SCHEMA "{group.schema_name}" CASCADE')
    Group.objects.filter(pk__in=[g.pk for g in made]).delete()
    if not args.reuse:
        drop_database(args.db)


def _run(command, env):
    """Wall-clock and CPU seconds (user + system, the process and its children) of a command."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def _server_cpu(pid: int) -> float | None:
    """CPU seconds the database server process `pid` has used (when it runs on this machine:
    the embedded server). Wall-clock time on a shared machine is inflated by the load; the CPU
    seconds are not."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def creation_figures(args, url, total):
    """Start-up and creation at `total` groups, median of --samples runs each."""
    from django.db import connection

    from tenants.models import Group
    from tenants.services import group_create

    env = dict(os.environ, DATABASE_URL=url, PYTHONWARNINGS="ignore")
    bare = (
        "import django; from django.conf import settings; settings.configure(INSTALLED_APPS="
        "['django.contrib.contenttypes', 'django.contrib.auth', 'django.contrib.sessions', "
        "'django.contrib.messages', 'django.contrib.admin'], DATABASES={'default': "
        "{'ENGINE': 'django.db.backends.postgresql'}}); django.setup()"
    )
    ours = "import django; django.setup()"
    env_ours = dict(env, DJANGO_SETTINGS_MODULE="backoffice.settings")
    commands = {
        "bare Django (5 contrib apps), django.setup()": ([sys.executable, "-c", bare], env),
        "ours, django.setup()": ([sys.executable, "-c", ours], env_ours),
        "manage.py shell -c pass": ([sys.executable, "manage.py", "shell", "-c", "pass"], env),
        "manage.py check": ([sys.executable, "manage.py", "check"], env),
    }
    made = []
    figures = {}
    for label, (command, command_env) in commands.items():
        runs = [_run(command, command_env) for _ in range(args.samples)]
        figures[label] = (median([r[0] for r in runs]), median([r[1] for r in runs]))
    runs = []
    for _ in range(args.samples):
        n = time.time_ns()
        command = [sys.executable, "manage.py", "create_group", "--name", f"Vers {n}"]
        runs.append(_run(command + ["--slug", f"vers-{n}", "--district", "oost"], env))
        made.append(Group.objects.get(slug=f"vers-{n}"))
    figures[f"manage.py create_group at {total} groups"] = (
        median([r[0] for r in runs]),
        median([r[1] for r in runs]),
    )
    print(f"start-up and fresh-process creation (median of {args.samples}; wall s / CPU s):")
    for label, (wall, cpu) in figures.items():
        print(f"  {label}: {wall:.2f} s / {cpu:.2f} s CPU")
    first_creation(env, made, Group)

    # in-process, warm: a fresh connection first (a server process that made hundreds of
    # schemas keeps all their relations in its caches and is slower for it)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    warm, ours, server = [], [], []
    for _ in range(args.samples):
        n = time.time_ns()
        start, cpu, db = time.perf_counter(), time.process_time(), _server_cpu(backend)
        made.append(group_create(name=f"Warm {n}", slug=f"warm-{n}", district="oost"))
        warm.append(time.perf_counter() - start)
        ours.append(time.process_time() - cpu)
        if db is not None:
            server.append(_server_cpu(backend) - db)
    print(
        f"in-process group_create at {total} groups: median {median(warm) * 1000:.0f} ms "
        f"(runs: {', '.join(f'{w * 1000:.0f}' for w in warm)}); CPU per creation: "
        f"this process {median(ours) * 1000:.0f} ms"
        + (f", its database server process {median(server) * 1000:.0f} ms" if server else "")
    )

    # export_group still runs pg_dump --schema, which reads the catalog of the whole database
    target = Group.objects.filter(is_template=False).order_by("pk")[total // 2]
    with tempfile.TemporaryDirectory() as tmp:
        wall, cpu, _out = _run(
            [sys.executable, "manage.py", "export_group", "--group", target.slug,
             str(Path(tmp) / "g.tar")],
            env,
        )  # fmt: skip
    print(f"manage.py export_group (pg_dump --schema) at {total} groups: {wall:.1f} s "
          f"({cpu:.1f} s CPU in our processes and pg_dump)")  # fmt: skip
    return made


def first_creation(env, made, Group):
    """The first group_create in a new process, timed inside it: what a freshly started web
    worker makes the coordinator wait for (no Django start-up in it)."""
    code = (
        "import time\n"
        "from tenants.services import group_create\n"
        "t = time.perf_counter()\n"
        "group_create(name='Eerste {n}', slug='eerste-{n}', district='oost')\n"
        "print(f'{{time.perf_counter() - t:.3f}}')\n"
    )
    seconds = []
    for _ in range(3):
        n = time.time_ns()
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code.format(n=n)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        seconds.append(float(done.stdout.strip().splitlines()[-1]))
        made.append(Group.objects.get(slug=f"eerste-{n}"))
    print(f"first group_create in a new process (timed inside it): median {median(seconds):.2f} s")


def main_first_creation(url):
    from tenants.models import Group

    made = []
    first_creation(dict(os.environ, DATABASE_URL=url, PYTHONWARNINGS="ignore"), made, Group)
    return made


def print_costs(connection, schema, schemas_in_db):
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FILTER (WHERE c.relkind = 'r'),
                   count(*) FILTER (WHERE c.relkind = 'i'),
                   count(*) FILTER (WHERE c.relkind = 'S'),
                   count(*) FILTER (WHERE c.reltoastrelid <> 0),
                   (SELECT count(*) FROM pg_attribute a JOIN pg_class k ON k.oid = a.attrelid
                    WHERE k.relnamespace = n.oid),
                   sum(pg_total_relation_size(c.oid)) FILTER (WHERE c.relkind = 'r')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = %s GROUP BY n.oid
            """,
            [schema],
        )
        tables, indexes, sequences, toasted, attributes, bytes_on_disk = cursor.fetchone()
        cursor.execute(
            """
            SELECT pg_database_size(current_database()),
                   (SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
                    JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE n.nspname = 'pg_catalog' AND c.relkind = 'r'),
                   (SELECT count(*) FROM pg_class), (SELECT count(*) FROM pg_attribute)
            """
        )
        database, catalog, classes, all_attributes = cursor.fetchone()
    mb = 1024 * 1024
    print(
        f"one new group: {tables} tables, {indexes} indexes, {sequences} sequences, "
        f"{toasted} toast tables, {attributes} pg_attribute rows, "
        f"{bytes_on_disk / 1024:.0f} kB on disk"
    )
    print(
        f"database: {database / mb:.0f} MB, "
        f"{database / schemas_in_db / 1024:.0f} kB per schema; "
        f"system catalogs {catalog / mb:.0f} MB, "
        f"{catalog / schemas_in_db / 1024:.0f} kB per schema; "
        f"pg_class {classes} rows, pg_attribute {all_attributes} rows"
    )


def one_migration(args, call_command, count):
    """Add one migration to `groups` (a column on the profile) through a temporary copy of its
    migrations package, and apply it: first to a few schemas the django-tenants way (the whole
    `migrate` command per schema), then to the rest with migrate_schemas."""
    from django.conf import settings
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django_tenants.migration_executors.base import run_migrations

    from tenants.migration_executor import schemas_behind
    from tenants.models import Group

    leaf = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("groups")[0]
    stamp = time.strftime("%Y%m%d%H%M%S")
    package = f"bench_groups_migrations_{stamp}"
    folder = Path(tempfile.mkdtemp()) / package
    shutil.copytree(ROOT / "groups" / "migrations", folder)
    (folder / f"9000_bench_{stamp}.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('groups', '{leaf[1]}')]\n"
        "    operations = [migrations.RunSQL(\n"
        f"        'ALTER TABLE groups_profile ADD COLUMN bench_{stamp} text;'\n"
        f"        'CREATE INDEX bench_{stamp} ON groups_profile (bench_{stamp});',\n"
        f"        'DROP INDEX bench_{stamp};'\n"
        f"        'ALTER TABLE groups_profile DROP COLUMN bench_{stamp};',\n"
        "    )]\n"
    )
    sys.path.insert(0, str(folder.parent))
    settings.MIGRATION_MODULES = {**getattr(settings, "MIGRATION_MODULES", {}), "groups": package}
    try:
        schemas = list(
            Group.objects.filter(is_template=False)
            .order_by("id")
            .values_list("schema_name", flat=True)
        )
        from django_tenants.utils import get_tenant_base_migrate_command_class

        parser = get_tenant_base_migrate_command_class()().create_parser("manage.py", "migrate")
        options = {**vars(parser.parse_args([])), "verbosity": 0, "interactive": False}
        options["skip_checks"] = True
        stock = []
        for schema in schemas[: args.stock_sample]:
            t = time.perf_counter()
            run_migrations([], options, "standard", schema)
            stock.append(time.perf_counter() - t)
        connection.set_schema_to_public()
        if stock:
            print(
                f"one migration, django-tenants way (whole migrate per schema): median "
                f"{median(stock):.2f} s per schema → {median(stock) * len(schemas) / 60:.1f} min "
                f"for {len(schemas)}"
            )
        t = time.perf_counter()
        call_command("migrate_schemas", interactive=False, verbosity=1, workers=args.workers)
        seconds = time.perf_counter() - t
        left = schemas_behind(schemas)
        print(
            f"one migration over {count()} group schemas (+ template, public) with "
            f"migrate_schemas: {seconds:.0f} s ({seconds / 60:.1f} min), {len(left)} left behind"
        )
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
