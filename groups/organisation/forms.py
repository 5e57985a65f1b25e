"""Forms of the organisation pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.organisation.models import TERM_ROLE_CHOICES, Member, Profile
from groups.web import DATE


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = [
            "name",
            "neighbourhood",
            "district",
            "legal_form",
            "kvk_number",
            "mission",
            "contact_email",
            "contact_phone",
            "contact_note",
        ]
        widgets = {"kvk_number": forms.TextInput(attrs={"inputmode": "numeric"})}


class PrivacyForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["privacy_statement"]
        widgets = {"privacy_statement": forms.Textarea(attrs={"rows": 12})}


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = ["name", "email", "phone", "address", "joined_on", "left_on"]
        widgets = {
            "joined_on": DATE,
            "left_on": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }


class MemberNewForm(MemberForm):
    class Meta(MemberForm.Meta):
        fields = ["name", "email", "phone", "address", "joined_on"]


class RoleAssignForm(forms.Form):
    role = forms.ChoiceField(label=_("Rol"), choices=TERM_ROLE_CHOICES)
    starts_on = forms.DateField(label=_("Begint op"), widget=DATE, initial=timezone.localdate)
    ends_on = forms.DateField(
        label=_("Eindigt op"),
        widget=DATE,
        required=False,
        help_text=_("Leeg laten als de termijn doorloopt."),
    )


class RoleEndForm(forms.Form):
    ends_on = forms.DateField(
        label=_("Laatste dag in deze rol"), widget=DATE, initial=timezone.localdate
    )


class HandoverForm(forms.Form):
    to_member = forms.ModelChoiceField(label=_("Nieuwe rolhouder"), queryset=Member.objects.none())
    on = forms.DateField(
        label=_("Eerste dag van de nieuwe rolhouder"), widget=DATE, initial=timezone.localdate
    )
    note = forms.CharField(
        label=_("Wat is overgedragen?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Bijvoorbeeld: bankpas, sleutels, wachtwoorden, archief, lopende afspraken."),
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_member"].queryset = (
            members if members is not None else Member.objects.none()
        )
