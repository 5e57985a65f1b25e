"""The worker: django-tasks-db's task loop, made safe against being stopped halfway.

django-tasks-db marks a task RUNNING when a worker takes it, and nothing puts it back when
that worker dies (killed, out of memory, a code reload, a power cut): the task would stay
RUNNING for ever. So each worker holds a PostgreSQL advisory lock, keyed on its own worker
id, on a connection of its own for as long as it lives; the server drops the lock the moment
the process or its connection goes. Every worker, at start and then every half minute,
looks at the RUNNING tasks: one whose worker's lock can be taken was abandoned, and goes back
to the queue (or, after MAX_ATTEMPTS workers died on it, is marked failed). A live worker's
task is never touched, however long it runs; no clock guesses are involved.

Tasks must therefore be safe to run again: the bank import is (all or nothing, and a file
already imported is recognised), and so is the access sync. Only tasks taken by this worker
(ids starting with WORKER_PREFIX) are ever put back; a plain `db_worker` holds no lock.
"""

from __future__ import annotations

import logging
import threading

import psycopg
from django.db import connection, transaction
from django.tasks import TaskResultStatus
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from backoffice.jobs import schedule

logger = logging.getLogger("buurtkas.jobs")

WORKER_PREFIX = "bk-"
# First key of the two-key advisory lock space for worker liveness ("bk").
LIVENESS_LOCK_CLASS = 0x626B
MAX_ATTEMPTS = 3
HOUSEKEEPING_SECONDS = 30.0


class AbandonedTaskError(Exception):
    """Recorded on a task whose workers stopped MAX_ATTEMPTS times while running it."""


def new_worker_id() -> str:
    return WORKER_PREFIX + get_random_string(24)


def _connect() -> psycopg.Connection:
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


class Liveness:
    """The advisory lock that says "worker <id> is alive", on a connection of its own."""

    def __init__(self, worker_id: str):
        self.worker_id = worker_id
        self.conn: psycopg.Connection | None = None

    def __enter__(self) -> Liveness:
        self.conn = _connect()
        self.conn.execute(
            "SELECT pg_advisory_lock(%s, hashtext(%s))", [LIVENESS_LOCK_CLASS, self.worker_id]
        )
        return self

    def __exit__(self, *exc) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _is_alive(cursor, worker_id: str) -> bool:
    cursor.execute(
        "SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LIVENESS_LOCK_CLASS, worker_id]
    )
    if not cursor.fetchone()[0]:
        return True
    cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LIVENESS_LOCK_CLASS, worker_id])
    return False


@transaction.atomic
def recover_abandoned(*, max_attempts: int = MAX_ATTEMPTS) -> tuple[int, int]:
    """Requeue the RUNNING tasks whose worker is gone; returns (requeued, failed)."""
    requeued = failed = 0
    running = DBTaskResult.objects.running().select_for_update(skip_locked=True).order_by("pk")
    with connection.cursor() as cursor:
        for result in running:
            owner = result.worker_ids[-1] if result.worker_ids else ""
            if not owner.startswith(WORKER_PREFIX) or _is_alive(cursor, owner):
                continue
            if len(result.worker_ids) >= max_attempts:
                result.set_failed(
                    AbandonedTaskError(
                        f"{len(result.worker_ids)} workers stopped while running this task"
                    )
                )
                failed += 1
                logger.error("task %s abandoned %s times: failed", result.pk, max_attempts)
            else:
                result.status = TaskResultStatus.READY
                result.save(update_fields=["status"])
                requeued += 1
                logger.warning(
                    "task %s was left by stopped worker %s: queued again", result.pk, owner
                )
    return requeued, failed


def housekeeping() -> None:
    """What every worker does now and then besides running tasks."""
    recover_abandoned()
    schedule.queue_due()


class _Housekeeper(threading.Thread):
    def __init__(self, every: float):
        super().__init__(name="buurtkas-housekeeping", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                housekeeping()
            except Exception:  # noqa: BLE001 - the next round tries again; the log has it
                logger.exception("worker housekeeping failed")
            finally:
                connection.close()


class TaskLoop(Worker):
    """django-tasks-db's loop; each task starts in the public schema."""

    def run_task(self, db_task_result) -> None:
        connection.set_schema_to_public()
        try:
            super().run_task(db_task_result)
        finally:
            connection.set_schema_to_public()


def run(
    *,
    batch: bool = False,
    interval: float = 1.0,
    housekeeping_every: float = HOUSEKEEPING_SECONDS,
    max_tasks: int | None = None,
    worker_id: str | None = None,
) -> None:
    """Run tasks until stopped (or, with `batch`, until the queue is empty)."""
    worker_id = worker_id or new_worker_id()
    with Liveness(worker_id):
        housekeeping()  # at once: a restarted worker picks up what its predecessor left
        housekeeper = None
        if not batch:
            housekeeper = _Housekeeper(housekeeping_every)
            housekeeper.start()
        loop = TaskLoop(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        if threading.current_thread() is threading.main_thread():
            loop.configure_signals()
        logger.info("worker %s started", worker_id)
        try:
            loop.run()
        finally:
            if housekeeper is not None:
                housekeeper.stopped.set()
