from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import MoneyFormField
from groups.initiatives.models import Round

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ITEM_ROWS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*,application/pdf"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Naam van de ronde"), max_length=120)
    opens_on = forms.DateField(label=_("Aanvragen vanaf"), widget=DATE)
    closes_on = forms.DateField(label=_("Aanvragen tot en met"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Ronde loopt tot en met"),
        widget=DATE,
        help_text=_("Tot deze dag werken vouchers en stemcodes."),
    )
    budget_line_id = forms.TypedChoiceField(label=_("Begrotingsregel"), coerce=int)
    budget = MoneyFormField(label=_("Budget van de ronde"))
    conditions = forms.CharField(label=_("Voorwaarden"), widget=forms.Textarea, required=False)
    criteria = forms.CharField(
        label=_("Criteria (één per regel)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    decided_by = forms.ChoiceField(label=_("Wie beslist"), choices=Round.DecidedBy.choices)
    ballot = forms.ChoiceField(label=_("Manier van stemmen"), choices=Round.Ballot.choices)
    voucher_value = MoneyFormField(label=_("Waarde per voucher"), required=False)

    def __init__(self, *args, budget_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line_id"].choices = [(b.id, b.label) for b in budget_lines]


class ApplicationForm(forms.Form):
    """The application without login. `website` is a honeypot: people never see it."""

    round_id = forms.TypedChoiceField(label=_("Ronde"), coerce=int)
    title = forms.CharField(label=_("Titel van je plan"), max_length=120)
    summary = forms.CharField(
        label=_("Korte samenvatting"),
        max_length=300,
        help_text=_("Eén of twee zinnen; dit staat op de openbare pagina."),
    )
    description = forms.CharField(
        label=_("Beschrijving"),
        widget=forms.Textarea,
        help_text=_("Wat ga je doen, voor wie, wanneer en met wie?"),
        max_length=5000,
    )
    initiator_name = forms.CharField(label=_("Je naam"), max_length=120)
    initiator_email = forms.EmailField(label=_("Je e-mailadres"), max_length=200)
    initiator_phone = forms.CharField(label=_("Je telefoonnummer"), max_length=30, required=False)
    uploads = MultipleFileField(
        label=_("Foto's of bijlagen"),
        required=False,
        help_text=_("JPEG, PNG, WebP of PDF, hoogstens 10 MB per bestand."),
    )
    website = forms.CharField(required=False, label=_("Laat dit veld leeg"))

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round_id"].choices = [(r.pk, r.name) for r in rounds]
        for i in range(ITEM_ROWS):
            self.fields[f"item_{i}_description"] = forms.CharField(
                label=_("Begroting regel %(n)s: waarvoor") % {"n": i + 1},
                max_length=120,
                required=False,
            )
            self.fields[f"item_{i}_amount"] = MoneyFormField(
                label=_("Begroting regel %(n)s: bedrag") % {"n": i + 1}, required=False
            )
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def items(self) -> list[tuple[str, object]]:
        return [
            (
                self.cleaned_data.get(f"item_{i}_description", ""),
                self.cleaned_data.get(f"item_{i}_amount"),
            )
            for i in range(ITEM_ROWS)
        ]


class InitiatorEditForm(forms.Form):
    title = forms.CharField(label=_("Titel van je plan"), max_length=120)
    summary = forms.CharField(label=_("Korte samenvatting"), max_length=300)
    description = forms.CharField(label=_("Beschrijving"), widget=forms.Textarea, max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(ITEM_ROWS):
            self.fields[f"item_{i}_description"] = forms.CharField(
                label=_("Begroting regel %(n)s: waarvoor") % {"n": i + 1},
                max_length=120,
                required=False,
            )
            self.fields[f"item_{i}_amount"] = MoneyFormField(
                label=_("Begroting regel %(n)s: bedrag") % {"n": i + 1}, required=False
            )

    items = ApplicationForm.items


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Heb je een eigen belang bij deze aanvraag?"),
        choices=[
            ("0", _("Nee, ik heb geen eigen belang")),
            ("1", _("Ja, ik heb een eigen belang")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Welk belang (als je er een hebt)"),
        max_length=300,
        required=False,
        help_text=_("Bijvoorbeeld: de aanvrager is familie, of ik doe zelf mee."),
    )


class ScoreForm(forms.Form):
    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                choices=[(str(n), str(n)) for n in range(1, 6)],
                coerce=int,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=_("Reden bij %(name)s") % {"name": criterion.name}, max_length=300
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"score_{c.pk}"], self.cleaned_data[f"reason_{c.pk}"])
            for c in self.criteria
        }


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Uitkomst"), widget=forms.RadioSelect)
    amount = MoneyFormField(
        label=_("Toegekend bedrag (alleen bij deels goedgekeurd)"), required=False
    )
    reason = forms.CharField(
        label=_("Redenen (openbaar)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    meeting_id = forms.TypedChoiceField(label=_("Vergadering"), coerce=int)
    votes_for = forms.IntegerField(label=_("Stemmen voor"), min_value=0)
    votes_against = forms.IntegerField(label=_("Stemmen tegen"), min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label=_("Onthoudingen"), min_value=0, initial=0)

    def __init__(self, *args, meetings=(), outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting_id"].choices = [(m.id, m.label) for m in meetings]
        self.fields["outcome"].choices = outcomes


class PayoutForm(forms.Form):
    amount = MoneyFormField(label=_("Bedrag"))
    date = forms.DateField(label=_("Datum"), widget=DATE)


BY_TRANSFER = dict(
    label=_("Overmaken via het betaalbestand"),
    required=False,
    help_text=_(
        "Dan komt de betaling in het SEPA-betaalbestand, samen met de declaraties. "
        "Zet het vinkje uit als je het geld al op een andere manier hebt betaald."
    ),
)


class PayForm(PayoutForm):
    by_transfer = forms.BooleanField(**BY_TRANSFER)


class ReceiptsPayForm(forms.Form):
    date = forms.DateField(label=_("Datum"), widget=DATE)
    by_transfer = forms.BooleanField(**BY_TRANSFER)


class ReceiptReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Bonnetje"),
        choices=[("goed", _("goedkeuren")), ("af", _("afwijzen"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Toelichting"),
        required=False,
        max_length=300,
        help_text=_("Bij afwijzen: waarom? De initiatiefnemer leest dit."),
    )


class ReceiptForm(forms.Form):
    """A receipt from the initiator's phone, and once the IBAN to pay it to."""

    upload = forms.FileField(
        label=_("Bonnetje (foto of PDF)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/*,application/pdf", "capture": "environment"}
        ),
    )
    amount = MoneyFormField(label=_("Bedrag op het bonnetje"))
    iban = forms.CharField(
        label=_("Je IBAN"),
        max_length=42,
        required=False,
        help_text=_("Het rekeningnummer waar we het geld naartoe overmaken."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    account_holder = forms.CharField(label=_("Ten name van"), max_length=70, required=False)

    def __init__(self, *args, iban_known: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if iban_known:
            self.fields["iban"].help_text = _(
                "We hebben je IBAN al. Vul alleen een nieuw nummer in als het anders is."
            )


RECEIPT_ROWS = 3


class AccountabilityForm(forms.Form):
    report = forms.CharField(
        label=_("Kort verslag"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Wat is er gebeurd, en hoe ging het?"),
    )
    participants = forms.IntegerField(label=_("Aantal deelnemers"), min_value=0, required=False)
    volunteers = forms.IntegerField(label=_("Aantal vrijwilligers"), min_value=0, required=False)
    own_evaluation = forms.CharField(
        label=_("Wat zou je een volgende keer anders doen?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    photos = MultipleFileField(label=_("Foto's van het resultaat"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(RECEIPT_ROWS):
            self.fields[f"receipt_{i}"] = forms.FileField(
                label=_("Bonnetje %(n)s (foto of PDF)") % {"n": i + 1},
                required=False,
                widget=forms.ClearableFileInput(
                    attrs={"accept": "image/*,application/pdf", "capture": "environment"}
                ),
            )
            self.fields[f"receipt_{i}_amount"] = MoneyFormField(
                label=_("Bedrag op bonnetje %(n)s") % {"n": i + 1}, required=False
            )

    def clean(self):
        data = super().clean()
        for i in range(RECEIPT_ROWS):
            if data.get(f"receipt_{i}") and not data.get(f"receipt_{i}_amount"):
                self.add_error(f"receipt_{i}_amount", _("Vul het bedrag op het bonnetje in."))
        return data

    def receipts(self):
        return [
            (self.cleaned_data[f"receipt_{i}"], self.cleaned_data[f"receipt_{i}_amount"])
            for i in range(RECEIPT_ROWS)
            if self.cleaned_data.get(f"receipt_{i}")
        ]


class AddressImportForm(forms.Form):
    file = forms.FileField(
        label=_("Adressenbestand (CSV of XLSX)"),
        help_text=_("Kolommen: straat, huisnummer, toevoeging, postcode."),
    )
    confirm = forms.BooleanField(
        label=_("Ik heb het voorbeeld gezien; lees de adressen in"), required=False
    )


class RedeemForm(forms.Form):
    code = forms.CharField(
        label=_("Je vouchercode"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("16 tekens, zoals op je brief: K7QM-3XHT-9RWC-PDFA"),
    )
    initiative_id = forms.TypedChoiceField(
        label=_("Welk plan steun je?"), coerce=int, widget=forms.RadioSelect
    )

    def __init__(self, *args, initiatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["initiative_id"].choices = [(i.pk, i.title) for i in initiatives]


class ReissueForm(forms.Form):
    household_id = forms.TypedChoiceField(label=_("Huishouden"), coerce=int)
    reason = forms.CharField(
        label=_("Reden"), max_length=200, help_text=_("Bijvoorbeeld: brief kwijtgeraakt.")
    )

    def __init__(self, *args, households=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["household_id"].choices = [(h.pk, str(h)) for h in households]


class BallotForm(forms.Form):
    """One household's ballot: a code and one choice, or euros divided over plans."""

    code = forms.CharField(
        label=_("Stemcode"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, round_=None, initiatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.initiatives = list(initiatives)
        self.divide = round_ is not None and round_.ballot == Round.Ballot.DIVIDE
        if self.divide:
            for i in self.initiatives:
                self.fields[f"plan_{i.pk}"] = MoneyFormField(
                    label=_("%(title)s (gevraagd € %(amount)s)")
                    % {"title": i.title, "amount": i.requested_amount},
                    required=False,
                    positive=False,
                )
        else:
            self.fields["choice"] = forms.TypedChoiceField(
                label=_("Jouw keuze"),
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(i.pk, i.title) for i in self.initiatives],
            )

    def choices(self) -> dict[int, object]:
        if self.divide:
            return {i.pk: self.cleaned_data.get(f"plan_{i.pk}") for i in self.initiatives}
        return {self.cleaned_data["choice"]: 1}
