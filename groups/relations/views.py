"""Pages of the conflicts register and partners."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.forms import form_saved
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
    saved = form_saved(
        request,
        form,
        lambda data: relation_services.conflict_create(**data),
        success=_("Het conflict is vastgelegd."),
        then=lambda conflict: _url(request, "groups:conflict_detail", pk=conflict.pk),
    )
    if saved:
        return saved
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
    saved = form_saved(
        request,
        form,
        lambda data: relation_services.conflict_update(conflict=conflict, **data),
        success=_("Het conflict is opgeslagen."),
        then=_url(request, "groups:conflict_detail", pk=conflict.pk),
    )
    return saved or _form_page(
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
    saved = form_saved(
        request,
        form,
        lambda data: relation_services.partner_create(**data),
        success=_("De partner is toegevoegd."),
        then=lambda partner: _url(request, "groups:partner_detail", pk=partner.pk),
    )
    return saved or _form_page(
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
    saved = form_saved(
        request,
        form,
        lambda data: relation_services.partner_update(partner=partner, **data),
        success=_("De partner is opgeslagen."),
        then=_url(request, "groups:partner_detail", pk=partner.pk),
    )
    return saved or _form_page(
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
    saved = form_saved(
        request,
        form,
        lambda data: relation_services.agreement_create(partner=partner, **data),
        success=_("De afspraak is vastgelegd."),
        then=_url(request, "groups:partner_detail", pk=partner.pk),
    )
    return saved or _form_page(
        request,
        form,
        title=_("Afspraak met %(name)s") % {"name": partner.name},
        submit=_("Opslaan"),
        back=_url(request, "groups:partner_detail", pk=partner.pk),
    )
