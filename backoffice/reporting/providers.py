"""Figures the reports read from parts of the product that sit above them in the layers.

SUPPORT HOURS: the support organisation's coaching sessions (backoffice/support, public
schema) are read through the function named in the setting REPORT_SUPPORT_HOURS (its facade),
because backoffice.reporting may not import the support pages' package. It returns
{group_id: [{"offering": "<title of the offering>", "hours": "12.50"}, ...]} (hours as text
with two decimals, like money, so the checksum never meets a float).
"""

from datetime import date as Date

from django.conf import settings
from django.utils.module_loading import import_string

NOT_REPORTED_YET: list[str] = []


def support_hours_by_offering(*, group_ids: list[int], start: Date, end: Date) -> dict:
    path = getattr(settings, "REPORT_SUPPORT_HOURS", "")
    if not path:
        return {}
    return import_string(path)(group_ids=group_ids, start=start, end=end)
