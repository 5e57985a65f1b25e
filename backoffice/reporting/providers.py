"""Extension points: figures other parts of the product will add to the reports.

Each function takes the ids of the groups of one report and the period, and returns a value
per group id. Until the feature exists it returns nothing and the report lists the figure
under `notReported`.

SUPPORT HOURS: the support organisation's caseload (backoffice/support, "support" work) will
record hours per offering; `support_hours_by_offering` is where the report reads them. Return
{group_id: [{"offering": "<name of the offering>", "hours": "12.50"}, ...]} (hours as text with
two decimals, like money, so the checksum never meets a float).
"""

from datetime import date as Date

NOT_REPORTED_YET = [
    "initiatives",
    "householdsReached",
    "consultationTurnout",
    "vouchersUsed",
    "supportHoursByOffering",
    "accountabilityStatus",
    "auditCommitteeStatus",
]


def support_hours_by_offering(*, group_ids: list[int], start: Date, end: Date) -> dict:
    """EXTENSION POINT for the support organisation's hours per offering (see above)."""
    return {}
