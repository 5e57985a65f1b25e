from django import forms
from django.utils.translation import gettext_lazy as _

from tenants import facade as tenants


class GenerateForm(forms.Form):
    period = forms.CharField(
        label=_("Periode"),
        max_length=7,
        help_text=_("Een kwartaal als 2026-Q3 of een jaar als 2026."),
    )


class CorrectForm(forms.Form):
    reason = forms.CharField(label=_("Reden van de correctie"), max_length=300)


class ClientForm(forms.Form):
    name = forms.CharField(label=_("Naam van de afnemer"), max_length=120)
    municipality = forms.ModelChoiceField(
        label=_("Gemeente"), queryset=tenants.Municipality.objects.order_by("name")
    )
    district = forms.ModelChoiceField(
        label=_("Alleen stadsdeel"),
        queryset=tenants.districts_list(),
        required=False,
        help_text=_("Leeg laten: de hele gemeente."),
    )
    contact_email = forms.EmailField(label=_("E-mailadres van de beheerder"), required=False)


class CorrectionRequestForm(forms.Form):
    note = forms.CharField(
        label=_("Wat klopt er niet?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen de coördinator leest dit; het gaat niet naar de gemeente."),
    )
