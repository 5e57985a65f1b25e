"""Vouchers: codes, issuing with letters, redeeming once, reissuing, addresses import."""

import datetime
import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django_tenants.utils import tenant_context

from groups.initiatives import codes, vouchers
from groups.initiatives.models import Household, Initiative, InitiativeEvent, Voucher
from tests.conftest import group_path
from tests.initiatives.helpers import DAY, make_round, submit

pytestmark = pytest.mark.django_db


def test_codes_have_74_bits_no_look_alikes_groups_and_a_check_character():
    import math

    code = codes.new_code()
    assert len(code) == 19 and code.count("-") == 3
    assert not set(code.replace("-", "")) & set("0O1IL")
    assert math.log2(len(codes.ALPHABET)) * codes.RANDOM_LENGTH >= 60
    assert codes.normalise(code.lower().replace("-", " ")) == code.replace("-", "")


def test_every_single_typo_and_swap_is_caught_by_the_check_character():
    raw = codes.normalise(codes.new_code())
    for position in range(16):
        for ch in codes.ALPHABET:
            if ch != raw[position]:
                typo = raw[:position] + ch + raw[position + 1 :]
                with pytest.raises(codes.CodeError):
                    codes.normalise(typo)
    for position in range(15):
        if raw[position] != raw[position + 1]:
            swapped = raw[:position] + raw[position + 1] + raw[position] + raw[position + 2 :]
            with pytest.raises(codes.CodeError):
                codes.normalise(swapped)


def test_the_hash_is_keyed(settings):
    raw = codes.normalise(codes.new_code())
    first = codes.code_hash(raw)
    settings.VOUCHER_CODE_KEY = "een-andere-sleutel"
    assert codes.code_hash(raw) != first and len(first) == 64


def _households(n):
    return Household.objects.bulk_create(
        [Household(street="Kraaiennest", house_number=i + 1, postcode="1104 CA") for i in range(n)]
    )


@pytest.fixture
def voucher_round(in_group_a, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return make_round(users, decided_by="vouchers", voucher_value=Decimal("25.00"))


@time_machine.travel(DAY, tick=False)
def test_issue_one_voucher_per_household_stored_only_as_hmac(voucher_round, users):
    _households(3)
    printed = vouchers.vouchers_issue(round_=voucher_round, user=users["chair"])
    assert len(printed) == 3 and Voucher.objects.count() == 3
    for item in printed:
        assert Voucher.objects.filter(
            code_hash=codes.code_hash(codes.normalise(item.code))
        ).exists()
    plain = {p.code.replace("-", "") for p in printed}
    stored = " ".join(str(v) for v in Voucher.objects.values_list())
    assert not any(code in stored for code in plain)
    assert Voucher.history.count() == 3
    # a second run issues nothing new
    with pytest.raises(ValidationError, match="al een voucher"):
        vouchers.vouchers_issue(round_=voucher_round, user=users["chair"])


@time_machine.travel(DAY, tick=False)
def test_redeem_once_and_every_refusal_says_why(voucher_round, users):
    _households(2)
    code, other = (
        p.code for p in vouchers.vouchers_issue(round_=voucher_round, user=users["chair"])
    )
    plan = submit(voucher_round).initiative
    voucher = vouchers.voucher_redeem(code=code, initiative=plan, address="198.51.100.1")
    assert voucher.initiative_id == plan.pk and voucher.redeemed_at is not None
    assert voucher.history.count() == 2
    assert InitiativeEvent.objects.filter(kind="voucher_redeemed").count() == 1
    cases = [
        (code, "al gebruikt"),
        (code[:-1] + ("2" if code[-1] != "2" else "3"), "tikfout"),
        ("HALLO", "geen vouchercode"),
        (codes.new_code(), "kennen we niet"),
    ]
    for attempt, message in cases:
        with pytest.raises(ValidationError, match=message):
            vouchers.voucher_redeem(code=attempt, initiative=plan, address="198.51.100.1")
    with pytest.raises(ValidationError, match="verlopen"):
        vouchers.voucher_redeem(
            code=other, initiative=plan, address="198.51.100.2", today=datetime.date(2026, 10, 1)
        )
    assert vouchers.pools(voucher_round) == {plan.pk: 1}


@time_machine.travel(DAY, tick=False)
def test_a_voucher_of_another_round_is_refused(voucher_round, users):
    _households(1)
    (printed,) = vouchers.vouchers_issue(round_=voucher_round, user=users["chair"])
    other_round = make_round(
        users, name="Najaar", decided_by="vouchers", voucher_value=Decimal("10.00")
    )
    plan = submit(other_round).initiative
    with pytest.raises(ValidationError, match="andere ronde"):
        vouchers.voucher_redeem(code=printed.code, initiative=plan, address="x")


@time_machine.travel(DAY, tick=False)
def test_reissue_voids_the_old_code_and_records_it(voucher_round, users):
    (household,) = _households(1)
    (old,) = vouchers.vouchers_issue(round_=voucher_round, user=users["chair"])
    new = vouchers.voucher_reissue(
        round_=voucher_round, household=household, user=users["chair"], reason="Brief kwijt"
    )
    plan = submit(voucher_round).initiative
    with pytest.raises(ValidationError, match="vervangen"):
        vouchers.voucher_redeem(code=old.code, initiative=plan, address="x")
    assert vouchers.voucher_redeem(code=new.code, initiative=plan, address="x")
    voided = Voucher.objects.get(pk=old.voucher.pk)
    assert voided.void_reason == "Brief kwijt" and voided.history.first().voided_at
    assert InitiativeEvent.objects.filter(kind="voucher_reissued").count() == 1


@time_machine.travel(DAY, tick=False)
def test_rate_limit_per_prefix(voucher_round, users, monkeypatch):
    monkeypatch.setattr(vouchers, "LIMIT_PER_PREFIX", 3)
    plan = submit(voucher_round).initiative
    for n in range(3):
        with pytest.raises(ValidationError, match="kennen we niet|tikfout"):
            vouchers.voucher_redeem(
                code="ABCD" + codes.new_code()[4:], initiative=plan, address=f"a{n}"
            )
    with pytest.raises(ValidationError, match="Te veel pogingen"):
        vouchers.voucher_redeem(code="ABCD-EFGH-JKMN-PQRS", initiative=plan, address="b")


@time_machine.travel(DAY, tick=False)
def test_letters_pdf_and_redeem_page_with_the_code_filled_in(
    voucher_round, users, group_a, client_as
):
    _households(2)
    response = client_as("chair").post(
        group_path(group_a, f"initiatieven/rondes/{voucher_round.pk}/vouchers/")
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page ") == 2
    plan = submit(voucher_round).initiative
    page = Client().get(group_path(group_a, "initiatieven/voucher/?code=ABCD-EFGH"))
    assert 'value="ABCD-EFGH"' in page.content.decode()
    assert plan.title in page.content.decode()


def _address_file(rows):
    return "straat,huisnummer,toevoeging,postcode\n" + "\n".join(rows) + "\n"


def test_addresses_import_with_preview_and_bad_rows(in_group_a, client_as, group_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("chair")
    url = group_path(group_a, "initiatieven/adressen/")
    bad = _address_file(
        ["Kraaiennest,12,,1104 CA", "Kraaiennest,,,1104 CA", "Kraaiennest,12,,1104CA"]
    )
    response = client.post(
        url, {"file": SimpleUploadedFile("a.csv", bad.encode()), "confirm": "on"}
    )
    html = response.content.decode()
    assert "huisnummer ontbreekt" in html and "al op regel" in html
    assert not Household.objects.exists()
    good = _address_file(["Kraaiennest,12,,1104 CA", "Kraaiennest,14,A,1104ca"])
    preview = client.post(url, {"file": SimpleUploadedFile("a.csv", good.encode())})
    assert "Nieuw: 2" in preview.content.decode() and not Household.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("a.csv", good.encode()), "confirm": "on"})
    assert sorted(str(h) for h in Household.objects.all()) == [
        "Kraaiennest 12, 1104 CA",
        "Kraaiennest 14-A, 1104 CA",
    ]


@pytest.mark.django_db(transaction=True)
def test_fifty_parallel_redemptions_of_one_code_exactly_one_wins(committed_world, monkeypatch):
    monkeypatch.setattr(vouchers, "LIMIT_PER_PREFIX", 1000)
    group = committed_world.group_a
    users = committed_world.users
    with time_machine.travel(DAY, tick=False), tenant_context(group):
        round_ = make_round(users, decided_by="vouchers", voucher_value=Decimal("25.00"))
        Household.objects.create(street="Kraaiennest", house_number=1, postcode="1104 CA")
        (printed,) = vouchers.vouchers_issue(round_=round_, user=users["chair"])
        plan = submit(round_).initiative
    barrier = threading.Barrier(50)
    results = []

    def attempt(n):
        try:
            connection.set_tenant(group)
            barrier.wait()
            with time_machine.travel(DAY, tick=False):
                vouchers.voucher_redeem(code=printed.code, initiative=plan, address=f"10.0.0.{n}")
            results.append("won")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("won") == 1, results
    assert all(r == "won" or "al gebruikt" in r for r in results), set(results)
    with tenant_context(group):
        assert Voucher.objects.filter(initiative=plan).count() == 1
        assert InitiativeEvent.objects.filter(kind="voucher_redeemed").count() == 1
        assert Initiative.objects.get(pk=plan.pk).vouchers.count() == 1


def test_pooled_initiatives_are_funded_at_the_end_with_a_commitment(voucher_round, users, group_a):
    from finance.grants.models import Commitment
    from tests.initiatives.helpers import board_meeting

    _households(20)
    with time_machine.travel(DAY, tick=False):
        printed = vouchers.vouchers_issue(round_=voucher_round, user=users["chair"])
        full = submit(voucher_round, items=[("Ballen", "100,00")]).initiative
        short = submit(voucher_round, title="Te weinig", items=[("Tent", "200,00")]).initiative
        for item in printed[:4]:
            vouchers.voucher_redeem(code=item.code, initiative=full, address="a")
        vouchers.voucher_redeem(code=printed[4].code, initiative=short, address="a")
        meeting = board_meeting(users, group_a, day=DAY)
        with pytest.raises(ValidationError, match="gesloten"):
            vouchers.vouchers_settle(
                round_=voucher_round, user=users["chair"], meeting_id=meeting.pk
            )
    after = datetime.date(2026, 6, 2)
    funded = vouchers.vouchers_settle(
        round_=voucher_round, user=users["chair"], meeting_id=meeting.pk, today=after
    )
    assert funded == [full]
    full.refresh_from_db()
    short.refresh_from_db()
    assert full.status == "goedgekeurd" and full.awarded_amount == Decimal("100.00")
    assert "4 vouchers" in full.outcome_reason
    assert Commitment.objects.get(pk=full.commitment_id).amount == Decimal("100.00")
    assert short.status == "ingediend"
