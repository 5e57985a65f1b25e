"""Tasks of the support organisation as a whole, started by the schedule."""

import io

from django.core.management import call_command
from django.tasks import task


@task()
def sync_group_access() -> str:
    """Switch access for role terms that start or end today, in every group.

    The command stays the one implementation (it is also run by hand); the task returns
    its report line, which the task result keeps.
    """
    out = io.StringIO()
    call_command("sync_group_access", stdout=out)
    return out.getvalue().strip()


@task()
def generate_due_reports() -> str:
    """Make the reports to the municipality over the last period that has ended (once)."""
    out = io.StringIO()
    call_command("generate_reports", "--due", stdout=out)
    return out.getvalue().strip()
