"""Journey (phone width): a treasurer searches "kascommissie", opens a lesson and asks a
question about it; a support worker answers; the treasurer marks the answer as solved."""

import pytest
from playwright.sync_api import expect

from knowledge import services

pytestmark = pytest.mark.browser


def test_treasurer_asks_support_answers_treasurer_marks_solved(
    browser_world, browser, page, login, live_url, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    users = browser_world.users
    article = services.article_create(
        author=users["support"],
        kind="les",
        visibility="groepen",
        title="De kascommissie: wat zij wil zien",
        summary="Wat je klaarlegt voor de kascontrole.",
        body="Leg de bonnetjes en de bankafschriften klaar voor de kascommissies.",
        themes=["geld"],
    )
    services.article_submit(article=article, user=users["support"])
    services.article_approve(article=article, approver=users["coordinator"])

    # given: the treasurer is signed in on her phone
    login(page, "treasurer")

    # when: she opens the learning space and searches
    page.get_by_role("link", name="Leeromgeving").first.click()
    expect(page.get_by_role("heading", name="Leeromgeving", level=1)).to_be_visible()
    page.get_by_label("Zoek in de leeromgeving").fill("kascommissie")
    page.get_by_role("button", name="Zoeken").click()
    expect(page.get_by_role("heading", name="1 artikel")).to_be_visible()
    expect(page.locator("mark").first).to_have_text("kascommissies")

    # and opens the lesson, and asks a question about it
    page.get_by_role("link", name="De kascommissie: wat zij wil zien").click()
    expect(page.get_by_role("heading", name="De kascommissie: wat zij wil zien")).to_be_visible()
    page.get_by_role("link", name="Stel een vraag hierover").click()
    expect(page.get_by_label("Geld en boekhouding")).to_be_checked()
    page.get_by_label("Titel").fill("Mag de kascommissie uit bestuursleden bestaan?")
    page.get_by_label("Je vraag of ervaring").fill("Wij hebben te weinig leden. Mag dat?")
    page.get_by_role("button", name="Plaatsen").click()
    expect(page.get_by_text("Je bericht staat in de uitwisseling.")).to_be_visible()
    question_url = page.url
    assert page.viewport_size["width"] == 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    # then: the support worker answers it
    support = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    support_page = support.new_page()
    login(support_page, "support")
    support_page.goto(live_url("/kennis/uitwisseling/"))
    support_page.get_by_role("link", name="Mag de kascommissie uit bestuursleden bestaan?").click()
    support_page.get_by_label("Je reactie").fill(
        "Liever niet: de kascommissie controleert het bestuur."
    )
    support_page.get_by_role("button", name="Plaatsen").click()
    expect(support_page.get_by_text("Je reactie is geplaatst.")).to_be_visible()
    support.close()

    # and the treasurer marks that answer as the one that helped
    page.goto(question_url)
    expect(
        page.get_by_text("Liever niet: de kascommissie controleert het bestuur.")
    ).to_be_visible()
    page.get_by_role("button", name="Dit antwoord hielp mij").click()
    expect(page.get_by_text("Gemarkeerd als opgelost.")).to_be_visible()
    expect(page.locator(".badge.ok", has_text="opgelost")).to_be_visible()
    expect(page.locator(".reply.solution")).to_contain_text("Liever niet")
