"""Money: an advance booked through the ledger, accountability by link, returns, closing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from finance.grants.models import Commitment
from finance.ledger.models import JournalEntry
from groups.initiatives import money
from groups.initiatives.models import Initiative, InitiativeEvent, Payout
from tests.conftest import group_path
from tests.initiatives.helpers import png, upload

pytestmark = pytest.mark.django_db
PAY_DAY = datetime.date(2026, 4, 22)


def test_advance_is_a_posted_booking_on_the_budget_line_citing_the_decision(approved, users):
    initiative = approved.initiative
    payout = money.advance_pay(
        initiative=initiative, user=users["treasurer"], amount=Decimal("450.00"), date=PAY_DAY
    )
    entry = JournalEntry.objects.get(pk=payout.entry_id)
    assert entry.status == "geboekt" or entry.is_posted
    assert (entry.origin_kind, entry.origin_id) == ("initiatief_voorschot", payout.pk)
    assert entry.decision_id == initiative.decision_id
    debit = entry.lines.get(debit__gt=0)
    assert debit.budget_line_id == initiative.round.budget_line_id
    assert debit.debit == Decimal("450.00")
    assert money.figures(initiative).paid == Decimal("450.00")
    assert payout.history.count() == 2
    assert InitiativeEvent.objects.filter(kind="initiative_paid").count() == 1


def test_more_than_awarded_cannot_be_paid(approved, users):
    money.advance_pay(
        initiative=approved.initiative,
        user=users["treasurer"],
        amount=Decimal("400.00"),
        date=PAY_DAY,
    )
    with pytest.raises(ValidationError, match="hoogstens € 50,00"):
        money.advance_pay(
            initiative=approved.initiative,
            user=users["treasurer"],
            amount=Decimal("50.01"),
            date=PAY_DAY,
        )
    assert Payout.objects.count() == 1


def test_only_the_treasurer_pays(approved, users):
    with pytest.raises(Exception, match="penningmeester"):
        money.advance_pay(
            initiative=approved.initiative,
            user=users["chair"],
            amount=Decimal("10.00"),
            date=PAY_DAY,
        )
    assert (
        not Payout.objects.exists()
        and not JournalEntry.objects.filter(origin_kind="initiatief_voorschot").exists()
    )


def test_accountability_by_link_then_return_then_close(approved, users, group_a):
    initiative = approved.initiative
    money.advance_pay(
        initiative=initiative, user=users["treasurer"], amount=Decimal("450.00"), date=PAY_DAY
    )
    # when the initiator accounts from a phone with one receipt of € 400
    url = group_path(group_a, f"initiatieven/mijn/{approved.token}/verantwoording/")
    response = Client().post(
        url,
        {
            "report": "Twintig buren hebben meegedaan.",
            "participants": "20",
            "volunteers": "4",
            "receipt_0": upload("bon.png", png("bon")),
            "receipt_0_amount": "400,00",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.ACCOUNTED and initiative.participants == 20
    figures = money.figures(initiative)
    assert (figures.accounted, figures.to_return) == (Decimal("400.00"), Decimal("50.00"))
    # closing waits for the return
    with pytest.raises(ValidationError, match="€ 50,00 terugbetaald"):
        money.close(initiative=initiative, user=users["chair"])
    payout = money.advance_return(
        initiative=initiative, user=users["treasurer"], amount=Decimal("50.00"), date=PAY_DAY
    )
    entry = JournalEntry.objects.get(pk=payout.entry_id)
    assert entry.origin_kind == "initiatief_terug"
    assert entry.lines.get(credit__gt=0).budget_line_id == initiative.round.budget_line_id
    money.close(initiative=initiative, user=users["chair"])
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.CLOSED
    commitment = Commitment.objects.get(pk=initiative.commitment_id)
    assert not commitment.is_open


def test_accountability_refuses_a_fake_receipt_and_writes_nothing(approved, group_a):
    url = group_path(group_a, f"initiatieven/mijn/{approved.token}/verantwoording/")
    response = Client().post(
        url,
        {
            "report": "Gedaan",
            "receipt_0": upload("bon.jpg", b"<html>nep</html>", "image/jpeg"),
            "receipt_0_amount": "10,00",
        },
    )
    assert response.status_code == 400
    assert "geen foto" in response.content.decode()
    approved.initiative.refresh_from_db()
    assert approved.initiative.status == "goedgekeurd"
    assert not approved.initiative.attachments.exists()


def test_treasurer_sees_awarded_paid_accounted_and_to_return(approved, users, group_a, client_as):
    money.advance_pay(
        initiative=approved.initiative,
        user=users["treasurer"],
        amount=Decimal("200.00"),
        date=PAY_DAY,
    )
    page = client_as("treasurer").get(group_path(group_a, "initiatieven/geld/")).content.decode()
    assert "450,00" in page and "200,00" in page
    manage = (
        client_as("treasurer")
        .get(group_path(group_a, f"initiatieven/beheer/{approved.initiative.pk}/"))
        .content.decode()
    )
    assert approved.initiative.decision_reference in manage
    assert "nog niet op een bankafschrift" in manage


def test_pay_through_the_page(approved, group_a, client_as):
    response = client_as("treasurer").post(
        group_path(group_a, f"initiatieven/beheer/{approved.initiative.pk}/voorschot/"),
        {"pay-amount": "450,00", "pay-date": "2026-04-22"},
    )
    assert response.status_code == 302
    assert money.figures(approved.initiative).paid == Decimal("450.00")
