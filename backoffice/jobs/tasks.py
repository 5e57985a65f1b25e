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
    return _command_line("sync_group_access")


def _command_line(name: str) -> str:
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue().strip()


@task()
def knowledge_review_reminders() -> str:
    """Remind authors of learning-space articles whose review date has passed."""
    return _command_line("knowledge_review_reminders")


@task()
def knowledge_digest() -> str:
    """Send followers of questions and themes what is new since their last digest."""
    return _command_line("knowledge_digest")


@task()
def generate_due_reports() -> str:
    """Make the reports to the municipality over the last period that has ended (once)."""
    out = io.StringIO()
    call_command("generate_reports", "--due", stdout=out)
    return out.getvalue().strip()
