"""Each person's own to-do (claims to approve, reopen requests, a signature, missing receipts)
and the e-mail that goes out when something waits for someone's approval."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django_tenants.utils import tenant_context

from finance import facade
from finance.claims import services as claims
from finance.closing import services as closing
from finance.ledger.models import Account, FinancialYear
from finance.ledger.receipts import receipt_add
from groups.decisions import services as decision_services
from tenants.facade import memberships_set
from tenants.models import User
from tests.conftest import group_path
from tests.finance.conftest import expense, png_bytes

DAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)
IBAN = "NL91ABNA0417164300"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def rules(books):
    return decision_services.rules_initialise(
        valid_from=dt.date(2026, 1, 1),
        quorum_percent=50,
        treasurer_alone_up_to=Decimal("250.00"),
        treasurer_and_chair_up_to=Decimal("1000.00"),
    )


def submit(user, amount="42.50", tag=""):
    return claims.claim_submit(
        user=user,
        amount=Decimal(amount),
        spent_on=DAY,
        description="Boodschappen buurtfeest",
        iban=IBAN,
        account_holder="M. Lid",
        receipt_name="bon.png",
        receipt_data=png_bytes(f"{user.pk}-{amount}-{tag}"),
    )


def approve(claim, user):
    return claims.claim_approve(claim=claim, user=user, category=Account.objects.get(code="4000"))


def texts(user):
    return [item.text for item in facade.my_todo(user=user).items]


def test_claims_wait_for_whoever_may_take_the_step_never_the_claimant(rules, users):
    member, treasurer, chair = users["member"], users["treasurer"], users["chair"]
    small = submit(member)  # the treasurer alone
    own = submit(treasurer, "60.00")  # the treasurer's own: the chair stands in
    big = submit(member, "500.00")  # treasurer, then chair
    assert texts(treasurer) == [
        f"Declaratie D{small.number} van Member A (€ 42,50) wacht op jouw goedkeuring.",
        f"Declaratie D{big.number} van Member A (€ 500,00) wacht op jouw goedkeuring.",
    ]
    assert texts(chair) == [
        f"Declaratie D{own.number} van Treasurer A (€ 60,00) wacht op jouw goedkeuring."
    ]
    assert texts(member) == [] and texts(users["secretary"]) == []
    # after the first step the big claim waits for the chair's second approval only
    approve(big, treasurer)
    assert f"Declaratie D{big.number}" not in " ".join(texts(treasurer))
    assert (
        f"Declaratie D{big.number} van Member A (€ 500,00) wacht op jouw tweede goedkeuring."
        in texts(chair)
    )
    [item] = [i for i in facade.my_todo(user=chair).items if f"D{big.number} " in i.text]
    assert item.url == f"/g/k-buurt/financien/declaraties/{big.pk}/"


def test_a_reopen_request_waits_for_the_other_role(books, users):
    treasurer, chair = users["treasurer"], users["chair"]
    year = FinancialYear.objects.create(
        year=2025, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    closing.year_close(year=year, user=treasurer)
    closing.year_reopen_request(year=year, user=treasurer, reason="Bonnetje vergeten")
    assert texts(chair) == [
        "Het verzoek om boekjaar 2025 weer te openen wacht op jouw goedkeuring."
    ]
    assert texts(treasurer) == []  # their own approval is in already


def test_a_signature_waits_for_each_independent_kascommissie_member(books, users):
    year = FinancialYear.objects.create(
        year=2025, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    closing.audit_start(year=year, user=users["audit"])
    expected = ["De kascontrole van 2025 wacht op jouw handtekening."]
    assert texts(users["audit"]) == expected and texts(users["audit2"]) == expected
    assert texts(users["treasurer"]) == []


def test_own_bookings_without_a_receipt_are_listed(books, users):
    treasurer = users["treasurer"]
    first = expense(treasurer, "10.00", description="Koffie")
    with_receipt = expense(treasurer, "11.00", description="Thee")
    receipt_add(entry=with_receipt, name="bon.png", data=png_bytes("thee"), user=treasurer)
    expense(users["secretary"], "12.00", description="Zaalhuur")
    todo = facade.my_todo(user=treasurer)
    assert [i.text for i in todo.items] == [
        f"Bonnetje ontbreekt bij je boeking {first.display_number}: Koffie"
    ]
    assert todo.receipts_missing == 1 and todo.count == 1
    assert texts(users["secretary"]) == []  # their booking is a draft: no receipt asked yet


@pytest.mark.parametrize("claims_count", [2, 12])
def test_the_todo_page_costs_the_same_queries_for_few_or_many(
    rules, users, client_as, group_a, claims_count, django_assert_max_num_queries
):
    for n in range(claims_count):
        claim = submit(users["member"], f"{300 + n}.00")
        if n % 2:
            approve(claim, users["treasurer"])  # half of them wait for the chair
    for n in range(claims_count):
        expense(users["chair"], f"{n + 1}.00", description=f"Inkoop {n}")  # drafts: not the chair's
    client = client_as("chair")
    with django_assert_max_num_queries(22):  # each query with its search_path; flat
        page = client.get(group_path(group_a, "financien/mijn-taken/"), HTTP_HX_REQUEST="true")
    assert page.content.decode().count("tweede goedkeuring") == claims_count // 2


def test_the_start_pages_show_the_todo(
    rules, users, client_as, group_a, group_b, django_assert_max_num_queries
):
    submit(users["member"])
    home = client_as("treasurer").get(group_path(group_a, "")).content.decode()
    assert 'hx-get="/g/k-buurt/financien/mijn-taken/"' in home
    assert "mijn-taken" not in client_as("member").get(group_path(group_a, "")).content.decode()
    page = client_as("treasurer").get(group_path(group_a, "financien/mijn-taken/")).content.decode()
    assert "wacht op jouw goedkeuring" in page
    # across groups: the person's overview shows each group's to-do
    memberships_set(group=group_b, user_id=users["treasurer"].pk, roles={"secretaris"})
    with django_assert_max_num_queries(64):  # two groups, each a few (with search_path)
        overview = client_as("treasurer").get("/").content.decode()
    assert "Hart voor de K-buurt" in overview and "Buurtgroep Slotermeer" in overview
    assert "1 ding wacht op jou:" in overview and "wacht op jouw goedkeuring" in overview


def test_the_approvers_get_an_email_when_the_step_commits(
    rules, users, mailoutbox, django_capture_on_commit_callbacks, settings
):
    settings.BUURTKAS_BASE_URL = "https://buurtkas.example"
    User.objects.filter(pk=users["treasurer"].pk).update(email="penning@example.org")
    User.objects.filter(pk=users["chair"].pk).update(email="voorzitter@example.org")
    User.objects.filter(pk=users["member"].pk).update(email="lid@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        claim = submit(users["member"], "500.00")
    [message] = mailoutbox
    assert message.to == ["penning@example.org"]
    assert message.subject == f"Buurtkas: declaratie D{claim.number} wacht op je goedkeuring"
    assert "Beste Treasurer," in message.body and "In Hart voor de K-buurt" in message.body
    assert f"https://buurtkas.example/g/k-buurt/financien/declaraties/{claim.pk}/" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        approve(claim, users["treasurer"])
    assert [m.to for m in mailoutbox] == [["penning@example.org"], ["voorzitter@example.org"]]
    assert "de tweede goedkeuring" in mailoutbox[1].body


@pytest.mark.django_db(transaction=True)
def test_no_email_when_the_step_is_rolled_back(committed_world, settings, tmp_path):
    """With real transactions: the mail leaves only with the commit."""
    settings.MEDIA_ROOT = tmp_path
    people = committed_world.users
    User.objects.filter(pk=people["treasurer"].pk).update(email="penning@example.org")
    mail.outbox = []
    with tenant_context(committed_world.group_a):
        decision_services.rules_initialise(
            valid_from=dt.date(2026, 1, 1),
            quorum_percent=50,
            treasurer_alone_up_to=Decimal("250.00"),
            treasurer_and_chair_up_to=Decimal("1000.00"),
        )
        with pytest.raises(RuntimeError), transaction.atomic():
            submit(people["member"])
            raise RuntimeError("afgebroken")
        assert mail.outbox == []
        submit(people["member"], "43.00")
        assert [m.to for m in mail.outbox] == [["penning@example.org"]]


def test_a_reopen_request_mail_goes_to_the_other_role(
    books, users, mailoutbox, django_capture_on_commit_callbacks
):
    """The reopen request's service tells the other role, once the request is saved."""
    User.objects.filter(pk=users["chair"].pk).update(email="voorzitter@example.org")
    User.objects.filter(pk=users["treasurer"].pk).update(email="penning@example.org")
    year = FinancialYear.objects.create(
        year=2025, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31)
    )
    closing.year_close(year=year, user=users["treasurer"])
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        closing.year_reopen_request(year=year, user=users["treasurer"], reason="Bonnetje vergeten")
    [message] = mailoutbox
    assert message.to == ["voorzitter@example.org"]
    assert message.subject == "Buurtkas: boekjaar 2025 heropenen wacht op je goedkeuring"
    assert "Reden: Bonnetje vergeten" in message.body
    assert "/g/k-buurt/financien/jaren/2025/" in message.body
