"""Groups at scale: the stored template snapshot, the resumable upgrade, lighter schemas."""

import shutil
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import schema_exists

import tenants.schemas as schemas
import tenants.upgrade as upgrade_module
from tenants.models import Group, TemplateSnapshot
from tenants.schemas import (
    schema_signature,
    template_fingerprint,
    template_schema_name,
    template_snapshot,
    template_snapshot_store,
)
from tenants.services import group_create
from tenants.upgrade import SchemaUpgrader, upgrade_schemas
from tests.backoffice.conftest import manage_env  # noqa: F401 (fixture)
from tests.tenants.conftest import SHARES_THE_FRESH_SCHEMA

PROBE_COLUMN = "scale_probe"


@pytest.fixture
def probe(settings, tmp_path, monkeypatch) -> tuple[str, str]:
    """One new migration for `groups` (a column with an index), through a copy of its
    migrations package: every existing schema is one migration behind."""
    leaf = MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes("groups")[0]
    package = f"scale_probe_{tmp_path.name.replace('-', '_')}"
    shutil.copytree(settings.BASE_DIR / "groups" / "migrations", tmp_path / package)
    (tmp_path / package / "9000_probe.py").write_text(
        "from django.db import migrations\n\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('groups', '{leaf[1]}')]\n"
        "    operations = [migrations.RunSQL(\n"
        f"        'ALTER TABLE groups_profile ADD COLUMN {PROBE_COLUMN} text;'\n"
        f"        'CREATE INDEX {PROBE_COLUMN} ON groups_profile ({PROBE_COLUMN});',\n"
        f"        'DROP INDEX {PROBE_COLUMN};'\n"
        f"        'ALTER TABLE groups_profile DROP COLUMN {PROBE_COLUMN};',\n"
        "    )]\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    settings.MIGRATION_MODULES = {"groups": package}
    return ("groups", "9000_probe")


def _applied(schema: str) -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        return set(cursor.fetchall())


def _index_count(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_indexes WHERE schemaname = %s", [schema])
        return cursor.fetchone()[0]


def _refuse_recording(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f'ALTER TABLE "{schema}".django_migrations ADD CONSTRAINT no_probe '
            "CHECK (name <> '9000_probe')"
        )


@SHARES_THE_FRESH_SCHEMA
def test_clone_from_stored_snapshot_equals_freshly_migrated_schema(
    world, monkeypatch, fresh_migrated_schema
):
    # given: the snapshot stored by migrate_schemas, and a process that has none in memory
    fingerprint = template_fingerprint()
    assert TemplateSnapshot.objects.filter(fingerprint=fingerprint).exists()
    monkeypatch.setattr(schemas, "_snapshots", {})
    monkeypatch.setattr(schemas, "_build_snapshot", lambda template: pytest.fail("rebuilt"))
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: pytest.fail("no pg_dump"))
    # when
    group = group_create(name="Uit de opslag", slug="uit-de-opslag", district="oost")
    monkeypatch.undo()
    # then: it equals a schema built by running every migration (tests/tenants/conftest.py)
    fresh = fresh_migrated_schema
    assert schema_signature(group.schema_name) == schema_signature(fresh)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT code FROM "{group.schema_name}".finance_account ORDER BY code')
        cloned_chart = cursor.fetchall()
        cursor.execute(f'SELECT code FROM "{fresh}".finance_account ORDER BY code')
        assert cloned_chart == cursor.fetchall() != []
        # the sequences go on after the template's rows
        cursor.execute(f'SELECT last_value FROM "{group.schema_name}".finance_account_id_seq')
        assert cursor.fetchone()[0] == len(cloned_chart)
    assert _applied(group.schema_name) == _applied(fresh)


def test_snapshot_from_before_a_migration_is_refused_after_it(world):
    # given: a stored snapshot of the template as it is
    template = template_schema_name()
    before = template_snapshot_store()
    old_body = template_snapshot()
    # when: a migration changes the template (a column and its django_migrations row)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{template}".groups_profile ADD COLUMN motto text')
        cursor.execute(
            f'INSERT INTO "{template}".django_migrations (app, name, applied) '
            "VALUES ('groups', '9999_motto', now())"
        )
    # then: the old snapshot is not used; the new group gets the new column
    assert template_fingerprint() != before
    assert template_snapshot() != old_body
    group = group_create(name="Na de migratie", slug="na-de-migratie", district="west")
    columns = {c[1] for c in schema_signature(group.schema_name)["columns"]}
    assert "motto" in columns
    assert ("groups", "9999_motto") in _applied(group.schema_name)


def test_a_damaged_stored_snapshot_is_not_used(world, monkeypatch):
    # given: the stored snapshot altered after it was made
    fingerprint = template_snapshot_store()
    stored = TemplateSnapshot.objects.get(fingerprint=fingerprint)
    stored.body["before_rows"].append('CREATE TABLE "{schema}".smuggled (x int);')
    stored.save()
    monkeypatch.setattr(schemas, "_snapshots", {})
    # when
    group = group_create(name="Onbeschadigd", slug="onbeschadigd", district="oost")
    # then: it was rebuilt from the template instead
    tables = {c[0] for c in schema_signature(group.schema_name)["columns"]}
    assert "smuggled" not in tables
    assert schema_signature(group.schema_name) == schema_signature(template_schema_name())


def _columns(schema: str) -> set[str]:
    return {c[1] for c in schema_signature(schema)["columns"] if c[0] == "groups_profile"}


def test_resumable_upgrade_skips_finished_schemas_and_reports_failures(world, probe):
    # given: three groups behind one new migration; one is brought up to date first
    current, behind, failing = (
        group_create(name=f"Groep {n}", slug=f"upgrade-{n}", district="noord").schema_name
        for n in ("a", "b", "c")
    )
    assert upgrade_schemas([current]).upgraded == [current]
    # and in one of them the migration fails after its DDL ran (recording it is refused)
    _refuse_recording(failing)
    indexes_before = _index_count(failing)
    # when
    report = upgrade_schemas([current, behind, failing])
    # then: the failure is reported, the others went on, the failed schema is as it was
    assert list(report.failed) == [failing] and "no_probe" in report.failed[failing]
    assert probe in _applied(behind) and PROBE_COLUMN in _columns(behind)
    assert probe not in _applied(failing) and PROBE_COLUMN not in _columns(failing)
    assert _index_count(failing) == indexes_before == _index_count(behind) - 1
    # when: the cause is gone and the upgrade runs again
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER TABLE "{failing}".django_migrations DROP CONSTRAINT no_probe')
    applied = []
    real_upgrade = SchemaUpgrader.upgrade

    def counting(self, schema):
        count = real_upgrade(self, schema)
        if count:
            applied.append(schema)
        return count

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SchemaUpgrader, "upgrade", counting)
        report = upgrade_schemas([current, behind, failing])
    # then: only the unfinished schema was migrated, and now all three are alike
    assert applied == [failing]
    assert report.failed == {}
    assert schema_signature(failing) == schema_signature(behind) == schema_signature(current)


def test_second_schema_at_a_state_replays_the_first_ones_statements(world, probe, monkeypatch):
    # given: two groups behind the same migration
    first, second = (
        group_create(name=f"Gelijk {n}", slug=f"gelijk-{n}", district="west").schema_name
        for n in (1, 2)
    )
    replayed = []
    real_replay = upgrade_module._replay

    def spy(recipe):
        replayed.append([str(sql) for sql, _params, _many in recipe])
        real_replay(recipe)

    monkeypatch.setattr(upgrade_module, "_replay", spy)
    # when
    report = upgrade_schemas([first, second])
    # then: the second ran the first one's DDL and record, without Django's catalog reads
    assert report.upgraded == [first, second]
    assert len(replayed) == 1
    statements = " ".join(replayed[0]).upper()
    assert "ALTER TABLE GROUPS_PROFILE ADD COLUMN" in statements
    assert 'INSERT INTO "DJANGO_MIGRATIONS"' in statements
    assert "PG_CATALOG.PG_CLASS" not in statements
    assert probe in _applied(second)
    assert schema_signature(second) == schema_signature(first)


def test_migrate_schemas_finishes_the_rest_and_names_what_failed(world, probe, capsys):
    # given: every schema is behind; one of them cannot record the migration
    broken = group_create(name="Kapot", slug="kapot", district="noord").schema_name
    _refuse_recording(broken)
    # when
    with pytest.raises(CommandError, match="1 schema"):
        call_command("migrate_schemas", interactive=False, verbosity=1)
    out = capsys.readouterr().out
    # then: the others are done (template first, with its snapshot), the broken one is named
    assert f"mislukt: {broken}" in out
    for schema in (template_schema_name(), world.group_a.schema_name, world.group_b.schema_name):
        assert probe in _applied(schema), schema
    assert probe not in _applied(broken)
    new = group_create(name="Daarna", slug="daarna", district="noord").schema_name
    assert PROBE_COLUMN in _columns(new)


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_upgrade_committed_schemas(committed_world, probe):
    # given: two more committed groups; all three are behind
    suffix = committed_world.group_a.slug
    extra = [
        group_create(name=f"Parallel {n}", slug=f"{suffix}-{n}", district="oost") for n in (1, 2)
    ]
    names = [committed_world.group_a.schema_name] + [g.schema_name for g in extra]
    lines = []
    try:
        # when: two forked workers share the list
        report = upgrade_schemas(names, workers=2, progress=lines.append, every=1)
        # then
        assert sorted(report.upgraded) == sorted(names)
        assert report.failed == {} and report.not_reached == []
        assert all(probe in _applied(s) and PROBE_COLUMN in _columns(s) for s in names)
        assert lines[-1].startswith("[upgrade] 3/3")
    finally:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            for group in extra:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{group.schema_name}" CASCADE')
        Group.objects.filter(pk__in=[g.pk for g in extra]).delete()


@pytest.mark.django_db(transaction=True)
def test_group_creation_killed_halfway_leaves_nothing(committed_world, manage_env):  # noqa: F811
    # given: a process that stops for good after the schema is made, before it commits
    code = (
        "import time, tenants.services as s\n"
        "real = s.clone_template\n"
        "def slow(schema):\n"
        "    real(schema)\n"
        "    from django.db import connection\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT pg_backend_pid()')\n"
        "        print('halverwege', cursor.fetchone()[0], flush=True)\n"
        "    time.sleep(120)\n"
        "s.clone_template = slow\n"
        "s.group_create(name='Half', slug='half-afgebroken', district='noord')\n"
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=settings.BASE_DIR,
        env=manage_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for line in process.stdout:
            if line.startswith("halverwege"):
                backend = int(line.split()[1])
                break
        else:
            pytest.fail("the process ended before it made the schema")
        # when: it is killed
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    # then: once its connection is gone (nothing of it can commit any more), there is no
    # row and no schema
    deadline = time.monotonic() + 20
    while True:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend])
            if cursor.fetchone()[0] == 0:
                break
        assert time.monotonic() < deadline, "the killed process's connection stayed"
        time.sleep(0.2)
    assert not Group.objects.filter(slug="half-afgebroken").exists()
    assert not schema_exists("g_half_afgebroken")


def test_history_tables_keep_one_index_besides_their_key(world):
    """Every history query filters on the original row's id (tenants/history.py)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT tablename, count(*), bool_or(indexdef LIKE '%%(id)')
            FROM pg_indexes WHERE schemaname = %s AND tablename LIKE '%%_historical%%'
            GROUP BY 1
            """,
            [world.group_a.schema_name],
        )
        per_table = cursor.fetchall()
    assert len(per_table) > 20
    for table, count, has_id_index in per_table:
        assert (count, has_id_index) == (2, True), table
