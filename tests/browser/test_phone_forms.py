"""On a 390 px phone: amounts of every table stay on screen (rows become cards), and a form
that comes back with an error keeps the receipt and puts the focus on an error summary."""

import datetime
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from finance.grants import services as grant_services
from finance.ledger import services as ledger_services
from finance.ledger.models import Account, JournalEntry
from finance.ledger.postings import LineInput
from tests.finance.conftest import png_bytes

pytestmark = pytest.mark.browser

PHONE = 390


@pytest.fixture
def busy_group(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    group, treasurer = browser_world.group_a, browser_world.users["treasurer"]
    with tenant_context(group):
        grant = grant_services.grant_create(
            user=treasurer,
            funder="Gemeente Amsterdam, stadsdeel Zuidoost",
            reference="SZO-2026-014",
            title="Buurtbudget K-buurt met een lange naam",
            amount=Decimal("125000.00"),
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
        )
        line = grant_services.budget_line_create(
            grant=grant,
            user=treasurer,
            account=Account.objects.get(code="4100"),
            description="Materialen voor de geveltuinen en de bankjes op het plein",
            amount=Decimal("30000.00"),
        )
        for n in range(3):
            ledger_services.entry_create(
                date=datetime.date(2026, 4, 10 + n),
                description="Verf, kwasten, plantjes en gereedschap voor de geveltuinen " * 2,
                user=treasurer,
                post=True,
                lines=[
                    LineInput(
                        account=Account.objects.get(code="4100"),
                        debit=Decimal("12345.67"),
                        grant=grant,
                        budget_line=line,
                    ),
                    LineInput(account=Account.objects.get(code="1100"), credit=Decimal("12345.67")),
                ],
            )
    return group, grant


def _amounts_fit(page) -> list:
    """The amount cells that stick out of the screen (none, when the table is a card list)."""
    return page.evaluate(
        """(width) => Array.from(document.querySelectorAll('main td.num'))
            .filter(td => td.textContent.trim() && td.offsetParent !== null)
            .map(td => td.getBoundingClientRect())
            .filter(r => r.left < 0 || r.right > width)
            .map(r => [r.left, r.right])""",
        PHONE,
    )


def test_amounts_stay_on_a_phone_screen(busy_group, page, login, live_url):
    group, grant = busy_group
    login(page, "treasurer")
    base = f"/g/{group.slug}/financien/"
    pages = [
        "boekingen/",
        f"subsidies/{grant.pk}/",
        "rapporten/kasboek/?jaar=2026",
        "rapporten/grootboek/?jaar=2026",
        "rapporten/proefbalans/?jaar=2026",
        f"rapporten/verantwoording/?subsidie={grant.pk}",
        f"rapporten/begroting/?subsidie={grant.pk}",
    ]
    for path in pages:
        page.goto(live_url(base + path))
        amounts = page.locator("main td.num").filter(has_text="€")
        assert amounts.count() > 0, path
        assert _amounts_fit(page) == [], path
        # the page itself does not scroll sideways either
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE, path
        # each card says what the amount is
        assert amounts.first.get_attribute("data-label"), path


def test_an_error_keeps_the_receipt_and_focuses_the_summary(busy_group, page, login, live_url):
    group, _grant = busy_group
    login(page, "treasurer")
    page.goto(live_url(f"/g/{group.slug}/financien/uitgave/"))
    page.get_by_label("Datum").fill("2026-04-20")
    page.get_by_label("Bedrag in euro").fill("1.250")
    page.get_by_label("Waaraan uitgegeven?").select_option(label="4100 Materialen")
    page.get_by_label("Omschrijving").fill("Verf voor het bankje")
    page.get_by_label("Bonnetje (foto of pdf)").set_input_files(
        files=[{"name": "IMG_2041.png", "mimeType": "image/png", "buffer": png_bytes("keep")}]
    )
    page.get_by_role("button", name="Opslaan").click()

    # then: the summary has the focus and says what is wrong, with a link to the field
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bedoel je € 1.250,00?")
    expect(page.get_by_text("Bewaard: ‘IMG_2041.png’")).to_be_visible()
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Bedrag in euro")).to_be_focused()

    # when: the amount is corrected and the photo not chosen again
    page.get_by_label("Bedrag in euro").fill("12,50")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("link", name="IMG_2041.png")).to_be_visible()
    with tenant_context(group):
        entry = JournalEntry.objects.order_by("-pk").first()
        assert entry.receipts.get().original_name == "IMG_2041.png"
