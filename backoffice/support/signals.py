"""Signals: what a support worker should look at in a group, computed when a page is read.

The inputs are the groups' rows of facts (tenants/facts.py, ADR 0013) and the support
organisation's own tables, each read with one query for any number of groups — never a
query per group. Each signal explains itself in one sentence and links to the page in the
group where it is fixed. The rules (and their boundaries) live here, in one place:

| code | raised when |
| --- | --- |
| `bank` | a bank line has waited more than 30 days to be reconciled |
| `bookings` | nothing was booked for more than two months |
| `meetings` | no meeting for more than three months |
| `board` | a board role (chair, treasurer, secretary) is held by nobody |
| `audit` | a financial year has ended without the kascommissie's decharge |
| `accountability` | a grant's period ended less than 13 weeks ago: its report is due |
| `overspent` | spending runs more than 20 points ahead of the time passed |
| `underspent` | past half way, spending runs more than 30 points behind the time passed |
| `requests` | a support request waits for an agreement |
| `followups` | a follow-up is past its date |
| `actie` | an ACTIE dimension dropped by 2 or more since the previous check |
"""

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Min, Window
from django.db.models.functions import RowNumber
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from backoffice.support.models import (
    ActieCheck,
    ActieDimension,
    FollowUp,
    SupportRequest,
)
from tenants.facts import EMPTY, GroupFacts

BANK_DAYS = 30
BOOKING_MONTHS = 2
MEETING_MONTHS = 3
ACCOUNTABILITY_DAYS = 91
OVERSPENT_POINTS = Decimal("20")
UNDERSPENT_POINTS = Decimal("30")
ACTIE_DROP = 2


@dataclass(frozen=True)
class Signal:
    code: str
    sentence: str
    url: str


# Every code, in the order pages show them, with its label for filters and the export.
def signal_labels() -> dict[str, str]:
    return {
        "bank": _("bankregels niet afgeletterd"),
        "bookings": _("geen boekingen"),
        "meetings": _("geen vergadering"),
        "board": _("bestuursrol open"),
        "audit": _("kascommissie nodig"),
        "accountability": _("verantwoording nodig"),
        "overspent": _("begroting overschreden"),
        "underspent": _("begroting onderbesteed"),
        "requests": _("ondersteuningsvraag wacht"),
        "followups": _("vervolgafspraak verlopen"),
        "actie": _("ACTIE daalt"),
    }


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day if it is shorter)."""
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


_dates: dict[tuple[str | None, dt.date], str] = {}


def _d(day: dt.date) -> str:
    """`3 maart 2026`, formatted once per day and language (a thousand groups share dates)."""
    key = (get_language(), day)
    text = _dates.get(key)
    if text is None:
        if len(_dates) > 10_000:
            _dates.clear()
        text = _dates[key] = date_format(day, "j F Y")
    return text


# Reversed once per URL name (and other arguments) with a stand-in for the group's slug, then
# filled in: the overview links a thousand groups, and `reverse` cost more than the signals.
_SLUG = "slug-0stand0in0"
_reversed: dict[tuple, str] = {}


def slug_url(name: str, slug_kwarg: str, slug: str, **kwargs) -> str:
    """`reverse(name, kwargs={slug_kwarg: slug, **kwargs})`, reversed once per name."""
    key = (get_urlconf(), get_script_prefix(), name, slug_kwarg, tuple(sorted(kwargs.items())))
    pattern = _reversed.get(key)
    if pattern is None:
        pattern = _reversed[key] = reverse(name, kwargs={slug_kwarg: _SLUG, **kwargs})
    return pattern.replace(_SLUG, slug)


def _group_url(group, name: str, **kwargs) -> str:
    return slug_url(name, "group_slug", group.slug, **kwargs)


@dataclass(frozen=True)
class SupportFacts:
    """The support organisation's own figures about one group, read with the facts."""

    waiting_requests: int = 0
    overdue_followups: int = 0
    oldest_overdue: dt.date | None = None
    actie_last: dict | None = None
    actie_previous: dict | None = None


def support_facts(group_ids: list[int], today: dt.date) -> dict[int, SupportFacts]:
    waiting = dict(
        SupportRequest.objects.filter(
            group_id__in=group_ids, status=SupportRequest.Status.REQUESTED
        )
        .values("group_id")
        .annotate(n=Count("pk"))
        .values_list("group_id", "n")
    )
    overdue = {
        row["group_id"]: row
        for row in FollowUp.objects.filter(
            group_id__in=group_ids, done_on__isnull=True, due_on__lt=today
        )
        .values("group_id")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
    }
    checks: dict[int, list[dict]] = defaultdict(list)
    for row in (
        ActieCheck.objects.filter(group_id__in=group_ids, source=ActieCheck.Source.WORKER)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("group_id")],
                order_by=[F("scored_on").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=2)
        .values("group_id", "rank", *ActieDimension.values)
        .order_by("group_id", "rank")
    ):
        checks[row["group_id"]].append(row)
    result = {}
    for group_id in group_ids:
        two = checks.get(group_id, [])
        result[group_id] = SupportFacts(
            waiting_requests=waiting.get(group_id, 0),
            overdue_followups=overdue.get(group_id, {}).get("n", 0),
            oldest_overdue=overdue.get(group_id, {}).get("oldest"),
            actie_last=two[0] if two else None,
            actie_previous=two[1] if len(two) > 1 else None,
        )
    return result


def group_facts(group_ids: list[int]) -> dict[int, dict]:
    """{group id: its facts}, as plain values (no model instances for a thousand rows)."""
    return {
        row.pop("group_id"): row
        for row in GroupFacts.objects.filter(group_id__in=group_ids).values("group_id", *EMPTY)
    }


def signals_for(group, facts: dict, extra: SupportFacts, today: dt.date) -> list[Signal]:
    """The signals of one group from its facts (no queries)."""
    facts = {**EMPTY, **(facts or {})}
    out: list[Signal] = []
    since = group.created_at.date() if group.created_at else today

    oldest = facts["oldest_unreconciled_on"]
    if oldest is not None and (today - oldest).days > BANK_DAYS:
        out.append(
            Signal(
                "bank",
                ngettext(
                    "%(n)s bankregel wacht op afletteren; de oudste is van %(d)s, meer dan "
                    "30 dagen geleden.",
                    "%(n)s bankregels wachten op afletteren; de oudste is van %(d)s, meer dan "
                    "30 dagen geleden.",
                    facts["unreconciled_lines"],
                )
                % {"n": facts["unreconciled_lines"], "d": _d(oldest)},
                _group_url(group, "finance:bank_lines"),
            )
        )

    last_booking = facts["last_booking_on"] or since
    if last_booking < months_before(today, BOOKING_MONTHS):
        sentence = (
            _("De laatste boeking is van %(d)s, meer dan twee maanden geleden.")
            % {"d": _d(last_booking)}
            if facts["last_booking_on"]
            else _("Er is nog nooit geboekt, en de groep bestaat al meer dan twee maanden.")
        )
        out.append(Signal("bookings", sentence, _group_url(group, "finance:entries")))

    last_meeting = facts["last_meeting_on"] or since
    if last_meeting < months_before(today, MEETING_MONTHS):
        sentence = (
            _("De laatste vergadering was op %(d)s, meer dan drie maanden geleden.")
            % {"d": _d(last_meeting)}
            if facts["last_meeting_on"]
            else _("Er is nog geen vergadering vastgelegd, en de groep bestaat al drie maanden.")
        )
        out.append(Signal("meetings", sentence, _group_url(group, "groups:meeting_list")))

    missing = facts["missing_board_roles"]
    if missing:
        names = {
            "voorzitter": _("voorzitter"),
            "penningmeester": _("penningmeester"),
            "secretaris": _("secretaris"),
        }
        out.append(
            Signal(
                "board",
                _("Niemand is %(roles)s van de groep.")
                % {"roles": _(" of ").join(str(names.get(r, r)) for r in missing)},
                _group_url(group, "groups:member_list"),
            )
        )

    year_end = facts["audit_due_year_end"]
    if year_end is not None and year_end < today:
        out.append(
            Signal(
                "audit",
                _(
                    "Het boekjaar tot en met %(d)s is voorbij en de kascommissie heeft nog "
                    "geen decharge gegeven."
                )
                % {"d": _d(year_end)},
                _group_url(group, "finance:audit", year=year_end.year),
            )
        )

    due = [
        end
        for end in facts["grant_period_ends"]
        if end < today <= end + dt.timedelta(days=ACCOUNTABILITY_DAYS)
    ]
    if due:
        end = min(due)
        out.append(
            Signal(
                "accountability",
                _(
                    "De periode van een subsidie eindigde op %(d)s; de verantwoording moet "
                    "uiterlijk %(due)s klaar zijn."
                )
                % {"d": _d(end), "due": _d(end + dt.timedelta(days=ACCOUNTABILITY_DAYS))},
                _group_url(group, "finance:report", kind="verantwoording"),
            )
        )

    out.extend(_budget_signals(group, facts, today))

    if extra.waiting_requests:
        out.append(
            Signal(
                "requests",
                ngettext(
                    "%(n)s ondersteuningsvraag wacht op een afspraak.",
                    "%(n)s ondersteuningsvragen wachten op een afspraak.",
                    extra.waiting_requests,
                )
                % {"n": extra.waiting_requests},
                slug_url("support:case", "slug", group.slug) + "#vragen",
            )
        )

    if extra.overdue_followups:
        out.append(
            Signal(
                "followups",
                ngettext(
                    "%(n)s vervolgafspraak is over de datum (sinds %(d)s).",
                    "%(n)s vervolgafspraken zijn over de datum (de oudste sinds %(d)s).",
                    extra.overdue_followups,
                )
                % {"n": extra.overdue_followups, "d": _d(extra.oldest_overdue)},
                slug_url("support:case", "slug", group.slug) + "#afspraken",
            )
        )

    if extra.actie_last and extra.actie_previous:
        drops = [
            (d, extra.actie_previous[d], extra.actie_last[d])
            for d in ActieDimension.values
            if extra.actie_previous[d] - extra.actie_last[d] >= ACTIE_DROP
        ]
        if drops:
            out.append(
                Signal(
                    "actie",
                    _("Sinds de vorige ACTIE-meting is %(what)s gedaald.")
                    % {
                        "what": ", ".join(
                            _("%(dim)s van %(a)s naar %(b)s")
                            % {"dim": ActieDimension(d).label, "a": a, "b": b}
                            for d, a, b in drops
                        )
                    },
                    slug_url("support:case", "slug", group.slug) + "#actie",
                )
            )
    return out


def _budget_signals(group, facts: dict, today: dt.date) -> list[Signal]:
    start, end, total = facts["budget_start"], facts["budget_end"], facts["budget_total"]
    if start is None or end is None or not total or not (start <= today <= end):
        return []
    days = (end - start).days + 1
    time_pct = Decimal((today - start).days + 1) * 100 / days
    spent_pct = facts["budget_spent"] * 100 / total
    url = _group_url(group, "finance:grants")
    values = {"s": round(spent_pct), "t": round(time_pct)}
    if spent_pct > time_pct + OVERSPENT_POINTS:
        return [
            Signal(
                "overspent",
                _(
                    "Al %(s)s%% van de begroting is uitgegeven, terwijl pas %(t)s%% van de "
                    "periode voorbij is."
                )
                % values,
                url,
            )
        ]
    if time_pct >= 50 and spent_pct < time_pct - UNDERSPENT_POINTS:
        return [
            Signal(
                "underspent",
                _(
                    "Pas %(s)s%% van de begroting is uitgegeven, terwijl %(t)s%% van de "
                    "periode voorbij is."
                )
                % values,
                url,
            )
        ]
    return []


def signals_by_group(groups, today: dt.date) -> dict[int, list[Signal]]:
    """Signals of many groups with a fixed number of queries (four), whatever their number."""
    groups = list(groups)
    ids = [g.pk for g in groups]
    facts = group_facts(ids)
    extra = support_facts(ids, today)
    return {g.pk: signals_for(g, facts.get(g.pk), extra[g.pk], today) for g in groups}
