"""Forms of the year and kascommissie pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import MoneyFormField
from finance.closing.models import AuditCheck


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom moet het jaar weer open?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AuditForm(forms.ModelForm):
    bank_statement_balance = MoneyFormField(
        label=_("Saldo volgens papieren bankafschrift"),
        positive=False,
        required=False,
        help_text=_(
            "Alleen nodig voor een rekening waarvan geen afschrift is ingelezen; het saldo "
            "van ingelezen afschriften staat hierboven."
        ),
    )

    class Meta:
        model = AuditCheck
        fields = [
            "checked_receipts",
            "checked_bank",
            "checked_grants",
            "checked_cash",
            "bank_statement_balance",
            "findings",
        ]


class SampleForm(forms.Form):
    ok = forms.TypedChoiceField(
        label=_("Oordeel"),
        choices=[("1", _("in orde")), ("0", _("niet in orde"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Opmerking"), max_length=200, required=False)
