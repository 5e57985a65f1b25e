"""Pages of a group's organisation: profile, setup, members, rules, meetings, decisions,
conflicts, partners and the public page.

Who may see what:
- everyone in the group (and the support worker): profile, rules, meetings, decisions, partners;
- the board only: the member register and every change; a member sees their own data;
- the board and the support worker: the conflicts register and the setup overview;
- everyone, also without login: the public page.
"""

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
from django.views.decorators.http import require_POST

from backoffice.core.exports import neutralise_row
from backoffice.forms import add_service_errors
from groups import selectors, services
from groups.forms import (
    AgreementForm,
    AttendanceForm,
    ConflictForm,
    DecisionEditForm,
    DecisionFilterForm,
    DecisionForm,
    HandoverForm,
    MeetingForm,
    MemberForm,
    MemberNewForm,
    PartnerForm,
    PrivacyForm,
    ProfileForm,
    RoleAssignForm,
    RoleEndForm,
    RulesChangeForm,
    RulesFirstForm,
)
from groups.models import Meeting, Member, Profile
from groups.permissions import BOARD, group_roles_required, is_self_or_board
from tenants.history import history_rows
from tenants.templatetags.group_urls import group_reverse


def _page(request, template: str, context: dict, form=None):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _form_page(request, form, *, title: str, submit: str, back: str, intro: str = ""):
    return _page(
        request,
        "groups/form.html",
        {"form": form, "title": title, "submit": submit, "back": back, "intro": intro},
        form,
    )


def _url(request, name: str, **kwargs) -> str:
    return group_reverse(request.group, name, **kwargs)


def _or_404(obj):
    if obj is None:
        raise Http404(_("Niet gevonden."))
    return obj


# --- Home, profile, public page ------------------------------------------------------------


def home(request):
    """The group's start page: who we are and where to go next."""
    access = request.group_access
    context = {"profile": selectors.profile_get()}
    if access.is_board:
        context["board_gaps"] = selectors.board_gaps()
        context["events"] = selectors.events_recent(limit=8)
        context["setup_open"] = [i for i in selectors.setup_status() if i.state != selectors.DONE]
    return render(request, "groups/home.html", context)


def profile(request):
    item = selectors.profile_get()
    return render(
        request,
        "groups/profile.html",
        {"profile": item, "history": history_rows(item) if item else []},
    )


@group_roles_required(*BOARD)
def profile_edit(request):
    item = selectors.profile_get()
    form = ProfileForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(profile=item, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het profiel is opgeslagen."))
            return redirect(_url(request, "groups:profile"))
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
            "profile": selectors.profile_get(),
            "decisions": selectors.decisions_published()[:50],
            "public_group": request.group,
        },
    )


# --- Setup wizard --------------------------------------------------------------------------


@group_roles_required(*BOARD, allow_support=True)
def setup(request):
    return render(request, "groups/setup.html", {"items": selectors.setup_status()})


@group_roles_required(*BOARD)
def setup_step(request, step):
    if step not in selectors.SETUP_STEPS:
        raise Http404(_("Deze stap bestaat niet."))
    steps = selectors.SETUP_STEPS
    index = steps.index(step)
    status = {i.step: i for i in selectors.setup_status()}
    context = {
        "step": step,
        "item": status[step],
        "number": index + 1,
        "total": len(steps),
        "previous": steps[index - 1] if index > 0 else None,
        "next": steps[index + 1] if index + 1 < len(steps) else None,
    }
    form = None
    profile = selectors.profile_get()
    next_url = (
        _url(request, "groups:setup_step", step=context["next"])
        if context["next"]
        else _url(request, "groups:setup")
    )
    if step == "profiel":
        form = ProfileForm(request.POST or None, instance=profile)
        if request.method == "POST" and form.is_valid():
            try:
                services.profile_update(profile=profile, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect(next_url)
    elif step == "privacy":
        initial = {}
        if profile and not profile.privacy_statement:
            initial["privacy_statement"] = _default_privacy_statement(profile)
        form = PrivacyForm(request.POST or None, instance=profile, initial=initial)
        if request.method == "POST" and form.is_valid():
            services.profile_update(profile=profile, **form.cleaned_data)
            return redirect(next_url)
    elif step == "regels":
        context["rules"] = selectors.rules_current()
        if context["rules"] is None:
            form = RulesFirstForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                try:
                    services.rules_initialise(**form.cleaned_data)
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    return redirect(next_url)
    elif step == "rollen":
        context["holders"] = selectors.role_holders()
        context["gaps"] = selectors.board_gaps()
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


# --- Members -------------------------------------------------------------------------------


@group_roles_required(*BOARD)
def member_list(request):
    show_former = request.GET.get("oud") == "1"
    return render(
        request,
        "groups/member_list.html",
        {
            "members": selectors.members_list(include_former=show_former),
            "show_former": show_former,
            "board_gaps": selectors.board_gaps(),
            "holders": selectors.role_holders(),
        },
    )


@group_roles_required(*BOARD)
def member_new(request):
    form = MemberNewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.member_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("%(name)s staat in het ledenregister.") % {"name": member.name}
            )
            return redirect(_url(request, "groups:member_detail", pk=member.pk))
    return _form_page(
        request,
        form,
        title=_("Nieuw lid"),
        submit=_("Opslaan"),
        back=_url(request, "groups:member_list"),
    )


def _member_for(request, pk) -> Member:
    member = _or_404(selectors.member_get(pk=pk))
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
            "terms": selectors.member_terms(member=member),
            "history": history_rows(member),
            "role_form": RoleAssignForm() if request.group_access.is_board else None,
        },
    )


def my_data(request):
    """A member's own entry in the register, and their AVG download."""
    member = selectors.member_for_user(user_id=request.user.pk)
    return render(
        request,
        "groups/my_data.html",
        {"member": member, "terms": selectors.member_terms(member=member) if member else []},
    )


@group_roles_required(*BOARD)
def member_edit(request, pk):
    member = _or_404(selectors.member_get(pk=pk))
    if member.is_anonymised:
        raise PermissionDenied
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect(_url(request, "groups:member_detail", pk=member.pk))
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
    data = selectors.member_export_data(member=member)
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
    member = _or_404(selectors.member_get(pk=pk))
    error = None
    if request.method == "POST":
        try:
            services.member_anonymise(
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
    member = _or_404(selectors.member_get(pk=pk))
    form = RoleAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_assign(group=request.group, member=member, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De rol is toegevoegd."))
            return redirect(_url(request, "groups:member_detail", pk=member.pk))
    return _form_page(
        request,
        form,
        title=_("Rol geven aan %(name)s") % {"name": member.name},
        submit=_("Rol geven"),
        back=_url(request, "groups:member_detail", pk=member.pk),
    )


@group_roles_required(*BOARD)
def role_end(request, pk):
    term = _or_404(selectors.term_get(pk=pk))
    form = RoleEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_end(group=request.group, term=term, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De termijn is beëindigd."))
            return redirect(_url(request, "groups:member_detail", pk=term.member_id))
    return _form_page(
        request,
        form,
        title=_("Termijn beëindigen: %(term)s") % {"term": term},
        submit=_("Beëindigen"),
        back=_url(request, "groups:member_detail", pk=term.member_id),
    )


@group_roles_required(*BOARD)
def role_handover(request, pk):
    term = _or_404(selectors.term_get(pk=pk))
    form = HandoverForm(
        request.POST or None, members=selectors.members_list().exclude(pk=term.member_id)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.role_handover(
                group=request.group, term=term, by_user_id=request.user.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De rol is overgedragen."))
            return redirect(_url(request, "groups:member_list"))
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


# --- Rules ---------------------------------------------------------------------------------


def rules(request):
    current = selectors.rules_current()
    return render(
        request,
        "groups/rules.html",
        {
            "rules": current,
            "versions": selectors.rules_versions(),
            "history": history_rows(current) if current else [],
        },
    )


@group_roles_required(*BOARD)
def rules_change(request):
    current = selectors.rules_current()
    if current is None:
        return redirect(_url(request, "groups:setup_step", step="regels"))
    form = RulesChangeForm(
        request.POST or None,
        instance=None,
        decisions=selectors.decisions_for_rules_change(),
        initial={f: getattr(current, f) for f in RulesChangeForm.Meta.fields if f != "decision"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        decision = data.pop("decision")
        try:
            services.rules_change(decision=decision, by_user_id=request.user.pk, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De nieuwe beslisregels zijn vastgelegd."))
            return redirect(_url(request, "groups:rules"))
    return _form_page(
        request,
        form,
        title=_("Beslisregels wijzigen"),
        submit=_("Nieuwe regels vastleggen"),
        back=_url(request, "groups:rules"),
        intro=_(
            "Een wijziging van de regels is zelf een besluit. "
            "Leg dat besluit eerst vast in een vergadering."
        ),
    )


# --- Meetings ------------------------------------------------------------------------------


def meeting_list(request):
    return render(request, "groups/meeting_list.html", {"meetings": selectors.meetings_list()})


@group_roles_required(*BOARD)
def meeting_new(request):
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De vergadering is vastgelegd. Vul nu in wie er waren."))
            return redirect(_url(request, "groups:meeting_detail", pk=meeting.pk))
    return _form_page(
        request,
        form,
        title=_("Nieuwe vergadering"),
        submit=_("Opslaan"),
        back=_url(request, "groups:meeting_list"),
    )


def _attendance_form(request, meeting, data=None):
    return AttendanceForm(
        data,
        members=selectors.members_eligible_for(meeting=meeting),
        with_guests=meeting.kind == Meeting.Kind.NEIGHBOURHOOD,
        initial={
            "present": [m.pk for m in selectors.meeting_attendees(meeting=meeting)],
            "guests": meeting.guests,
        },
    )


def meeting_detail(request, pk):
    meeting = _or_404(selectors.meeting_get(pk=pk))
    is_board = request.group_access.is_board
    decisions = list(meeting.decisions.order_by("year", "number"))
    context = {
        "meeting": meeting,
        "quorum": selectors.meeting_quorum(meeting=meeting),
        "decisions": decisions,
        "history": history_rows(meeting),
        "attendees": selectors.meeting_attendees(meeting=meeting) if is_board else None,
    }
    if is_board and not decisions:
        context["attendance_form"] = _attendance_form(request, meeting)
    return render(request, "groups/meeting_detail.html", context)


@group_roles_required(*BOARD)
def meeting_edit(request, pk):
    meeting = _or_404(selectors.meeting_get(pk=pk))
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De vergadering is opgeslagen."))
            return redirect(_url(request, "groups:meeting_detail", pk=meeting.pk))
    return _form_page(
        request,
        form,
        title=_("Vergadering bewerken"),
        submit=_("Opslaan"),
        back=_url(request, "groups:meeting_detail", pk=meeting.pk),
    )


@group_roles_required(*BOARD)
@require_POST
def meeting_attendance(request, pk):
    """Save who was there; with htmx only the attendance block is swapped."""
    meeting = _or_404(selectors.meeting_get(pk=pk))
    form = _attendance_form(request, meeting, request.POST)
    saved = False
    if form.is_valid():
        try:
            services.meeting_set_attendance(
                meeting=meeting,
                present=list(form.cleaned_data["present"]),
                guests=form.cleaned_data.get("guests"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            saved = True
    if saved and not request.htmx:
        messages.success(request, _("De aanwezigheid is opgeslagen."))
        return redirect(_url(request, "groups:meeting_detail", pk=meeting.pk))
    meeting.refresh_from_db()
    context = {
        "meeting": meeting,
        "quorum": selectors.meeting_quorum(meeting=meeting),
        "attendance_form": _attendance_form(request, meeting) if saved else form,
        "saved": saved,
    }
    status = 200 if saved else 400
    if request.htmx:
        return render(request, "groups/_attendance.html", context, status=status)
    return render(
        request,
        "groups/meeting_detail.html",
        {
            **context,
            "decisions": [],
            "history": history_rows(meeting),
            "attendees": selectors.meeting_attendees(meeting=meeting),
        },
        status=status,
    )


# --- Decisions -----------------------------------------------------------------------------


@group_roles_required(*BOARD)
def decision_new(request, pk):
    meeting = _or_404(selectors.meeting_get(pk=pk))
    quorum = selectors.meeting_quorum(meeting=meeting)
    form = DecisionForm(
        request.POST or None,
        initial={"decided_on": meeting.held_on, "present_count": quorum.present_total},
    )
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                meeting=meeting, by_user_id=request.user.pk, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if decision.is_valid:
                messages.success(
                    request, _("Besluit %(ref)s is vastgelegd.") % {"ref": decision.reference}
                )
            else:
                messages.warning(
                    request,
                    _("Besluit %(ref)s is vastgelegd, maar is ongeldig: %(why)s.")
                    % {"ref": decision.reference, "why": decision.get_outcome_display()},
                )
            return redirect(_url(request, "groups:decision_detail", pk=decision.pk))
    return _page(
        request,
        "groups/decision_new.html",
        {"form": form, "meeting": meeting, "quorum": quorum},
        form,
    )


def decision_list(request):
    years = selectors.decision_years()
    form = DecisionFilterForm(request.GET or None, years=years)
    filters = selectors.DecisionFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.DecisionFilters(**form.cleaned_data)
    return render(
        request,
        "groups/decision_list.html",
        {"decisions": selectors.decisions_list(filters=filters)[:200], "form": form},
    )


def decision_detail(request, pk):
    decision = _or_404(selectors.decision_get(pk=pk))
    return render(
        request,
        "groups/decision_detail.html",
        {"decision": decision, "history": history_rows(decision)},
    )


@group_roles_required(*BOARD)
def decision_edit(request, pk):
    decision = _or_404(selectors.decision_get(pk=pk))
    form = DecisionEditForm(request.POST or None, instance=decision)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_update(decision=decision, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het besluit is opgeslagen."))
            return redirect(_url(request, "groups:decision_detail", pk=decision.pk))
    return _form_page(
        request,
        form,
        title=_("Besluit %(ref)s bewerken") % {"ref": decision.reference},
        submit=_("Opslaan"),
        back=_url(request, "groups:decision_detail", pk=decision.pk),
        intro=_(
            "Stemmen, datum en bedrag liggen vast. "
            "Is daar iets fout, leg dan een nieuw besluit vast."
        ),
    )


@group_roles_required(*BOARD)
@require_POST
def decision_publish(request, pk):
    decision = _or_404(selectors.decision_get(pk=pk))
    publish = request.POST.get("publish") == "1"
    services.decision_publish(decision=decision, publish=publish, by_user_id=request.user.pk)
    messages.success(
        request,
        _("Het besluit staat op de openbare pagina.")
        if publish
        else _("Het besluit staat niet meer op de openbare pagina."),
    )
    return redirect(_url(request, "groups:decision_detail", pk=decision.pk))


# --- Conflicts -----------------------------------------------------------------------------


@group_roles_required(*BOARD, allow_support=True)
def conflict_list(request):
    return render(
        request,
        "groups/conflict_list.html",
        {"conflicts": selectors.conflicts_list(), "rules": selectors.rules_current()},
    )


@group_roles_required(*BOARD)
def conflict_new(request):
    form = ConflictForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        conflict = services.conflict_create(**form.cleaned_data)
        messages.success(request, _("Het conflict is vastgelegd."))
        return redirect(_url(request, "groups:conflict_detail", pk=conflict.pk))
    rules_now = selectors.rules_current()
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
    conflict = _or_404(selectors.conflict_get(pk=pk))
    return render(
        request,
        "groups/conflict_detail.html",
        {"conflict": conflict, "history": history_rows(conflict)},
    )


@group_roles_required(*BOARD)
def conflict_edit(request, pk):
    conflict = _or_404(selectors.conflict_get(pk=pk))
    form = ConflictForm(request.POST or None, instance=conflict)
    if request.method == "POST" and form.is_valid():
        services.conflict_update(conflict=conflict, **form.cleaned_data)
        messages.success(request, _("Het conflict is opgeslagen."))
        return redirect(_url(request, "groups:conflict_detail", pk=conflict.pk))
    return _form_page(
        request,
        form,
        title=_("Conflict bijwerken"),
        submit=_("Opslaan"),
        back=_url(request, "groups:conflict_detail", pk=conflict.pk),
    )


# --- Partners ------------------------------------------------------------------------------


def partner_list(request):
    return render(request, "groups/partner_list.html", {"partners": selectors.partners_list()})


@group_roles_required(*BOARD)
def partner_new(request):
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        partner = services.partner_create(**form.cleaned_data)
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
    partner = _or_404(selectors.partner_get(pk=pk))
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
    partner = _or_404(selectors.partner_get(pk=pk))
    form = PartnerForm(request.POST or None, instance=partner)
    if request.method == "POST" and form.is_valid():
        services.partner_update(partner=partner, **form.cleaned_data)
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
    partner = _or_404(selectors.partner_get(pk=pk))
    form = AgreementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.agreement_create(partner=partner, **form.cleaned_data)
        messages.success(request, _("De afspraak is vastgelegd."))
        return redirect(_url(request, "groups:partner_detail", pk=partner.pk))
    return _form_page(
        request,
        form,
        title=_("Afspraak met %(name)s") % {"name": partner.name},
        submit=_("Opslaan"),
        back=_url(request, "groups:partner_detail", pk=partner.pk),
    )
