"""Periodic jobs, queued once per period by whichever worker looks first.

django-tasks-db has no scheduler. Every worker calls `queue_due()` now and then; for each
job whose period has begun it inserts (job, period) into `ScheduledRun` and, only if that
row is new, queues the task in the same transaction. The unique constraint on the pair makes
this idempotent across restarts and across several workers: a second worker's insert waits
for the first one's transaction and then finds the row. The task row and the run row commit
together (the queue lives in the same database), so neither can exist without the other.

A worker that was down when a period began queues the job as soon as it is back (once); the
periods it missed entirely are not caught up, which suits jobs that bring state up to date
(the access sync computes who should have access *today*).
"""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from backoffice.models import ScheduledRun


@dataclass(frozen=True)
class Daily:
    """A job run once a day, from local time `at` on."""

    name: str
    task_path: str
    at: datetime.time

    def period(self, now: datetime.datetime) -> str | None:
        """The period that has begun at `now` (the local date), or None before `at`."""
        local = timezone.localtime(now)
        return local.date().isoformat() if local.time() >= self.at else None


SCHEDULE: tuple[Daily, ...] = (
    Daily(
        name="toegang-bijwerken",
        task_path="backoffice.jobs.tasks.sync_group_access",
        at=datetime.time(0, 5),
    ),
    Daily(
        name="kennisbank-herinneringen",
        task_path="backoffice.jobs.tasks.knowledge_review_reminders",
        at=datetime.time(6, 0),
    ),
    Daily(
        name="kennisbank-overzicht",
        task_path="backoffice.jobs.tasks.knowledge_digest",
        at=datetime.time(7, 0),
    ),
    # Reports to the municipality: made the night after a quarter ends; a no-op on the
    # other nights (versions that exist are left alone).
    Daily(
        name="rapportages-maken",
        task_path="backoffice.jobs.tasks.generate_due_reports",
        at=datetime.time(3, 0),
    ),
)


def _claim(job: str, period: str, now: datetime.datetime) -> int | None:
    table = connection.ops.quote_name(ScheduledRun._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (job, period, enqueued_at, task_id) VALUES (%s, %s, %s, '') "
            "ON CONFLICT (job, period) DO NOTHING RETURNING id",
            [job, period, now],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def queue_due(*, now: datetime.datetime | None = None, schedule=SCHEDULE) -> list[ScheduledRun]:
    """Queue every job whose current period has begun and was not queued yet."""
    now = now or timezone.now()
    queued = []
    for job in schedule:
        period = job.period(now)
        if period is None:
            continue
        with transaction.atomic():
            run_id = _claim(job.name, period, now)
            if run_id is None:
                continue
            result = import_string(job.task_path).enqueue()
            ScheduledRun.objects.filter(pk=run_id).update(task_id=str(result.id))
        queued.append(ScheduledRun.objects.get(pk=run_id))
    return queued
