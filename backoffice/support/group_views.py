"""The group's own support pages, inside the group (/g/<slug>/ondersteuning/): the catalogue,
choosing an offering and a provider, the group's requests and remaining budget, rating, and
the group's own ACTIE check. Nothing here reads the coaching notes."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from backoffice.support import charts, chosen, coaching, platforms
from backoffice.support.forms import ActieForm, RatingForm, RequestForm
from backoffice.support.models import ActieCheck, Offering, SupportRequest
from tenants.facade import BOARD_ROLES, current_group, group_roles_required


def _context(request, **forms):
    group = current_group()
    today = timezone.localdate()
    series = coaching.actie_series(group=group)
    return {
        "requests": list(
            SupportRequest.objects.filter(group=group).select_related("offering", "provider")
        ),
        "budget": chosen.budget_use(group=group, year=today.year),
        "offerings": Offering.objects.filter(is_active=True).prefetch_related("providers"),
        "request_form": forms.get("request_form") or RequestForm(),
        "actie_form": forms.get("actie_form") or ActieForm(initial={"scored_on": today}),
        "rating_form": RatingForm(),
        "charts": charts.actie_charts(series),
        # The group's own notes only; the support worker's notes stay with the support side.
        "actie_rows": [
            {**row, "notes": row["notes"] if row["source"] == _("groep zelf") else {}}
            for row in charts.actie_table(series)
        ],
        "platforms": platforms.platforms_of_group(group),
        "may_choose": request.group_access.is_board,
    }


def _home_url() -> str:
    return reverse("group_support:home", kwargs={"group_slug": current_group().slug})


def support_home(request):
    return render(request, "backoffice/group_support.html", _context(request))


@group_roles_required(*BOARD_ROLES)
@require_POST
def request_new(request):
    form = RequestForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: chosen.request_create(
            group=current_group(), user=request.user, year=timezone.localdate().year, **data
        ),
        success=_("Jullie vraag is verstuurd naar de ondersteuning."),
        then=_home_url(),
    )
    if saved:
        return saved
    context = _context(request, request_form=form)
    return render(request, "backoffice/group_support.html", context, status=400)


@group_roles_required(*BOARD_ROLES)
@require_POST
def request_rate(request, pk):
    support_request = get_object_or_404(SupportRequest, pk=pk, group=current_group())
    form = RatingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Geef een waardering van 1 tot en met 5."))
        chosen.request_rate(
            request=support_request,
            user=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Dank voor jullie waardering."))
    return redirect(_home_url())


@group_roles_required(*BOARD_ROLES)
@require_POST
def actie_new(request):
    form = ActieForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: coaching.actie_record(
            group=current_group(),
            user=request.user,
            source=ActieCheck.Source.GROUP,
            scored_on=data["scored_on"],
            scores=form.scores(),
            notes=form.notes(),
        ),
        success=_("Jullie ACTIE-meting is opgeslagen."),
        then=_home_url(),
    )
    if saved:
        return saved
    context = _context(request, actie_form=form)
    return render(request, "backoffice/group_support.html", context, status=400)
