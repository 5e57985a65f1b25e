"""Setting up a new group: what it has and what is still missing, in the wizard's order.

The books answer two of the steps through `finance.facade` (bank account, budget).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import facade as finance_facade
from groups.decisions.selectors import rules_current
from groups.organisation.models import Profile
from groups.organisation.selectors import board_gaps, profile_get

DONE = "klaar"


MISSING = "ontbreekt"


NOT_CHECKED = "niet_gecontroleerd"


@dataclass(frozen=True)
class SetupItem:
    step: str
    label: str
    state: str  # DONE, MISSING or NOT_CHECKED
    detail: str = ""


def _finance_item(step: str, label, done: bool) -> SetupItem:
    return SetupItem(step, str(label), DONE if done else MISSING)


SETUP_LABELS = {
    "profiel": gettext_lazy("Profiel van de groep"),
    "rollen": gettext_lazy("Rollen: voorzitter, penningmeester, secretaris"),
    "regels": gettext_lazy("Beslisregels"),
    "bank": gettext_lazy("Bankrekening"),
    "begroting": gettext_lazy("Begroting"),
    "privacy": gettext_lazy("Privacyverklaring"),
}


SETUP_STEPS = list(SETUP_LABELS)


def setup_status() -> list[SetupItem]:
    """What a new group has set up and what is still missing, in the wizard's order."""
    profile = profile_get()
    items = []
    missing_profile = []
    if profile is None or not profile.name:
        missing_profile.append(_("naam"))
    elif profile.legal_form != Profile.LegalForm.INFORMAL and not profile.kvk_number:
        missing_profile.append(_("KvK-nummer"))
    if profile is not None and not (
        profile.contact_email or profile.contact_phone or profile.contact_note
    ):
        missing_profile.append(_("contactgegevens"))
    items.append(
        SetupItem(
            "profiel",
            str(SETUP_LABELS["profiel"]),
            MISSING if missing_profile else DONE,
            _("Nog nodig: %(list)s.") % {"list": ", ".join(missing_profile)}
            if missing_profile
            else "",
        )
    )
    gaps = board_gaps()
    items.append(
        SetupItem(
            "rollen",
            str(SETUP_LABELS["rollen"]),
            MISSING if gaps else DONE,
            _("Nog niemand als: %(list)s.") % {"list": ", ".join(gaps)} if gaps else "",
        )
    )
    items.append(
        SetupItem("regels", str(SETUP_LABELS["regels"]), DONE if rules_current() else MISSING)
    )
    books = finance_facade.setup_state()
    items.append(_finance_item("bank", SETUP_LABELS["bank"], books.bank_account_present))
    items.append(_finance_item("begroting", SETUP_LABELS["begroting"], books.budget_present))
    items.append(
        SetupItem(
            "privacy",
            str(SETUP_LABELS["privacy"]),
            DONE if profile is not None and profile.privacy_statement.strip() else MISSING,
        )
    )
    return items
