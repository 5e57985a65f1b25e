"""The support organisation's work pages: caseload with signals, a group's case (requests,
sessions, follow-ups, ACTIE), the catalogue, the coordinator's overview and export,
platforms."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from backoffice.support import charts, chosen, coaching, overview, platforms
from backoffice.support.forms import (
    ActieForm,
    AgreeForm,
    BudgetForm,
    DeclineForm,
    OfferingForm,
    PlatformForm,
    ProviderForm,
    SessionForm,
)
from backoffice.support.models import (
    ActieCheck,
    FollowUp,
    Offering,
    Platform,
    Provider,
    SupportRequest,
)
from backoffice.support.signals import signal_labels, signals_by_group
from tenants import selectors as tenant_selectors
from tenants.facade import coordinator_required, support_staff_required
from tenants.history import history_rows
from tenants.models import AccessLogEntry, District


def _case_group(user, slug):
    """A group the person coaches (any group for a coordinator); 404 otherwise."""
    groups = tenant_selectors.groups_visible()
    if not user.is_coordinator:
        groups = groups.filter(assignments__user=user)
    return get_object_or_404(groups, slug=slug)


@support_staff_required
def caseload(request):
    today = timezone.localdate()
    groups = list(tenant_selectors.caseload(user=request.user))
    signals = signals_by_group(groups, today)
    rows = [{"group": g, "signals": signals[g.pk]} for g in groups]
    rows.sort(key=lambda r: (-len(r["signals"]), r["group"].name))
    return render(request, "backoffice/caseload.html", {"rows": rows, "groups": groups})


def _case_context(request, group, **forms):
    today = timezone.localdate()
    series = coaching.actie_series(group=group)
    sessions = coaching.sessions_for_staff(group=group)
    return {
        "the_group": group,
        "signals": signals_by_group([group], today)[group.pk],
        "requests": list(
            SupportRequest.objects.filter(group=group).select_related("offering", "provider")
        ),
        "budget": chosen.budget_use(group=group, year=today.year),
        "sessions": sessions,
        "followups": coaching.open_followups(group=group),
        "charts": charts.actie_charts(series),
        "actie_rows": charts.actie_table(series),
        "session_form": forms.get("session_form") or SessionForm(group=group),
        "actie_form": forms.get("actie_form") or ActieForm(initial={"scored_on": today}),
        "agree_form": AgreeForm(),
        "decline_form": DeclineForm(),
        "hours_total": coaching.hours(sum(s.minutes for s in sessions)),
    }


@support_staff_required
def case(request, slug):
    group = _case_group(request.user, slug)
    # Opening a group from the caseload is logged like opening its own pages.
    AccessLogEntry.objects.create(
        user=request.user,
        username=request.user.get_username(),
        group=group,
        method=request.method,
        path=request.path[:500],
    )
    return render(request, "backoffice/case.html", _case_context(request, group))


@support_staff_required
@require_POST
def session_new(request, slug):
    group = _case_group(request.user, slug)
    form = SessionForm(request.POST, group=group)
    saved = form_saved(
        request,
        form,
        lambda data: coaching.session_log(
            group=group,
            worker=request.user,
            held_on=data["held_on"],
            minutes=data["minutes"],
            attendee_roles=data["attendee_roles"],
            topics=data["topics"],
            notes=data["notes"],
            request=data["request"],
            followups=[(data["followup"], data["followup_due"], request.user)],
        ),
        success=_("Gesprek vastgelegd."),
        then=request_url(group),
    )
    if saved:
        return saved
    context = _case_context(request, group, session_form=form)
    return render(request, "backoffice/case.html", context, status=400)


@support_staff_required
@require_POST
def actie_new(request, slug):
    group = _case_group(request.user, slug)
    form = ActieForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: coaching.actie_record(
            group=group,
            user=request.user,
            source=ActieCheck.Source.WORKER,
            scored_on=data["scored_on"],
            scores=form.scores(),
            notes=form.notes(),
        ),
        success=_("ACTIE-meting vastgelegd."),
        then=request_url(group),
    )
    if saved:
        return saved
    context = _case_context(request, group, actie_form=form)
    return render(request, "backoffice/case.html", context, status=400)


@support_staff_required
@require_POST
def followup_done(request, pk):
    followup = get_object_or_404(FollowUp, pk=pk)
    group = _case_group(request.user, followup.group.slug)
    coaching.followup_done(followup=followup, user=request.user, on=timezone.localdate())
    messages.success(request, _("Afspraak afgevinkt."))
    return redirect("support:case", slug=group.slug)


@support_staff_required
@require_POST
def request_step(request, pk, step):
    support_request = get_object_or_404(SupportRequest, pk=pk)
    group = _case_group(request.user, support_request.group.slug)
    try:
        if step == "afspreken":
            form = AgreeForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errs in form.errors.values() for e in errs])
            chosen.request_agree(request=support_request, user=request.user, **form.cleaned_data)
        elif step == "starten":
            chosen.request_start(request=support_request, user=request.user)
        elif step == "afronden":
            chosen.request_finish(request=support_request, user=request.user)
        elif step == "afwijzen":
            chosen.request_decline(
                request=support_request, user=request.user, reason=request.POST.get("reason", "")
            )
        else:
            raise Http404
    except (ValidationError, PermissionDenied) as exc:
        text = " ".join(getattr(exc, "messages", None) or [str(exc)])
        messages.error(request, text)
    else:
        messages.success(request, _("Ondersteuningsvraag bijgewerkt."))
    return redirect(f"{request_url(group)}#vragen")


def request_url(group):
    return reverse("support:case", kwargs={"slug": group.slug})


@support_staff_required
def request_detail(request, pk):
    support_request = get_object_or_404(
        SupportRequest.objects.select_related("offering", "provider", "group"), pk=pk
    )
    _case_group(request.user, support_request.group.slug)
    return render(
        request,
        "backoffice/request_detail.html",
        {"req": support_request, "history": history_rows(support_request)},
    )


# --- catalogue -------------------------------------------------------------------------------


@support_staff_required
def catalogue(request):
    return render(
        request,
        "backoffice/catalogue.html",
        {
            "offerings": Offering.objects.prefetch_related("providers"),
            "providers": Provider.objects.all(),
            "offering_form": OfferingForm(),
            "provider_form": ProviderForm(),
        },
    )


@coordinator_required
@require_POST
def provider_new(request):
    form = ProviderForm(request.POST)
    if form.is_valid():
        provider = form.save(commit=False)
        provider._history_user = request.user
        provider.save()
        messages.success(request, _("Aanbieder toegevoegd."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("support:catalogue")


@coordinator_required
@require_POST
def provider_status(request, pk):
    provider = get_object_or_404(Provider, pk=pk)
    status = request.POST.get("status")
    if status not in Provider.Status.values:
        messages.error(request, _("Kies een status uit de lijst."))
    else:
        from backoffice.core.services import model_update

        model_update(provider, request.user, status=status)
        messages.success(
            request,
            _("Status van %(p)s is nu: %(s)s.")
            % {"p": provider.name, "s": provider.get_status_display()},
        )
    return redirect("support:catalogue")


@coordinator_required
def provider_detail(request, pk):
    provider = get_object_or_404(Provider, pk=pk)
    return render(
        request,
        "backoffice/provider_detail.html",
        {"provider": provider, "history": history_rows(provider)},
    )


@coordinator_required
@require_POST
def offering_new(request):
    form = OfferingForm(request.POST)
    if form.is_valid():
        offering = form.save(commit=False)
        offering._history_user = request.user
        offering.save()
        form.save_m2m()
        messages.success(request, _("Aanbod toegevoegd."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("support:catalogue")


@coordinator_required
@require_POST
def budget_set(request, slug):
    group = get_object_or_404(tenant_selectors.groups_visible(), slug=slug)
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            chosen.budget_set(group=group, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Ondersteuningsbudget opgeslagen."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("support:group", slug=group.slug)


# --- coordinator overview -------------------------------------------------------------------


OVERVIEW_PAGE_SIZE = 100


@coordinator_required
def overview_page(request):
    today = timezone.localdate()
    table = overview.overview(
        today=today,
        district=request.GET.get("stadsdeel") or None,
        signal=request.GET.get("signaal") or None,
        sort=request.GET.get("sorteer") or "signalen",
    )
    # Sorted and filtered over all groups; shown a page at a time (a thousand rows are too
    # many to read on a phone, and rendering them cost more than computing every signal).
    page = Paginator(table, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("pagina"))
    keep = request.GET.copy()
    keep.pop("pagina", None)
    return render(
        request,
        "backoffice/overview.html",
        {
            "table": page.object_list,
            "page": page,
            "page_query": keep.urlencode(),
            "districts": District.choices,
            "labels": signal_labels(),
            "chosen_district": request.GET.get("stadsdeel", ""),
            "chosen_signal": request.GET.get("signaal", ""),
            "chosen_sort": request.GET.get("sorteer", "signalen"),
            "rollups": {
                by: coaching.time_rollup(by=by) for by in ("offering", "provider", "worker")
            },
            "activity": overview.monthly_activity(today=today),
        },
    )


@coordinator_required
def overview_export(request):
    return overview.xlsx_response(today=timezone.localdate())


# --- platforms --------------------------------------------------------------------------------


@support_staff_required
def platform_list(request):
    form = PlatformForm(request.POST or None) if request.user.is_coordinator else None
    if request.method == "POST" and not request.user.is_coordinator:
        raise PermissionDenied

    def save(data):
        platform = form.save(commit=False)
        platform._history_user = request.user
        platform.save()
        form.save_m2m()
        return platform

    saved = form is not None and form_saved(
        request,
        form,
        save,
        success=_("Platform aangemaakt."),
        then=lambda platform: reverse("support:platform", kwargs={"slug": platform.slug}),
    )
    return saved or render(
        request,
        "backoffice/platform_list.html",
        {"platforms": Platform.objects.prefetch_related("groups"), "form": form},
    )


def platform_page(request, slug):
    platform = get_object_or_404(Platform, slug=slug)
    if not platforms.may_see(request.user, platform):
        raise Http404
    return render(
        request,
        "backoffice/platform.html",
        {"platform": platform, "contacts": platforms.contacts(platform)},
    )
