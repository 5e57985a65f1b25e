"""Bringing many group schemas up to the migrations on disk, fast and resumably.

django-tenants runs the whole `migrate` command once per schema: it loads the migration graph
and renders every model of the project again for each schema (~1.35 s per schema, 22 minutes
for one new migration over 1,000 groups), and a migration with many operations re-renders
related models for each of them (tens of seconds per schema). Here one process loads the
graph once; the first schema at a given migration state is migrated by Django's executor
while the SQL it runs is recorded, and every further schema at that state replays that SQL
(the schemas are clones of one template, so the SQL is the same; names are unqualified and
resolve through the schema's search path). A few worker processes (forked after the graph is
loaded) share the list.

- Replaying is only done for plans without RunPython (whose effect may depend on the rows)
  and with atomic migrations only; other plans run through the executor for every schema. A
  replay that fails is retried through the executor for that schema before it counts as
  failed, so a schema that differs from its peers still gets the real migration.

- Each schema is upgraded in one transaction (when every pending migration is atomic, which
  is Django's default): an interrupted or failed upgrade leaves that schema exactly as it was.
- What is done is read from each schema's own `django_migrations`, so a rerun skips finished
  schemas and finishes the rest; no separate progress table can disagree with the schemas.
- A schema that fails is reported with its error and the others go on; the command then ends
  with a non-zero exit.
- Django's `pre_migrate`/`post_migrate` signals are not sent for group schemas: their receivers
  (content types, permissions) only write to the public schema, which the public run handles.

See docs/adr/0007-groups-at-scale.md for the order of changes that keeps running servers
working (expand, migrate, contract).
"""

import multiprocessing
import os
import queue
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field

from django.db import connection, connections, migrations, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.signals import schema_migrated

from tenants.schemas import TEMPLATE_LOCK, template_schema_name


def default_workers() -> int:
    configured = os.environ.get("BUURTKAS_MIGRATION_WORKERS")
    if configured:
        return max(1, int(configured))
    return max(1, min(4, os.cpu_count() or 1))


@dataclass
class UpgradeReport:
    upgraded: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    not_reached: list[str] = field(default_factory=list)
    seconds: float = 0.0


class SchemaUpgrader:
    """Applies the pending migrations to one schema after another, on one connection."""

    def __init__(self):
        connection.set_schema_to_public()
        self.executor = MigrationExecutor(connection)
        self.graph = self.executor.loader.graph
        self.targets = self.graph.leaf_nodes()
        self._states = {}
        self._recipes: dict[frozenset, list[tuple[str, object]]] = {}

    def _applied(self, schema: str) -> dict:
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
            rows = cursor.fetchall()
        return {key: self.graph.nodes[key] for key in rows if key in self.graph.nodes}

    def upgrade(self, schema: str) -> int:
        """Apply what `schema` misses; returns how many migrations were applied."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s)", [f'"{schema}".django_migrations'])
            has_table = cursor.fetchone()[0] is not None
        if not has_table:  # Django's check lists every visible table: only when needed
            connection.set_schema(schema, include_public=False)
            MigrationRecorder(connection).ensure_schema()
        connection.set_schema(schema)
        loader = self.executor.loader
        loader.applied_migrations = self._applied(schema)
        plan = self.executor.migration_plan(self.targets)
        if not plan:
            connection.set_schema_to_public()
            return 0
        key = frozenset(loader.applied_migrations)
        replayable = _replayable(plan)
        try:
            recipe = self._recipes.get(key) if replayable else None
            if recipe is not None:
                try:
                    with transaction.atomic():
                        _replay(recipe)
                except Exception:
                    recipe = None  # this schema differs from its peers: migrate it for real
            if recipe is None:
                self._migrate(
                    key,
                    plan,
                    record=replayable and key not in self._recipes,
                    lock=schema == template_schema_name(),
                )
        finally:
            connection.set_schema_to_public()
        schema_migrated.send(SchemaUpgrader, schema_name=schema)
        return len(plan)

    def _migrate(self, key: frozenset, plan: list, *, record: bool, lock: bool) -> None:
        if key not in self._states:
            state = self.executor._create_project_state(with_applied_migrations=True)
            # Render the models once; every schema at this state gets a clone of them.
            state.apps  # noqa: B018
            self._states[key] = state
        atomic = all(migration.atomic for migration, _backwards in plan)
        statements: list[tuple[str, object]] = []
        recording = connection.execute_wrapper(_Recorder(statements)) if record else nullcontext()
        with transaction.atomic() if atomic else nullcontext(), recording:
            if lock:  # no snapshot of the template is built while it changes
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TEMPLATE_LOCK])
            self.executor.migrate(self.targets, plan=plan, state=self._states[key].clone())
        if record:
            self._recipes[key] = statements


_NOT_REPLAYED = ("SET SEARCH_PATH", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
# Reads Django makes while migrating: introspection of the catalog (at 1,000 groups a scan of
# ~400,000 pg_class rows each) and of django_migrations. Their answers only steered the
# first schema's DDL, which is what is replayed.
_READS = ("PG_CATALOG.PG_", "INFORMATION_SCHEMA.", 'FROM "DJANGO_MIGRATIONS"')


def _replayed(sql: str) -> bool:
    statement = sql.lstrip().upper()
    if statement.startswith(_NOT_REPLAYED):
        return False
    return not (statement.startswith("SELECT") and any(read in statement for read in _READS))


class _Recorder:
    """Keeps the statements the executor runs that change the schema (what a replay on the
    next schema at the same state runs)."""

    def __init__(self, statements: list):
        self.statements = statements

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if _replayed(str(sql)):
            self.statements.append((sql, params, many))
        return result


def _replay(recipe: list) -> None:
    with connection.cursor() as cursor:
        for sql, params, many in recipe:
            if many:
                cursor.executemany(sql, params)
            else:
                cursor.execute(sql, params)


def _replayable(plan: list) -> bool:
    def plain(operations) -> bool:
        for operation in operations:
            if isinstance(operation, migrations.RunPython):
                return False
            if isinstance(operation, migrations.SeparateDatabaseAndState) and not plain(
                operation.database_operations
            ):
                return False
        return True

    return all(migration.atomic and plain(migration.operations) for migration, _ in plan)


_INHERITED: list = []


def _drop_inherited_connections() -> None:
    """A forked worker never talks over a connection it inherited. The parent closes its
    own before forking, but another thread of the parent (a test's live server, a web
    server's threads) may have opened one again; two processes on one socket read each
    other's answers and one of them waits forever. The inherited connections are dropped,
    not closed (closing would end the parent's session) and kept referenced, so no
    finaliser closes them either; the worker opens its own."""
    for conn in connections.all():
        if conn.connection is not None:
            _INHERITED.append(conn.connection)
            conn.connection = None
            conn.search_path_set_schemas = None


def _worker(tasks, results) -> None:
    _drop_inherited_connections()
    upgrader = SchemaUpgrader()
    while (schema := tasks.get()) is not None:
        start = time.perf_counter()
        try:
            applied = upgrader.upgrade(schema)
        except Exception as exc:  # reported per schema; the others go on
            results.put(("failed", schema, 0, f"{type(exc).__name__}: {exc}"))
        else:
            results.put(("ok", schema, applied, f"{time.perf_counter() - start:.2f}"))
    connections.close_all()


def upgrade_schemas(
    schemas: list[str],
    *,
    workers: int = 1,
    progress: Callable[[str], None] | None = None,
    every: int = 50,
) -> UpgradeReport:
    """Upgrade `schemas`, with up to `workers` processes; never raises for one schema."""
    report = UpgradeReport()
    started = time.perf_counter()
    say = progress or (lambda _line: None)
    total = len(schemas)

    def note(done: int) -> None:
        if done == total or done % every == 0:
            say(
                f"[upgrade] {done}/{total} schema's klaar, {len(report.failed)} mislukt, "
                f"{time.perf_counter() - started:.0f} s"
            )

    workers = max(1, min(workers, total))
    # Forked workers need their own connections and committed data: inside a transaction
    # (a test, or a caller's atomic block) the upgrade runs on this connection instead.
    if workers == 1 or connection.in_atomic_block:
        upgrader = SchemaUpgrader()
        for done, schema in enumerate(schemas, start=1):
            try:
                upgrader.upgrade(schema)
            except Exception as exc:
                report.failed[schema] = f"{type(exc).__name__}: {exc}"
                say(f"[upgrade] {schema} mislukt: {report.failed[schema]}")
            else:
                report.upgraded.append(schema)
            note(done)
        report.seconds = time.perf_counter() - started
        return report

    # The graph is loaded (modules imported) before forking, so each worker starts warm.
    MigrationExecutor(connection)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    tasks, results = context.Queue(), context.Queue()
    for schema in schemas:
        tasks.put(schema)
    for _ in range(workers):
        tasks.put(None)
    processes = [context.Process(target=_worker, args=(tasks, results)) for _ in range(workers)]
    for process in processes:
        process.start()
    pending = set(schemas)
    done = 0
    while pending:
        try:
            kind, schema, _applied, detail = results.get(timeout=1)
        except queue.Empty:
            if not any(process.is_alive() for process in processes):
                break  # a worker died: what it held stays as it was (its transaction is gone)
            continue
        pending.discard(schema)
        done += 1
        if kind == "ok":
            report.upgraded.append(schema)
        else:
            report.failed[schema] = detail
            say(f"[upgrade] {schema} mislukt: {detail}")
        note(done)
    for process in processes:
        process.join(timeout=5)
    report.not_reached = sorted(pending)
    report.seconds = time.perf_counter() - started
    return report
