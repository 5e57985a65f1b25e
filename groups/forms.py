from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.models import (
    Agreement,
    Conflict,
    Decision,
    DecisionRules,
    Meeting,
    Member,
    Partner,
    Profile,
    Role,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def amount_field(**kwargs) -> forms.DecimalField:
    """Euro amount; accepts 12,50 as well as 12.50."""
    return forms.DecimalField(
        max_digits=14,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        **kwargs,
    )


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
    role = forms.ChoiceField(label=_("Rol"), choices=Role.choices)
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


class RulesForm(forms.ModelForm):
    treasurer_alone_up_to = amount_field(
        label=_("Penningmeester alleen, tot en met (€)"), min_value=Decimal("0")
    )
    treasurer_and_chair_up_to = amount_field(
        label=_("Penningmeester en voorzitter samen, tot en met (€)"),
        min_value=Decimal("0"),
        help_text=_("Boven dit bedrag is een besluit van het bestuur nodig."),
    )

    class Meta:
        model = DecisionRules
        fields = [
            "quorum_percent",
            "majority",
            "treasurer_alone_up_to",
            "treasurer_and_chair_up_to",
            "conflict_of_interest_rule",
            "conflict_protocol",
        ]
        widgets = {
            "conflict_of_interest_rule": forms.Textarea(attrs={"rows": 3}),
            "conflict_protocol": forms.Textarea(attrs={"rows": 6}),
        }


class RulesFirstForm(RulesForm):
    valid_from = forms.DateField(label=_("Geldt vanaf"), widget=DATE, initial=timezone.localdate)

    class Meta(RulesForm.Meta):
        fields = ["valid_from", *RulesForm.Meta.fields]


class RulesChangeForm(RulesForm):
    decision = forms.ModelChoiceField(
        label=_("Besluit waarmee de regels zijn gewijzigd"),
        queryset=Decision.objects.none(),
        help_text=_(
            "Leg eerst in een vergadering een besluit vast van de soort "
            "'wijziging van de beslisregels'."
        ),
    )

    class Meta(RulesForm.Meta):
        fields = ["decision", *RulesForm.Meta.fields]

    def __init__(self, *args, decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            decisions if decisions is not None else Decision.objects.none()
        )


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "held_on", "starts_at", "place", "agenda", "minutes"]
        widgets = {
            "held_on": DATE,
            "starts_at": TIME,
            "agenda": forms.Textarea(attrs={"rows": 5}),
            "minutes": forms.Textarea(attrs={"rows": 10}),
        }


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Aanwezig"),
        queryset=Member.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    guests = forms.IntegerField(
        label=_("Aantal buurtbewoners (niet in het ledenregister)"),
        min_value=0,
        initial=0,
        required=False,
    )

    def __init__(self, *args, members=None, with_guests=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = members if members is not None else Member.objects.none()
        if not with_guests:
            del self.fields["guests"]


class DecisionForm(forms.Form):
    title = forms.CharField(label=_("Korte titel"), max_length=200)
    text = forms.CharField(
        label=_("Tekst van het besluit"), widget=forms.Textarea(attrs={"rows": 4})
    )
    kind = forms.ChoiceField(label=_("Soort besluit"), choices=Decision.Kind.choices)
    amount = amount_field(
        label=_("Bedrag (€)"), required=False, help_text=_("Alleen bij een besluit over geld.")
    )
    budget_line_id = forms.IntegerField(
        label=_("Begrotingspost (nummer)"),
        required=False,
        min_value=1,
        help_text=_("Niet verplicht. Alleen bij een besluit over geld."),
    )
    decided_on = forms.DateField(label=_("Datum besluit"), widget=DATE)
    present_count = forms.IntegerField(
        label=_("Aantal aanwezig bij de stemming"),
        min_value=0,
        help_text=_("Minder dan bij de vergadering als iemand niet meestemt vanwege eigen belang."),
    )
    votes_for = forms.IntegerField(label=_("Stemmen voor"), min_value=0)
    votes_against = forms.IntegerField(label=_("Stemmen tegen"), min_value=0)
    votes_abstain = forms.IntegerField(label=_("Onthoudingen"), min_value=0, initial=0)
    conflict_note = forms.CharField(
        label=_("Eigen belang"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Wie niet meestemde vanwege eigen belang, en waarom."),
    )


class DecisionEditForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["title", "text", "budget_line_id", "conflict_note"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 5}),
            "conflict_note": forms.Textarea(attrs={"rows": 2}),
        }


class DecisionFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Jaar"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(
        label=_("Soort"), required=False, choices=[("", _("alle soorten")), *Decision.Kind.choices]
    )
    outcome = forms.ChoiceField(
        label=_("Geldig"),
        required=False,
        choices=[("", _("alle")), ("geldig", _("geldig")), ("ongeldig", _("ongeldig"))],
    )
    published = forms.ChoiceField(
        label=_("Openbaar"),
        required=False,
        choices=[("", _("alle")), ("ja", _("openbaar")), ("nee", _("niet openbaar"))],
    )
    q = forms.CharField(label=_("Zoek in titel of tekst"), required=False, max_length=100)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("alle jaren")), *[(y, y) for y in years]]


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
