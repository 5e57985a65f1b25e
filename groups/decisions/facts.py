"""The decisions' fact for the registry's row (tenants/facts.py): the last meeting's date.

Meetings planned ahead count too: a group that has its next meeting in the diary is not
"without meetings"."""

from django.db.models import Max

from groups.decisions.models import Meeting
from tenants import facade as registry


def meetings() -> dict:
    return {"last_meeting_on": Meeting.objects.aggregate(d=Max("held_on"))["d"]}


def refresh() -> None:
    registry.group_facts_refresh(meetings)  # locks the row, then counts
