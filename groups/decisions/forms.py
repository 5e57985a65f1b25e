"""Forms of the rules, meeting and decision pages."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from groups.decisions.models import Decision, DecisionRules, Meeting
from groups.organisation.models import Member
from groups.web import DATE, TIME, amount_field


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
    budget_line_id = forms.TypedChoiceField(
        label=_("Begrotingspost"),
        required=False,
        coerce=int,
        empty_value=None,
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

    def __init__(self, *args, budget_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        _offer_budget_lines(self.fields["budget_line_id"], budget_lines)


def _offer_budget_lines(field, budget_lines) -> None:
    """The budget line is picked by its name from the group's lines, not typed as a number."""
    field.choices = [("", _("Geen begrotingspost")), *[(o.id, o.label) for o in budget_lines]]


class DecisionEditForm(forms.ModelForm):
    budget_line_id = forms.TypedChoiceField(
        label=_("Begrotingspost"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, budget_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        _offer_budget_lines(self.fields["budget_line_id"], budget_lines)

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
