"""Forms of the support organisation's pages: new groups, people, support workers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tenants.models import District, Membership, slug_validator


class GroupCreateForm(forms.Form):
    name = forms.CharField(label=_("Naam van de groep"), max_length=120)
    slug = forms.CharField(
        label=_("Korte naam in het webadres"),
        max_length=40,
        validators=[slug_validator],
        help_text=_(
            "Bijvoorbeeld: hart-voor-de-k-buurt. Alleen kleine letters, cijfers en streepjes."
        ),
    )
    district = forms.ChoiceField(label=_("Stadsdeel"), choices=District.choices)
    neighbourhood = forms.CharField(label=_("Buurt"), max_length=120, required=False)


class PersonAddForm(forms.Form):
    first_name = forms.CharField(label=_("Voornaam"), max_length=150)
    last_name = forms.CharField(label=_("Achternaam"), max_length=150)
    email = forms.EmailField(label=_("E-mailadres"))
    role = forms.ChoiceField(label=_("Rol in de groep"), choices=Membership.Role.choices)


class AssignmentForm(forms.Form):
    user = forms.ModelChoiceField(label=_("Ondersteuner"), queryset=None)

    def __init__(self, *args, **kwargs):
        from tenants.models import User

        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(
            org_role__in=[User.OrgRole.SUPPORT_WORKER, User.OrgRole.COORDINATOR], is_active=True
        ).order_by("first_name")


# --- the support organisation's work (issue 11) ---------------------------------------------

from backoffice.core.forms import IsoDateInput  # noqa: E402
from backoffice.core.money import MoneyFormField  # noqa: E402
from backoffice.support.models import (  # noqa: E402
    ActieDimension,
    Offering,
    Platform,
    Provider,
)

ROLE_CHOICES = Membership.Role.choices


class RequestForm(forms.Form):
    offering = forms.ModelChoiceField(label=_("Welke ondersteuning"), queryset=None)
    provider = forms.ModelChoiceField(label=_("Door wie"), queryset=None)
    question = forms.CharField(
        label=_("Wat willen jullie bereiken?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # All providers, also paused or retired ones: the service explains why one cannot be
        # chosen (a provider may have been retired while the form was open).
        self.fields["offering"].queryset = Offering.objects.filter(is_active=True)
        self.fields["provider"].queryset = Provider.objects.all()


class AgreeForm(forms.Form):
    hours = forms.DecimalField(label=_("Uren"), max_digits=6, decimal_places=2, min_value=0)
    price = MoneyFormField(label=_("Prijs"), required=False)
    provider = forms.ModelChoiceField(label=_("Aanbieder"), queryset=Provider.objects.all())


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), max_length=300)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Waardering"), choices=[(i, str(i)) for i in range(1, 6)], coerce=int
    )
    comment = forms.CharField(label=_("Toelichting"), max_length=500, required=False)


class SessionForm(forms.Form):
    held_on = forms.DateField(label=_("Datum"), widget=IsoDateInput())
    minutes = forms.IntegerField(label=_("Duur in minuten"))
    attendee_roles = forms.MultipleChoiceField(
        label=_("Wie waren er (rol)"),
        choices=ROLE_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    topics = forms.MultipleChoiceField(
        label=_("Onderwerpen (ACTIE)"),
        choices=ActieDimension.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    request = forms.ModelChoiceField(
        label=_("Bij ondersteuningsvraag"), queryset=None, required=False
    )
    notes = forms.CharField(
        label=_("Aantekeningen (alleen voor de ondersteuning)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    followup = forms.CharField(label=_("Vervolgafspraak"), max_length=300, required=False)
    followup_due = forms.DateField(
        label=_("Vervolgafspraak uiterlijk op"),
        required=False,
        widget=IsoDateInput(),
    )

    def __init__(self, *args, group=None, **kwargs):
        from backoffice.support.models import SupportRequest

        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = SupportRequest.objects.filter(group=group).select_related(
            "offering"
        )


class ActieForm(forms.Form):
    scored_on = forms.DateField(label=_("Datum"), widget=IsoDateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in ActieDimension.choices:
            self.fields[value] = forms.IntegerField(label=label)
            self.fields[f"{value}_note"] = forms.CharField(
                label=_("Toelichting bij %(d)s") % {"d": label}, required=False, max_length=500
            )

    def scores(self) -> dict:
        return {d: self.cleaned_data.get(d) for d in ActieDimension.values}

    def notes(self) -> dict:
        return {d: self.cleaned_data.get(f"{d}_note", "") for d in ActieDimension.values}


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = ["name", "kind", "contact", "expertise", "hourly_rate", "availability"]


class OfferingForm(forms.ModelForm):
    class Meta:
        model = Offering
        fields = ["title", "kind", "description", "format", "typical_hours", "price", "providers"]
        widgets = {"providers": forms.CheckboxSelectMultiple}


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Jaar"), min_value=2000, max_value=2100)
    hours = forms.DecimalField(
        label=_("Uren"), max_digits=6, decimal_places=2, required=False, min_value=0
    )
    euros = MoneyFormField(label=_("Bedrag"), required=False)


class PlatformForm(forms.ModelForm):
    class Meta:
        model = Platform
        fields = ["name", "slug", "description", "groups"]
        widgets = {"groups": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        from tenants.models import Group

        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = Group.objects.filter(is_template=False).order_by("name")
