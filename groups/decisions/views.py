"""Pages of rules, meetings and decisions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import add_service_errors, form_saved
from finance import facade as finance_facade
from groups.decisions import selectors as decision_selectors
from groups.decisions import services as decision_services
from groups.decisions.forms import (
    AttendanceForm,
    DecisionEditForm,
    DecisionFilterForm,
    DecisionForm,
    MeetingForm,
    RulesChangeForm,
)
from groups.decisions.models import Meeting
from groups.web import BOARD, _form_page, _or_404, _page, _url
from tenants.facade import group_roles_required
from tenants.history import history_rows


def rules(request):
    current = decision_selectors.rules_current()
    return render(
        request,
        "groups/rules.html",
        {
            "rules": current,
            "versions": decision_selectors.rules_versions(),
            "history": history_rows(current) if current else [],
        },
    )


@group_roles_required(*BOARD)
def rules_change(request):
    current = decision_selectors.rules_current()
    if current is None:
        return redirect(_url(request, "groups:setup_step", step="regels"))
    form = RulesChangeForm(
        request.POST or None,
        instance=None,
        decisions=decision_selectors.decisions_for_rules_change(),
        initial={f: getattr(current, f) for f in RulesChangeForm.Meta.fields if f != "decision"},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        decision = data.pop("decision")
        try:
            decision_services.rules_change(decision=decision, by_user_id=request.user.pk, **data)
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


def meeting_list(request):
    return render(
        request, "groups/meeting_list.html", {"meetings": decision_selectors.meetings_list()}
    )


@group_roles_required(*BOARD)
def meeting_new(request):
    form = MeetingForm(request.POST or None, initial={"held_on": timezone.localdate()})
    saved = form_saved(
        request,
        form,
        lambda data: decision_services.meeting_create(**data),
        success=_("De vergadering is vastgelegd. Vul nu in wie er waren."),
        then=lambda meeting: _url(request, "groups:meeting_detail", pk=meeting.pk),
    )
    if saved:
        return saved
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
        members=decision_selectors.members_eligible_for(meeting=meeting),
        with_guests=meeting.kind == Meeting.Kind.NEIGHBOURHOOD,
        initial={
            "present": [m.pk for m in decision_selectors.meeting_attendees(meeting=meeting)],
            "guests": meeting.guests,
        },
    )


def meeting_detail(request, pk):
    meeting = _or_404(decision_selectors.meeting_get(pk=pk))
    is_board = request.group_access.is_board
    decisions = list(meeting.decisions.order_by("year", "number"))
    context = {
        "meeting": meeting,
        "quorum": decision_selectors.meeting_quorum(meeting=meeting),
        "decisions": decisions,
        "history": history_rows(meeting),
        "attendees": decision_selectors.meeting_attendees(meeting=meeting) if is_board else None,
    }
    if is_board and not decisions:
        context["attendance_form"] = _attendance_form(request, meeting)
    return render(request, "groups/meeting_detail.html", context)


@group_roles_required(*BOARD)
def meeting_edit(request, pk):
    meeting = _or_404(decision_selectors.meeting_get(pk=pk))
    form = MeetingForm(request.POST or None, instance=meeting)
    saved = form_saved(
        request,
        form,
        lambda data: decision_services.meeting_update(meeting=meeting, **data),
        success=_("De vergadering is opgeslagen."),
        then=_url(request, "groups:meeting_detail", pk=meeting.pk),
    )
    if saved:
        return saved
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
    meeting = _or_404(decision_selectors.meeting_get(pk=pk))
    form = _attendance_form(request, meeting, request.POST)
    saved = False
    if form.is_valid():
        try:
            decision_services.meeting_set_attendance(
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
        "quorum": decision_selectors.meeting_quorum(meeting=meeting),
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
            "attendees": decision_selectors.meeting_attendees(meeting=meeting),
        },
        status=status,
    )


@group_roles_required(*BOARD)
def decision_new(request, pk):
    meeting = _or_404(decision_selectors.meeting_get(pk=pk))
    quorum = decision_selectors.meeting_quorum(meeting=meeting)
    form = DecisionForm(
        request.POST or None,
        initial={"decided_on": meeting.held_on, "present_count": quorum.present_total},
        budget_lines=finance_facade.budget_line_options(),
    )

    def said(decision):
        if decision.is_valid:
            return _("Besluit %(ref)s is vastgelegd.") % {"ref": decision.reference}
        return messages.WARNING, _("Besluit %(ref)s is vastgelegd, maar is ongeldig: %(why)s.") % {
            "ref": decision.reference,
            "why": decision.get_outcome_display(),
        }

    saved = form_saved(
        request,
        form,
        lambda data: decision_services.decision_record(
            meeting=meeting, by_user_id=request.user.pk, **data
        ),
        success=said,
        then=lambda decision: _url(request, "groups:decision_detail", pk=decision.pk),
    )
    if saved:
        return saved
    return _page(
        request,
        "groups/decision_new.html",
        {"form": form, "meeting": meeting, "quorum": quorum},
        form,
    )


def decision_list(request):
    years = decision_selectors.decision_years()
    form = DecisionFilterForm(request.GET or None, years=years)
    filters = decision_selectors.DecisionFilters()
    if form.is_bound and form.is_valid():
        filters = decision_selectors.DecisionFilters(**form.cleaned_data)
    return render(
        request,
        "groups/decision_list.html",
        {"decisions": decision_selectors.decisions_list(filters=filters)[:200], "form": form},
    )


def decision_detail(request, pk):
    decision = _or_404(decision_selectors.decision_get(pk=pk))
    return render(
        request,
        "groups/decision_detail.html",
        {
            "decision": decision,
            "history": history_rows(decision),
            "budget_line": finance_facade.budget_line_label(decision.budget_line_id),
        },
    )


@group_roles_required(*BOARD)
def decision_edit(request, pk):
    decision = _or_404(decision_selectors.decision_get(pk=pk))
    form = DecisionEditForm(
        request.POST or None, instance=decision, budget_lines=finance_facade.budget_line_options()
    )
    saved = form_saved(
        request,
        form,
        lambda data: decision_services.decision_update(decision=decision, **data),
        success=_("Het besluit is opgeslagen."),
        then=_url(request, "groups:decision_detail", pk=decision.pk),
    )
    if saved:
        return saved
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
    decision = _or_404(decision_selectors.decision_get(pk=pk))
    publish = request.POST.get("publish") == "1"
    decision_services.decision_publish(
        decision=decision, publish=publish, by_user_id=request.user.pk
    )
    messages.success(
        request,
        _("Het besluit staat op de openbare pagina.")
        if publish
        else _("Het besluit staat niet meer op de openbare pagina."),
    )
    return redirect(_url(request, "groups:decision_detail", pk=decision.pk))
