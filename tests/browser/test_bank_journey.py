"""Journey: the treasurer imports the bank's file, watches it being read, matches the bank
line to an approved expense claim, and the claim shows as paid."""

import datetime as dt
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from finance.bank import importing as bank_import
from finance.bank.formats import samples
from finance.claims import services as claims
from finance.claims.models import ExpenseClaim
from finance.ledger.models import Account
from groups.decisions import services as decision_services
from tests.finance.conftest import png_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def group_with_claim(browser_world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    group, users = browser_world.group_a, browser_world.users
    with tenant_context(group):
        decision_services.rules_initialise(
            valid_from=dt.date(2026, 1, 1),
            quorum_percent=50,
            treasurer_alone_up_to=Decimal("250.00"),
            treasurer_and_chair_up_to=Decimal("1000.00"),
        )
        bank_import.bank_account_create(
            user=users["treasurer"],
            iban=samples.ACCOUNT_IBAN,
            name="ING zakelijk",
            holder="Hart voor de K-buurt",
            ledger_account=Account.objects.get(role="bank"),
        )
        claim = claims.claim_submit(
            user=users["member"],
            amount=Decimal("27.80"),
            spent_on=dt.date(2026, 4, 2),
            description="Plantjes voor de geveltuin",
            iban=samples.nl_iban("RABO", 118431250),
            account_holder="M. Test",
            receipt_name="bon.png",
            receipt_data=png_bytes("browser"),
        )
        claims.claim_approve(
            claim=claim, user=users["treasurer"], category=Account.objects.get(code="4100")
        )
    return group, claim


def test_treasurer_imports_statement_matches_claim_and_it_is_paid(
    group_with_claim, background_worker, page, login, live_url, tmp_path
):
    group, claim = group_with_claim
    day = dt.date(2026, 4, 6)
    lines = [
        samples.SampleLine(day, day, Decimal("-27.80"), "M. Test", "", "Terugbetaling", "B1"),
        samples.SampleLine(day, day, Decimal("-9.50"), "ING", "", "Kosten", "B2"),
    ]
    path = tmp_path / "ING-april.xml"
    path.write_bytes(samples.camt053_document(lines))

    # given: the treasurer is signed in and opens the import page
    login(page, "treasurer")
    page.goto(live_url(f"/g/{group.slug}/financien/bank/inlezen/"))
    # when: she picks the bank's file
    page.get_by_label("Bankbestand").set_input_files(str(path))
    page.get_by_role("button", name="Inlezen").click()
    # then: the page follows the import and reports the result
    expect(page.get_by_text("2 nieuwe regels ingelezen")).to_be_visible()

    # when: she opens the line of €27,80 and links it to the claim
    page.get_by_role("link", name="Naar koppelen aan de bank").click()
    page.get_by_role("link", name="M. Test").click()
    expect(page.locator(".suggestions").get_by_text(f"Declaratie D{claim.number}")).to_be_visible()
    page.get_by_role("button", name="Koppelen").first.click()
    expect(page.get_by_text("De bankregel is gekoppeld aan de boeking.")).to_be_visible()

    # then: the claim shows as paid, with its booking
    page.goto(live_url(f"/g/{group.slug}/financien/declaraties/{claim.pk}/"))
    expect(page.locator(".status")).to_have_text("betaald")
    with tenant_context(group):
        claim.refresh_from_db()
        assert claim.status == ExpenseClaim.Status.PAID and claim.paid_entry.is_posted
