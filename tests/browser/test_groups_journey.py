"""Journey: the secretary records a board meeting, who was there, and a decision; the board
publishes it and a neighbour without an account reads it on the public page.

(The second half of the story, the treasurer paying against the decision, belongs to finance.)
"""

import datetime
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from groups.decisions import services as decision_services
from groups.decisions.models import Decision
from groups.organisation import services as org_services

pytestmark = pytest.mark.browser


@pytest.fixture
def organised_group(browser_world):
    """Group A with house rules and a board of three in its register."""
    group, users = browser_world.group_a, browser_world.users
    with tenant_context(group):
        decision_services.rules_initialise(valid_from=datetime.date(2025, 1, 1))
        for key, name, role in (
            ("chair", "Kwame Mensah", "voorzitter"),
            ("treasurer", "Priscilla Doelwijt", "penningmeester"),
            ("secretary", "Gloria Renfurm", "secretaris"),
        ):
            member = org_services.member_create(
                name=name, joined_on=datetime.date(2024, 9, 1), user_id=users[key].pk
            )
            org_services.role_assign(
                group=group, member=member, role=role, starts_on=datetime.date(2025, 1, 1)
            )
    return group


def test_secretary_records_meeting_attendance_and_decision(
    organised_group, page, login, live_url, browser
):
    slug = organised_group.slug
    # given: the secretary is signed in and opens the meetings
    login(page, "secretary")
    page.goto(live_url(f"/g/{slug}/"))
    page.get_by_role("link", name="Vergaderingen").first.click()
    expect(page.get_by_role("heading", name="Vergaderingen")).to_be_visible()

    # when: she records a board meeting
    page.get_by_role("link", name="Nieuwe vergadering").click()
    page.get_by_label("Soort").select_option("bestuur")
    page.get_by_label("Datum").fill("2026-03-10")
    page.get_by_label("Plaats").fill("Buurthuis De Kolk")
    page.get_by_label("Agenda").fill("1. Opening\n2. Buurtfeest")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", name="Bestuursvergadering 10 maart 2026")).to_be_visible()

    # and ticks who was there: the quorum updates in place (htmx)
    page.get_by_label("Kwame Mensah").check()
    page.get_by_label("Gloria Renfurm").check()
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.locator("#quorum")).to_contain_text(
        "2 van de 3 stemgerechtigden aanwezig, nodig: 2"
    )
    expect(page.locator("#quorum")).to_contain_text("quorum gehaald")

    # and records the decision, first with a slip: more votes than people present
    page.get_by_role("link", name="Besluit vastleggen").click()
    page.get_by_label("Korte titel").fill("Buurtfeest in juni")
    page.get_by_label("Tekst van het besluit").fill("We trekken € 600 uit voor het buurtfeest.")
    page.get_by_label("Soort besluit").select_option("financieel")
    page.get_by_label("Bedrag (€)").fill("600,00")
    page.get_by_label("Stemmen voor").fill("3")
    page.get_by_label("Stemmen tegen").fill("0")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(
        page.locator("p.error", has_text="Er zijn meer stemmen (3) dan mensen aanwezig (2).")
    ).to_be_visible()
    page.get_by_label("Stemmen voor").fill("2")
    page.get_by_role("button", name="Besluit vastleggen").click()

    # then: the decision has its number and is valid
    expect(page.get_by_role("heading", name="Besluit 2026-001: Buurtfeest in juni")).to_be_visible()
    expect(page.locator(".badge.ok")).to_have_text("aangenomen")
    with tenant_context(organised_group):
        decision = Decision.objects.get()
        assert (decision.amount, decision.votes_for, decision.is_valid) == (
            Decimal("600.00"),
            2,
            True,
        )

    # and once published, a neighbour without an account reads it on the public page
    page.get_by_role("button", name="Op de openbare pagina zetten").click()
    expect(page.get_by_text("Het besluit staat op de openbare pagina.")).to_be_visible()
    neighbour = browser.new_context(locale="nl-NL").new_page()
    neighbour.goto(live_url(f"/g/{slug}/openbaar/"))
    expect(neighbour.get_by_role("heading", name="2026-001 — Buurtfeest in juni")).to_be_visible()
    assert "Gloria" not in neighbour.content() and "Kwame" not in neighbour.content()
