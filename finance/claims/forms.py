"""Forms of the expense-claim pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from backoffice.core.forms import IsoDateInput
from backoffice.core.money import MoneyFormField
from backoffice.core.uploads import KeptFileField, KeptFileInput
from finance.bank.models import BankAccount, PaymentOrder
from finance.bank.payments import orders_to_pay
from finance.claims import selectors as claim_selectors
from finance.claims.models import ExpenseClaim
from finance.grants.models import BudgetLine
from finance.ledger.models import Account
from groups import facade as groups


class ClaimForm(forms.Form):
    amount = MoneyFormField(label=gettext_lazy("Bedrag in euro"))
    spent_on = forms.DateField(
        label=gettext_lazy("Datum van de uitgave"),
        widget=IsoDateInput(),
    )
    description = forms.CharField(label=gettext_lazy("Waarvoor?"), max_length=200)
    receipt = KeptFileField(
        label=gettext_lazy("Bonnetje (foto of pdf)"),
        widget=KeptFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    iban = forms.CharField(label=gettext_lazy("Jouw IBAN"), max_length=42)
    account_holder = forms.CharField(label=gettext_lazy("Ten name van"), max_length=70)
    decision = forms.ModelChoiceField(
        label=gettext_lazy("Besluit (nodig bij grotere bedragen)"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only adopted decisions with an amount can allow a payment.
        self.fields["decision"].queryset = groups.spending_decisions()


class ApproveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Categorie voor de boeking"),
        queryset=Account.objects.none(),
        required=False,
    )
    budget_line = forms.ModelChoiceField(
        label=gettext_lazy("Begrotingspost (mag leeg)"),
        queryset=BudgetLine.objects.none(),
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Opmerking (mag leeg)"), required=False)

    def __init__(self, *args, first_step: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if first_step:
            self.fields["category"].queryset = Account.objects.filter(
                kind=Account.Kind.EXPENSE, is_active=True
            ).order_by("code")
            self.fields["budget_line"].queryset = BudgetLine.objects.select_related(
                "grant"
            ).order_by("grant__reference", "id")
        else:
            del self.fields["category"], self.fields["budget_line"]


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Waarom afgewezen?"), widget=forms.Textarea)


class ExportForm(forms.Form):
    bank_account = forms.ModelChoiceField(
        label=gettext_lazy("Betalen vanaf"), queryset=BankAccount.objects.none()
    )
    execution_date = forms.DateField(label=gettext_lazy("Uitvoerdatum"), widget=IsoDateInput())
    claims = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Declaraties"),
        queryset=ExpenseClaim.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    orders = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Uitbetalingen aan initiatieven"),
        queryset=PaymentOrder.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = BankAccount.objects.filter(is_active=True)
        self.fields["claims"].queryset = claim_selectors.claims_to_pay()
        self.fields["orders"].queryset = orders_to_pay()
        self.fields["orders"].label_from_instance = lambda o: (
            f"{o.name} — € {o.amount} — {o.description}"
        )
        self.fields["claims"].label_from_instance = lambda c: (
            f"D{c.number} — {c.claimant_name} — € {c.amount} — {c.description}"
        )
