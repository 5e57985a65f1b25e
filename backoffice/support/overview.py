"""The coordinator's overview of all groups: signals, support hours and budget use, activity,
and one XLSX export across all groups. A fixed number of queries for any number of groups
(ADR 0013): the groups, their facts, the support tables grouped by group."""

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils.translation import gettext as _

from backoffice.core.exports import neutralise
from backoffice.core.money import ZERO
from backoffice.support.coaching import hours
from backoffice.support.models import CoachingSession, SupportBudget, SupportRequest
from backoffice.support.signals import (
    Signal,
    group_facts,
    months_before,
    signal_labels,
    signals_for,
    slug_url,
    support_facts,
)
from tenants.facts import GroupFacts
from tenants.selectors import groups_visible

SORTS = ("signalen", "naam", "stadsdeel", "uren")


@dataclass
class OverviewRow:
    group: object
    signals: list[Signal]
    facts: dict
    support_hours: Decimal = Decimal("0")
    budget_hours: Decimal | None = None
    budget_euros: Decimal | None = None
    used_hours: Decimal = Decimal("0")
    used_euros: Decimal = ZERO
    codes: set[str] = field(default_factory=set)
    url: str = ""  # the group's page for the support organisation


def overview(
    *, today: dt.date, district: str | None = None, signal: str | None = None, sort: str = ""
) -> list[OverviewRow]:
    groups = (
        groups_visible()
        .filter(is_active=True)
        .annotate(coach_count=Count("assignments", distinct=True))
    )
    if district:
        groups = groups.filter(district=district)
    groups = list(groups)
    ids = [g.pk for g in groups]
    facts = group_facts(ids)
    extra = support_facts(ids, today)
    minutes = dict(
        CoachingSession.objects.filter(group_id__in=ids)
        .values("group_id")
        .annotate(m=Sum("minutes"))
        .values_list("group_id", "m")
    )
    budgets = {
        b.group_id: b for b in SupportBudget.objects.filter(group_id__in=ids, year=today.year)
    }
    used = {
        row["group_id"]: row
        for row in SupportRequest.objects.filter(
            group_id__in=ids, year=today.year, status__in=SupportRequest.CONSUMING
        )
        .values("group_id")
        .annotate(h=Sum("hours"), e=Sum("price"))
    }
    rows = []
    for group in groups:
        signals = signals_for(group, facts.get(group.pk), extra[group.pk], today)
        budget = budgets.get(group.pk)
        row = OverviewRow(
            group=group,
            signals=signals,
            facts=facts.get(group.pk, {}),
            support_hours=hours(minutes.get(group.pk)),
            budget_hours=budget.hours if budget else None,
            budget_euros=budget.euros if budget else None,
            used_hours=used.get(group.pk, {}).get("h") or Decimal("0"),
            used_euros=used.get(group.pk, {}).get("e") or ZERO,
            codes={s.code for s in signals},
            url=slug_url("support:group", "slug", group.slug),
        )
        if signal and signal not in row.codes:
            continue
        rows.append(row)
    key = {
        "naam": lambda r: (r.group.name,),
        "stadsdeel": lambda r: (r.group.district, r.group.name),
        "uren": lambda r: (-r.support_hours, r.group.name),
    }.get(sort, lambda r: (-len(r.signals), r.group.name))
    rows.sort(key=key)
    return rows


def monthly_activity(*, today: dt.date, months: int = 6) -> list[dict]:
    """Per month: groups with a coaching session or a support request that month, and
    (for the current month) active vs inactive groups by their last booking or meeting."""
    start = months_before(today.replace(day=1), months - 1)
    sessions = (
        CoachingSession.objects.filter(held_on__gte=start)
        .values_list("held_on__year", "held_on__month")
        .annotate(n=Count("group_id", distinct=True))
    )
    requests = (
        SupportRequest.objects.filter(created_at__date__gte=start)
        .values_list("created_at__year", "created_at__month")
        .annotate(n=Count("group_id", distinct=True))
    )
    coached = {(y, m): n for y, m, n in sessions}
    asked = {(y, m): n for y, m, n in requests}
    limit = months_before(today, 2)
    # Counted in the database from the facts rows: a booking or a meeting since `limit`.
    groups = groups_visible().filter(is_active=True)
    total = groups.count()
    active_now = GroupFacts.objects.filter(
        Q(last_booking_on__gte=limit) | Q(last_meeting_on__gte=limit), group__in=groups
    ).count()
    out = []
    for index in range(months):
        month = months_before(today.replace(day=1), months - 1 - index)
        out.append(
            {
                "month": month,
                "coached": coached.get((month.year, month.month), 0),
                "requests": asked.get((month.year, month.month), 0),
            }
        )
    return [{"active": active_now, "inactive": total - active_now, "months": out}]


HEADERS = (
    "Groep",
    "Korte naam",
    "Stadsdeel",
    "Signalen",
    "Toelichting",
    "Ondersteuning (uren)",
    "Budget uren",
    "Gebruikt uren",
    "Budget euro",
    "Gebruikt euro",
    "Laatste boeking",
    "Oudste open bankregel",
    "Laatste vergadering",
    "Open declaraties",
)


def xlsx_bytes(*, today: dt.date) -> bytes:
    """Every active group in one sheet; every cell through `neutralise` (a group's name is
    typed by people)."""
    from openpyxl import Workbook

    labels = signal_labels()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Groepen"))
    sheet.append([neutralise(_(h)) for h in HEADERS])
    for row in overview(today=today, sort="naam"):
        facts = row.facts
        cells = [
            row.group.name,
            row.group.slug,
            row.group.get_district_display(),
            ", ".join(str(labels[s.code]) for s in row.signals),
            " ".join(s.sentence for s in row.signals),
            row.support_hours,
            row.budget_hours,
            row.used_hours,
            row.budget_euros,
            row.used_euros,
            facts.get("last_booking_on"),
            facts.get("oldest_unreconciled_on"),
            facts.get("last_meeting_on"),
            facts.get("open_claims", 0),
        ]
        sheet.append([neutralise(c) for c in cells])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(*, today: dt.date) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(today=today),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="groepen-{today:%Y-%m-%d}.xlsx"'
    return response


__all__ = ["OverviewRow", "monthly_activity", "overview", "xlsx_bytes", "xlsx_response"]
