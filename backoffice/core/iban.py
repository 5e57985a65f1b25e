"""Bank account numbers (IBAN), checked with schwifty: one rule for every form and import."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException


def normalise_iban(raw: str) -> str:
    """The compact IBAN, or a Dutch ValidationError on the field `iban`."""
    try:
        return IBAN(raw).compact
    except SchwiftyException:
        raise ValidationError(
            {"iban": _("Dit is geen geldige IBAN. Controleer de cijfers.")}
        ) from None
