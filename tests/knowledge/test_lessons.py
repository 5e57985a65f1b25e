"""Lessons from real initiatives: a frozen card shared with the board's consent, withdrawable,
readable by groups and the support organisation, without the group's name when it asks."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from knowledge import facade
from knowledge.models import LessonCard

FIGURES = facade.LessonFigures(
    awarded=Decimal("1250.00"),
    spent_by_category=(("Materialen", Decimal("830.45")), ("Catering", Decimal("310.00"))),
    volunteers=12,
    participants=140,
)


@pytest.fixture
def share(users, group_a):
    def make(**overrides):
        fields = {
            "group": group_a,
            "source_id": 7,
            "title": "Buurtmoestuin aan de Kraaiennest",
            "evaluation": "Begin **klein**: twee bakken, dan pas meer.",
            "themes": ["buurt"],
            "figures": FIGURES,
            "consented_by": users["chair"],
        }
        fields.update(overrides)
        return facade.lesson_card_share(**fields)

    return make


def test_a_shared_card_freezes_the_figures_it_was_given(share):
    card = share()
    assert card.figures == {
        "currency": "EUR",
        "awarded": "1250.00",
        "spent": "1140.45",
        "spent_by_category": [["Materialen", "830.45"], ["Catering", "310.00"]],
        "volunteers": 12,
        "participants": 140,
    }
    assert "<strong>klein</strong>" in card.evaluation_html
    assert card.history.get().history_change_reason.startswith("gedeeld")


def test_only_the_board_of_that_group_shares(share, users):
    for who in ("member", "audit", "other", "support"):
        with pytest.raises(PermissionDenied):
            share(consented_by=users[who])
    assert not LessonCard.objects.exists()


@pytest.mark.parametrize(
    "figures, message",
    [
        (FIGURES.__class__(Decimal("-1.00"), (), 0, 0), "niet negatief"),
        (FIGURES.__class__(Decimal("10.005"), (), 0, 0), "hele centen"),
        (FIGURES.__class__(Decimal("10.00"), (("x", 3.5),), 0, 0), "hele centen"),
        (FIGURES.__class__(Decimal("10.00"), (), -2, 0), "niet negatief"),
    ],
)
def test_figures_that_are_not_exact_money_are_refused(share, figures, message):
    with pytest.raises(ValidationError, match=message):
        share(figures=figures)
    assert not LessonCard.objects.exists()


def test_bad_text_is_told_per_field_and_nothing_is_saved(share):
    with pytest.raises(ValidationError) as exc:
        share(evaluation="  ", themes=["onbekend"])
    assert set(exc.value.message_dict) == {"evaluation", "themes"}
    assert not LessonCard.objects.exists()


def test_one_live_card_per_initiative_and_withdrawing_keeps_the_history(share, users, group_a):
    card = share()
    with pytest.raises(ValidationError, match="al gedeeld"):
        share()
    with pytest.raises(PermissionDenied):
        facade.lesson_card_withdraw(card_id=card.pk, group=group_a, user=users["member"])
    facade.lesson_card_withdraw(
        card_id=card.pk, group=group_a, user=users["treasurer"], reason="Bedragen klopten niet"
    )
    card.refresh_from_db()
    assert card.is_withdrawn and card.withdrawn_by == users["treasurer"]
    assert [h.history_change_reason for h in card.history.order_by("history_date")] == [
        "gedeeld met toestemming van het bestuur",
        "ingetrokken",
    ]
    # after withdrawing, the initiative can be shared again (a corrected card)
    again = share(figures=FIGURES.__class__(Decimal("1250.00"), (), 12, 140))
    assert list(facade.cards_of_source(group=group_a, source_id=7)) == [again, card]


def test_the_database_refuses_a_second_live_card(share, group_a, users):
    from django.db import IntegrityError, transaction

    card = share()
    with pytest.raises(IntegrityError), transaction.atomic():
        LessonCard.objects.create(
            group=group_a,
            source_id=card.source_id,
            title="dubbel",
            evaluation="x",
            themes=["buurt"],
            figures={},
            consented_by=users["chair"],
        )


def test_groups_and_staff_read_cards_officials_do_not(share, client_for):
    card = share()
    url = reverse("knowledge:lesson", kwargs={"pk": card.pk})
    for who in ("other", "support", "member"):
        page = client_for(who).get(url)
        assert page.status_code == 200, who
        text = page.content.decode()
        assert "€ 1.250,00" in text and "€ 830,45" in text and "Hart voor de K-buurt" in text
    assert client_for("official").get(url).status_code == 403
    listing = client_for("other").get(reverse("knowledge:lessons")).content.decode()
    assert "Buurtmoestuin aan de Kraaiennest" in listing


def test_without_the_groups_name_other_groups_see_no_name(share, client_for):
    card = share(anonymous=True)
    url = reverse("knowledge:lesson", kwargs={"pk": card.pk})
    assert "Hart voor de K-buurt" not in client_for("other").get(url).content.decode()
    assert "een bewonersgroep" in client_for("other").get(url).content.decode()
    # its own members and the moderators still see whose it is
    assert "Hart voor de K-buurt" in client_for("member").get(url).content.decode()
    assert "Hart voor de K-buurt" in client_for("coordinator").get(url).content.decode()


def test_a_withdrawn_card_is_gone_for_readers(share, users, group_a, client_for):
    card = share()
    facade.lesson_card_withdraw(card_id=card.pk, group=group_a, user=users["chair"])
    url = reverse("knowledge:lesson", kwargs={"pk": card.pk})
    assert client_for("other").get(url).status_code == 404
    listing = client_for("other").get(reverse("knowledge:lessons")).content.decode()
    assert "Buurtmoestuin" not in listing
