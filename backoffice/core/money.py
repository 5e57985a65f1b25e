"""Money in one place: euro amounts are Decimal with exactly two places, NUMERIC(14,2).

Amounts with more than two decimals are refused, never rounded silently; floats are refused
outright so binary rounding cannot sneak in.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_DIGITS = 14
DECIMAL_PLACES = 2
CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("999999999999.99")


def to_money(value, *, field: str | None = None) -> Decimal:
    """Turn user or code input into a Decimal euro amount, or raise a Dutch ValidationError.

    Accepts Decimal, int and strings with a comma or a dot ("12,50", "1.250,00" is refused
    as ambiguous only when it has more than one separator kind in a wrong place).
    """
    if isinstance(value, float):
        raise TypeError("Geldbedragen nooit als float doorgeven; gebruik Decimal.")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        text = str(value or "").strip().replace("€", "").replace(" ", "")
        if "," in text:
            # Dutch notation: dots are thousand separators, the comma is the decimal mark.
            text = text.replace(".", "").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise _error(_("Vul een bedrag in, bijvoorbeeld 12,50."), field) from None
    if not amount.is_finite():
        raise _error(_("Vul een bedrag in, bijvoorbeeld 12,50."), field)
    if amount != amount.quantize(CENT):
        raise _error(_("Gebruik hoogstens twee cijfers achter de komma (hele centen)."), field)
    if abs(amount) > MAX_AMOUNT:
        raise _error(_("Dit bedrag is te groot."), field)
    return amount.quantize(CENT)


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
