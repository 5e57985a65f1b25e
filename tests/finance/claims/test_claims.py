"""Expense claims: four eyes, steps in order, decisions, duplicates, roles and pages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from finance.bank import importing as bank_import
from finance.bank import payments, reconciliation
from finance.bank.formats import samples
from finance.bank.models import BankAccount, BankLine
from finance.claims import services as claims
from finance.claims.models import ClaimEvent, ExpenseClaim
from finance.ledger.models import Account, JournalEntry
from groups.decisions import services as decision_services
from groups.decisions.models import Meeting
from groups.organisation import services as org_services
from tests.conftest import group_path
from tests.finance.conftest import png_bytes, raw

DAY = dt.date(2026, 3, 2)
IBAN = samples.nl_iban("ABNA", 417164300)


@pytest.fixture
def rules(books):
    return decision_services.rules_initialise(
        valid_from=dt.date(2026, 1, 1),
        quorum_percent=50,
        treasurer_alone_up_to=Decimal("250.00"),
        treasurer_and_chair_up_to=Decimal("1000.00"),
    )


def submit(user, amount="42.50", tag="a", day=DAY, **kw):
    return claims.claim_submit(
        user=user,
        amount=Decimal(amount),
        spent_on=day,
        description=kw.pop("description", "Boodschappen buurtfeest"),
        iban=IBAN,
        account_holder="M. Lid",
        receipt_name="bon.png",
        receipt_data=png_bytes(tag),
        **kw,
    )


def approve(claim, user, code="4000"):
    return claims.claim_approve(claim=claim, user=user, category=Account.objects.get(code=code))


def test_submit_records_event_history_and_authority(rules, users):
    claim = submit(users["member"])
    assert claim.number == 1 and claim.status == ExpenseClaim.Status.SUBMITTED
    assert claim.authority == "penningmeester"
    assert list(claim.events.values_list("kind", "actor_id")) == [("ingediend", users["member"].pk)]
    assert claim.history.get().history_user_id == users["member"].pk
    assert "/claims/" in claim.receipt.name and claim.receipt_type == "image/png"


def test_claimant_can_never_approve_own_claim(rules, users):
    claim = submit(users["treasurer"])
    with pytest.raises(PermissionDenied, match="eigen declaratie"):
        approve(claim, users["treasurer"])
    # the chair stands in for the treasurer's step
    approved = approve(claim, users["chair"])
    assert approved.status == ExpenseClaim.Status.APPROVED
    assert approved.events.get(kind="goedgekeurd_1").role == "voorzitter"


def test_database_refuses_self_approval_even_past_the_service(rules, users):
    claim = submit(users["member"])
    claim.first_approver_id = users["member"].pk
    claim.status = ExpenseClaim.Status.APPROVED
    with pytest.raises(IntegrityError), transaction.atomic():
        claim.save()


def test_only_the_treasurer_takes_the_first_step(rules, users):
    claim = submit(users["member"])
    for who in ("chair", "secretary", "audit", "member"):
        with pytest.raises(PermissionDenied):
            approve(claim, users[who])
    assert approve(claim, users["treasurer"]).status == ExpenseClaim.Status.APPROVED


def test_two_steps_in_order_by_two_people(rules, users):
    claim = submit(users["member"], amount="600.00")
    assert claim.authority == "penningmeester_en_voorzitter"
    with pytest.raises(PermissionDenied, match="penningmeester"):
        approve(claim, users["chair"])  # cannot skip the treasurer's step
    half = approve(claim, users["treasurer"])
    assert half.status == ExpenseClaim.Status.HALF
    with pytest.raises(PermissionDenied):
        claims.claim_approve(claim=half, user=users["treasurer"])
    done = claims.claim_approve(claim=half, user=users["chair"])
    assert done.status == ExpenseClaim.Status.APPROVED
    assert list(done.events.values_list("kind", flat=True)) == [
        "ingediend",
        "goedgekeurd_1",
        "goedgekeurd_2",
    ]
    assert done.history.count() == 3


def test_large_claim_needs_a_valid_decision(rules, users, group_a):
    with pytest.raises(ValidationError) as exc:
        submit(users["member"], amount="1500.00")
    assert "besluit" in str(exc.value)
    from groups.organisation.models import Member

    people = []
    for key, role in (
        ("chair", "voorzitter"),
        ("treasurer", "penningmeester"),
        ("secretary", "secretaris"),
    ):
        member = org_services.member_create(
            name=key, joined_on=dt.date(2025, 1, 1), user_id=users[key].pk
        )
        org_services.role_assign(
            group=group_a, member=member, role=role, starts_on=dt.date(2025, 1, 1)
        )
        people.append(member)
    meeting = decision_services.meeting_create(
        kind=Meeting.Kind.BOARD, held_on=dt.date(2026, 2, 1), place="Buurthuis"
    )
    decision_services.meeting_set_attendance(meeting=meeting, present=people)
    decision = decision_services.decision_record(
        meeting=meeting,
        title="Tenten",
        text="Tenten huren",
        votes_for=3,
        votes_against=0,
        kind="financieel",
        amount=Decimal("2000.00"),
    )
    assert Member.objects.count() == 3
    claim = submit(users["member"], amount="1500.00", decision_id=decision.pk)
    assert claim.authority == "besluit" and claim.decision_id == decision.pk
    # the decision's amount is used up: a second claim on it is refused
    with pytest.raises(ValidationError):
        submit(users["secretary"], amount="600.00", tag="b", decision_id=decision.pk)


def test_duplicates_are_flagged(rules, users):
    first = submit(users["member"])
    same_day = submit(users["member"], tag="other")
    same_receipt = submit(users["secretary"], amount="10.00", tag="a", day=dt.date(2026, 3, 1))
    assert same_day.duplicate_of == first and "bedrag en datum" in same_day.duplicate_reason
    assert same_receipt.duplicate_of == first and "bonnetje" in same_receipt.duplicate_reason


def test_claim_is_paid_when_its_bank_line_matches(rules, users):
    treasurer = users["treasurer"]
    account = bank_import.bank_account_create(
        user=treasurer,
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )
    claim = approve(submit(users["member"]), treasurer)
    line = samples.SampleLine(
        DAY + dt.timedelta(days=3),
        DAY + dt.timedelta(days=3),
        Decimal("-42.50"),
        "M. Lid",
        IBAN,
        f"Declaratie D{claim.number} Boodschappen",
        "REF1",
    )
    bank_import.import_statement(
        data=samples.camt053_document([line]), filename="a.xml", user=treasurer
    )
    assert reconciliation.auto_match(user=treasurer, bank_account=account) == 1
    claim.refresh_from_db()
    bank_line = BankLine.objects.get()
    assert claim.status == ExpenseClaim.Status.PAID and bank_line.claim == claim
    entry = claim.paid_entry
    assert entry.is_posted and bank_line.entry == entry
    assert {(ln.account.code, ln.debit, ln.credit) for ln in entry.lines.all()} == {
        ("4000", Decimal("42.50"), Decimal("0.00")),
        ("1100", Decimal("0.00"), Decimal("42.50")),
    }
    assert claim.events.filter(kind=ClaimEvent.Kind.PAID).exists()
    assert claim.history.first().status == "betaald"
    # a reconciled line cannot be removed, not even with SQL
    with pytest.raises(Exception, match="afgeletterd"), transaction.atomic():
        raw("DELETE FROM finance_bankline WHERE id = %s", [bank_line.pk])
    assert BankAccount.objects.count() == 1 and JournalEntry.objects.count() == 1


def test_export_builds_pain001_for_approved_claims(rules, users):
    account = bank_import.bank_account_create(
        user=users["treasurer"],
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )
    claim = approve(submit(users["member"]), users["treasurer"])
    open_claim = submit(users["secretary"], tag="z", amount="5.00")
    with pytest.raises(ValidationError):
        payments.claims_export(
            user=users["treasurer"], claims=[open_claim], bank_account=account, execution_date=DAY
        )
    data = payments.claims_export(
        user=users["treasurer"], claims=[claim], bank_account=account, execution_date=DAY
    )
    assert b"pain.001.001.03" in data and b'<InstdAmt Ccy="EUR">42.50</InstdAmt>' in data
    assert claim.events.filter(kind="betaalbestand").count() == 1
    with pytest.raises(PermissionDenied):
        payments.claims_export(
            user=users["chair"], claims=[claim], bank_account=account, execution_date=DAY
        )


# --- pages ---------------------------------------------------------------------------------


def _url(group, rest):
    return group_path(group, f"financien/{rest}")


def test_member_submits_from_the_form_and_sees_only_own_claims(rules, users, client_as, group_a):
    other = submit(users["secretary"], tag="s")
    client = client_as("member")
    upload = __import__("django.core.files.uploadedfile", fromlist=["x"]).SimpleUploadedFile(
        "bon.png", png_bytes("form"), content_type="image/png"
    )
    response = client.post(
        _url(group_a, "declaraties/nieuw/"),
        {
            "amount": "12,50",
            "spent_on": "2026-03-01",
            "description": "Koffie",
            "iban": IBAN,
            "account_holder": "M. Lid",
            "receipt": upload,
        },
    )
    assert response.status_code == 302
    mine = ExpenseClaim.objects.get(claimant_id=users["member"].pk)
    listing = client.get(_url(group_a, "declaraties/")).content.decode()
    assert f"D{mine.number}" in listing and f"D{other.number}<" not in listing
    assert client.get(_url(group_a, f"declaraties/{other.pk}/")).status_code == 404
    assert client.get(_url(group_a, f"declaraties/{mine.pk}/bonnetje/")).status_code == 200


def test_support_worker_reads_but_cannot_act(rules, users, client_as, group_a):
    claim = submit(users["member"])
    client = client_as("support")
    assert client.get(_url(group_a, "declaraties/")).status_code == 200
    assert client.get(_url(group_a, f"declaraties/{claim.pk}/")).status_code == 200
    assert client.get(_url(group_a, "declaraties/nieuw/")).status_code == 403
    assert client.post(_url(group_a, f"declaraties/{claim.pk}/goedkeuren/")).status_code == 403
    assert client.get(_url(group_a, "bank/regels/")).status_code == 200
    assert client.get(_url(group_a, "bank/inlezen/")).status_code == 403
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.SUBMITTED


def test_other_group_gets_404(rules, users, client_as, group_a):
    claim = submit(users["member"])
    client = client_as("other")
    assert client.get(_url(group_a, f"declaraties/{claim.pk}/")).status_code == 404
    assert client.post(_url(group_a, f"declaraties/{claim.pk}/goedkeuren/")).status_code == 404


def test_treasurer_approves_on_the_page(rules, users, client_as, group_a):
    claim = submit(users["member"])
    client = client_as("treasurer")
    page = client.get(_url(group_a, f"declaraties/{claim.pk}/")).content.decode()
    assert "Goedkeuren" in page
    response = client.post(
        _url(group_a, f"declaraties/{claim.pk}/goedkeuren/"),
        {"category": Account.objects.get(code="4100").pk},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.APPROVED and claim.category.code == "4100"
    own_page = client_as("member").get(_url(group_a, f"declaraties/{claim.pk}/")).content
    assert "Goedkeuren</button>" not in own_page.decode()


def test_claim_list_query_count_does_not_grow(
    rules, users, client_as, group_a, django_assert_max_num_queries
):
    for n in range(15):
        submit(users["member"], amount=f"{n + 1}.00", tag=f"q{n}")
    client = client_as("treasurer")
    with django_assert_max_num_queries(16):
        assert client.get(_url(group_a, "declaraties/")).status_code == 200
