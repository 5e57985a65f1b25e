"""Choices people make on forms: budget lines by name, only adopted decisions to pay from."""

import datetime
from decimal import Decimal

from django.urls import reverse

from finance.grants import services as grant_services
from finance.ledger.models import Account
from groups.decisions.models import Decision


def _budget_line(users):
    grant = grant_services.grant_create(
        user=users["treasurer"],
        funder="Stadsdeel Zuidoost",
        reference="SZO-7",
        title="Buurtbudget",
        amount=Decimal("5000.00"),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    return grant_services.budget_line_create(
        grant=grant,
        user=users["treasurer"],
        account=Account.objects.get(code="4000"),
        description="Buurtfeest",
        amount=Decimal("1500.00"),
    )


def test_a_decision_names_its_budget_line_from_a_list(board_meeting, users, client_as, group_a):
    line = _budget_line(users)
    url = reverse(
        "groups:decision_new", kwargs={"group_slug": group_a.slug, "pk": board_meeting.pk}
    )
    client = client_as("chair")
    # then: a list with the line's name, not a number to type
    page = client.get(url).content.decode()
    assert '<select name="budget_line_id"' in page
    assert f'<option value="{line.pk}">SZO-7 — Buurtfeest' in page
    # when
    response = client.post(
        url,
        {
            "title": "Buurtfeest",
            "text": "Geld voor het buurtfeest.",
            "kind": "financieel",
            "amount": "1,250.00",  # English notation: read as 1250, not 1.25
            "budget_line_id": str(line.pk),
            "decided_on": "2026-03-10",
            "present_count": "3",
            "votes_for": "3",
            "votes_against": "0",
            "votes_abstain": "0",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302 and decision.budget_line_id == line.pk
    assert decision.amount == Decimal("1250.00")
    detail = client.get(
        reverse("groups:decision_detail", kwargs={"group_slug": group_a.slug, "pk": decision.pk})
    ).content.decode()
    assert "SZO-7 — Buurtfeest (" in detail


def test_the_claim_form_offers_only_adopted_decisions(record, client_as, group_a):
    adopted = record(title="Buurtfeest aangenomen")
    refused = record(title="Hek niet aangenomen", votes_for=1, votes_against=2)
    assert adopted.is_valid and not refused.is_valid
    page = (
        client_as("member")
        .get(reverse("finance:claim_new", kwargs={"group_slug": group_a.slug}))
        .content.decode()
    )
    assert "Buurtfeest aangenomen" in page and "Hek niet aangenomen" not in page
