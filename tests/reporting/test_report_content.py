"""What a district report says beyond money: initiatives, counts of people (suppressed with
the cells that would give them away), support hours per offering, the accountability and
the kascommissie's status — all read from the public schema, in a fixed number of queries."""

import datetime as dt
from datetime import date

import pytest
import time_machine
from django.db import connection
from django_tenants.utils import tenant_context

from backoffice.reporting.generation import audit_year, district_content
from backoffice.reporting.periods import period_spec
from backoffice.support import coaching
from tenants import facade as tenants
from tenants.figures import CountDelta, YearStatus, counts_replace, month_counts_add
from tests.tenants.test_figures import _book_a_quarter

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted(world, users):
    """Group A (alone in Zuidoost) with a booked quarter and counts in and around Q3 2026."""
    with tenant_context(world.group_a):
        _book_a_quarter(users["treasurer"])
    connection.set_schema_to_public()
    month_counts_add(
        group_id=world.group_a.pk,
        deltas=[
            CountDelta(date(2026, 6, 30), tenants.HOUSEHOLDS_REACHED, 10),  # before Q3
            CountDelta(date(2026, 7, 2), tenants.HOUSEHOLDS_REACHED, 40),
            CountDelta(date(2026, 8, 9), tenants.INITIATIVES_SUBMITTED, 3),
            CountDelta(date(2026, 9, 1), tenants.INITIATIVES_APPROVED, 1),
            CountDelta(date(2026, 9, 2), tenants.BALLOTS_ONLINE, 7),
            CountDelta(date(2026, 9, 3), tenants.BALLOTS_PAPER, 2),
            CountDelta(date(2026, 10, 1), tenants.VOUCHERS_USED, 30),  # after Q3
        ],
    )
    return world.group_a


def _row(content, slug):
    return next(g for g in content["groups"] if g["slug"] == slug)


def test_the_report_counts_the_periods_months_and_hides_what_would_give_a_small_count_away(
    counted, users, django_assert_max_num_queries
):
    district = tenants.district_of(counted)
    with django_assert_max_num_queries(18):  # the same at 1 group or 1,000
        content = district_content(district=district, period=period_spec("2026-Q3"))
    row = _row(content, counted.slug)
    assert row["initiatives"] == {"submitted": 3, "approved": 1, "completed": 0}
    assert content["totals"]["initiatives"] == {"submitted": 3, "approved": 1, "completed": 0}
    # paper (2) is small; online (7) would give it away from the total of 9, so it goes too
    assert row["counts"]["consultationBallotsPaper"] is None
    assert row["counts"]["consultationBallotsOnline"] is None
    assert row["counts"]["consultationBallots"] == 9
    assert row["counts"]["householdsReached"] == 40  # June's 10 are not in Q3
    assert row["counts"]["vouchersUsed"] is None  # 0 in Q3 (October's 30 are not)
    assert set(row["suppressed"]) >= {
        "consultationBallotsPaper",
        "consultationBallotsOnline",
        "vouchersUsed",
        "boardMembers",
    }
    # the only group of its district: its totals would repeat the hidden cells, so they hide
    totals = content["totals"]
    assert totals["counts"]["consultationBallotsOnline"] is None
    assert totals["counts"]["consultationBallots"] == 9
    assert content["suppression"]["appliesTo"] == list(row["counts"])
    assert content["notReported"] == []
    # the books it was made from: the head of the group's keyed chain after the quarter
    with tenant_context(counted):
        from finance.ledger.models import LedgerState

        state = LedgerState.objects.get(pk=1)
    assert row["books"] == {"chainSequence": state.last_sequence, "chainHead": state.last_hash}
    assert state.last_sequence > 0


def test_support_hours_per_offering_come_from_the_sessions_of_the_period(counted, users):
    for held_on, minutes in (
        (date(2026, 8, 5), 90),
        (date(2026, 9, 30), 45),
        (date(2026, 10, 1), 60),
    ):
        coaching.session_log(
            group=counted, worker=users["support"], held_on=held_on, minutes=minutes
        )
    content = district_content(district=tenants.district_of(counted), period=period_spec("2026-Q3"))
    hours = _row(content, counted.slug)["supportHoursByOffering"]
    assert hours == [{"offering": "Begeleiding zonder ondersteuningsvraag", "hours": "2.25"}]
    assert content["totals"]["supportHoursByOffering"] == hours


def test_the_kascommissie_status_is_of_the_last_year_that_ended_and_accountability_follows(
    counted,
):
    assert (audit_year(date(2026, 9, 30)), audit_year(date(2026, 12, 31))) == (2025, 2026)
    district = tenants.district_of(counted)
    # nothing recorded: 2025 not started, the 2026 grant still running in Q3
    row = _row(district_content(district=district, period=period_spec("2026-Q3")), counted.slug)
    assert row["auditCommittee"] == {"year": 2025, "booksClosed": False, "status": "notStarted"}
    assert row["accountability"] == "notDue"
    # over the year 2026 the grant has ended: due until 2026 is discharged
    year = period_spec("2026")
    assert (
        _row(district_content(district=district, period=year), counted.slug)["accountability"]
        == "due"
    )
    counts_replace(
        group_id=counted.pk,
        counts=tenants.counts_stored(counted.pk)[0],
        years=[YearStatus(2026, date(2026, 12, 31), True, "discharged")],
    )
    content = district_content(district=district, period=year)
    row = _row(content, counted.slug)
    assert row["auditCommittee"] == {"year": 2026, "booksClosed": True, "status": "discharged"}
    assert row["accountability"] == "accounted"
    assert content["totals"]["auditCommittee"]["discharged"] == 1
    assert content["totals"]["accountability"] == {"notDue": 0, "due": 0, "accounted": 1}


@time_machine.travel(dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC), tick=False)
def test_no_count_or_status_carries_a_name_or_free_text(counted, users):
    import json

    content = district_content(district=tenants.district_of(counted), period=period_spec("2026-Q3"))
    text = json.dumps(content, ensure_ascii=False)
    named = [u for u in users.values() if u.first_name]
    assert named
    for user in named:
        assert f"{user.first_name} {user.last_name}" not in text
        assert f"{user.username}@" not in text
