"""The support organisation's own tables (public schema)."""

from django.db import models


class ScheduledRun(models.Model):
    """One run of a periodic job for one period, recorded when it is put in the queue.

    The unique (job, period) pair is what makes the scheduler idempotent: however many
    workers look, and however often they restart, a job is queued once per period.
    """

    job = models.CharField(max_length=100)
    period = models.CharField(max_length=40)
    enqueued_at = models.DateTimeField()
    task_id = models.CharField(max_length=64)

    class Meta:
        ordering = ["-enqueued_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="one_run_per_period"),
        ]

    def __str__(self):
        return f"{self.job} {self.period}"
