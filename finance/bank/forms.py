"""Forms of the bank pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from finance.grants.models import BudgetLine, Grant
from finance.ledger.models import Account


class BankAccountForm(forms.Form):
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=42)
    name = forms.CharField(label=gettext_lazy("Naam (voor jezelf)"), max_length=120)
    holder = forms.CharField(label=gettext_lazy("Tenaamstelling bij de bank"), max_length=70)
    bic = forms.CharField(label=gettext_lazy("BIC (mag leeg)"), max_length=11, required=False)
    ledger_account = forms.ModelChoiceField(
        label=gettext_lazy("Grootboekrekening"), queryset=Account.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger_account"].queryset = Account.objects.filter(
            is_cash=True, is_active=True
        ).order_by("code")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bankbestand"),
        help_text=gettext_lazy(
            "Het bestand zoals je het van de bank downloadt: CAMT.053 (xml), MT940 of CSV van "
            "ING, Rabobank, ABN AMRO, bunq, Triodos, Knab, ASN Bank, SNS of RegioBank. "
            "Een bestand met meer rekeningen mag ook. Hoogstens 64 MB."
        ),
    )


class OverlapChoiceForm(forms.Form):
    """The treasurer's answer when lines seem to be there already from another file."""

    choice = forms.ChoiceField(
        label=gettext_lazy("Wat wil je doen?"),
        choices=[
            ("skip", gettext_lazy("Sla die regels over en lees de rest in (aangeraden)")),
            ("add", gettext_lazy("Voeg toch alle regels toe: het zijn echt andere betalingen")),
            ("cancel", gettext_lazy("Lees dit bestand niet in")),
        ],
        widget=forms.RadioSelect,
    )


class BookForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Categorie"), queryset=Account.objects.none()
    )
    budget_line = forms.ModelChoiceField(
        label=gettext_lazy("Begrotingspost (mag leeg)"),
        queryset=BudgetLine.objects.none(),
        required=False,
    )
    grant = forms.ModelChoiceField(
        label=gettext_lazy("Subsidie (mag leeg)"), queryset=Grant.objects.none(), required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Omschrijving"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Account.objects.filter(
            is_active=True, is_cash=False
        ).order_by("code")
        self.fields["budget_line"].queryset = BudgetLine.objects.select_related("grant").order_by(
            "grant__reference", "id"
        )
        self.fields["grant"].queryset = Grant.objects.order_by("-period_start")


class UndoMatchForm(forms.Form):
    """Why a link between a bank line and the books is undone (kept with the undo)."""

    reason = forms.CharField(
        label=gettext_lazy("Waarom klopt de koppeling niet?"),
        max_length=200,
        help_text=gettext_lazy(
            "Bijvoorbeeld: verkeerde declaratie gekozen. De reden wordt bewaard bij de regel."
        ),
    )
