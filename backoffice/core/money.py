"""Money in one place: euro amounts are Decimal with exactly two places, NUMERIC(14,2).

Amounts with more than two decimals are refused, never rounded silently; floats are refused
outright so binary rounding cannot sneak in.
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

MAX_DIGITS = 14
DECIMAL_PLACES = 2
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")


def to_money(value, *, field: str | None = None) -> Decimal:
    """Turn user or code input into a Decimal euro amount, or raise a Dutch ValidationError.

    Strings may be written the Dutch way ("1.250,00", "12,50") or the English way
    ("1,250.00", "12.50"); see `parse_amount`. What could be read both ways is refused with
    the likely meaning as a question, never guessed.
    """
    if isinstance(value, float):
        raise TypeError("Geldbedragen nooit als float doorgeven; gebruik Decimal.")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        amount = parse_amount(str(value or ""), field=field)
    if not amount.is_finite():
        raise _error(_("Vul een bedrag in, bijvoorbeeld 12,50."), field)
    if amount != amount.quantize(CENT):
        raise _error(_("Gebruik hoogstens twee cijfers achter de komma (hele centen)."), field)
    if abs(amount) > MAX_AMOUNT:
        raise _error(_("Dit bedrag is te groot."), field)
    return amount.quantize(CENT)


# Spaces people (and copied bank pages) put in amounts: plain, no-break and narrow no-break.
_SPACES = str.maketrans("", "", " \u00a0\u202f\t")
_SIGNS = {"-": -1, "\u2212": -1, "+": 1}


def parse_amount(text: str, *, field: str | None = None) -> Decimal:
    """Read an amount as a person writes it, in Dutch or English notation.

    - both a dot and a comma: the last one is the decimal mark, the other groups thousands
      (in threes): "1.250,00" and "1,250.00" are both 1250.00;
    - one kind, several times: thousands ("1.250.000", "1,250,000");
    - one dot or comma with one or two digits after it: the decimal mark ("12,5", "12.50");
    - one dot or comma with exactly three digits after it ("1.250", "1,250"): the Dutch read
      it as 1250, the English as 1.25 (or the other way round). That is refused with the
      question "Bedoel je € 1.250,00?" instead of a guess.
    """
    cleaned = text.strip().replace("€", "").replace("EUR", "").translate(_SPACES)
    sign = 1
    if cleaned[:1] in _SIGNS:
        sign, cleaned = _SIGNS[cleaned[0]], cleaned[1:]
    if not cleaned or not re.fullmatch(r"[0-9.,]+", cleaned) or not re.search(r"\d", cleaned):
        raise _error(_("Vul een bedrag in, bijvoorbeeld 12,50."), field)
    dots, commas = cleaned.count("."), cleaned.count(",")
    if dots and commas:
        mark = "." if cleaned.rfind(".") > cleaned.rfind(",") else ","
        group = "," if mark == "." else "."
        whole, _sep, cents = cleaned.rpartition(mark)
        if mark in whole or not _grouped(whole, group) or not cents:
            raise _unclear(text, field)
        digits = f"{whole.replace(group, '')}.{cents}"
    elif dots + commas > 1:
        group = "." if dots else ","
        if not _grouped(cleaned, group):
            raise _unclear(text, field)
        digits = cleaned.replace(group, "")
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, _sep, cents = cleaned.partition(mark)
        if len(cents) == 3 and whole and whole[0] != "0" and len(whole) <= 3:
            raise _ambiguous(text, whole, cents, field)
        digits = f"{whole or '0'}.{cents or '0'}"
    else:
        digits = cleaned
    return sign * Decimal(digits)


def _grouped(whole: str, group: str) -> bool:
    """'1.250.000' grouped by dots: one to three digits, then blocks of exactly three."""
    pattern = r"[1-9]\d{0,2}(?:" + re.escape(group) + r"\d{3})+"
    return re.fullmatch(pattern, whole) is not None


def _unclear(text: str, field: str | None) -> ValidationError:
    return _error(
        _(
            "‘%(text)s’ is geen duidelijk bedrag. Schrijf bijvoorbeeld 1250,00 of 1.250,00 "
            "(een punt tussen de duizendtallen, een komma voor de centen)."
        )
        % {"text": text.strip()},
        field,
    )


def _ambiguous(text: str, whole: str, cents: str, field: str | None) -> ValidationError:
    large, small = Decimal(whole + cents), Decimal(f"{whole}.{cents}")
    values = {
        "text": text.strip(),
        "large": format_euro_for_reader(large),
        "large_plain": whole + cents,
        "small": format_euro_for_reader(small.quantize(CENT)),
        "small_plain": (
            f"{small.quantize(CENT)}"
            if (get_language() or "nl").startswith("en")
            else format_money_input(small.quantize(CENT))
        ),
    }
    if small == small.quantize(CENT):
        message = _(
            "‘%(text)s’ kan op twee manieren gelezen worden. Bedoel je %(large)s? Schrijf dan "
            "%(large_plain)s. Bedoel je %(small)s? Schrijf dan %(small_plain)s, met hoogstens "
            "twee cijfers achter de komma."
        )
    else:
        message = _(
            "‘%(text)s’ is niet duidelijk: gebruik hoogstens twee cijfers achter de komma "
            "(de centen). Bedoel je %(large)s? Schrijf dan %(large_plain)s."
        )
    return _error(message % values, field)


def format_euro_for_reader(amount: Decimal) -> str:
    """The amount in the notation of the reader's language (€ 1.250,00 or €1,250.00)."""
    if (get_language() or "nl").startswith("en"):
        return f"-€{abs(amount):,.2f}" if amount < 0 else f"€{amount:,.2f}"
    return format_euro(amount)


def positive_money(value, *, field: str | None = None) -> Decimal:
    amount = to_money(value, field=field)
    if amount <= ZERO:
        raise _error(_("Het bedrag moet groter zijn dan nul."), field)
    return amount


def _error(message: str, field: str | None) -> ValidationError:
    return ValidationError({field: message} if field else message, code="money")


def validate_money(value) -> None:
    to_money(value)


class MoneyField(models.DecimalField):
    """NUMERIC(14,2) euro amount."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", MAX_DIGITS)
        kwargs.setdefault("decimal_places", DECIMAL_PLACES)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})


class MoneyFormField(forms.CharField):
    """A text input that accepts 12,50 or 12.50 and refuses 12,505 with a clear message."""

    default_error_messages = {"required": gettext_lazy("Vul een bedrag in.")}

    def __init__(
        self,
        *,
        positive: bool = True,
        max_digits=None,
        decimal_places=None,
        max_value=None,
        min_value=None,
        **kwargs,
    ):
        self.positive = positive
        kwargs.setdefault(
            "widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
        )
        super().__init__(**kwargs)
        if min_value is not None:
            self.validators.append(MinValueValidator(min_value))
        if max_value is not None:
            self.validators.append(MaxValueValidator(max_value))

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format_money_input(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return positive_money(value) if self.positive else to_money(value)


def format_money_input(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


_DUTCH_SEPARATORS = str.maketrans(",.", ".,")


def format_euro(amount: Decimal | None) -> str:
    """€ 1.234,56 (Dutch notation) for exports and PDFs."""
    if amount is None:
        return ""
    # Decimal's own formatting groups the digits (1,234.56); swap the two separators.
    text = f"{abs(amount):,.2f}".translate(_DUTCH_SEPARATORS)
    return f"-€ {text}" if amount < 0 else f"€ {text}"
