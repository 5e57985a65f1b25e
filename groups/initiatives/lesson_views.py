"""The board shares a closed initiative as a lesson, or withdraws it (see lessons.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from groups.initiatives import lessons, selectors
from groups.initiatives.views import _or_404, _status, _url
from knowledge import facade as knowledge
from tenants.facade import BOARD_ROLES, group_roles_required


class LessonShareForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Titel van de les"), max_length=200)
    evaluation = forms.CharField(
        label=gettext_lazy("Wat werkte, wat niet, wat zou je anders doen?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    themes = forms.MultipleChoiceField(
        label=gettext_lazy("Thema's"),
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Deel zonder de naam van onze groep"), required=False
    )
    consent = forms.BooleanField(
        label=gettext_lazy(
            "Het bestuur stemt ermee in dat deze les met andere groepen gedeeld wordt"
        ),
        error_messages={
            "required": gettext_lazy("Zonder toestemming van het bestuur delen we niets.")
        },
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = list(themes)


class LessonWithdrawForm(forms.Form):
    card = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Waarom trekt u de les in?"), max_length=500)


@group_roles_required(*BOARD_ROLES)
def lesson_share(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    form = LessonShareForm(
        request.POST or None,
        themes=knowledge.THEME_CHOICES,
        initial={
            "title": initiative.title,
            "evaluation": initiative.own_evaluation,
            "themes": ["aanvragen"],
        },
    )
    saved = form_saved(
        request,
        form,
        lambda data: lessons.lesson_share(
            initiative=initiative,
            user=request.user,
            title=data["title"],
            evaluation=data["evaluation"],
            themes=data["themes"],
            anonymous=data["anonymous"],
        ),
        success=_("De les staat nu in de kennisbank."),
        then=lambda card: reverse("knowledge:lesson", kwargs={"pk": card.pk}),
    )
    return saved or render(
        request,
        "initiatives/lesson_share.html",
        {
            "initiative": initiative,
            "form": form,
            "figures": lessons.lesson_figures(initiative),
            "cards": list(lessons.lessons_of(initiative)),
            "withdraw_form": LessonWithdrawForm(),
        },
        status=_status(form),
    )


@require_POST
@group_roles_required(*BOARD_ROLES)
def lesson_withdraw(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    form = LessonWithdrawForm(request.POST)
    if form.is_valid():
        try:
            lessons.lesson_withdraw(
                initiative=initiative,
                card_id=form.cleaned_data["card"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("De les is ingetrokken."))
    else:
        messages.error(request, _("Schrijf kort op waarom u de les intrekt."))
    return redirect(_url(request, "initiatives:lesson_share", pk=initiative.pk))
