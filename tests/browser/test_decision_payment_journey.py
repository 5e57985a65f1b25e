"""Journey across groups and finance: a decision taken at a board meeting allows a payment.
The treasurer cannot pay above the group's threshold without it, and pays citing it."""

import datetime
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from finance.ledger import services as ledger_services
from finance.ledger.models import JournalEntry
from groups.decisions import services as decision_services
from groups.decisions.models import Meeting
from groups.organisation import services as org_services

pytestmark = pytest.mark.browser


@pytest.fixture
def decided(browser_world):
    group, users = browser_world.group_a, browser_world.users
    with tenant_context(group):
        # The journey books in 2026 whatever today is: with the year open, the form does
        # not ask whether a date far from today is right.
        ledger_services.year_create(user=users["treasurer"], year=2026)
        decision_services.rules_initialise(
            valid_from=datetime.date(2026, 1, 1),
            quorum_percent=50,
            treasurer_alone_up_to=Decimal("250.00"),
            treasurer_and_chair_up_to=Decimal("1000.00"),
        )
        board = []
        for key, role in (
            ("chair", "voorzitter"),
            ("treasurer", "penningmeester"),
            ("secretary", "secretaris"),
        ):
            member = org_services.member_create(
                name=key.title(), joined_on=datetime.date(2025, 1, 1), user_id=users[key].pk
            )
            org_services.role_assign(
                group=group, member=member, role=role, starts_on=datetime.date(2025, 1, 1)
            )
            board.append(member)
        meeting = decision_services.meeting_create(
            kind=Meeting.Kind.BOARD, held_on=datetime.date(2026, 3, 10), place="Buurthuis"
        )
        decision_services.meeting_set_attendance(meeting=meeting, present=board)
        decision = decision_services.decision_record(
            meeting=meeting,
            title="Buurtfeest",
            text="Geld voor het buurtfeest.",
            votes_for=3,
            votes_against=0,
            kind="financieel",
            amount=Decimal("1500.00"),
        )
    return group, decision


def test_treasurer_pays_above_threshold_only_citing_the_decision(decided, page, login, live_url):
    group, decision = decided
    login(page, "treasurer")
    page.goto(live_url(f"/g/{group.slug}/financien/uitgave/"))

    # when: she books a large expense without citing a decision
    page.get_by_label("Datum").fill("2026-04-20")
    page.get_by_label("Bedrag in euro").fill("1.250,00")
    page.get_by_label("Waaraan uitgegeven?").select_option(label="4000 Activiteiten")
    page.get_by_label("Omschrijving").fill("Springkussen en geluid buurtfeest")
    page.get_by_role("button", name="Opslaan").click()

    # then: it is refused in Dutch and nothing is booked
    expect(page.locator("p.error", has_text="alleen met een besluit van de groep")).to_be_visible()
    with tenant_context(group):
        assert not JournalEntry.objects.exists()

    # when: she cites the board's decision
    page.get_by_label("Besluit dat deze uitgave toestaat").select_option(
        label=f"{decision.reference} Buurtfeest (€ 1.500,00)"
    )
    page.get_by_role("button", name="Opslaan").click()

    # then: the expense is booked and its page links the decision
    expect(page.get_by_text("De uitgave is vastgelegd", exact=False)).to_be_visible()
    expect(page.get_by_role("link", name=f"{decision.reference} Buurtfeest")).to_be_visible()
    with tenant_context(group):
        assert JournalEntry.objects.get().decision_id == decision.pk
