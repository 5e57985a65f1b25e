"""Pages of the conflicts register and partners."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.decisions import selectors as decision_selectors
from groups.relations import selectors as relation_selectors
from groups.relations import services as relation_services
from groups.relations.forms import AgreementForm, ConflictForm, PartnerForm
from groups.web import BOARD, _form_page, _or_404, _url
from tenants.facade import group_roles_required
from tenants.history import history_rows


@group_roles_required(*BOARD, allow_support=True)
def conflict_list(request):
    return render(
        request,
        "groups/conflict_list.html",
        {
            "conflicts": relation_selectors.conflicts_list(),
            "rules": decision_selectors.rules_current(),
        },
    )


@group_roles_required(*BOARD)
def conflict_new(request):
    form = ConflictForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        conflict = relation_services.conflict_create(**form.cleaned_data)
        messages.success(request, _("Het conflict is vastgelegd."))
        return redirect(_url(request, "groups:conflict_detail", pk=conflict.pk))
    rules_now = decision_selectors.rules_current()
    return _form_page(
        request,
        form,
        title=_("Conflict vastleggen"),
        submit=_("Opslaan"),
        back=_url(request, "groups:conflict_list"),
        intro=rules_now.conflict_protocol if rules_now else "",
    )


@group_roles_required(*BOARD, allow_support=True)
def conflict_detail(request, pk):
    conflict = _or_404(relation_selectors.conflict_get(pk=pk))
    return render(
        request,
        "groups/conflict_detail.html",
        {"conflict": conflict, "history": history_rows(conflict)},
    )


@group_roles_required(*BOARD)
def conflict_edit(request, pk):
    conflict = _or_404(relation_selectors.conflict_get(pk=pk))
    form = ConflictForm(request.POST or None, instance=conflict)
    if request.method == "POST" and form.is_valid():
        relation_services.conflict_update(conflict=conflict, **form.cleaned_data)
        messages.success(request, _("Het conflict is opgeslagen."))
        return redirect(_url(request, "groups:conflict_detail", pk=conflict.pk))
    return _form_page(
        request,
        form,
        title=_("Conflict bijwerken"),
        submit=_("Opslaan"),
        back=_url(request, "groups:conflict_detail", pk=conflict.pk),
    )


def partner_list(request):
    return render(
        request, "groups/partner_list.html", {"partners": relation_selectors.partners_list()}
    )


@group_roles_required(*BOARD)
def partner_new(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = relation_services.partner_create(**form.cleaned_data)
        messages.success(request, _("De partner is toegevoegd."))
        return redirect(_url(request, "groups:partner_detail", pk=partner.pk))
    return _form_page(
        request,
        form,
        title=_("Nieuwe partner"),
        submit=_("Opslaan"),
        back=_url(request, "groups:partner_list"),
    )


def partner_detail(request, pk):
    partner = _or_404(relation_selectors.partner_get(pk=pk))
    return render(
        request,
        "groups/partner_detail.html",
        {
            "partner": partner,
            "agreements": list(partner.agreements.all()),
            "history": history_rows(partner),
            "agreement_form": AgreementForm() if request.group_access.is_board else None,
        },
    )


@group_roles_required(*BOARD)
def partner_edit(request, pk):
    partner = _or_404(relation_selectors.partner_get(pk=pk))
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        relation_services.partner_update(partner=partner, **form.cleaned_data)
        messages.success(request, _("De partner is opgeslagen."))
        return redirect(_url(request, "groups:partner_detail", pk=partner.pk))
    return _form_page(
        request,
        form,
        title=_("Partner bewerken"),
        submit=_("Opslaan"),
        back=_url(request, "groups:partner_detail", pk=partner.pk),
    )


@group_roles_required(*BOARD)
def agreement_new(request, pk):
    partner = _or_404(relation_selectors.partner_get(pk=pk))
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        relation_services.agreement_create(partner=partner, **form.cleaned_data)
        messages.success(request, _("De afspraak is vastgelegd."))
        return redirect(_url(request, "groups:partner_detail", pk=partner.pk))
    return _form_page(
        request,
        form,
        title=_("Afspraak met %(name)s") % {"name": partner.name},
        submit=_("Opslaan"),
        back=_url(request, "groups:partner_detail", pk=partner.pk),
    )
