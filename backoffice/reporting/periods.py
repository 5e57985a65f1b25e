"""Reporting periods by their code: a quarter "2026-Q3" or a year "2026"."""

import re
from dataclasses import dataclass
from datetime import date as Date
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PERIOD_CODE = re.compile(r"^(?P<year>\d{4})(?:-Q(?P<quarter>[1-4]))?$")


@dataclass(frozen=True)
class PeriodSpec:
    code: str
    kind: str  # ReportingPeriod.Kind value
    start: Date
    end: Date


def period_spec(code: str) -> PeriodSpec:
    """Parse "2026-Q3" or "2026"; anything else is a Dutch ValidationError."""
    match = PERIOD_CODE.match((code or "").strip())
    if not match or not 2000 <= int(match["year"]) <= 2100:
        raise ValidationError(
            _("Geef een periode als 2026-Q3 (kwartaal) of 2026 (jaar)."), code="period"
        )
    year = int(match["year"])
    if match["quarter"] is None:
        return PeriodSpec(
            code=str(year), kind="jaar", start=Date(year, 1, 1), end=Date(year, 12, 31)
        )
    quarter = int(match["quarter"])
    start = Date(year, 3 * quarter - 2, 1)
    following = Date(year + 1, 1, 1) if quarter == 4 else Date(year, 3 * quarter + 1, 1)
    return PeriodSpec(
        code=f"{year}-Q{quarter}", kind="kwartaal", start=start, end=following - timedelta(days=1)
    )


def last_ended_quarter(today: Date) -> str:
    quarter = (today.month - 1) // 3 + 1
    if quarter == 1:
        return f"{today.year - 1}-Q4"
    return f"{today.year}-Q{quarter - 1}"
