"""Spending outside a grant's period is refused, or booked with a recorded exception
(issue 14, point 4), in the services and at the database."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.urls import reverse

from finance.claims import services as claims
from finance.grants import services as grant_services
from finance.ledger import services as ledger_services
from finance.ledger.models import JournalEntry
from finance.ledger.postings import LineInput
from tests.finance.claims.test_claims import rules, submit  # noqa: F401
from tests.finance.conftest import acc, expense, raw

__all__ = ["rules"]


@pytest.fixture
def grant_2026(books, users):
    grant = grant_services.grant_create(
        user=users["treasurer"],
        funder="Stadsdeel Zuidoost",
        reference="SZO-2026-12",
        title="Buurtbudget 2026",
        amount=Decimal("1000.00"),
        period_start=date(2026, 3, 1),
        period_end=date(2026, 6, 30),
    )
    line = grant_services.budget_line_create(
        grant=grant,
        user=users["treasurer"],
        account=acc("4000"),
        description="Feest",
        amount=Decimal("500.00"),
    )
    return grant, line


def test_expense_outside_the_period_is_refused_and_nothing_is_written(grant_2026, users):
    grant, line = grant_2026
    before = JournalEntry.objects.count()
    for day in (date(2026, 2, 28), date(2026, 7, 1)):
        with pytest.raises(ValidationError) as exc:
            expense(users["treasurer"], "40.00", day=day, budget_line=line)
        message = " ".join(exc.value.message_dict["period_exception"])
        assert "buiten de periode van subsidie SZO-2026-12" in message
        assert "01-03-2026 t/m 30-06-2026" in message
    with pytest.raises(ValidationError, match="buiten de periode"):
        expense(users["treasurer"], "40.00", day=date(2026, 7, 1), grant=grant)
    assert JournalEntry.objects.count() == before
    # inside the period, on the first and the last day, it is booked
    assert expense(users["treasurer"], "1.00", day=date(2026, 3, 1), budget_line=line).is_posted
    assert expense(users["treasurer"], "1.00", day=date(2026, 6, 30), budget_line=line).is_posted


def test_a_recorded_exception_books_it_with_its_reason_and_author(grant_2026, users):
    _grant, line = grant_2026
    entry = expense(
        users["treasurer"],
        "40.00",
        day=date(2026, 7, 3),
        budget_line=line,
        period_exception="Rekening van het feest van 28 juni kwam later.",
    )
    entry.refresh_from_db()
    assert entry.is_posted
    assert entry.period_exception == "Rekening van het feest van 28 juni kwam later."
    assert entry.created_by_id == users["treasurer"].pk
    assert entry.history.first().period_exception == entry.period_exception
    # its correction, after the period, is no new spending and needs no exception
    ledger_services.entry_reverse(entry=entry, user=users["treasurer"], date=date(2026, 8, 1))


def test_memorial_and_batch_entries_are_checked_too(grant_2026, users):
    grant, _line = grant_2026
    lines = [
        LineInput(account=acc("4000"), debit=Decimal("5.00"), grant=grant),
        LineInput(account=acc("1000"), credit=Decimal("5.00")),
    ]
    with pytest.raises(ValidationError, match="buiten de periode"):
        ledger_services.entry_create(
            date=date(2026, 9, 1), description="Memoriaal", lines=lines, user=users["treasurer"]
        )
    spec = ledger_services.postings.journal(date=date(2026, 9, 1), description="X", lines=lines)
    with pytest.raises(ValidationError, match="buiten de periode"):
        ledger_services.entries_create(entries=[spec], user=users["treasurer"], post=True)
    # income earmarked to the grant (a tranche paid early) is not spending
    ledger_services.entry_create(
        date=date(2026, 1, 15),
        description="Voorschot",
        user=users["treasurer"],
        post=True,
        lines=[
            LineInput(account=acc("1100"), debit=Decimal("500.00")),
            LineInput(account=acc("8000"), credit=Decimal("500.00"), grant=grant),
        ],
    )


def test_the_database_refuses_posting_spending_moved_outside_the_period(grant_2026, users):
    # given: a draft inside the period, moved outside it behind the services' back
    _grant, line = grant_2026
    draft = expense(users["secretary"], "12.00", day=date(2026, 4, 1), budget_line=line)
    assert not draft.is_posted
    raw("UPDATE finance_journalentry SET date = '2026-07-15' WHERE id = %s", [draft.pk])
    draft.refresh_from_db()
    # when / then
    with pytest.raises(DatabaseError, match="buiten de periode"), transaction.atomic():
        ledger_services.entry_post(entry=draft, user=users["treasurer"])


def test_a_grant_period_cannot_shrink_past_booked_spending(grant_2026, users):
    grant, line = grant_2026
    expense(users["treasurer"], "12.00", day=date(2026, 6, 10), budget_line=line)
    with pytest.raises(ValidationError) as exc:
        grant_services.grant_update(
            grant=grant, user=users["treasurer"], period_end=date(2026, 5, 31)
        )
    assert "10-06-2026" in " ".join(exc.value.message_dict["period_end"])
    with pytest.raises(DatabaseError, match="buiten de periode"), transaction.atomic():
        raw("UPDATE finance_grant SET period_end = '2026-05-31' WHERE id = %s", [grant.pk])
    grant_services.grant_update(grant=grant, user=users["treasurer"], period_end=date(2026, 7, 31))


def test_a_claim_is_checked_on_the_day_it_was_spent(grant_2026, rules, users, time_machine):  # noqa: F811
    time_machine.move_to(date(2026, 8, 1))
    grant, line = grant_2026
    outside = submit(users["member"], day=date(2026, 7, 20), tag="late")
    with pytest.raises(ValidationError) as exc:
        claims.claim_approve(
            claim=outside, user=users["treasurer"], category=acc("4000"), budget_line=line
        )
    assert "buiten de periode" in " ".join(exc.value.message_dict["budget_line"])
    # spent inside the period, paid back after it ended: accepted
    inside = submit(users["member"], day=date(2026, 6, 29), tag="in")
    inside = claims.claim_approve(
        claim=inside, user=users["treasurer"], category=acc("4000"), budget_line=line
    )
    spec = ledger_services.postings.claim_paid(
        claim=inside, date=date(2026, 7, 10), paid_from=acc("1100")
    )
    entry = ledger_services.entries_create(entries=[spec], user=users["treasurer"], post=True)[0]
    assert entry.is_posted and entry.period_exception == ""


def test_the_expense_form_records_the_exception(grant_2026, users, client_as, group_a):
    _grant, line = grant_2026
    url = reverse("finance:expense_new", kwargs={"group_slug": group_a.slug})
    data = {
        "date": "2026-07-02",
        "amount": "23,95",
        "category": acc("4000").pk,
        "budget_line": line.pk,
        "paid_from": acc("1100").pk,
        "description": "Nagekomen rekening",
    }
    refused = client_as("treasurer").post(url, data)
    assert refused.status_code == 400 and "buiten de periode" in refused.content.decode()
    assert not JournalEntry.objects.exists()
    booked = client_as("treasurer").post(url, {**data, "period_exception": "Feest 28 juni"})
    entry = JournalEntry.objects.get()
    assert booked.status_code == 302 and entry.period_exception == "Feest 28 juni"
    page = client_as("audit").get(
        reverse("finance:entry", kwargs={"group_slug": group_a.slug, "pk": entry.pk})
    )
    assert "Uitzondering op de subsidieperiode" in page.content.decode()
