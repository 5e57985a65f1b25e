"""Journey: a group chooses an offering and a provider; the support worker logs a session
against it; the coordinator sees the hours and a bank signal that clears once the group
reconciles its bank lines."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context
from playwright.sync_api import expect

from backoffice.support import chosen
from backoffice.support.models import (
    CoachingSession,
    FollowUp,
    Offering,
    Provider,
    SupportBudget,
    SupportRequest,
)
from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank.formats import samples
from finance.ledger.models import Account

pytestmark = pytest.mark.browser


@pytest.fixture
def supported_group(browser_world):
    group, users = browser_world.group_a, browser_world.users
    provider = Provider.objects.create(name="Boekhoudhulp Jansen", kind="zzp")
    offering = Offering.objects.create(
        title="Hulp bij de boekhouding", kind="project", typical_hours=Decimal("6"),
        price=Decimal("390.00"),
    )  # fmt: skip
    offering.providers.set([provider])
    today = timezone.localdate()
    chosen.budget_set(group=group, year=today.year, user=users["coordinator"], hours=Decimal(40))
    old = today - dt.timedelta(days=40)
    with tenant_context(group):
        account = bank_import.bank_account_create(
            user=users["treasurer"], iban=samples.ACCOUNT_IBAN, name="ING", holder="K-buurt",
            ledger_account=Account.objects.get(role="bank"),
        )  # fmt: skip
        lines = [samples.SampleLine(old, old, Decimal("-9.50"), "ING", "", "Kosten", "S1")]
        bank_import.import_statement(
            data=samples.camt053_document(lines), filename="a.xml", user=users["treasurer"]
        )
    yield group, account
    # committed rows of this test, removed before browser_world removes the people
    FollowUp.objects.filter(group=group).delete()
    CoachingSession.objects.filter(group=group).delete()
    SupportRequest.objects.filter(group=group).delete()
    SupportBudget.objects.filter(group=group).delete()
    offering.delete()
    provider.delete()


def _logout(page):
    page.get_by_role("button", name="Afmelden").click()
    page.wait_for_load_state()


def test_group_chooses_worker_logs_coordinator_sees_hours_and_signal_clears(
    supported_group, browser_world, page, login, live_url
):
    group, account = supported_group
    # given: the chair chooses support on the group's own page
    login(page, "chair")
    page.goto(live_url(f"/g/{group.slug}/ondersteuning/"))
    page.locator("#id_offering").select_option(label="Hulp bij de boekhouding")
    page.locator("#id_provider").select_option(label="Boekhoudhulp Jansen")
    page.get_by_role("button", name="Aanvragen").click()
    expect(page.get_by_text("Jullie vraag is verstuurd naar de ondersteuning.")).to_be_visible()
    _logout(page)

    # when: the support worker logs a session of 90 minutes against that request
    login(page, "support")
    page.goto(live_url("/ondersteuning/caseload/"))
    expect(page.get_by_text("1 ondersteuningsvraag wacht op een afspraak.")).to_be_visible()
    page.get_by_role("link", name=group.name).click()
    page.locator("#id_held_on").fill(timezone.localdate().isoformat())
    page.locator("#id_minutes").fill("90")
    page.locator("#id_request").select_option(index=1)
    page.locator("#id_notes").fill("Penningmeester wil hulp bij de kas.")
    page.get_by_role("button", name="Vastleggen").click()
    expect(page.get_by_text("Gesprek vastgelegd.")).to_be_visible()
    _logout(page)

    # then: the coordinator sees the hours and the bank signal
    login(page, "coordinator")
    page.goto(live_url("/ondersteuning/?stadsdeel=zuidoost"))
    row = page.locator("tr", has_text=group.name)
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"^1[,.]5$"))
    expect(row.get_by_text("wacht op afletteren")).to_be_visible()

    # when: the group reconciles its bank line, the signal clears
    with tenant_context(group):
        line = reconciliation.unreconciled(bank_account=account).get()
        reconciliation.book_line(
            line=line, user=browser_world.users["treasurer"],
            category=Account.objects.get(code="4000"),
        )  # fmt: skip
    page.reload()
    expect(
        page.locator("tr", has_text=group.name).get_by_text("wacht op afletteren")
    ).to_have_count(0)
