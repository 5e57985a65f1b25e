"""What other parts of the product may read of the support organisation's records.

Only the reports to the municipality use it (through the setting REPORT_SUPPORT_HOURS, as
backoffice.reporting sits below the support pages in the layers): hours of coaching per group
and offering, never the notes, the workers or the topics.
"""

from datetime import date as Date
from decimal import Decimal

from django.db.models import Sum

from backoffice.support.models import CoachingSession

WITHOUT_REQUEST = "Begeleiding zonder ondersteuningsvraag"  # fixed: part of a signed report


def hours_by_group_and_offering(*, group_ids: list[int], start: Date, end: Date) -> dict:
    """{group_id: [{"offering": title, "hours": "12.50"}, ...]} for sessions held from `start`
    up to and including `end`, by offering title; one query whatever the number of groups."""
    rows = (
        CoachingSession.objects.filter(group_id__in=group_ids, held_on__range=(start, end))
        .values_list("group_id", "request__offering__title")
        .annotate(minutes=Sum("minutes"))
        .order_by("group_id", "request__offering__title")
    )
    out: dict[int, list[dict]] = {}
    for group_id, title, minutes in rows:
        hours = (Decimal(minutes) / 60).quantize(Decimal("0.01"))
        out.setdefault(group_id, []).append(
            {"offering": title or WITHOUT_REQUEST, "hours": f"{hours:.2f}"}
        )
    for items in out.values():
        items.sort(key=lambda item: item["offering"])
    return out
