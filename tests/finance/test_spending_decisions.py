# ruff: noqa: F811  (fixtures imported from tests/groups/conftest.py are used as arguments)
"""A payment above the group's threshold must cite a valid decision (issues 3 and 5)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.claims.selectors import spent_under_decision
from finance.ledger.models import JournalEntry
from tests.finance.conftest import expense
from tests.groups.conftest import board, board_meeting, make_member, record, rules  # noqa: F401


def test_without_rules_the_default_limits_apply(books, users):
    # a new group pays its first bills without a decision, up to the default limits
    entry = expense(users["treasurer"], amount="1000.00")
    assert entry.decision is None and entry.status == JournalEntry.Status.POSTED
    # and above them, as with house rules, a decision is needed and nothing is written
    before = JournalEntry.objects.count()
    with pytest.raises(ValidationError, match="boven € 1.000,00"):
        expense(users["treasurer"], amount="5000.00")
    assert JournalEntry.objects.count() == before


def test_up_to_the_threshold_no_decision_is_needed(books, users, rules):
    entry = expense(users["treasurer"], amount="1000.00")
    assert entry.status == JournalEntry.Status.POSTED


def test_above_the_threshold_a_decision_is_required_and_nothing_is_written(books, users, rules):
    before = JournalEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        expense(users["treasurer"], amount="1000.01")
    assert "alleen met een besluit" in str(exc.value.message_dict["decision"])
    assert JournalEntry.objects.count() == before


def test_payment_citing_valid_decision_is_booked_with_the_link(books, users, record):
    decision = record(amount=Decimal("1500.00"))
    entry = expense(users["treasurer"], amount="1200.00", decision=decision)
    assert entry.decision == decision
    assert entry.history.first().decision_id == decision.pk
    assert spent_under_decision(decision) == Decimal("1200.00")


def test_payment_citing_invalid_decision_is_refused(books, users, record):
    invalid = record(votes_for=0, votes_against=3, amount=Decimal("5000.00"))
    with pytest.raises(ValidationError) as exc:
        expense(users["treasurer"], amount="1200.00", decision=invalid)
    assert "ongeldig" in str(exc.value.message_dict["decision"])
    assert not JournalEntry.objects.filter(decision=invalid).exists()


def test_payments_together_cannot_exceed_the_decision(books, users, record):
    decision = record(amount=Decimal("1500.00"))
    expense(users["treasurer"], amount="1100.00", decision=decision)
    with pytest.raises(ValidationError) as exc:
        expense(users["treasurer"], amount="1100.00", decision=decision)
    assert "al € 1.100,00 uitgegeven" in str(exc.value.message_dict["decision"])


def test_expense_form_shows_decision_error_in_dutch(books, users, rules, client_as, group_a):
    client = client_as("treasurer")
    from tests.finance.conftest import acc

    response = client.post(
        f"/g/{group_a.slug}/financien/uitgave/",
        {
            "date": "2026-03-01",
            "amount": "2000,00",
            "category": acc("4000").pk,
            "paid_from": acc("1000").pk,
            "description": "Springkussen",
        },
    )
    assert response.status_code == 400
    assert "alleen met een besluit" in response.content.decode()


def test_entry_page_links_the_decision(books, users, record, client_as, group_a):
    decision = record(amount=Decimal("1500.00"))
    entry = expense(users["treasurer"], amount="1200.00", decision=decision)
    page = client_as("chair").get(f"/g/{group_a.slug}/financien/boekingen/{entry.pk}/")
    assert f"/g/{group_a.slug}/besluiten/{decision.pk}/" in page.content.decode()
