"""Forms of the conflicts and partner pages."""

from django import forms

from groups.relations.models import Agreement, Conflict, Partner
from groups.web import DATE


class ConflictForm(forms.ModelForm):
    class Meta:
        model = Conflict
        fields = ["occurred_on", "subject", "parties", "steps_taken", "outcome", "status"]
        widgets = {
            "occurred_on": DATE,
            "parties": forms.Textarea(attrs={"rows": 2}),
            "steps_taken": forms.Textarea(attrs={"rows": 5}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["kind", "name", "contact_name", "contact_email", "contact_phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "description", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
