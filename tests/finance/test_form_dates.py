"""Booking dates that would open an unlikely financial year are asked about first."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from finance.ledger.models import FinancialYear, JournalEntry
from tests.finance.conftest import acc

TODAY = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _post_income(client, group, day: str, **extra):
    return client.post(
        reverse("finance:income_new", kwargs={"group_slug": group.slug}),
        {
            "date": day,
            "amount": "25,00",
            "category": acc("8100").pk,
            "received_in": acc("1000").pk,
            "description": "Donatie",
            **extra,
        },
    )


@pytest.mark.parametrize(
    "day, reason",
    [
        ("2206-04-01", "meer dan een jaar van vandaag"),
        ("0001-04-01", "meer dan een jaar van vandaag"),
        ("2027-09-01", "meer dan een jaar van vandaag"),
    ],
)
def test_a_date_far_from_today_does_not_open_a_year_unasked(books, client_as, group_a, day, reason):
    # when
    response = _post_income(client_as("treasurer"), group_a, day)
    # then
    page = response.content.decode()
    assert response.status_code == 400
    assert reason in page and "Deze datum klopt" in page
    assert 'type="checkbox" name="confirm_date"' in page
    assert not FinancialYear.objects.exists() and not JournalEntry.objects.exists()


def test_a_confirmed_unlikely_date_opens_the_year(books, client_as, group_a):
    response = _post_income(client_as("treasurer"), group_a, "2206-04-01", confirm_date="on")
    assert response.status_code == 302
    assert list(FinancialYear.objects.values_list("year", flat=True)) == [2206]


def test_a_date_before_the_group_started_is_asked(books, client_as, group_a):
    # The group was made this year (seen from a clock that may lie behind its creation).
    response = _post_income(client_as("treasurer"), group_a, "2025-12-20")
    assert response.status_code == 400
    assert "het jaar waarin de groep met Buurtkas begon" in response.content.decode()
    assert not FinancialYear.objects.exists()


def test_dates_in_years_the_books_have_or_near_today_are_not_asked(books, client_as, group_a):
    FinancialYear.objects.create(year=2019, start="2019-01-01", end="2019-12-31")
    client = client_as("treasurer")
    assert _post_income(client, group_a, "2019-03-01").status_code == 302
    assert _post_income(client, group_a, "2026-12-31").status_code == 302
    assert sorted(FinancialYear.objects.values_list("year", flat=True)) == [2019, 2026]
