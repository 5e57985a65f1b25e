"""Report snapshots: made from the per-group figures, equal to the ledgers to the cent,
immutable, versioned, with a checksum anyone can recompute, and small counts suppressed."""

import datetime as dt
import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.models import Sum
from django_tenants.utils import tenant_context

from backoffice.reporting import services
from backoffice.reporting.canonical import canonical_text
from backoffice.reporting.models import ReportSnapshot
from backoffice.reporting.periods import period_spec
from backoffice.reporting.suppression import suppress
from finance.ledger.models import JournalLine
from tests.tenants.test_figures import _book_a_quarter

AFTER_Q3 = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def booked(world, users):
    with tenant_context(world.group_a):
        grant = _book_a_quarter(users["treasurer"])
    connection.set_schema_to_public()
    return grant


def _content(snapshot):
    return json.loads(snapshot.canonical)


def _group(content, slug):
    return next(g for g in content["groups"] if g["slug"] == slug)


def _ledger_sums(group, start, end):
    """Straight from the group's journal lines (not from the figures)."""
    with tenant_context(group):
        lines = JournalLine.objects.filter(
            entry__status="geboekt", entry__date__gte=start, entry__date__lte=end
        )
        spent = lines.filter(account__kind="lasten").aggregate(d=Sum("debit"), c=Sum("credit"))
        received = lines.filter(account__kind="baten", grant__isnull=False).aggregate(
            d=Sum("debit"), c=Sum("credit")
        )
    zero = Decimal("0.00")
    return (
        (spent["d"] or zero) - (spent["c"] or zero),
        (received["c"] or zero) - (received["d"] or zero),
    )


def test_period_codes_are_quarters_or_years():
    assert period_spec("2026-Q3").start == date(2026, 7, 1)
    assert period_spec("2026-Q3").end == date(2026, 9, 30)
    assert period_spec("2026-Q4").end == date(2026, 12, 31)
    assert (period_spec("2026").kind, period_spec("2026").end) == ("jaar", date(2026, 12, 31))
    for bad in ("2026-Q5", "26-Q1", "2026Q3", "", "2026-Q3\x00"):
        with pytest.raises(ValidationError, match="2026-Q3"):
            period_spec(bad)


def test_suppression_hides_small_counts_and_the_cell_that_would_give_one_away():
    assert suppress({"a": 3, "b": 10, "c": 7}, 20) == ({"a", "c"}, False)
    assert suppress({"a": 3, "b": 2, "c": 10}, 15) == ({"a", "b"}, False)
    assert suppress({"a": 1}, 1) == ({"a"}, True)
    assert suppress({"a": 5, "b": 9}, 14) == (set(), False)


def test_floats_never_reach_a_report():
    with pytest.raises(TypeError):
        canonical_text({"amount": 1.5})
    with pytest.raises(TypeError):
        canonical_text({"amount": Decimal("1.50")})


@time_machine.travel(AFTER_Q3, tick=False)
def test_report_totals_equal_the_ledgers_to_the_cent(world, booked, users):
    snapshots = services.reports_generate(period_code="2026-Q3", user=users["coordinator"])
    by_district = {s.district.code: s for s in snapshots}
    assert {"zuidoost", "nieuw-west"} <= set(by_district)
    content = _content(by_district["zuidoost"])
    spent, received = _ledger_sums(world.group_a, date(2026, 7, 1), date(2026, 9, 30))
    group = _group(content, world.group_a.slug)
    assert Decimal(group["money"]["spent"]) == spent == Decimal("100.10")
    assert Decimal(group["money"]["received"]) == received == Decimal("2500.00")
    assert group["money"]["awarded"] == "5000.00"
    assert group["money"]["committed"] == "250.00"
    assert group["money"]["unspent"] == "2399.90"
    assert group["money"]["toReturn"] == "0.00"  # the grant runs to the end of the year
    assert {(c["rgsCode"], c["accountCode"], c["amount"]) for c in group["spendingByCategory"]} == {
        ("WBed", "4000", "100.10"),
        ("WBed", "4100", "0.00"),
    }
    # the district's totals are the sum of its groups, to the cent, for every district
    for snapshot in snapshots:
        body = _content(snapshot)
        for key, total in body["totals"]["money"].items():
            assert Decimal(total) == sum(
                (Decimal(g["money"][key]) for g in body["groups"]), Decimal("0.00")
            )
    # outside the quarter nothing is counted
    with time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC), tick=False):
        (q4,) = [
            s
            for s in services.reports_generate(period_code="2026-Q4")
            if s.district.code == "zuidoost"
        ]
    assert _group(_content(q4), world.group_a.slug)["money"]["spent"] == "0.00"


@time_machine.travel(AFTER_Q3, tick=False)
def test_small_counts_are_suppressed_in_the_group_and_the_total(world, booked):
    (snapshot,) = [
        s for s in services.reports_generate(period_code="2026-Q3") if s.district.code == "zuidoost"
    ]
    content = _content(snapshot)
    group = _group(content, world.group_a.slug)
    # three board members (< 5) are hidden; six people with a role are shown; nothing was
    # counted for the initiatives in Q3, and 0 is a small count too
    assert group["counts"] == {
        "boardMembers": None,
        "activeVolunteers": 6,
        "householdsReached": None,
        "vouchersUsed": None,
        "consultationBallotsOnline": None,
        "consultationBallotsPaper": None,
        "consultationBallots": None,
    }
    assert "boardMembers" in group["suppressed"] and "activeVolunteers" not in group["suppressed"]
    assert group["initiatives"] == {"submitted": 0, "approved": 0, "completed": 0}
    if content["totals"]["groups"] == 1:
        assert content["totals"]["counts"]["boardMembers"] is None


@time_machine.travel(AFTER_Q3, tick=False)
def test_a_correction_is_a_new_version_and_the_old_one_still_verifies(world, booked, users):
    coordinator = users["coordinator"]
    (first,) = [
        s
        for s in services.reports_generate(period_code="2026-Q3", user=coordinator)
        if s.district.code == "zuidoost"
    ]
    # running again makes nothing new (the scheduled job relies on it)
    assert services.reports_generate(period_code="2026-Q3") == []
    second = services.report_correct(snapshot=first, user=coordinator, reason="Bon nagekomen")
    assert (second.version, second.supersedes_id) == (2, first.pk)
    first = ReportSnapshot.objects.get(pk=first.pk)
    assert first.is_superseded
    for snapshot in (first, second):
        recomputed = hashlib.sha256(
            json.dumps(
                json.loads(snapshot.canonical),
                sort_keys=True,
                separators=(",", ":"),
                ensure_ascii=False,
            ).encode("utf-8")
        ).hexdigest()
        assert recomputed == snapshot.sha256
    assert _content(second)["supersedesSha256"] == first.sha256
    with pytest.raises(ValidationError, match="nieuwere versie"):
        services.report_correct(snapshot=first, user=coordinator, reason="nog eens")
    with pytest.raises(ValidationError):
        services.report_correct(snapshot=second, user=coordinator, reason="  ")


@time_machine.travel(AFTER_Q3, tick=False)
def test_the_database_refuses_to_change_or_delete_a_snapshot(world, booked):
    snapshot = services.reports_generate(period_code="2026-Q3")[0]
    for statement in (
        "UPDATE reporting_reportsnapshot SET sha256 = 'x' WHERE id = %s",
        "DELETE FROM reporting_reportsnapshot WHERE id = %s",
    ):
        with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(statement, [snapshot.pk])


def test_a_period_that_has_not_ended_is_refused(world):
    with time_machine.travel(dt.datetime(2026, 9, 30, 12, 0, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError, match="nog niet voorbij"):
            services.reports_generate(period_code="2026-Q3")
    assert not ReportSnapshot.objects.exists()


@time_machine.travel(AFTER_Q3, tick=False)
def test_the_command_makes_the_last_ended_quarter(world, booked, capsys):
    call_command("generate_reports", "--due")
    out = capsys.readouterr().out
    assert "2026-Q3 zuidoost v1" in out
    call_command("generate_reports", "--period", "2026-Q3")
    assert "0 rapportage(s) gemaakt." in capsys.readouterr().out
    with pytest.raises(Exception, match="2026-Q3"):
        call_command("generate_reports", "--period", "Q3")
