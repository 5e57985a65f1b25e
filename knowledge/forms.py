from django import forms
from django.utils.translation import gettext_lazy as _

from backoffice.core.forms import IsoDateInput

from .models import Actie, Article, Post, Theme, Visibility
from .services import (
    ARTICLE_BODY_LIMIT,
    POST_BODY_LIMIT,
    REASON_LIMIT,
    REPLY_BODY_LIMIT,
    SUMMARY_LIMIT,
)

MARKDOWN_HELP = _(
    "Opmaak met Markdown: **vet**, *schuin*, ## kopje, - opsomming, [tekst](https://…)."
)


class _LongText(forms.CharField):
    """A text whose length the service checks, so an over-long text gets the Dutch message
    with its size instead of the browser cutting it off."""

    def __init__(self, *, limit: int, rows: int = 8, **kwargs):
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
        super().__init__(strip=False, **kwargs)
        self.limit = limit


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Zoek in de leeromgeving"),
        required=False,
        max_length=1000,
        error_messages={
            "max_length": _("Een zoekvraag heeft hoogstens 1000 tekens. Maak hem korter.")
        },
    )
    thema = forms.ChoiceField(
        label=_("Thema"), required=False, choices=[("", _("alle thema's")), *Theme.choices]
    )
    actie = forms.ChoiceField(
        label=_("ACTIE"), required=False, choices=[("", _("alle")), *Actie.choices]
    )
    soort = forms.ChoiceField(
        label=_("Soort"),
        required=False,
        choices=[("", _("alles")), *Article.Kind.choices, *Post.Kind.choices],
    )
    opgelost = forms.BooleanField(label=_("Alleen opgeloste vragen"), required=False)
    deel = forms.ChoiceField(
        required=False,
        choices=[("", ""), ("artikelen", "artikelen"), ("uitwisseling", "uitwisseling")],
        widget=forms.HiddenInput,
    )
    pagina = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ArticleForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    kind = forms.ChoiceField(label=_("Soort"), choices=Article.Kind.choices)
    visibility = forms.ChoiceField(
        label=_("Zichtbaar voor"),
        choices=Visibility.choices,
        initial=Visibility.GROUPS,
        help_text=_("Ondersteuners zien altijd alles; een concept ziet niemand anders."),
    )
    summary = _LongText(
        label=_("Samenvatting"),
        limit=SUMMARY_LIMIT,
        rows=3,
        help_text=_("Eén of twee zinnen: wat leer je hier?"),
    )
    body = _LongText(label=_("Tekst"), limit=ARTICLE_BODY_LIMIT, rows=16, help_text=MARKDOWN_HELP)
    themes = forms.MultipleChoiceField(
        label=_("Thema's"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    actie = forms.MultipleChoiceField(
        label=_("ACTIE"),
        choices=Actie.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Waar helpt dit artikel een groep mee?"),
    )
    keywords = forms.CharField(
        label=_("Trefwoorden"),
        required=False,
        max_length=600,
        help_text=_("Gescheiden door komma's, bijvoorbeeld: kascommissie, jaarrekening."),
    )
    review_on = forms.DateField(
        label=_("Opnieuw bekijken op"),
        required=False,
        widget=IsoDateInput(),
        help_text=_("Leeg: een jaar na publicatie. Je krijgt dan een herinnering."),
    )
    note = forms.CharField(label=_("Wat is er veranderd?"), required=False, max_length=300)


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Wat moet er anders?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand"),
        help_text=_("pdf, Word, Excel, OpenDocument, png of jpg; hoogstens 10 MB."),
    )


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat wil je delen?"),
        choices=Post.Kind.choices,
        widget=forms.RadioSelect,
        initial=Post.Kind.QUESTION,
    )
    title = forms.CharField(label=_("Titel"), max_length=200)
    body = _LongText(
        label=_("Je vraag of ervaring"), limit=POST_BODY_LIMIT, help_text=MARKDOWN_HELP
    )
    themes = forms.MultipleChoiceField(
        label=_("Thema's"), choices=Theme.choices, widget=forms.CheckboxSelectMultiple
    )
    group = forms.TypedChoiceField(label=_("Namens welke groep?"), coerce=int, choices=())
    anonymous = forms.BooleanField(
        label=_("Zonder de naam van onze groep"),
        required=False,
        help_text=_(
            "Andere groepen zien dan niet wie dit schreef. De coördinator van de "
            "ondersteuningsorganisatie ziet het wel."
        ),
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups = list(groups)
        if groups:
            self.fields["group"].choices = [(g.pk, g.name) for g in groups]
            if len(groups) == 1:
                self.fields["group"].initial = groups[0].pk
        else:  # support staff write for the support organisation
            del self.fields["group"]
            del self.fields["anonymous"]


class ReplyForm(forms.Form):
    body = _LongText(label=_("Je reactie"), limit=REPLY_BODY_LIMIT, rows=5, help_text=MARKDOWN_HELP)
    group = forms.TypedChoiceField(label=_("Namens welke groep?"), coerce=int, choices=())
    anonymous = forms.BooleanField(label=_("Zonder de naam van onze groep"), required=False)

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        groups = list(groups)
        if groups:
            self.fields["group"].choices = [(g.pk, g.name) for g in groups]
            if len(groups) == 1:
                self.fields["group"].initial = groups[0].pk
                self.fields["group"].widget = forms.HiddenInput()
        else:
            del self.fields["group"]
            del self.fields["anonymous"]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"), max_length=REASON_LIMIT, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("Waarom meld je dit?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Een coördinator kijkt ernaar. Je melding is niet zichtbaar voor anderen."),
    )
