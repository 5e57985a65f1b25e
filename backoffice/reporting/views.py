"""Pages: the coordinator's reports, municipal clients and keys (/ondersteuning/rapportages/),
and a group's own view of what is reported about it (/g/<slug>/rapportage/)."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from backoffice.reporting import selectors, services
from backoffice.reporting.forms import (
    ClientForm,
    CorrectForm,
    CorrectionRequestForm,
    GenerateForm,
)
from backoffice.reporting.generation import district_content
from backoffice.reporting.models import ClientKey, CorrectionRequest, MunicipalClient
from backoffice.reporting.periods import last_ended_quarter, period_spec
from tenants import facade as tenants
from tenants.facade import coordinator_required


def _versions_by_report():
    rows = {}
    for snapshot in selectors.dangerously_all_reports():
        rows.setdefault((snapshot.period.code, snapshot.district.code), []).append(snapshot)
    return list(rows.values())


@coordinator_required
def reports(request):
    form = GenerateForm(
        request.POST or None, initial={"period": last_ended_quarter(timezone.localdate())}
    )
    saved = form_saved(
        request,
        form,
        lambda data: services.reports_generate(period_code=data["period"], user=request.user),
        success=lambda made: _("%(n)s rapportage(s) gemaakt.") % {"n": len(made)},
        then="reporting:reports",
    )
    return saved or render(
        request,
        "reporting/reports.html",
        {
            "form": form,
            "reports": _versions_by_report(),
            "corrections": selectors.open_correction_requests(),
            "correct_form": CorrectForm(),
        },
    )


@coordinator_required
@require_POST
def report_correct(request, pk):
    snapshot = get_object_or_404(selectors.dangerously_all_reports(), pk=pk)
    form = CorrectForm(request.POST)
    if form.is_valid():
        try:
            new = services.report_correct(
                snapshot=snapshot, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Versie %(v)s is gemaakt.") % {"v": new.version})
    else:
        messages.error(request, _("Geef de reden van de correctie."))
    return redirect("reporting:reports")


@coordinator_required
@require_POST
def correction_handled(request, pk):
    correction = get_object_or_404(CorrectionRequest, pk=pk)
    services.correction_request_handle(request=correction, user=request.user)
    messages.success(request, _("Het correctieverzoek is afgehandeld."))
    return redirect("reporting:reports")


@coordinator_required
def clients(request):
    form = ClientForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.client_create(user=request.user, **data),
        success=lambda client: _("Afnemer ‘%(n)s’ is aangemaakt.") % {"n": client.name},
        then="reporting:clients",
    )
    return saved or render(
        request,
        "reporting/clients.html",
        {
            "form": form,
            "clients": selectors.clients_list(),
            "log": selectors.request_log(limit=30),
            "now": timezone.now(),
        },
    )


def _show_key_once(request, raw: str, client: MunicipalClient):
    return render(request, "reporting/key_once.html", {"raw": raw, "client": client})


@coordinator_required
@require_POST
def key_create(request, pk):
    client = get_object_or_404(MunicipalClient, pk=pk)
    _key, raw = services.key_create(client=client, user=request.user)
    return _show_key_once(request, raw, client)


@coordinator_required
@require_POST
def key_rotate(request, prefix):
    key = get_object_or_404(ClientKey, prefix=prefix)
    try:
        _new, raw = services.key_rotate(key=key, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reporting:clients")
    return _show_key_once(request, raw, key.client)


@coordinator_required
@require_POST
def key_revoke(request, prefix):
    key = get_object_or_404(ClientKey, prefix=prefix)
    services.key_revoke(key=key, user=request.user)
    messages.success(request, _("De sleutel %(p)s is ingetrokken.") % {"p": key.prefix})
    return redirect("reporting:clients")


# --- the group's own page ---------------------------------------------------------------


def _own_rows(snapshot, group):
    content = json.loads(snapshot.canonical)
    return next((g for g in content["groups"] if g["slug"] == group.slug), None)


@tenants.group_roles_required(*tenants.Role.values, allow_support=True)
def group_reports(request):
    group = tenants.current_group()
    district = tenants.district_of(group)
    today = timezone.localdate()
    preview = None
    if district is not None:
        spec = period_spec(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
        content = district_content(district=district, period=spec)
        preview = {
            "period": spec.code,
            "row": next((g for g in content["groups"] if g["slug"] == group.slug), None),
        }
    published = [
        {"snapshot": s, "row": _own_rows(s, group)} for s in selectors.reports_of_group(group)
    ]
    form = CorrectionRequestForm(request.POST or None)
    if request.method == "POST":
        snapshot = next(
            (
                p["snapshot"]
                for p in published
                if str(p["snapshot"].pk) == request.POST.get("report")
            ),
            None,
        )
        if snapshot is None:
            form.add_error(None, _("Kies een rapportage."))
        elif form.is_valid():
            try:
                services.correction_request_create(
                    snapshot=snapshot,
                    group=group,
                    user=request.user,
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, getattr(exc, "messages", [str(exc)]))
            else:
                messages.success(request, _("Je verzoek is naar de coördinator gestuurd."))
                return redirect(request.path)
    may_flag = request.group_access.has_any(*tenants.BOARD_ROLES)
    return render(
        request,
        "reporting/group_reports.html",
        {"preview": preview, "published": published, "form": form, "may_flag": may_flag},
    )
