"""Every signal against data written through the real services, at its boundary; the
clock is frozen with time-machine and the pages read it (timezone.localdate)."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone
from django_tenants.utils import tenant_context

from backoffice.support import chosen, coaching
from backoffice.support.models import ActieCheck
from backoffice.support.signals import months_before, signals_by_group
from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank.formats import samples
from finance.grants import services as grant_services
from finance.ledger.models import Account
from groups.decisions import services as decision_services
from tenants.facade import memberships_set
from tests.finance.conftest import expense
from tests.support.conftest import ask


def codes_on(group, day: dt.date) -> dict[str, str]:
    with time_machine.travel(dt.datetime(day.year, day.month, day.day, 12), tick=False):
        today = timezone.localdate()
        return {s.code: s.sentence for s in signals_by_group([group], today)[group.pk]}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_months_before_keeps_the_day_or_takes_the_months_last():
    assert months_before(dt.date(2026, 5, 4), 2) == dt.date(2026, 3, 4)
    assert months_before(dt.date(2026, 5, 31), 3) == dt.date(2026, 2, 28)
    assert months_before(dt.date(2026, 1, 15), 2) == dt.date(2025, 11, 15)


def test_bank_line_waiting_31_days_is_a_signal_30_is_not_and_reconciling_clears_it(group_a, users):
    treasurer = users["treasurer"]
    with tenant_context(group_a):
        account = bank_import.bank_account_create(
            user=treasurer,
            iban=samples.ACCOUNT_IBAN,
            name="ING",
            holder="K-buurt",
            ledger_account=Account.objects.get(role="bank"),
        )
        lines = samples.sample_lines(1, start=dt.date(2026, 4, 1))
        bank_import.import_statement(
            data=samples.camt053_document(lines), filename="a.xml", user=treasurer
        )
    assert "bank" not in codes_on(group_a, dt.date(2026, 5, 1))  # 30 days
    signals = codes_on(group_a, dt.date(2026, 5, 2))  # 31 days
    assert "1 bankregel wacht op afletteren; de oudste is van 1 april 2026" in signals["bank"]
    with tenant_context(group_a):
        line = reconciliation.unreconciled(bank_account=account).get()
        reconciliation.book_line(
            line=line, user=treasurer, category=Account.objects.get(code="4000")
        )
    assert "bank" not in codes_on(group_a, dt.date(2026, 5, 2))


def test_no_booking_for_more_than_two_months(group_a, users, media):
    with tenant_context(group_a):
        expense(users["treasurer"], day=dt.date(2026, 3, 4))
    assert "bookings" not in codes_on(group_a, dt.date(2026, 5, 4))
    assert (
        "De laatste boeking is van 4 maart 2026"
        in codes_on(group_a, dt.date(2026, 5, 5))["bookings"]
    )


def test_no_meeting_for_more_than_three_months(group_a):
    with tenant_context(group_a):
        decision_services.meeting_create(kind="bestuur", held_on=dt.date(2026, 2, 9), place="x")
    assert "meetings" not in codes_on(group_a, dt.date(2026, 5, 9))
    assert "9 februari 2026" in codes_on(group_a, dt.date(2026, 5, 10))["meetings"]


def test_missing_board_role_is_a_signal_until_someone_holds_it(group_a, users):
    assert "board" not in codes_on(group_a, dt.date(2026, 5, 1))
    memberships_set(group=group_a, user_id=users["secretary"].pk, roles=set())
    assert codes_on(group_a, dt.date(2026, 5, 1))["board"] == "Niemand is secretaris van de groep."
    memberships_set(group=group_a, user_id=users["secretary"].pk, roles={"secretaris"})
    assert "board" not in codes_on(group_a, dt.date(2026, 5, 1))


def test_year_without_decharge_is_a_signal_from_the_day_after_it_ends(group_a, users, media):
    with tenant_context(group_a):
        expense(users["treasurer"], day=dt.date(2026, 3, 4))  # makes the year 2026
    assert "audit" not in codes_on(group_a, dt.date(2026, 12, 31))
    assert "31 december 2026" in codes_on(group_a, dt.date(2027, 1, 1))["audit"]


@pytest.fixture
def grant(group_a, users):
    with tenant_context(group_a):
        return grant_services.grant_create(
            user=users["treasurer"],
            funder="Stadsdeel",
            reference="SIG-1",
            title="Buurtbudget",
            amount=Decimal("1000.00"),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )


def test_accountability_is_due_for_13_weeks_after_the_grant_period(grant, group_a):
    assert "accountability" not in codes_on(group_a, dt.date(2026, 12, 31))
    assert "accountability" in codes_on(group_a, dt.date(2027, 1, 1))
    assert "accountability" in codes_on(group_a, dt.date(2027, 4, 1))  # end + 91 days
    assert "accountability" not in codes_on(group_a, dt.date(2027, 4, 2))


def test_overspent_when_spending_runs_more_than_20_points_ahead(grant, group_a, users, media):
    # 14 March is day 73 of 365: 20% of the period; 40% spent is exactly 20 points ahead
    with tenant_context(group_a):
        expense(users["treasurer"], amount="400.00", day=dt.date(2026, 3, 1), grant=grant)
    assert "overspent" not in codes_on(group_a, dt.date(2026, 3, 14))
    with tenant_context(group_a):
        expense(users["treasurer"], amount="0.01", day=dt.date(2026, 3, 2), grant=grant)
    assert "Al 40% van de begroting" in codes_on(group_a, dt.date(2026, 3, 14))["overspent"]


def test_underspent_past_half_way_when_30_points_behind(grant, group_a, users, media):
    # 7 August is day 219 of 365: 60% of the period; 30% spent is exactly 30 points behind
    with tenant_context(group_a):
        expense(users["treasurer"], amount="299.99", day=dt.date(2026, 3, 1), grant=grant)
    assert "Pas 30% van de begroting" in codes_on(group_a, dt.date(2026, 8, 7))["underspent"]
    with tenant_context(group_a):
        expense(users["treasurer"], amount="0.01", day=dt.date(2026, 3, 2), grant=grant)
    assert "underspent" not in codes_on(group_a, dt.date(2026, 8, 7))


def test_waiting_support_request_is_a_signal_until_agreed(group_a, users, catalogue, budget):
    assert "requests" not in codes_on(group_a, dt.date(2026, 5, 1))
    request = ask(group_a, users["chair"], catalogue)
    assert codes_on(group_a, dt.date(2026, 5, 1))["requests"] == (
        "1 ondersteuningsvraag wacht op een afspraak."
    )
    chosen.request_agree(
        request=request,
        user=users["support"],
        hours=Decimal("6"),
        price=Decimal("390.00"),
        provider=catalogue["freelancer"],
    )
    assert "requests" not in codes_on(group_a, dt.date(2026, 5, 1))


def test_follow_up_is_overdue_from_the_day_after_its_date(group_a, users):
    coaching.session_log(
        group=group_a,
        worker=users["support"],
        held_on=dt.date(2026, 5, 1),
        minutes=60,
        followups=[("Kascommissie vragen", dt.date(2026, 5, 10), users["support"])],
    )
    assert "followups" not in codes_on(group_a, dt.date(2026, 5, 10))
    assert "sinds 10 mei 2026" in codes_on(group_a, dt.date(2026, 5, 11))["followups"]


def _actie(group, user, day, animo):
    scores = {"animo": animo, "contacten": 3, "toerusting": 3, "inbedding": 3, "empathie": 3}
    coaching.actie_record(
        group=group, user=user, source=ActieCheck.Source.WORKER, scored_on=day, scores=scores
    )


def test_actie_drop_of_two_is_a_signal_one_is_not(group_a, users):
    _actie(group_a, users["support"], dt.date(2026, 1, 10), 4)
    _actie(group_a, users["support"], dt.date(2026, 4, 10), 3)
    assert "actie" not in codes_on(group_a, dt.date(2026, 5, 1))
    _actie(group_a, users["support"], dt.date(2026, 4, 20), 1)
    assert codes_on(group_a, dt.date(2026, 5, 1))["actie"] == (
        "Sinds de vorige ACTIE-meting is Animo van 3 naar 1 gedaald."
    )


def test_the_group_scoring_itself_lower_is_not_the_workers_drop(group_a, users):
    _actie(group_a, users["support"], dt.date(2026, 1, 10), 4)
    coaching.actie_record(
        group=group_a,
        user=users["chair"],
        source=ActieCheck.Source.GROUP,
        scored_on=dt.date(2026, 2, 1),
        scores={"animo": 1, "contacten": 1, "toerusting": 1, "inbedding": 1, "empathie": 1},
    )
    assert "actie" not in codes_on(group_a, dt.date(2026, 5, 1))


def test_signals_of_many_groups_cost_the_same_queries_as_of_one(group_a, group_b):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signals_by_group([group_a], dt.date(2026, 5, 1))  # warm: search path, content types
    with CaptureQueriesContext(connection) as one:
        signals_by_group([group_a], dt.date(2026, 5, 1))
    with CaptureQueriesContext(connection) as two:
        signals_by_group([group_a, group_b], dt.date(2026, 5, 1))

    def real(context):  # django-tenants sets the search path before each statement
        return [q for q in context.captured_queries if not q["sql"].startswith("SET ")]

    assert len(real(one)) == len(real(two)) == 4
