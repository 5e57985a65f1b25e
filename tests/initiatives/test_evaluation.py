"""Evaluation per round and traceability from a booking back to its initiative."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from groups.initiatives import evaluation, money
from tests.conftest import group_path
from tests.initiatives.helpers import assess_and_approve, board_meeting, make_round, submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid(in_group_a, users, group_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round(users)
    submitted = submit(round_)
    submit(round_, title="Nog een plan")
    assess_and_approve(submitted.initiative, users, board_meeting(users, group_a))
    submitted.initiative.refresh_from_db()
    payout = money.advance_pay(
        initiative=submitted.initiative,
        user=users["treasurer"],
        amount=Decimal("450.00"),
        date=datetime.date(2026, 4, 22),
    )
    return round_, submitted.initiative, payout


def test_evaluation_counts_and_money(paid):
    round_, initiative, _payout = paid
    result = evaluation.evaluate(round_)
    assert (result.submitted, result.assessed, result.approved) == (2, 1, 1)
    assert (result.awarded, result.paid, result.accounted) == (
        Decimal("450.00"),
        Decimal("450.00"),
        Decimal("0.00"),
    )


def test_evaluation_page_and_xlsx(paid, client_as, group_a):
    round_, _i, _p = paid
    url = group_path(group_a, f"initiatieven/rondes/{round_.pk}/evaluatie/")
    page = client_as("member").get(url)
    assert page.status_code == 200 and "<meter" in page.content.decode()
    book = load_workbook(io.BytesIO(client_as("member").get(url + "?format=xlsx").content))
    rows = {r[0]: r[1] for r in book["Evaluatie"].iter_rows(values_only=True)}
    assert rows["Ingediend"] == 2 and Decimal(str(rows["Toegekend (€)"])) == Decimal("450.00")


def test_from_the_booking_back_to_the_initiative(paid, client_as, group_a):
    _round, initiative, payout = paid
    entry_page = (
        client_as("treasurer")
        .get(group_path(group_a, f"financien/boekingen/{payout.entry_id}/"))
        .content.decode()
    )
    origin = group_path(group_a, f"initiatieven/herkomst/{payout.pk}/")
    assert origin in entry_page
    response = client_as("treasurer").get(origin)
    assert response.status_code == 302
    assert response["Location"].endswith(f"initiatieven/beheer/{initiative.pk}/")
