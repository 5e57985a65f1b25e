"""A closed initiative shared as a lesson: the board's button, the figures from the group's own
books (awarded, spent per category net of returns, volunteers, participants), consent, and
withdrawing from the same page."""

import datetime
from decimal import Decimal

import pytest

from groups.initiatives import money
from groups.initiatives.models import Initiative
from knowledge.models import LessonCard
from tests.conftest import group_path
from tests.initiatives.helpers import (
    assess_and_approve,
    board_meeting,
    make_round,
    png,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db
PAY_DAY = datetime.date(2026, 4, 22)


def _accounted(users, group_a):
    submitted = submit(make_round(users))
    assess_and_approve(submitted.initiative, users, board_meeting(users, group_a))
    initiative = Initiative.objects.get(pk=submitted.initiative.pk)
    money.advance_pay(
        initiative=initiative, user=users["treasurer"], amount=Decimal("450.00"), date=PAY_DAY
    )
    money.accountability_submit(
        initiative=initiative,
        report="Twintig buren deden mee.",
        participants=20,
        volunteers=4,
        own_evaluation="Begin met twee bakken.",
        receipts=[(upload("bon.png", png("bon")), Decimal("400.00"))],
    )
    money.advance_return(
        initiative=initiative, user=users["treasurer"], amount=Decimal("50.00"), date=PAY_DAY
    )
    return Initiative.objects.get(pk=initiative.pk)


@pytest.fixture
def closed(in_group_a, users, group_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    initiative = _accounted(users, group_a)
    money.close(initiative=initiative, user=users["chair"])
    return Initiative.objects.get(pk=initiative.pk)


def _share_url(group, initiative, rest=""):
    return group_path(group, f"initiatieven/beheer/{initiative.pk}/les/{rest}")


SHARE = {
    "title": "Buurtmoestuin",
    "evaluation": "Begin met twee bakken, dan pas meer.",
    "themes": ["buurt", "aanvragen"],
    "consent": "on",
}


def test_the_board_sees_the_button_on_a_closed_initiative_members_do_not(
    closed, group_a, client_as
):
    manage = group_path(group_a, f"initiatieven/beheer/{closed.pk}/")
    assert _share_url(group_a, closed) in client_as("chair").get(manage).content.decode()
    page = client_as("member").get(manage)
    assert page.status_code == 200 and _share_url(group_a, closed) not in page.content.decode()
    assert client_as("member").get(_share_url(group_a, closed)).status_code in {403, 404}


def test_sharing_freezes_the_figures_from_the_books(closed, group_a, users, client_as):
    page = client_as("chair").get(_share_url(group_a, closed))
    text = page.content.decode()
    # the advance of € 450 less the € 50 returned, on the budget line's cost account
    assert "€ 400,00" in text and "€ 450,00" in text
    response = client_as("chair").post(_share_url(group_a, closed), SHARE)
    card = LessonCard.objects.get(group=group_a, source_id=closed.pk)
    assert response.status_code == 302 and response["Location"].endswith(
        f"/kennis/lessen/{card.pk}/"
    )
    assert card.figures["awarded"] == "450.00"
    assert card.figures["spent"] == "400.00"
    assert [amount for _name, amount in card.figures["spent_by_category"]] == ["400.00"]
    assert (card.figures["volunteers"], card.figures["participants"]) == (4, 20)
    assert card.consented_by == users["chair"] and card.themes == ["buurt", "aanvragen"]
    assert not card.anonymous


def test_without_consent_nothing_is_shared(closed, group_a, client_as):
    response = client_as("chair").post(_share_url(group_a, closed), {**SHARE, "consent": ""})
    assert response.status_code == 400
    assert "Zonder toestemming van het bestuur" in response.content.decode()
    assert not LessonCard.objects.filter(source_id=closed.pk).exists()


def test_an_initiative_that_is_not_closed_is_not_shared(
    in_group_a, users, group_a, client_as, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    accounted = _accounted(users, group_a)
    manage = client_as("chair").get(group_path(group_a, f"initiatieven/beheer/{accounted.pk}/"))
    assert _share_url(group_a, accounted) not in manage.content.decode()
    response = client_as("chair").post(_share_url(group_a, accounted), SHARE)
    assert response.status_code == 400
    assert "Alleen een afgerond initiatief" in response.content.decode()
    assert not LessonCard.objects.filter(source_id=accounted.pk).exists()


def test_withdrawing_from_the_page_needs_a_reason_and_keeps_the_card(
    closed, group_a, users, client_as
):
    client_as("chair").post(_share_url(group_a, closed), SHARE)
    card = LessonCard.objects.get(source_id=closed.pk)
    client_as("chair").post(
        _share_url(group_a, closed, "intrekken/"), {"card": card.pk, "reason": ""}
    )
    card.refresh_from_db()
    assert card.withdrawn_at is None
    response = client_as("treasurer").post(
        _share_url(group_a, closed, "intrekken/"),
        {"card": card.pk, "reason": "Cijfers klopten niet"},
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert (
        card.withdrawn_by == users["treasurer"] and card.withdrawal_reason == "Cijfers klopten niet"
    )
    page = client_as("chair").get(_share_url(group_a, closed)).content.decode()
    assert "ingetrokken" in page
    # a card of another initiative cannot be withdrawn through this one
    assert LessonCard.objects.filter(source_id=closed.pk).count() == 1
