"""Pages of grants, tranches, budget lines and commitments."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from finance.grants import selectors as grant_selectors
from finance.grants import services as grant_services
from finance.grants.forms import (
    BudgetLineForm,
    CommitmentForm,
    GrantForm,
    TrancheForm,
    TrancheReceiveForm,
)
from finance.grants.models import BudgetLine, Commitment, Grant, Tranche
from finance.reports import figures as reports
from finance.web import page_url, readers, render_page, treasurer
from tenants.history import history_rows


@readers
def grant_list(request):
    return render(
        request, "finance/grants/grant_list.html", {"grants": grant_selectors.grant_list()}
    )


@readers
def grant_detail(request, pk):
    try:
        sums = grant_selectors.grant_sums([pk])
        grant = grant_selectors.grant_get(pk=pk, sums=sums)
    except Grant.DoesNotExist:
        raise Http404 from None
    report = reports.budget_vs_actual(grant=grant, sums=sums)
    return render(
        request,
        "finance/grants/grant_detail.html",
        {
            "grant": grant,
            "report": report,
            "lines": report.lines,
            "tranches": grant_selectors.tranches(grant=grant),
            "commitments": grant_selectors.open_commitments(grant=grant),
            "history": history_rows(grant),
        },
    )


@treasurer
def grant_edit(request, pk=None):
    grant = get_object_or_404(Grant, pk=pk) if pk else None
    form = GrantForm(request.POST or None, instance=grant)

    def save(data):
        fields = {k: data[k] for k in form.Meta.fields}
        if grant is None:
            return grant_services.grant_create(user=request.user, **fields)
        return grant_services.grant_update(grant=grant, user=request.user, **fields)

    saved = form_saved(
        request,
        form,
        save,
        success=_("De subsidie is opgeslagen."),
        then=lambda saved_grant: page_url(request, "grant", pk=saved_grant.pk),
    )
    return saved or render_page(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Subsidie") if grant else _("Nieuwe subsidie"),
            "submit": _("Opslaan"),
            "back": page_url(request, "grants"),
        },
        form,
    )


@treasurer
def tranche_new(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    form = TrancheForm(request.POST or None)

    def save(data):
        return grant_services.tranche_create(grant=grant, user=request.user, **data)

    back = page_url(request, "grant", pk=pk)
    return form_saved(request, form, save, success=None, then=back) or render_page(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Verwachte termijn voor %(g)s") % {"g": grant},
            "submit": _("Opslaan"),
            "back": page_url(request, "grant", pk=pk),
        },
        form,
    )


@treasurer
def tranche_receive(request, pk):
    tranche = get_object_or_404(Tranche.objects.select_related("grant"), pk=pk)
    form = TrancheReceiveForm(request.POST or None)

    def save(data):
        return grant_services.tranche_receive(tranche=tranche, user=request.user, date=data["date"])

    saved = form_saved(
        request,
        form,
        save,
        success=_("De termijn is als ontvangen geboekt."),
        then=page_url(request, "grant", pk=tranche.grant_id),
    )
    return saved or render_page(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Termijn ontvangen"),
            "submit": _("Boeken"),
            "back": page_url(request, "grant", pk=tranche.grant_id),
        },
        form,
    )


@treasurer
def budget_line_edit(request, grant_pk=None, pk=None):
    line = get_object_or_404(BudgetLine, pk=pk) if pk else None
    grant = line.grant if line else get_object_or_404(Grant, pk=grant_pk)
    initial = (
        {"account": line.account_id, "description": line.description, "amount": line.amount}
        if line
        else None
    )
    form = BudgetLineForm(request.POST or None, initial=initial)

    def save(data):
        if line is None:
            return grant_services.budget_line_create(grant=grant, user=request.user, **data)
        return grant_services.budget_line_update(budget_line=line, user=request.user, **data)

    back = page_url(request, "grant", pk=grant.pk)
    return form_saved(request, form, save, success=None, then=back) or render_page(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Begrotingsregel voor %(g)s") % {"g": grant},
            "submit": _("Opslaan"),
            "back": page_url(request, "grant", pk=grant.pk),
            "history": history_rows(line) if line else None,
        },
        form,
    )


@treasurer
def commitment_new(request, pk):
    line = get_object_or_404(BudgetLine.objects.select_related("grant"), pk=pk)
    form = CommitmentForm(request.POST or None)

    def save(data):
        return grant_services.commitment_create(budget_line=line, user=request.user, **data)

    back = page_url(request, "grant", pk=line.grant_id)
    return form_saved(request, form, save, success=None, then=back) or render_page(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Toezegging op %(l)s") % {"l": line},
            "intro": _("Geld dat is toegezegd maar nog niet betaald."),
            "submit": _("Opslaan"),
            "back": page_url(request, "grant", pk=line.grant_id),
        },
        form,
    )


@require_POST
@treasurer
def commitment_cancel(request, pk):
    commitment = get_object_or_404(Commitment.objects.select_related("budget_line"), pk=pk)
    try:
        grant_services.commitment_cancel(commitment=commitment, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(page_url(request, "grant", pk=commitment.budget_line.grant_id))
