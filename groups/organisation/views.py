"""Pages of the organisation: home, profile, set-up, public page, members and roles."""

import csv
import io
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.exports import neutralise_row
from backoffice.core.forms import form_saved
from groups import privacy
from groups import setup as wizard
from groups.decisions import selectors as decision_selectors
from groups.decisions import services as decision_services
from groups.decisions.forms import (
    RulesFirstForm,
)
from groups.organisation import selectors as org_selectors
from groups.organisation import services as org_services
from groups.organisation.forms import (
    HandoverForm,
    MemberForm,
    MemberNewForm,
    PrivacyForm,
    ProfileForm,
    RoleAssignForm,
    RoleEndForm,
)
from groups.organisation.models import Member, Profile
from groups.web import BOARD, _form_page, _or_404, _page, _url, is_self_or_board
from tenants.facade import group_roles_required
from tenants.history import history_rows


def home(request):
    """The group's start page: who we are and where to go next."""
    access = request.group_access
    context = {"profile": org_selectors.profile_get()}
    if access.is_board:
        context["board_gaps"] = org_selectors.board_gaps()
        context["events"] = org_selectors.events_recent(limit=8)
        context["setup_open"] = [i for i in wizard.setup_status() if i.state != wizard.DONE]
    return render(request, "groups/home.html", context)


def profile(request):
    item = org_selectors.profile_get()
    return render(
        request,
        "groups/profile.html",
        {"profile": item, "history": history_rows(item) if item else []},
    )


@group_roles_required(*BOARD)
def profile_edit(request):
    item = org_selectors.profile_get()
    form = ProfileForm(request.POST or None, instance=item)
    saved = form_saved(
        request,
        form,
        lambda data: org_services.profile_update(profile=item, **data),
        success=_("Het profiel is opgeslagen."),
        then=_url(request, "groups:profile"),
    )
    if saved:
        return saved
    return _page(request, "groups/profile_edit.html", {"form": form}, form)


@login_not_required
def public(request):
    """What anyone may know: who the group is, its published decisions, how to reach it.

    No personal data of members: no names of role holders, no attendance.
    """
    return render(
        request,
        "groups/public.html",
        {
            "profile": org_selectors.profile_get(),
            "decisions": decision_selectors.decisions_published()[:50],
            "public_group": request.group,
        },
    )


@group_roles_required(*BOARD, allow_support=True)
def setup(request):
    return render(request, "groups/setup.html", {"items": wizard.setup_status()})


@group_roles_required(*BOARD)
def setup_step(request, step):
    if step not in wizard.SETUP_STEPS:
        raise Http404(_("Deze stap bestaat niet."))
    steps = wizard.SETUP_STEPS
    index = steps.index(step)
    status = {i.step: i for i in wizard.setup_status()}
    context = {
        "step": step,
        "item": status[step],
        "number": index + 1,
        "total": len(steps),
        "previous": steps[index - 1] if index > 0 else None,
        "next": steps[index + 1] if index + 1 < len(steps) else None,
    }
    form = None
    profile = org_selectors.profile_get()
    next_url = (
        _url(request, "groups:setup_step", step=context["next"])
        if context["next"]
        else _url(request, "groups:setup")
    )
    if step == "profiel":
        form = ProfileForm(request.POST or None, instance=profile)
        saved = form_saved(
            request,
            form,
            lambda data: org_services.profile_update(profile=profile, **data),
            success=None,
            then=next_url,
        )
        if saved:
            return saved
    elif step == "privacy":
        initial = {}
        if profile and not profile.privacy_statement:
            initial["privacy_statement"] = _default_privacy_statement(profile)
        form = PrivacyForm(request.POST or None, instance=profile, initial=initial)
        if request.method == "POST" and form.is_valid():
            org_services.profile_update(profile=profile, **form.cleaned_data)
            return redirect(next_url)
    elif step == "regels":
        context["rules"] = decision_selectors.rules_current()
        if context["rules"] is None:
            form = RulesFirstForm(request.POST or None)
            saved = form_saved(
                request,
                form,
                lambda data: decision_services.rules_initialise(**data),
                success=None,
                then=next_url,
            )
            if saved:
                return saved
    elif step == "rollen":
        context["holders"] = org_selectors.role_holders()
        context["gaps"] = org_selectors.board_gaps()
    if form is not None:
        context["form"] = form
    return _page(request, "groups/setup_step.html", context, form)


def _default_privacy_statement(profile: Profile) -> str:
    return _(
        "%(name)s bewaart van leden: naam, e-mailadres, telefoonnummer en (als je dat wilt) "
        "je adres. Dat is nodig om je uit te nodigen voor vergaderingen en om te laten zien "
        "wie wat besloten heeft. Alleen het bestuur ziet deze gegevens; jij ziet je eigen "
        "gegevens. We delen ze met niemand. Stop je als lid, dan halen we je gegevens weg; "
        "besluiten en de boekhouding blijven bestaan zonder je naam. Je kunt altijd vragen "
        "welke gegevens we van je hebben."
    ) % {"name": profile.name}


@group_roles_required(*BOARD)
def member_list(request):
    show_former = request.GET.get("oud") == "1"
    return render(
        request,
        "groups/member_list.html",
        {
            "members": org_selectors.members_list(include_former=show_former),
            "show_former": show_former,
            "board_gaps": org_selectors.board_gaps(),
            "holders": org_selectors.role_holders(),
        },
    )


@group_roles_required(*BOARD)
def member_new(request):
    form = MemberNewForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: org_services.member_create(**data),
        success=lambda member: _("%(name)s staat in het ledenregister.") % {"name": member.name},
        then=lambda member: _url(request, "groups:member_detail", pk=member.pk),
    )
    if saved:
        return saved
    return _form_page(
        request,
        form,
        title=_("Nieuw lid"),
        submit=_("Opslaan"),
        back=_url(request, "groups:member_list"),
    )


def _member_for(request, pk) -> Member:
    member = _or_404(org_selectors.member_get(pk=pk))
    if not is_self_or_board(request, member):
        raise PermissionDenied
    return member


def member_detail(request, pk):
    member = _member_for(request, pk)
    return render(
        request,
        "groups/member_detail.html",
        {
            "member": member,
            "terms": org_selectors.member_terms(member=member),
            "history": history_rows(member),
            "role_form": RoleAssignForm() if request.group_access.is_board else None,
        },
    )


def my_data(request):
    """A member's own entry in the register, and their AVG download."""
    member = org_selectors.member_for_user(user_id=request.user.pk)
    return render(
        request,
        "groups/my_data.html",
        {"member": member, "terms": org_selectors.member_terms(member=member) if member else []},
    )


@group_roles_required(*BOARD)
def member_edit(request, pk):
    member = _or_404(org_selectors.member_get(pk=pk))
    if member.is_anonymised:
        raise PermissionDenied
    form = MemberForm(request.POST or None, instance=member)
    saved = form_saved(
        request,
        form,
        lambda data: org_services.member_update(member=member, **data),
        success=_("De gegevens zijn opgeslagen."),
        then=_url(request, "groups:member_detail", pk=member.pk),
    )
    if saved:
        return saved
    return _form_page(
        request,
        form,
        title=_("Gegevens van %(name)s") % {"name": member.name},
        submit=_("Opslaan"),
        back=_url(request, "groups:member_detail", pk=member.pk),
    )


def member_export(request, pk):
    """AVG inzage: everything about this person, as JSON or CSV."""
    member = _member_for(request, pk)
    data = privacy.member_export_data(member=member)
    stamp = timezone.localdate().isoformat()
    if request.GET.get("formaat") == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(neutralise_row(["onderdeel", "veld", "waarde"]))
        for key, value in data["lid"].items():
            writer.writerow(neutralise_row(["lid", key, "" if value is None else value]))
        for section in ("rollen", "aanwezig_bij", "geschiedenis"):
            for index, row in enumerate(data[section], start=1):
                for key, value in row.items():
                    writer.writerow(
                        neutralise_row([f"{section} {index}", key, "" if value is None else value])
                    )
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="mijn-gegevens-{member.pk}-{stamp}.csv"'
        )
        return response
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="mijn-gegevens-{member.pk}-{stamp}.json"'
    )
    return response


@group_roles_required(*BOARD)
def member_anonymise(request, pk):
    """AVG erasure, after a confirmation page."""
    member = _or_404(org_selectors.member_get(pk=pk))
    error = None
    if request.method == "POST":
        try:
            org_services.member_anonymise(
                member=member, group=request.group, by_user_id=request.user.pk
            )
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request, _("De gegevens zijn verwijderd. Besluiten en boeken blijven kloppen.")
            )
            return redirect(_url(request, "groups:member_list"))
    return render(
        request,
        "groups/member_anonymise.html",
        {"member": member, "error": error},
        status=400 if error else 200,
    )


@group_roles_required(*BOARD)
def role_assign(request, pk):
    member = _or_404(org_selectors.member_get(pk=pk))
    form = RoleAssignForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: org_services.role_assign(group=request.group, member=member, **data),
        success=_("De rol is toegevoegd."),
        then=_url(request, "groups:member_detail", pk=member.pk),
    )
    if saved:
        return saved
    return _form_page(
        request,
        form,
        title=_("Rol geven aan %(name)s") % {"name": member.name},
        submit=_("Rol geven"),
        back=_url(request, "groups:member_detail", pk=member.pk),
    )


@group_roles_required(*BOARD)
def role_end(request, pk):
    term = _or_404(org_selectors.term_get(pk=pk))
    form = RoleEndForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: org_services.role_end(group=request.group, term=term, **data),
        success=_("De termijn is beëindigd."),
        then=_url(request, "groups:member_detail", pk=term.member_id),
    )
    if saved:
        return saved
    return _form_page(
        request,
        form,
        title=_("Termijn beëindigen: %(term)s") % {"term": term},
        submit=_("Beëindigen"),
        back=_url(request, "groups:member_detail", pk=term.member_id),
    )


@group_roles_required(*BOARD)
def role_handover(request, pk):
    term = _or_404(org_selectors.term_get(pk=pk))
    form = HandoverForm(
        request.POST or None, members=org_selectors.members_list().exclude(pk=term.member_id)
    )
    saved = form_saved(
        request,
        form,
        lambda data: org_services.role_handover(
            group=request.group, term=term, by_user_id=request.user.pk, **data
        ),
        success=_("De rol is overgedragen."),
        then=_url(request, "groups:member_list"),
    )
    if saved:
        return saved
    return _form_page(
        request,
        form,
        title=_("Rol overdragen: %(term)s") % {"term": term},
        submit=_("Overdragen"),
        back=_url(request, "groups:member_detail", pk=term.member_id),
        intro=_(
            "De huidige termijn eindigt de dag voor de overdracht. Schrijf op wat is overgedragen."
        ),
    )
