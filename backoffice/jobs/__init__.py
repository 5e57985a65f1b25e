"""Background jobs: Django's tasks framework, the queue in PostgreSQL (django-tasks-db).

- `worker.py`: what `manage.py worker` runs: the task loop of django-tasks-db, plus putting
  back in the queue the tasks a stopped worker left half done, plus the schedule.
- `schedule.py`: periodic jobs (the daily access sync), queued once per period.
- `tasks.py`: the product-wide tasks the schedule starts.

See docs/adr/0008-background-jobs.md.
"""
