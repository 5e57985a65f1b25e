"""Forms of the ledger pages: expenses, income, journal entries, receipts, accounts."""

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import MoneyFormField, format_euro
from backoffice.core.uploads import KeptFileField, KeptFileInput
from finance.grants.models import BudgetLine, Grant
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import Account
from finance.web import DATE, RECEIPT_ACCEPT, BudgetLineChoice, DatedForm
from groups import facade as groups


class ExpenseForm(DatedForm):
    date = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    amount = MoneyFormField(label=_("Bedrag in euro"), help_text=_("Bijvoorbeeld 12,50"))
    category = forms.ModelChoiceField(
        label=_("Waaraan uitgegeven?"),
        queryset=Account.objects.none(),
        empty_label=_("Kies een categorie"),
    )
    budget_line = BudgetLineChoice(
        label=_("Van welke subsidie / begrotingspost?"),
        required=False,
        queryset=BudgetLine.objects.none(),
        empty_label=_("Geen subsidie"),
    )
    paid_from = forms.ModelChoiceField(
        label=_("Betaald van"), queryset=Account.objects.none(), empty_label=None
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=200)
    decision = forms.ModelChoiceField(
        label=_("Besluit dat deze uitgave toestaat"),
        required=False,
        queryset=None,
        empty_label=_("Geen besluit"),
    )
    receipt = KeptFileField(
        label=_("Bonnetje (foto of pdf)"),
        required=False,
        widget=KeptFileInput(attrs={"accept": RECEIPT_ACCEPT}),
        help_text=_("jpg, png, heic of pdf; hoogstens 10 MB."),
    )
    period_exception = forms.CharField(
        label=_("Uitzondering: waarom valt deze uitgave buiten de subsidieperiode?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Alleen invullen als de datum buiten de periode van de subsidie valt en de "
            "uitgave er toch bij hoort. De reden wordt bij de boeking vastgelegd."
        ),
    )

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = groups.spending_decisions()
        self.fields["decision"].label_from_instance = lambda d: (
            f"{d.reference} {d.title} ({format_euro(d.amount)})"
        )
        limit = groups.spending_rule().decision_required_above
        self.fields["decision"].help_text = _("Nodig bij een uitgave boven %(limit)s.") % {
            "limit": format_euro(limit)
        }
        self.fields["category"].queryset = ledger_selectors.expense_categories()
        self.fields["budget_line"].queryset = BudgetLine.objects.select_related("grant", "account")
        self.fields["paid_from"].queryset = ledger_selectors.cash_accounts()
        bank = ledger_selectors.cash_accounts().filter(role="bank").first()
        self.fields["paid_from"].initial = bank.pk if bank else None

    def clean(self):
        data = super().clean()
        line, category = data.get("budget_line"), data.get("category")
        if line and category and line.account_id != category.pk:
            self.add_error(
                "budget_line",
                _("Deze begrotingspost hoort bij de categorie ‘%(c)s’.") % {"c": line.account.name},
            )
        return data


class IncomeForm(DatedForm):
    date = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    amount = MoneyFormField(label=_("Bedrag in euro"), help_text=_("Bijvoorbeeld 250,00"))
    category = forms.ModelChoiceField(
        label=_("Wat voor inkomsten?"),
        queryset=Account.objects.none(),
        empty_label=_("Kies een soort"),
    )
    grant = forms.ModelChoiceField(
        label=_("Bij welke subsidie?"),
        required=False,
        queryset=Grant.objects.none(),
        empty_label=_("Geen subsidie"),
    )
    received_in = forms.ModelChoiceField(
        label=_("Ontvangen op"), queryset=Account.objects.none(), empty_label=None
    )
    description = forms.CharField(label=_("Omschrijving"), max_length=200)
    receipt = KeptFileField(
        label=_("Bewijsstuk (foto of pdf)"),
        required=False,
        widget=KeptFileInput(attrs={"accept": RECEIPT_ACCEPT}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ledger_selectors.income_categories()
        self.fields["grant"].queryset = Grant.objects.all()
        self.fields["received_in"].queryset = ledger_selectors.cash_accounts()
        bank = ledger_selectors.cash_accounts().filter(role="bank").first()
        self.fields["received_in"].initial = bank.pk if bank else None


class JournalHeadForm(DatedForm):
    date = forms.DateField(label=_("Datum"), widget=DATE, initial=timezone.localdate)
    description = forms.CharField(label=_("Omschrijving"), max_length=200)


class JournalLineForm(forms.Form):
    account = forms.ModelChoiceField(
        label=_("Rekening"), queryset=Account.objects.none(), required=False
    )
    debit = MoneyFormField(label=_("Debet"), required=False)
    credit = MoneyFormField(label=_("Credit"), required=False)
    budget_line = BudgetLineChoice(
        label=_("Begrotingspost"), required=False, queryset=BudgetLine.objects.none()
    )
    description = forms.CharField(label=_("Toelichting"), max_length=200, required=False)

    def __init__(self, *args, accounts=None, budget_lines=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = accounts
        self.fields["budget_line"].queryset = budget_lines

    def clean(self):
        data = super().clean()
        if data.get("account") is None and (data.get("debit") or data.get("credit")):
            self.add_error("account", _("Kies een rekening voor dit bedrag."))
        return data


class BaseJournalLineFormSet(forms.BaseFormSet):
    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        kwargs["accounts"] = self._accounts
        kwargs["budget_lines"] = self._budget_lines
        return kwargs

    def __init__(self, *args, **kwargs):
        # evaluated once, shared by every row: no query per row
        self._accounts = ledger_selectors.account_list(active_only=True)
        self._budget_lines = BudgetLine.objects.select_related("grant", "account")
        super().__init__(*args, **kwargs)


JournalLineFormSet = formset_factory(
    JournalLineForm, formset=BaseJournalLineFormSet, extra=4, max_num=30
)


class ReverseForm(DatedForm):
    date = forms.DateField(
        label=_("Datum van de correctie"), widget=DATE, initial=timezone.localdate
    )
    reason = forms.CharField(label=_("Waarom corrigeer je deze boeking?"), max_length=120)


class ReceiptForm(forms.Form):
    receipt = KeptFileField(
        label=_("Bonnetje (foto of pdf)"),
        widget=KeptFileInput(attrs={"accept": RECEIPT_ACCEPT}),
        help_text=_("jpg, png, heic of pdf; hoogstens 10 MB."),
    )


class AccountForm(forms.ModelForm):
    class Meta:
        model = Account
        fields = ["code", "name", "kind", "rgs_code", "is_cash", "is_active"]


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Bestand (csv of xlsx)"))
