"""Journey of a resident initiative on a phone (390 px): a resident applies without logging
in; assessors (one declares a conflict) assess it; the board approves it; it shows as
approved on the public board; the treasurer sees the commitment and pays an advance; the
initiator accounts for it with a receipt photo through the personal link."""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from PIL import Image
from playwright.sync_api import expect

from finance.grants import services as grant_services
from finance.ledger.models import Account, JournalEntry
from groups.initiatives import services
from groups.initiatives.models import Initiative
from tests.initiatives.helpers import board_meeting

pytestmark = pytest.mark.browser


@pytest.fixture
def open_round(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    group, users = browser_world.group_a, browser_world.users
    today = timezone.localdate()
    with tenant_context(group):
        grant = grant_services.grant_create(
            user=users["treasurer"],
            funder="Gemeente Amsterdam",
            reference="BB-2026",
            title="Buurtbudget",
            amount=Decimal("10000.00"),
            period_start=today - datetime.timedelta(days=60),
            period_end=today + datetime.timedelta(days=300),
        )
        line = grant_services.budget_line_create(
            grant=grant,
            user=users["treasurer"],
            account=Account.objects.get(code="4000"),
            description="Bewonersinitiatieven",
            amount=Decimal("5000.00"),
        )
        services.round_create(
            user=users["chair"],
            name="Voorjaarsronde",
            opens_on=today - datetime.timedelta(days=5),
            closes_on=today + datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=90),
            budget_line_id=line.pk,
            budget=Decimal("3000.00"),
            criteria=["Goed voor de buurt"],
        )
        board_meeting(users, group, day=today)
    return group


def _receipt(tmp_path):
    path = tmp_path / "bon.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (60, 90), (250, 250, 240)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


def test_initiative_from_application_to_accountability(open_round, page, login, live_url, tmp_path):
    group = open_round
    base = f"/g/{group.slug}/initiatieven/"
    # a resident applies without logging in
    page.goto(live_url(base + "aanvragen/"))
    page.get_by_label("Titel van je plan").fill("Buurtmoestuin")
    page.get_by_label("Korte samenvatting").fill("Vier bakken met groenten op het plein.")
    page.get_by_label("Beschrijving").fill("We zaaien samen met de kinderen uit de straat.")
    page.get_by_label("Je naam").fill("Amina Bakker")
    page.get_by_label("Je e-mailadres").fill("amina@voorbeeld.nl")
    page.get_by_label("Begroting regel 1: waarvoor").fill("Plantenbakken en aarde")
    page.get_by_label("Begroting regel 1: bedrag").fill("450,00")
    page.get_by_role("button", name="Aanvraag versturen").click()
    expect(page.get_by_text("Bedankt, je aanvraag is binnen")).to_be_visible()
    personal_link = page.locator("#personal-link").get_attribute("href")
    with tenant_context(group):
        initiative = Initiative.objects.get()
    manage = live_url(base + f"beheer/{initiative.pk}/")

    # the member declares a conflict and is excluded
    login(page, "member")
    page.goto(manage)
    page.get_by_label("Ja, ik heb een eigen belang").check()
    page.get_by_label("Welk belang (als je er een hebt)").fill("Amina is mijn buurvrouw")
    page.get_by_role("button", name="Verklaring vastleggen").click()
    expect(page.get_by_text("je beoordeelt deze aanvraag niet")).to_be_visible()
    page.context.clear_cookies()

    # the secretary declares none and scores
    login(page, "secretary")
    page.goto(manage)
    page.get_by_label("Nee, ik heb geen eigen belang").check()
    page.get_by_role("button", name="Verklaring vastleggen").click()
    page.get_by_label("4").check()
    page.get_by_label("Reden bij Goed voor de buurt").fill("Veel buren doen mee")
    page.get_by_role("button", name="Beoordeling opslaan").click()
    expect(page.get_by_text("Je beoordeling is opgeslagen")).to_be_visible()
    page.context.clear_cookies()

    # the board approves it; the conflict is named
    login(page, "chair")
    page.goto(manage)
    expect(page.get_by_text("Amina is mijn buurvrouw")).to_be_visible()
    page.get_by_label("goedgekeurd", exact=True).check()
    page.get_by_label("Redenen (openbaar)").fill("Een goed plan voor de buurt.")
    page.get_by_label("Stemmen voor").fill("3")
    page.get_by_role("button", name="Besluit vastleggen").click()
    expect(page.get_by_text("is vastgelegd")).to_be_visible()
    page.context.clear_cookies()

    # the public board shows it as approved, without the initiator's contact
    page.goto(live_url(base))
    card = page.locator(".cards li", has_text="Buurtmoestuin")
    expect(card.get_by_text("goedgekeurd")).to_be_visible()
    assert "amina@voorbeeld.nl" not in page.content()

    # the treasurer sees the commitment and pays an advance
    login(page, "treasurer")
    page.goto(manage)
    expect(page.get_by_text("Verplichting op de begrotingsregel")).to_be_visible()
    page.get_by_role("button", name="Voorschot boeken").click()
    expect(page.get_by_text("Geboekt als")).to_be_visible()
    with tenant_context(group):
        assert JournalEntry.objects.get(origin_kind="initiatief_voorschot").is_posted
    page.context.clear_cookies()

    # the initiator accounts for it with a receipt photo through the personal link
    page.goto(personal_link)
    page.get_by_role("link", name="Verantwoording afleggen").click()
    page.get_by_label("Kort verslag").fill("Twintig buren hebben gezaaid.")
    page.get_by_label("Aantal deelnemers").fill("20")
    page.get_by_label("Bonnetje 1 (foto of PDF)").set_input_files(str(_receipt(tmp_path)))
    page.get_by_label("Bedrag op bonnetje 1").fill("430,00")
    page.get_by_role("button", name="Verantwoording versturen").click()
    expect(page.get_by_text("Je verantwoording is binnen")).to_be_visible()
    with tenant_context(group):
        initiative.refresh_from_db()
        assert initiative.status == "verantwoord" and initiative.participants == 20
        assert initiative.attachments.get(kind="bon").amount == Decimal("430.00")
