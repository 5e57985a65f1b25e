"""Journey: the treasurer records an expense with a receipt from her phone, in plain words,
and sees it in the grant's budget against actual spending."""

import datetime
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from finance.grants import services as grant_services
from finance.ledger import services as ledger_services
from finance.ledger.models import Account, JournalEntry
from tests.finance.conftest import png_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def funded_group(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    group, treasurer = browser_world.group_a, browser_world.users["treasurer"]
    with tenant_context(group):
        # The journey books in 2026 whatever today is: the year is open already, so the
        # form does not ask whether a date far from today is right.
        ledger_services.year_create(user=treasurer, year=2026)
        grant = grant_services.grant_create(
            user=treasurer,
            funder="Stadsdeel Zuidoost",
            reference="SZO-2026-014",
            title="Buurtbudget K-buurt",
            amount=Decimal("5000.00"),
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 12, 31),
        )
        grant_services.budget_line_create(
            grant=grant,
            user=treasurer,
            account=Account.objects.get(code="4100"),
            description="Verf en plantjes",
            amount=Decimal("300.00"),
        )
    return group


def test_treasurer_records_expense_with_receipt_and_sees_it_in_budget(
    funded_group, page, login, live_url, settings
):
    slug = funded_group.slug
    # given: the treasurer is signed in on her phone and opens the books
    login(page, "treasurer")
    page.goto(live_url(f"/g/{slug}/financien/"))
    expect(page.get_by_role("heading", name="Financiën")).to_be_visible()

    # when: she records an expense in plain words, with a photo of the receipt
    page.get_by_role("link", name="Uitgave invoeren").click()
    page.get_by_label("Datum").fill("2026-04-11")
    page.get_by_label("Bedrag in euro").fill("23,95")
    page.get_by_label("Waaraan uitgegeven?").select_option(label="4100 Materialen")
    page.get_by_label("Van welke subsidie / begrotingspost?").select_option(index=1)
    page.get_by_label("Omschrijving").fill("Verf voor het bankje")
    page.get_by_label("Bonnetje (foto of pdf)").set_input_files(
        files=[{"name": "IMG_2041.png", "mimeType": "image/png", "buffer": png_bytes("phone")}]
    )
    page.get_by_role("button", name="Opslaan").click()

    # then: it is booked, numbered, with the receipt attached
    expect(page.get_by_text("De uitgave is vastgelegd (2026-0001).")).to_be_visible()
    expect(page.get_by_role("link", name="IMG_2041.png")).to_be_visible()
    with tenant_context(funded_group):
        entry = JournalEntry.objects.get()
        assert entry.is_posted and entry.receipts.count() == 1

    # and the budget against actual shows it, bar included
    page.get_by_role("link", name="Rapporten").click()
    page.get_by_role("link", name="Begroting en werkelijk per subsidie").click()
    expect(page.get_by_text("€ 23,95 van € 300,00")).to_be_visible()
    assert "w-8" in page.locator(".bar-chart .fill").first.get_attribute("class").split()
