"""The demo: every state, consultations and vouchers; its public pages show no personal data."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django_tenants.utils import tenant_context

from backoffice.demo import GROUPS
from finance import demo as finance_demo
from finance.bank.models import PaymentOrder
from groups import demo as groups_demo
from groups.initiatives import demo, vouchers
from groups.initiatives.models import Ballot, Initiative, Round
from tenants.models import User
from tenants.services import group_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_group(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    spec = GROUPS[0]
    group = group_create(
        name=spec["name"],
        slug=spec["slug"],
        district=spec["district"],
        neighbourhood=spec["neighbourhood"],
    )
    people = {
        username: User.objects.create_user(username=username, first_name=first, last_name=last)
        for username, first, last, _role in spec["people"]
    }
    with tenant_context(group):
        groups_demo.load_for_group(group, people, spec["people"])
        finance_demo.load_for_group(group, people, spec["people"])
    return group, people, spec["people"]


def test_demo_has_every_state_prints_working_codes_and_is_idempotent(demo_group, capsys):
    group, people, roster = demo_group
    with tenant_context(group):
        demo.load_for_group(group, people, roster)
        out = capsys.readouterr().out
        statuses = set(Initiative.objects.values_list("status", flat=True))
        assert {
            "ingediend",
            "meer_info",
            "goedgekeurd",
            "deels",
            "afgewezen",
            "verantwoord",
            "afgesloten",
        } <= statuses
        assert set(Ballot.objects.values_list("channel", flat=True)) == {"online", "papier"}
        assert Round.objects.count() == 4
        # paid against receipts by transfer: a payment order waits for the payment file
        mural = Initiative.objects.get(title="Muurschildering")
        (receipts_payout,) = mural.payouts.filter(kind="bonnen")
        assert receipts_payout.amount == Decimal("310.40") and receipts_payout.payment_order_id
        assert PaymentOrder.objects.filter(pk=receipts_payout.payment_order_id).exists()
        voucher_code = re.search(r"vouchercode om te proberen.*: (\S+)", out).group(1)
        voting_code = re.search(r"stemcode om te proberen.*: (\S+)", out).group(1)
        plan = Initiative.objects.get(title="Voetbaltoernooi")
        assert vouchers.voucher_redeem(code=voucher_code, initiative=plan, address="t")
        # a second run adds no rounds and prints fresh codes
        demo.load_for_group(group, people, roster)
        again = capsys.readouterr().out
        assert Round.objects.count() == 4
        assert voting_code not in again and "stemcode om te proberen" in again
        contacts = list(Initiative.objects.values_list("initiator_email", "initiator_phone"))
        names = list(Initiative.objects.values_list("initiator_name", flat=True))
        pks = list(Initiative.objects.values_list("pk", flat=True))
    client = Client()
    pages = [
        f"/g/{group.slug}/initiatieven/{rest}"
        for rest in ("", "aanvragen/", "voucher/", "stemmen/")
    ]
    pages += [f"/g/{group.slug}/initiatieven/{pk}/" for pk in pks]
    pages.append(f"/g/{group.slug}/openbaar/")
    for page in pages:
        html = client.get(page).content.decode()
        for email, phone in contacts:
            assert email not in html and phone not in html, page
        for name in names:
            assert name not in html, page
