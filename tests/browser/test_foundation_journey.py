"""Journey: a coordinator creates a group and adds a treasurer; the treasurer signs in and
sees her group and nothing of the others."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_coordinator_creates_group_and_treasurer_sees_only_her_group(
    browser_world, page, login, live_url, browser
):
    # given: the coordinator is signed in
    login(page, "coordinator")
    expect(page.get_by_role("heading", name="Alle bewonersgroepen")).to_be_visible()

    # when: she creates a group
    page.get_by_role("link", name="Nieuwe groep aanmaken").click()
    page.get_by_label("Naam van de groep").fill("Bewonersplatform G-buurt")
    page.get_by_label("Korte naam in het webadres").fill("g-buurt-e2e")
    page.get_by_label("Stadsdeel").select_option("zuidoost")
    page.get_by_role("button", name="Groep aanmaken").click()
    expect(page.get_by_text("Groep ‘Bewonersplatform G-buurt’ is aangemaakt.")).to_be_visible()

    # and adds a treasurer
    page.get_by_label("Voornaam").fill("Naomi")
    page.get_by_label("Achternaam").fill("Kromosoeto")
    page.get_by_label("E-mailadres").fill("naomi@example.org")
    page.get_by_label("Rol in de groep").select_option("penningmeester")
    page.get_by_role("button", name="Toevoegen").click()
    message = page.locator(".message").inner_text()
    assert "Naomi Kromosoeto is toegevoegd als penningmeester" in message
    link = re.search(r"https?://\S+", message).group(0)

    # then: the treasurer chooses a password with the link and signs in
    treasurer = browser.new_context(locale="nl-NL").new_page()
    treasurer.goto(link)
    treasurer.locator("#id_new_password1").fill("Zonnebloem-2026!")
    treasurer.locator("#id_new_password2").fill("Zonnebloem-2026!")
    treasurer.get_by_role("button", name="Wachtwoord opslaan").click()
    expect(treasurer.get_by_role("heading", name="Je wachtwoord is opgeslagen")).to_be_visible()
    login(treasurer, "naomi@example.org", "Zonnebloem-2026!")

    # she lands in her own group
    expect(treasurer.get_by_role("heading", name="Bewonersplatform G-buurt")).to_be_visible()
    assert treasurer.url.endswith("/g/g-buurt-e2e/")

    # and sees nothing of the others
    other = browser_world.group_a.slug
    response = treasurer.goto(live_url(f"/g/{other}/"))
    assert response.status == 404
    expect(treasurer.get_by_role("heading", name="Deze pagina bestaat niet")).to_be_visible()
    assert "Hart voor de K-buurt" not in treasurer.content()
