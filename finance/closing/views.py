"""Pages of financial years, reopening and the kascommissie."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from finance.closing import selectors as closing_selectors
from finance.closing import services as closing_services
from finance.closing.forms import AuditForm, ReopenForm, SampleForm
from finance.closing.models import AuditSample, ReopenRequest
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import FinancialYear
from finance.web import auditor, page_url, readers, render_page, treasurer, treasurer_or_chair
from tenants.history import history_rows


@readers
def year_list(request):
    return render(
        request, "finance/closing/year_list.html", {"years": ledger_selectors.year_list()}
    )


def _year(year):
    return get_object_or_404(FinancialYear, year=year)


@readers
def year_detail(request, year):
    year = _year(year)
    return render(
        request,
        "finance/closing/year_detail.html",
        {
            "year": year,
            "events": closing_selectors.year_events(year=year),
            "reopen": closing_selectors.reopen_request_open(year=year),
            "audit": closing_selectors.audit_for_year(year=year),
            "reopen_form": ReopenForm(),
            "history": history_rows(year),
        },
    )


@require_POST
@treasurer
def year_close(request, year):
    year = _year(year)
    try:
        closing_services.year_close(year=year, user=request.user)
        messages.success(request, _("Boekjaar %(y)s is afgesloten.") % {"y": year.year})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(page_url(request, "year", year=year.year))


@require_POST
@treasurer_or_chair
def year_reopen(request, year):
    year = _year(year)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Leg uit waarom het jaar weer open moet."))
        closing_services.year_reopen_request(
            year=year, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("Het verzoek is vastgelegd; nu moet de tweede persoon goedkeuren.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(page_url(request, "year", year=year.year))


@require_POST
@treasurer_or_chair
def reopen_approve(request, pk):
    reopen = get_object_or_404(ReopenRequest.objects.select_related("year"), pk=pk)
    try:
        closing_services.year_reopen_approve(request=reopen, user=request.user)
        messages.success(request, _("Boekjaar %(y)s is weer open.") % {"y": reopen.year.year})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(page_url(request, "year", year=reopen.year.year))


@readers
def audit(request, year):
    year = _year(year)
    check = closing_selectors.audit_for_year(year=year)
    access = request.group_access
    may_edit = access.is_audit and not access.is_board
    if request.method == "POST":
        if not may_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if check is None:
            closing_services.audit_start(year=year, user=request.user)
            return redirect(page_url(request, "audit", year=year.year))
    form = AuditForm(request.POST or None, instance=check) if check else None
    saved = form is not None and form_saved(
        request,
        form,
        lambda data: closing_services.audit_update(check=check, user=request.user, **data),
        success=_("De controle is opgeslagen."),
        then=page_url(request, "audit", year=year.year),
    )
    if saved:
        return saved
    figures = closing_selectors.year_check(year=year, check=check)
    samples = (
        list(
            check.samples.select_related("entry", "entry__year").prefetch_related("entry__receipts")
        )
        if check
        else []
    )
    signoffs = list(check.signoffs.select_related("anchor")) if check else []
    return render_page(
        request,
        "finance/closing/audit.html",
        {
            "year": year,
            "check": check,
            "form": form,
            "may_edit": may_edit,
            "samples": samples,
            "figures": figures,
            "signoffs": signoffs,
            "signed": any(s.user_id == request.user.pk for s in signoffs),
            "history": history_rows(check) if check else None,
        },
        form,
    )


@require_POST
@auditor
def audit_sample(request, pk):
    sample = get_object_or_404(AuditSample.objects.select_related("check_run__year"), pk=pk)
    form = SampleForm(request.POST)
    if form.is_valid():
        try:
            closing_services.audit_sample_mark(
                sample=sample, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(page_url(request, "audit", year=sample.check_run.year.year))


@require_POST
@auditor
def audit_signoff(request, year):
    year = _year(year)
    check = closing_selectors.audit_for_year(year=year)
    if check is None:
        raise Http404
    try:
        closing_services.audit_signoff(check=check, user=request.user)
        messages.success(request, _("Je handtekening is vastgelegd."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(page_url(request, "audit", year=year.year))
