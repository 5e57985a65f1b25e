"""Matching on the counterparty's name, suggestions confirmed with one tap, and undoing a link.

A booking typed in the expense form has no IBAN and no reference: only its amount, date and
description. These tests import real CAMT.053 documents and book through the real services.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django_tenants.utils import tenant_context
from rapidfuzz import fuzz

from finance.bank import importing as bank_import
from finance.bank import matching, reconciliation
from finance.bank.formats import samples
from finance.bank.models import BankLine, MatchEvent
from finance.claims.models import ClaimEvent, ExpenseClaim
from finance.grants import services as grant_services
from finance.ledger.models import Account, JournalEntry
from tests.conftest import group_path
from tests.finance.conftest import expense, png_bytes, raw

DAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)
IBAN = samples.nl_iban("ABNA", 417164300)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def bank(books, users):
    return bank_import.bank_account_create(
        user=users["treasurer"],
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )


def load(user, *lines):
    """Bank lines as (day, amount, counterparty[, iban, description])."""
    sample = [
        samples.SampleLine(
            day, day, Decimal(amount), name, iban, description or "Betaling", f"R{n}"
        )
        for n, (day, amount, name, iban, description) in enumerate(
            (*ln, "", "")[:5] for ln in lines
        )
    ]
    bank_import.import_statement(data=samples.camt053_document(sample), filename="s.xml", user=user)
    return list(BankLine.objects.order_by("line_number"))


def spend(user, amount, description, day=DAY):
    return expense(user, amount, day=day, description=description)


# --- the name -------------------------------------------------------------------------------


def test_names_agree_on_their_identifying_words_only():
    assert matching.names_agree("ALBERT HEIJN 1403 AMSTERDAM", "Boodschappen Albert Heijn")
    assert matching.names_agree("J. de Vries", "Jan de Vries")
    assert matching.names_agree("Gamma Amsterdam Noord", "Verf en kwasten bij de Gamma")
    assert matching.names_agree("Albert Heyn", "Boodschappen Albert Heijn")  # a typo
    # legal forms, places and short words identify nobody
    assert not matching.names_agree("Stichting Amsterdam", "Stichting Buurtwerk Amsterdam")
    assert not matching.names_agree("Hema BV", "Zaalhuur De Kolk")
    assert not matching.names_agree("", "Zaalhuur")


def test_the_name_boundary_is_the_word_agreement_of_85():
    # given two word pairs either side of NAME_MIN
    assert fuzz.ratio("bakkers", "backers") == pytest.approx(85.71, abs=0.01)
    assert fuzz.ratio("bakker", "backer") == pytest.approx(83.33, abs=0.01)
    assert matching.NAME_MIN == 85
    # then one agrees and the other does not
    assert matching.names_agree("BACKERS", "Brood van Bakkers")
    assert not matching.names_agree("BACKER", "Brood van Bakker")


# --- automatic matching ---------------------------------------------------------------------


def test_a_unique_name_match_is_applied_without_iban_or_reference(bank, users):
    # given a posted expense from the form (no IBAN, no reference) and its bank line
    t = users["treasurer"]
    verf = spend(t, "23.50", "Verf en kwasten Gamma")
    koffie = spend(t, "23.50", "Koffie voor de vergadering", day=DAY + dt.timedelta(days=15))
    [line] = load(t, (DAY + dt.timedelta(days=1), "-23.50", "GAMMA 123 AMSTERDAM"))
    # when
    assert reconciliation.auto_match(user=t) == 1
    # then the name decided between two bookings of the same amount
    line.refresh_from_db()
    assert line.entry == verf and line.match_note == "automatisch"
    event = MatchEvent.objects.get(bank_line=line)
    assert event.kind == "gekoppeld" and event.actor_id == t.pk
    assert event.new == {"entry": verf.pk, "how": "automatisch", "created": False, "claim": None}
    assert not BankLine.objects.filter(entry=koffie).exists()


def test_two_name_matches_give_suggestions_only(bank, users):
    t = users["treasurer"]
    first = spend(t, "12.00", "Brood Bakkerij Jansen")
    second = spend(t, "12.00", "Taart Bakkerij Jansen", day=DAY + dt.timedelta(days=2))
    [line] = load(t, (DAY + dt.timedelta(days=1), "-12.00", "Bakkerij Jansen"))
    assert reconciliation.auto_match(user=t) == 0
    line.refresh_from_db()
    assert not line.is_reconciled and not MatchEvent.objects.exists()
    found = reconciliation.suggestions(line=line)
    assert {c.item.pk for c in found} == {first.pk, second.pk}
    assert all("naam lijkt op de tegenpartij" in c.reasons for c in found)


def test_one_booking_wanted_by_two_lines_is_left_to_the_treasurer(bank, users):
    t = users["treasurer"]
    spend(t, "8.00", "Bloemen Hema")
    load(
        t,
        (DAY, "-8.00", "HEMA 0411"),
        (DAY + dt.timedelta(days=1), "-8.00", "HEMA 0412"),
    )
    assert reconciliation.auto_match(user=t) == 0


def test_a_name_just_below_the_boundary_or_far_in_time_is_only_suggested(bank, users):
    t = users["treasurer"]
    bakker = spend(t, "5.00", "Brood van Bakker")
    bakkers = spend(t, "6.00", "Brood van Bakkers")
    late = spend(t, "7.00", "Verf Gamma")
    lines = load(
        t,
        (DAY, "-5.00", "BACKER"),  # 83: not the same name
        (DAY, "-6.00", "BACKERS"),  # 86: the same name
        (DAY + dt.timedelta(days=12), "-7.00", "GAMMA"),  # same name, 12 days later
    )
    assert reconciliation.auto_match(user=t) == 1
    by_amount = {ln.amount: BankLine.objects.get(pk=ln.pk) for ln in lines}
    assert by_amount[Decimal("-6.00")].entry == bakkers
    assert not by_amount[Decimal("-5.00")].is_reconciled
    assert not by_amount[Decimal("-7.00")].is_reconciled
    [suggested] = reconciliation.suggestions(line=by_amount[Decimal("-5.00")])
    assert suggested.item.pk == bakker.pk and "naam lijkt" not in ", ".join(suggested.reasons)
    [far] = reconciliation.suggestions(line=by_amount[Decimal("-7.00")])
    assert far.item.pk == late.pk and any("verder weg" in r for r in far.reasons)


def test_a_claim_matches_on_the_claimants_name(bank, users, rules_default):
    t = users["treasurer"]
    claim = _approved_claim(users)
    [line] = load(t, (DAY + dt.timedelta(days=2), "-42.50", "M. Lid"))  # no IBAN, no "D1"
    assert reconciliation.auto_match(user=t) == 1
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.PAID and claim.bank_line.pk == line.pk


# --- undoing a link -------------------------------------------------------------------------


@pytest.fixture
def rules_default(books):
    from groups.decisions import services as decision_services

    return decision_services.rules_initialise(
        valid_from=dt.date(2026, 1, 1),
        quorum_percent=50,
        treasurer_alone_up_to=Decimal("250.00"),
        treasurer_and_chair_up_to=Decimal("1000.00"),
    )


def _approved_claim(users, amount="42.50"):
    from finance.claims import services as claims

    claim = claims.claim_submit(
        user=users["member"],
        amount=Decimal(amount),
        spent_on=DAY,
        description="Boodschappen buurtfeest",
        iban=IBAN,
        account_holder="M. Lid",
        receipt_name="bon.png",
        receipt_data=png_bytes(amount),
    )
    return claims.claim_approve(
        claim=claim, user=users["treasurer"], category=Account.objects.get(code="4000")
    )


def test_undo_of_a_paid_claim_reverses_its_payment_and_the_claim_waits_again(
    bank, users, rules_default
):
    t = users["treasurer"]
    claim = _approved_claim(users)
    [line] = load(t, (DAY + dt.timedelta(days=2), "-42.50", "M. Lid", IBAN, "Declaratie D1"))
    assert reconciliation.auto_match(user=t) == 1
    claim.refresh_from_db()
    paid = claim.paid_entry
    # when
    event = reconciliation.match_undo(line=line, user=t, reason="  verkeerde   regel ")
    # then the line is open, the payment corrected by a reversal dated today
    line.refresh_from_db()
    assert not line.is_reconciled and line.entry is None and line.claim is None
    reversal = JournalEntry.objects.get(reverses=paid)
    assert reversal.is_posted and reversal.date == NOW.date()
    assert paid.is_posted and JournalEntry.objects.filter(pk=paid.pk).exists()
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.APPROVED and claim.paid_entry is None
    assert claim.events.filter(kind=ClaimEvent.Kind.UNPAID, actor_id=t.pk).exists()
    assert event.kind == "ontkoppeld" and event.actor_id == t.pk and event.at == NOW
    assert event.note == "verkeerde regel"
    assert event.old == {"entry": paid.pk, "claim": claim.pk}
    assert event.new == {"reversal": reversal.pk}
    assert BankLine.history.filter(id=line.pk).first().history_user_id == t.pk
    # the claim can be paid again by the same line
    assert reconciliation.auto_match(user=t) == 1
    claim.refresh_from_db()
    assert claim.status == ExpenseClaim.Status.PAID and claim.paid_entry != paid


def test_undo_of_a_link_to_an_existing_booking_keeps_the_booking(bank, users):
    t = users["treasurer"]
    verf = spend(t, "23.50", "Verf Gamma")
    [line] = load(t, (DAY, "-23.50", "GAMMA"))
    reconciliation.auto_match(user=t)
    event = reconciliation.match_undo(line=line, user=t, reason="dubbel")
    assert event.new == {"reversal": None}
    verf.refresh_from_db()
    assert verf.is_posted and not JournalEntry.objects.filter(reverses=verf).exists()
    # the booking is open again for this or another line
    assert verf.pk in {i.pk for i in reconciliation.open_items(bank_account=bank)}


def test_undo_of_a_line_booked_to_a_category_reverses_that_booking(bank, users):
    t = users["treasurer"]
    [line] = load(t, (DAY, "-9.50", "ING"))
    entry = reconciliation.book_line(line=line, user=t, category=Account.objects.get(code="4900"))
    reconciliation.match_undo(line=line, user=t, reason="verkeerde categorie")
    assert JournalEntry.objects.get(reverses=entry).is_posted
    # the reversed booking is no open item: the line can be booked anew
    assert entry.pk not in {i.pk for i in reconciliation.open_items(bank_account=bank)}
    again = reconciliation.book_line(line=line, user=t, category=Account.objects.get(code="4100"))
    assert BankLine.objects.get(pk=line.pk).entry == again


def test_undo_of_a_received_tranche_expects_it_again(bank, users):
    t = users["treasurer"]
    grant = grant_services.grant_create(
        user=t,
        funder="Stadsdeel Zuidoost",
        reference="SZO-2026-7",
        title="Buurtbudget",
        amount=Decimal("5000.00"),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    tranche = grant_services.tranche_create(
        grant=grant, user=t, expected_on=DAY, amount=Decimal("3000.00")
    )
    [line] = load(t, (DAY, "3000.00", "Gemeente Amsterdam", "", "SZO-2026-7 termijn 1"))
    assert reconciliation.auto_match(user=t) == 1
    tranche.refresh_from_db()
    received = tranche.received_entry
    reconciliation.match_undo(line=line, user=t, reason="andere subsidie")
    tranche.refresh_from_db()
    assert tranche.received_entry is None and JournalEntry.objects.filter(reverses=received)


def test_undo_needs_a_reason_and_a_treasurer_and_writes_nothing_half(bank, users):
    t = users["treasurer"]
    spend(t, "23.50", "Verf Gamma")
    [line] = load(t, (DAY, "-23.50", "GAMMA"))
    reconciliation.auto_match(user=t)
    with pytest.raises(ValidationError, match="waarom"):
        reconciliation.match_undo(line=line, user=t, reason="   ")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        reconciliation.match_undo(line=line, user=users["chair"], reason="fout")
    assert BankLine.objects.get(pk=line.pk).is_reconciled
    assert not MatchEvent.objects.filter(kind="ontkoppeld").exists()
    reconciliation.match_undo(line=line, user=t, reason="fout")
    with pytest.raises(ValidationError, match="niet gekoppeld"):
        reconciliation.match_undo(line=line, user=t, reason="nog eens")


def test_the_database_refuses_to_unlink_a_line_without_an_undo_event(bank, users):
    t = users["treasurer"]
    spend(t, "23.50", "Verf Gamma")
    [line] = load(t, (DAY, "-23.50", "GAMMA"))
    reconciliation.auto_match(user=t)
    unlink = (
        "UPDATE finance_bankline SET entry_id = NULL, claim_id = NULL, reconciled_at = NULL "
        "WHERE id = %s"
    )
    with pytest.raises(DatabaseError, match="vastgelegde reden"), transaction.atomic():
        raw(unlink, [line.pk])
    # an undo event older than the link does not count either
    with pytest.raises(DatabaseError, match="vastgelegde reden"), transaction.atomic():
        raw(
            "INSERT INTO finance_matchevent (kind, at, object_type, note, bank_line_id, old) "
            "VALUES ('ontkoppeld', '2000-01-01T00:00:00Z', '', '', %s, "
            "jsonb_build_object('entry', %s::bigint))",
            [line.pk, BankLine.objects.get(pk=line.pk).entry_id],
        )
        raw(unlink, [line.pk])
    assert BankLine.objects.get(pk=line.pk).is_reconciled


@pytest.mark.django_db(transaction=True)
def test_undo_with_real_transactions_and_its_locks(committed_world, settings, tmp_path):
    """With real commits: the undo's row locks run inside its own transaction."""
    settings.MEDIA_ROOT = tmp_path
    t = committed_world.users["treasurer"]
    with tenant_context(committed_world.group_a):
        bank_import.bank_account_create(
            user=t,
            iban=samples.ACCOUNT_IBAN,
            name="ING",
            holder="Vast",
            ledger_account=Account.objects.get(role="bank"),
        )
        [line] = load(t, (DAY, "-9.50", "ING"))
        entry = reconciliation.book_line(
            line=line, user=t, category=Account.objects.get(code="4900")
        )
        assert not transaction.get_connection().in_atomic_block
        reconciliation.match_undo(line=line, user=t, reason="verkeerde categorie")
        assert not BankLine.objects.get(pk=line.pk).is_reconciled
        assert JournalEntry.objects.get(reverses=entry).is_posted
        assert MatchEvent.objects.filter(bank_line=line).count() == 2


# --- pages ----------------------------------------------------------------------------------


def test_a_suggestion_is_confirmed_with_one_tap_from_the_list(
    bank, users, client_as, group_a, django_assert_max_num_queries
):
    t = users["treasurer"]
    first = spend(t, "12.00", "Brood Bakkerij Jansen")
    spend(t, "12.00", "Taart Bakkerij Jansen", day=DAY + dt.timedelta(days=2))
    others = [(DAY + dt.timedelta(days=1), f"-{n}.00", f"Winkel {n}") for n in range(30, 60)]
    lines = load(t, (DAY, "-12.00", "Bakkerij Jansen"), *others)
    [line] = [ln for ln in lines if ln.amount == -12]
    client = client_as("treasurer")
    with django_assert_max_num_queries(24):  # flat: 31 lines, suggestions for each
        page = client.get(group_path(group_a, "financien/bank/regels/"))
    html = page.content.decode()
    assert "Voorstel" in html and f'value="boeking:{first.pk}"' in html
    assert 'name="voorstel" value="1"' in html
    # a reader sees the suggestion but no button
    html = client_as("audit").get(group_path(group_a, "financien/bank/regels/")).content.decode()
    assert "Voorstel" in html and 'name="voorstel"' not in html
    # when the treasurer taps "Koppelen"
    response = client.post(
        group_path(group_a, f"financien/bank/regels/{line.pk}/koppelen/"),
        {"item": f"boeking:{first.pk}", "voorstel": "1"},
    )
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.entry == first
    assert MatchEvent.objects.get(bank_line=line).new["how"] == "voorstel"


def test_undo_page_asks_a_reason_and_shows_the_links_in_words(bank, users, client_as, group_a):
    t = users["treasurer"]
    [line] = load(t, (DAY, "-9.50", "ING"))
    entry = reconciliation.book_line(line=line, user=t, category=Account.objects.get(code="4900"))
    client = client_as("treasurer")
    url = group_path(group_a, f"financien/bank/regels/{line.pk}/")
    assert "Koppeling ongedaan maken" in client.get(url).content.decode()
    # without a reason: the form again, nothing undone
    refused = client.post(url + "ontkoppelen/", {"reason": ""})
    assert refused.status_code == 400 and BankLine.objects.get(pk=line.pk).is_reconciled
    assert client_as("chair").post(url + "ontkoppelen/", {"reason": "x"}).status_code == 403
    done = client.post(url + "ontkoppelen/", {"reason": "verkeerde categorie"}, follow=True)
    html = done.content.decode()
    assert "met een correctie teruggedraaid" in html
    reversal = JournalEntry.objects.get(reverses=entry)
    assert f"gekoppeld aan boeking {entry.display_number} (direct geboekt)" in " ".join(
        html.split()
    )
    assert f"gecorrigeerd met {reversal.display_number}" in html
    assert "reden: verkeerde categorie" in html and "Treasurer A" in html
