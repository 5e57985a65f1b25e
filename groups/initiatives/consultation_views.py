"""Pages of the neighbourhood consultation: voting online (public), paper entry, results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.client_address import client_address
from backoffice.core.forms import add_service_errors, form_saved
from groups import facade as groups
from groups.initiatives import consultation
from groups.initiatives.forms import BallotForm
from groups.initiatives.models import Round
from groups.initiatives.views import _or_404, _status, _url
from groups.initiatives.voucher_views import _pdf
from tenants.facade import BOARD_ROLES, group_roles_required


@login_not_required
def vote(request):
    today = timezone.localdate()
    round_ = (
        Round.objects.filter(
            decided_by=Round.DecidedBy.CONSULTATION, opens_on__lte=today, ends_on__gte=today
        )
        .order_by("ends_on")
        .first()
    )
    initiatives = list(consultation.eligible(round_)) if round_ else []
    form = BallotForm(
        request.POST or None,
        initial={"code": request.GET.get("code", "")[:40]},
        round_=round_,
        initiatives=initiatives,
    )
    done = False
    if request.method == "POST" and round_ and form.is_valid():
        try:
            consultation.vote_online(
                round_=round_,
                code=form.cleaned_data["code"],
                choices=form.choices(),
                address=client_address(request) or "?",
                today=today,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = True
    return render(
        request,
        "initiatives/vote.html",
        {"form": form, "round": round_, "done": done, "public_group": request.group},
        status=_status(form),
    )


def _round(pk):
    return _or_404(Round.objects.filter(pk=pk, decided_by=Round.DecidedBy.CONSULTATION).first())


@group_roles_required(*consultation.VOLUNTEERS)
def round_consultation(request, pk):
    round_ = _round(pk)
    if request.method == "POST" and request.POST.get("action") == "issue":
        if not request.group_access.is_board:
            raise _or_404(None)
        try:
            printed = consultation.codes_issue(round_=round_, user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_url(request, "initiatives:round_consultation", pk=round_.pk))
        return _pdf(request, round_, printed, f"stemcodes-ronde-{round_.pk}", kind="vote")
    return render(
        request,
        "initiatives/round_consultation.html",
        {
            "round": round_,
            "results": consultation.results(round_),
            "mismatches": consultation.mismatches(round_),
            "meetings": groups.meetings_for_decisions(),
        },
    )


@group_roles_required(*consultation.VOLUNTEERS)
def paper(request, pk):
    """A volunteer types a paper ballot; a second volunteer types it again."""
    round_ = _round(pk)
    form = BallotForm(
        request.POST or None, round_=round_, initiatives=consultation.eligible(round_)
    )
    saved = form_saved(
        request,
        form,
        lambda data: consultation.paper_enter(
            round_=round_, user=request.user, code=data["code"], choices=form.choices()
        ),
        success=_paper_entered,
        then=_url(request, "initiatives:paper", pk=round_.pk),
    )
    return saved or render(
        request,
        "initiatives/form.html",
        {
            "form": form,
            "title": _("Papieren stem invoeren — %(round)s") % {"round": round_.name},
            "submit": _("Invoeren"),
            "back": _url(request, "initiatives:round_consultation", pk=round_.pk),
            "intro": _(
                "Elk papieren stembiljet wordt door twee verschillende vrijwilligers "
                "ingevoerd. Pas als beide invoeren gelijk zijn, telt de stem."
            ),
        },
        status=_status(form),
    )


def _paper_entered(result):
    if result.counted:
        return _("Beide invoeren kloppen: de stem telt.")
    if result.mismatch:
        return messages.ERROR, _(
            "Deze invoer verschilt van die van de andere vrijwilliger. De stem telt "
            "nog niet; het bestuur kijkt het papieren stembiljet na."
        )
    return _("Ingevoerd. Een andere vrijwilliger voert dit stembiljet nog eens in.")


@require_POST
@group_roles_required(*BOARD_ROLES)
def paper_discard(request, pk):
    round_ = _round(pk)
    try:
        code_id = int(request.POST.get("voting_code", ""))
    except ValueError:
        code_id = 0
    n = consultation.paper_discard(round_=round_, user=request.user, voting_code_id=code_id)
    messages.success(
        request, _("%(n)s invoeren weggezet; voer het stembiljet opnieuw in.") % {"n": n}
    )
    return redirect(_url(request, "initiatives:round_consultation", pk=round_.pk))


@require_POST
@group_roles_required(*BOARD_ROLES)
def results_record(request, pk):
    round_ = _round(pk)
    try:
        meeting_id = int(request.POST.get("meeting_id", ""))
        decision = consultation.results_record(
            round_=round_, user=request.user, meeting_id=meeting_id
        )
    except (ValueError, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [_("Kies een vergadering.")])))
    else:
        messages.success(
            request, _("De uitslag is vastgelegd in besluit %(ref)s.") % {"ref": decision.reference}
        )
    return redirect(_url(request, "initiatives:round_consultation", pk=round_.pk))
