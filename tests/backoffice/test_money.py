"""Amounts as people type them: Dutch and English notation read exactly, or asked about."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from backoffice.core.money import MoneyFormField, to_money


@pytest.mark.parametrize(
    "text, amount",
    [
        ("1.250,00", "1250.00"),
        ("1,250.00", "1250.00"),
        ("€ 1.250,00", "1250.00"),
        ("1 250,00", "1250.00"),
        ("1\u00a0250,00", "1250.00"),
        ("1.250.000", "1250000.00"),
        ("1,250,000", "1250000.00"),
        ("1.250.000,5", "1250000.50"),
        ("12,50", "12.50"),
        ("12.50", "12.50"),
        ("12,5", "12.50"),
        ("0,250", "0.25"),
        ("1250", "1250.00"),
        ("1250,00", "1250.00"),
        (",5", "0.50"),
        ("-5", "-5.00"),
    ],
)
def test_dutch_and_english_notation_are_read_exactly(text, amount):
    assert to_money(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["1.250", "1,250", "12,500"])
def test_three_digits_after_one_separator_are_asked_not_guessed(text):
    with pytest.raises(ValidationError) as refused:
        to_money(text)
    message = refused.value.messages[0]
    whole = text.replace(".", "").replace(",", "")
    assert f"Bedoel je € {int(whole):,}".replace(",", ".") + ",00?" in message
    assert "twee manieren" in message


def test_the_question_uses_the_readers_notation_in_english():
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        to_money("1,250")
    assert "Did you mean €1,250.00?" in refused.value.messages[0]


@pytest.mark.parametrize("text", ["1.25,00", "12,34.56", "1,2,3", "1.250,00,00", "1..250"])
def test_separators_in_wrong_places_are_refused(text):
    with pytest.raises(ValidationError, match="geen duidelijk bedrag"):
        to_money(text)


@pytest.mark.parametrize("text", ["12,505", "1.250,505"])
def test_more_than_two_decimals_stay_refused(text):
    with pytest.raises(ValidationError, match="hoogstens twee cijfers achter de komma"):
        to_money(text)


def test_form_field_books_the_english_thousand_as_a_thousand():
    # "1,250.00" used to become 1.25: every dot was dropped as soon as a comma was present.
    assert MoneyFormField().clean("1,250.00") == Decimal("1250.00")
