"""Payouts against receipts, the payment file, the payout limit and pay-back requests."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.test import Client
from django_tenants.utils import tenant_context

from finance.bank import importing as bank_import
from finance.bank import payments, reconciliation
from finance.bank.formats import samples
from finance.bank.models import BankLine, PaymentOrder
from finance.claims.forms import ExportForm
from finance.ledger.models import Account, JournalEntry
from groups.initiatives import money
from groups.initiatives.models import (
    Attachment,
    Initiative,
    InitiativeEvent,
    PaybackRequest,
    Payout,
)
from tests.conftest import group_path
from tests.initiatives.helpers import (
    DAY,
    assess_and_approve,
    board_meeting,
    make_round,
    png,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db
PAY_DAY = datetime.date(2026, 4, 22)
INITIATOR_IBAN = samples.nl_iban("ABNA", 417164300)


@pytest.fixture
def bank(users):
    return bank_import.bank_account_create(
        user=users["treasurer"],
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="Hart voor de K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )


def _receipt(initiative, amount, tag, **extra):
    return money.receipt_submit(
        initiative=initiative,
        upload=upload(f"{tag}.png", png(tag)),
        amount=amount,
        **({"iban": INITIATOR_IBAN, "account_holder": "A. Bakker"} | extra),
    )


# --- receipts and their payout ---------------------------------------------------------------


def test_initiator_sends_receipts_by_link_and_the_treasurer_pays_them_out(
    approved, users, group_a, client_as
):
    initiative = approved.initiative
    url = group_path(group_a, f"initiatieven/mijn/{approved.token}/bonnetjes/")
    # when the initiator sends in a receipt from a phone, with the IBAN to pay it to
    response = Client().post(
        url,
        {
            "upload": upload("verf.png", png("verf")),
            "amount": "120,50",
            "iban": "nl91 abna 0417 1643 00",
            "account_holder": "A. Bakker",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.initiator_iban == INITIATOR_IBAN  # compact, checked with schwifty
    receipt = initiative.attachments.get(kind=Attachment.Kind.RECEIPT)
    assert (receipt.amount, receipt.review) == (Decimal("120.50"), Attachment.Review.NEW)
    assert initiative.status == Initiative.Status.APPROVED  # no accountability yet
    # not accepted yet: nothing to pay out against it
    with pytest.raises(ValidationError, match="geen goedgekeurde bonnetjes"):
        money.receipts_pay(initiative=initiative, user=users["treasurer"], date=PAY_DAY)
    # the treasurer accepts it on the page and pays it out
    treasurer = client_as("treasurer")
    manage = group_path(group_a, f"initiatieven/beheer/{initiative.pk}/")
    page = treasurer.get(manage).content.decode()
    assert f'id="id_rev{receipt.pk}_rev-decision_0"' in page and "NL91ABNA0417164300" in page
    # a rejection without a reason is refused on the page, in Dutch
    response = treasurer.post(
        f"{manage}bonnetjes/{receipt.pk}/", {"rev-decision": "af", "rev-note": ""}
    )
    assert response.status_code == 400 and "Schrijf kort waarom" in response.content.decode()
    response = treasurer.post(
        f"{manage}bonnetjes/{receipt.pk}/", {"rev-decision": "goed", "rev-note": ""}
    )
    assert response.status_code == 302
    page = treasurer.get(manage).content.decode()
    assert "Uitbetalen tegen bonnetjes" in page and "120,50" in page
    response = treasurer.post(
        f"{manage}bonnetjes/uitbetalen/", {"bon-date": "2026-04-22", "bon-by_transfer": ""}
    )
    assert response.status_code == 302
    payout = Payout.objects.get(kind=Payout.Kind.RECEIPTS)
    entry = JournalEntry.objects.get(pk=payout.entry_id)
    assert entry.is_posted and (entry.origin_kind, entry.origin_id) == (
        "initiatief_bonnen",
        payout.pk,
    )
    assert entry.decision_id == initiative.decision_id
    debit = entry.lines.get(debit__gt=0)
    assert (debit.budget_line_id, debit.debit) == (
        initiative.round.budget_line_id,
        Decimal("120.50"),
    )
    receipt.refresh_from_db()
    assert receipt.payout == payout and receipt.history.count() == 3
    figures = money.figures(initiative)
    assert (figures.paid, figures.accounted, figures.to_return, figures.receipts_due) == (
        Decimal("120.50"),
        Decimal("120.50"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    kinds = list(InitiativeEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds[-3:] == [
        "initiative_receipt_sent",
        "initiative_receipt_reviewed",
        "initiative_paid_receipts",
    ]
    # the overview shows it per initiative
    overview = treasurer.get(group_path(group_a, "initiatieven/geld/")).content.decode()
    assert "120,50" in overview and "450,00" in overview


def test_receipts_beyond_an_advance_pay_only_the_difference_and_never_beyond_the_award(
    approved, users
):
    initiative = approved.initiative
    money.advance_pay(
        initiative=initiative, user=users["treasurer"], amount=Decimal("200.00"), date=PAY_DAY
    )
    first = _receipt(initiative, "150.00", "a")
    second = _receipt(initiative, "400.00", "b")
    refused = _receipt(initiative, "30.00", "c")
    for receipt in (first, second):
        money.receipt_review(receipt=receipt, user=users["treasurer"], accept=True)
    with pytest.raises(ValidationError, match="waarom"):
        money.receipt_review(receipt=refused, user=users["treasurer"], accept=False)
    money.receipt_review(
        receipt=refused, user=users["treasurer"], accept=False, note="Dit is een privé-aankoop."
    )
    figures = money.figures(initiative)
    # accepted € 550 less € 200 paid is € 350, but only € 250 of the award is left
    assert (figures.accounted, figures.receipts_due) == (Decimal("550.00"), Decimal("250.00"))
    payout = money.receipts_pay(initiative=initiative, user=users["treasurer"], date=PAY_DAY)
    assert payout.amount == Decimal("250.00")
    assert money.figures(initiative).paid == Decimal("450.00")
    with pytest.raises(ValidationError, match="geen goedgekeurde bonnetjes"):
        money.receipts_pay(initiative=initiative, user=users["treasurer"], date=PAY_DAY)
    with pytest.raises(ValidationError, match="al uitbetaald"):
        money.receipt_review(receipt=first, user=users["treasurer"], accept=False, note="x")


def test_only_the_treasurer_reviews_receipts(approved, users):
    receipt = _receipt(approved.initiative, "10.00", "x")
    with pytest.raises(Exception, match="penningmeester"):
        money.receipt_review(receipt=receipt, user=users["chair"], accept=True)
    receipt.refresh_from_db()
    assert receipt.review == Attachment.Review.NEW


def test_a_bad_iban_or_a_fake_receipt_is_told_in_dutch_and_nothing_is_written(approved, group_a):
    url = group_path(group_a, f"initiatieven/mijn/{approved.token}/bonnetjes/")
    response = Client().post(
        url, {"upload": upload("bon.png", png("bon")), "amount": "10,00", "iban": "NL00 BANK 1"}
    )
    assert response.status_code == 400
    assert "geen geldige IBAN" in response.content.decode()
    response = Client().post(
        url,
        {
            "upload": upload("bon.jpg", b"<html>nep</html>", "image/jpeg"),
            "amount": "10,00",
            "iban": INITIATOR_IBAN,
        },
    )
    assert response.status_code == 400 and "geen foto" in response.content.decode()
    approved.initiative.refresh_from_db()
    assert approved.initiative.initiator_iban == ""
    assert not approved.initiative.attachments.exists()
    assert not InitiativeEvent.objects.filter(kind="initiative_receipt_sent").exists()


def test_receipts_cannot_be_sent_before_approval(in_group_a, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    submitted = submit(make_round(users))
    with pytest.raises(ValidationError, match="goedgekeurd"):
        _receipt(submitted.initiative, "10.00", "x")


# --- the payout limit in PostgreSQL ----------------------------------------------------------


def test_postgresql_refuses_payouts_beyond_the_award_and_a_lower_award(approved, users):
    initiative = approved.initiative
    money.advance_pay(
        initiative=initiative, user=users["treasurer"], amount=Decimal("400.00"), date=PAY_DAY
    )
    with pytest.raises(Exception, match="meer dan het toegekende bedrag"), transaction.atomic():
        Payout.objects.create(
            initiative=initiative,
            kind=Payout.Kind.RECEIPTS,
            amount=Decimal("50.01"),
            date=PAY_DAY,
            created_by_id=users["treasurer"].pk,
        )
    with pytest.raises(Exception, match="meer terugbetaald"), transaction.atomic():
        Payout.objects.create(
            initiative=initiative,
            kind=Payout.Kind.RETURN,
            amount=Decimal("400.01"),
            date=PAY_DAY,
            created_by_id=users["treasurer"].pk,
        )
    with pytest.raises(Exception, match="kan niet lager"), transaction.atomic():
        Initiative.objects.filter(pk=initiative.pk).update(awarded_amount=Decimal("399.99"))
    # exactly the award is fine
    Payout.objects.create(
        initiative=initiative,
        kind=Payout.Kind.RECEIPTS,
        amount=Decimal("50.00"),
        date=PAY_DAY,
        created_by_id=users["treasurer"].pk,
    )
    assert money.figures(initiative).to_pay == Decimal("0.00")


@pytest.mark.django_db(transaction=True)
def test_two_payouts_at_once_cannot_together_exceed_the_award(committed_world, settings, tmp_path):
    """Two connections each add a payout that fits alone; the database lets only one in."""
    settings.MEDIA_ROOT = tmp_path / "media"
    group, users = committed_world.group_a, committed_world.users
    with time_machine.travel(DAY, tick=False), tenant_context(group):
        submitted = submit(make_round(users))
        assess_and_approve(submitted.initiative, users, board_meeting(users, group))
        initiative_id = submitted.initiative.pk
    first_in = threading.Event()
    results = {}

    def add(name, wait_for_first):
        try:
            connection.set_tenant(group)
            if wait_for_first:
                first_in.wait(5)
            with transaction.atomic():
                Payout.objects.create(
                    initiative_id=initiative_id,
                    kind=Payout.Kind.ADVANCE,
                    amount=Decimal("300.00"),
                    date=PAY_DAY,
                    created_by_id=users["treasurer"].pk,
                )
                if not wait_for_first:
                    first_in.set()
                    time.sleep(0.5)  # the other connection is waiting on the initiative's lock
            results[name] = "in"
        except Exception as exc:  # noqa: BLE001 - the database's refusal is the result
            results[name] = str(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add, args=("first", False)),
        threading.Thread(target=add, args=("second", True)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["first"] == "in", results
    assert "meer dan het toegekende bedrag" in results["second"], results
    with tenant_context(group):
        assert Payout.objects.filter(initiative_id=initiative_id).count() == 1


# --- the payment file --------------------------------------------------------------------------


def test_a_payout_by_transfer_goes_into_the_payment_file_with_the_claims(
    approved, users, bank, group_a, client_as
):
    initiative = approved.initiative
    receipt = _receipt(initiative, "80.00", "p")
    money.receipt_review(receipt=receipt, user=users["treasurer"], accept=True)
    payout = money.receipts_pay(
        initiative=initiative, user=users["treasurer"], date=PAY_DAY, by_transfer=True
    )
    advance = money.advance_pay(
        initiative=initiative,
        user=users["treasurer"],
        amount=Decimal("100.00"),
        date=PAY_DAY,
        by_transfer=True,
    )
    orders = list(PaymentOrder.objects.order_by("id"))
    assert [(o.origin_kind, o.origin_id, o.amount) for o in orders] == [
        ("initiatief_bonnen", payout.pk, Decimal("80.00")),
        ("initiatief_voorschot", advance.pk, Decimal("100.00")),
    ]
    assert orders[0].iban == INITIATOR_IBAN and orders[0].entry_id == payout.entry_id
    payout.refresh_from_db()
    assert payout.payment_order_id == orders[0].pk
    # the export page offers them beside the claims
    form = ExportForm()
    assert list(form.fields["orders"].queryset) == orders
    page = client_as("treasurer").get(group_path(group_a, "financien/declaraties/betaalbestand/"))
    assert "A. Bakker" in page.content.decode()
    data = payments.claims_export(
        user=users["treasurer"],
        claims=[],
        orders=orders,
        bank_account=bank,
        execution_date=PAY_DAY,
    )
    assert b'<InstdAmt Ccy="EUR">80.00</InstdAmt>' in data
    assert f"INITIATIEF-U{payout.pk}".encode() in data and INITIATOR_IBAN.encode() in data
    assert all(o.exported_at for o in PaymentOrder.objects.all())
    assert PaymentOrder.objects.get(pk=orders[0].pk).history.count() == 2
    with pytest.raises(ValidationError, match="al in een betaalbestand"):
        payments.claims_export(
            user=users["treasurer"],
            claims=[],
            orders=orders[:1],
            bank_account=bank,
            execution_date=PAY_DAY,
        )
    manage = client_as("treasurer").get(
        group_path(group_a, f"initiatieven/beheer/{initiative.pk}/")
    )
    assert "in betaalbestand" in manage.content.decode()


def test_the_bank_line_of_the_transfer_is_matched_to_the_payout_booking(approved, users, bank):
    initiative = approved.initiative
    payout = money.advance_pay(
        initiative=initiative,
        user=users["treasurer"],
        amount=Decimal("100.00"),
        date=PAY_DAY,
        by_transfer=_receipt(initiative, "1.00", "iban-only") is not None,
    )
    line = samples.SampleLine(
        PAY_DAY + datetime.timedelta(days=2),
        PAY_DAY + datetime.timedelta(days=2),
        Decimal("-100.00"),
        "A. Bakker",
        INITIATOR_IBAN,
        f"INITIATIEF-U{payout.pk} Initiatief {initiative.reference}",
        "REF9",
    )
    bank_import.import_statement(
        data=samples.camt053_document([line]), filename="a.xml", user=users["treasurer"]
    )
    assert reconciliation.auto_match(user=users["treasurer"], bank_account=bank) == 1
    assert BankLine.objects.get().entry_id == payout.entry_id


def test_by_transfer_without_an_iban_is_refused_and_nothing_is_booked(approved, users):
    with pytest.raises(ValidationError, match="nog geen IBAN"):
        money.advance_pay(
            initiative=approved.initiative,
            user=users["treasurer"],
            amount=Decimal("100.00"),
            date=PAY_DAY,
            by_transfer=True,
        )
    assert not Payout.objects.exists() and not JournalEntry.objects.exists()
    assert not PaymentOrder.objects.exists()


# --- asking an unspent advance back -------------------------------------------------------------


def _accounted(approved, users, *, advance="450.00", spent="400.00"):
    initiative = approved.initiative
    money.advance_pay(
        initiative=initiative, user=users["treasurer"], amount=Decimal(advance), date=PAY_DAY
    )
    money.accountability_submit(
        initiative=initiative,
        report="Twintig buren deden mee.",
        participants=20,
        volunteers=3,
        receipts=[(upload("bon.png", png("bon")), spent)],
    )
    initiative.refresh_from_db()
    return initiative


def test_pay_back_request_after_acceptance_mails_amount_iban_and_reference_on_commit(
    approved, users, bank, django_capture_on_commit_callbacks
):
    initiative = _accounted(approved, users)
    with pytest.raises(ValidationError, match="nadat de verantwoording is goedgekeurd"):
        money.payback_request(initiative=initiative, user=users["treasurer"])
    initiative = money.accountability_accept(initiative=initiative, user=users["chair"])
    assert initiative.status == Initiative.Status.ACCOUNTED and initiative.accepted_at
    assert initiative.attachments.get(kind="bon").review == Attachment.Review.ACCEPTED
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        request = money.payback_request(initiative=initiative, user=users["treasurer"])
    assert mail.outbox == []  # only once the transaction is committed
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == [initiative.initiator_email]
    assert "€ 50,00" in message.subject
    assert "€ 50,00" in message.body and "€ 450,00" in message.body
    assert "NL" in message.body and samples.ACCOUNT_IBAN[-4:] in message.body.replace(" ", "")
    assert "Hart voor de K-buurt" in message.body
    assert request.reference == f"TERUG {initiative.reference}-1"
    assert f"Omschrijving: {request.reference}" in message.body
    assert (request.amount, request.iban) == (Decimal("50.00"), samples.ACCOUNT_IBAN)
    event = InitiativeEvent.objects.filter(kind="initiative_return_requested").get()
    assert event.new == {"amount": "50.00", "reference": request.reference}
    assert initiative.initiator_email not in str(event.new)  # events carry no personal data
    # the return, when it arrives, answers the request and the initiative is closed
    payout = money.advance_return(
        initiative=initiative, user=users["treasurer"], amount=Decimal("50.00"), date=PAY_DAY
    )
    assert payout.request == request
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.CLOSED


def test_accepting_with_nothing_to_return_closes_at_once(approved, users):
    initiative = _accounted(approved, users, advance="400.00", spent="400.00")
    initiative = money.accountability_accept(initiative=initiative, user=users["chair"])
    assert initiative.status == Initiative.Status.CLOSED
    assert PaybackRequest.objects.count() == 0


def test_pay_back_request_needs_the_groups_bank_account(approved, users):
    initiative = money.accountability_accept(
        initiative=_accounted(approved, users), user=users["chair"]
    )
    with pytest.raises(ValidationError, match="nog geen bankrekening"):
        money.payback_request(initiative=initiative, user=users["treasurer"])
    assert not PaybackRequest.objects.exists()


def test_accept_and_request_through_the_pages(approved, users, bank, group_a, client_as):
    initiative = _accounted(approved, users)
    manage = group_path(group_a, f"initiatieven/beheer/{initiative.pk}/")
    page = client_as("chair").get(manage).content.decode()
    assert "Verantwoording goedkeuren" in page
    assert client_as("chair").post(f"{manage}goedkeuren/").status_code == 302
    treasurer = client_as("treasurer")
    assert "Terugbetaling vragen per e-mail" in treasurer.get(manage).content.decode()
    # the chair may not send it; the treasurer does
    assert client_as("chair").post(f"{manage}terugvragen/").status_code in {302, 403}
    assert not PaybackRequest.objects.exists()
    response = treasurer.post(f"{manage}terugvragen/")
    assert response.status_code == 302
    request = PaybackRequest.objects.get()
    page = treasurer.get(manage).content.decode()
    assert request.reference in page
    assert request.history.count() == 1
