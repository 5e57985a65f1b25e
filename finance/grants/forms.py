"""Forms of the grant pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import MoneyFormField
from finance.grants.models import Grant
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import Account
from finance.web import DATE, DatedForm


class GrantForm(forms.ModelForm):
    amount = MoneyFormField(label=_("Toegekend bedrag"))

    class Meta:
        model = Grant
        fields = [
            "funder",
            "reference",
            "title",
            "amount",
            "period_start",
            "period_end",
            "conditions",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}


class TrancheForm(forms.Form):
    expected_on = forms.DateField(label=_("Verwacht op"), widget=DATE)
    amount = MoneyFormField(label=_("Bedrag"))


class TrancheReceiveForm(DatedForm):
    date = forms.DateField(label=_("Ontvangen op"), widget=DATE, initial=timezone.localdate)


class BudgetLineForm(forms.Form):
    account = forms.ModelChoiceField(label=_("Categorie"), queryset=Account.objects.none())
    description = forms.CharField(label=_("Omschrijving"), max_length=160)
    amount = MoneyFormField(label=_("Begroot bedrag"), positive=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = ledger_selectors.expense_categories()


class CommitmentForm(forms.Form):
    description = forms.CharField(label=_("Omschrijving"), max_length=160)
    amount = MoneyFormField(label=_("Bedrag"))
    approved_on = forms.DateField(
        label=_("Goedgekeurd op"), widget=DATE, initial=timezone.localdate
    )
