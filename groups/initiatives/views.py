"""Pages of initiatives: the public place (no login) and the board's pages."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.client_address import client_address
from backoffice.core.forms import add_service_errors, form_saved
from finance import facade as finance
from groups import facade as groups
from groups.initiatives import assessment, money, selectors, services
from groups.initiatives.forms import (
    AccountabilityForm,
    ApplicationForm,
    DecideForm,
    DeclarationForm,
    InitiatorEditForm,
    PayForm,
    PayoutForm,
    ReceiptForm,
    ReceiptReviewForm,
    ReceiptsPayForm,
    RoundForm,
    ScoreForm,
)
from groups.initiatives.models import Attachment, Declaration, Initiative
from groups.initiatives.protection import rate_hit
from tenants.facade import BOARD_ROLES, Role, group_roles_required
from tenants.history import history_rows
from tenants.templatetags.group_urls import group_reverse

MEMBERS = (*BOARD_ROLES, Role.MEMBER)


def _url(request, name: str, **kwargs) -> str:
    return group_reverse(request.group, name, **kwargs)


def _status(form) -> int:
    return 400 if form is not None and form.is_bound and form.errors else 200


def _or_404(obj):
    if obj is None:
        raise Http404(_("Niet gevonden."))
    return obj


# --- The public place ---------------------------------------------------------------------

STATUS_TONE = {
    Initiative.Status.REJECTED: "bad",
    Initiative.Status.APPROVED: "ok",
    Initiative.Status.PARTLY: "ok",
    Initiative.Status.ACCOUNTED: "ok",
    Initiative.Status.CLOSED: "ok",
}


@login_not_required
def board(request):
    """All initiatives and their status, with the reasons of decisions. No personal data."""
    today = timezone.localdate()
    try:
        page = max(1, int(request.GET.get("pagina", "1")))
    except ValueError:
        page = 1
    initiatives, more = selectors.board_public(page=page)
    # One reverse for the page, not one per card; the status badge's tone without an include.
    detail = _url(request, "initiatives:public_detail", pk=0)[: -len("0/")]
    for initiative in initiatives:
        initiative.public_url = f"{detail}{initiative.pk}/"
        initiative.tone = STATUS_TONE.get(initiative.status, "")
    return render(
        request,
        "initiatives/board.html",
        {
            "rounds_open": list(selectors.rounds_open(today)),
            "initiatives": initiatives,
            "page": page,
            "next_page": page + 1 if more else None,
            "previous_page": page - 1 if page > 1 else None,
            "public_group": request.group,
            "awarded_word": _("toegekend"),
            "requested_word": _("gevraagd"),
        },
    )


@login_not_required
def public_detail(request, pk):
    initiative = _or_404(selectors.initiative_public(pk))
    return render(
        request,
        "initiatives/public_detail.html",
        {"initiative": initiative, "public_group": request.group},
    )


def _link_base(request) -> str:
    return request.build_absolute_uri(_url(request, "initiatives:personal", token="T"))[:-2]


def _apply(request, *, desk: bool):
    today = timezone.localdate()
    open_rounds = list(selectors.rounds_open(today))
    form = ApplicationForm(request.POST or None, request.FILES or None, rounds=open_rounds)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            # A robot filled the honeypot: it sees the same thanks, nothing is written.
            return render(request, "initiatives/thanks.html", {"link": None}, status=200)
        address = client_address(request) or "?"
        email = form.cleaned_data["initiator_email"].strip().lower()
        if not desk and not (
            rate_hit(f"apply-ip:{address}", limit=10, window=datetime.timedelta(hours=1))
            and rate_hit(f"apply-mail:{email}", limit=3, window=datetime.timedelta(days=1))
        ):
            form.add_error(
                None, _("Er zijn de laatste tijd te veel aanvragen vanaf hier. Probeer het later.")
            )
        else:
            round_ = next(r for r in open_rounds if r.pk == form.cleaned_data["round_id"])
            try:
                submitted = services.initiative_submit(
                    round_=round_,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    description=form.cleaned_data["description"],
                    items=form.items(),
                    initiator_name=form.cleaned_data["initiator_name"],
                    initiator_email=email,
                    initiator_phone=form.cleaned_data["initiator_phone"],
                    uploads=form.cleaned_data["uploads"],
                    desk_user=request.user if desk else None,
                    link_base=_link_base(request),
                    today=today,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                link = _link_base(request) + submitted.token + "/"
                return render(
                    request,
                    "initiatives/thanks.html",
                    {"link": link, "initiative": submitted.initiative, "desk": desk},
                )
    return render(
        request,
        "initiatives/apply.html",
        {"form": form, "rounds_open": open_rounds, "desk": desk, "public_group": request.group},
        status=_status(form),
    )


@login_not_required
def apply(request):
    return _apply(request, desk=False)


@group_roles_required(*MEMBERS)
def desk(request):
    """A volunteer at a desk submits on a resident's behalf (recorded as such)."""
    return _apply(request, desk=True)


@login_not_required
def personal(request, token):
    """The initiator's own page, reached by the personal link only."""
    initiative = _or_404(selectors.initiative_by_token(token))
    editable = initiative.status in services.EDITABLE
    form = None
    if editable:
        initial = {
            "title": initiative.title,
            "summary": initiative.summary,
            "description": initiative.description,
        }
        for i, item in enumerate(initiative.items.all()[:5]):
            initial[f"item_{i}_description"] = item.description
            initial[f"item_{i}_amount"] = item.amount
        form = InitiatorEditForm(request.POST or None, initial=initial)
        saved = form_saved(
            request,
            form,
            lambda data: services.initiative_edit_by_initiator(
                initiative=initiative,
                title=data["title"],
                summary=data["summary"],
                description=data["description"],
                items=form.items(),
            ),
            success=_("Je aanvraag is aangepast."),
            then=request.path,
        )
        if saved:
            return saved
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "initiatives/personal.html",
        {"initiative": initiative, "form": form, "token": token, "public_group": request.group},
        status=_status(form),
    )


# --- The board's pages --------------------------------------------------------------------


@group_roles_required(*MEMBERS, allow_support=True)
def round_list(request):
    return render(request, "initiatives/round_list.html", {"rounds": selectors.rounds()})


@group_roles_required(*BOARD_ROLES)
def round_new(request):
    form = RoundForm(request.POST or None, budget_lines=finance.budget_line_options())
    saved = form_saved(
        request,
        form,
        lambda data: services.round_create(
            user=request.user, **{**data, "criteria": data["criteria"].splitlines()}
        ),
        success=_("De ronde is geopend."),
        then=lambda round_: _url(request, "initiatives:round_detail", pk=round_.pk),
    )
    return saved or render(
        request,
        "initiatives/form.html",
        {
            "form": form,
            "title": _("Nieuwe ronde"),
            "submit": _("Ronde openen"),
            "back": _url(request, "initiatives:round_list"),
        },
        status=_status(form),
    )


@group_roles_required(*MEMBERS, allow_support=True)
def round_detail(request, pk):
    round_ = _or_404(selectors.rounds().filter(pk=pk).first())
    return render(
        request,
        "initiatives/round_detail.html",
        {
            "round": round_,
            "line": finance.budget_line_info(round_.budget_line_id),
            "initiatives": round_.initiatives.order_by("-submitted_at"),
            "criteria": round_.criteria.all(),
        },
    )


def _assessment_forms(request, initiative):
    """The forms this person may use now: declare first, then score; the board decides."""
    declaration = None
    if request.user.is_authenticated:
        declaration = Declaration.objects.filter(
            initiative=initiative, assessor_id=request.user.pk
        ).first()
    open_ = initiative.status in assessment.OPEN
    may_assess = request.group_access.has_any(*assessment.ASSESSORS)
    forms = {"declaration": declaration}
    if open_ and may_assess and declaration is None:
        forms["declare_form"] = DeclarationForm()
    if open_ and may_assess and declaration is not None and not declaration.has_conflict:
        forms["score_form"] = ScoreForm(criteria=initiative.round.criteria.all())
    if open_ and request.group_access.is_board:
        forms["decide_form"] = DecideForm(
            meetings=groups.meetings_for_decisions(), outcomes=assessment.Outcome.CHOICES
        )
    return forms


@group_roles_required(*MEMBERS, allow_support=True)
def manage(request, pk, forms=None, status=200):
    initiative = _or_404(selectors.initiative_get(pk))
    context = {
        "initiative": initiative,
        "items": initiative.items.all(),
        "attachments": initiative.attachments.all(),
        "history": history_rows(initiative),
        "summary": assessment.summary(initiative),
        "new_link": request.session.pop(f"initiative-link-{initiative.pk}", None),
        **_assessment_forms(request, initiative),
        **(forms or {}),
    }
    context.update(_money_context(request, initiative, forms))
    return render(request, "initiatives/manage.html", context, status=status)


def _money_context(request, initiative, forms=None) -> dict:
    access = request.group_access
    forms = forms or {}
    current = money.figures(initiative)
    receipts = [a for a in initiative.attachments.all() if a.kind == Attachment.Kind.RECEIPT]
    open_for_receipts = initiative.status in money.RECEIPTS_OPEN and initiative.accepted_at is None
    context = {
        "figures": current,
        "payouts": list(initiative.payouts.select_related("request")),
        "receipts": receipts,
        "payback_requests": list(initiative.payback_requests.all()),
        "trace": _trace(initiative),
    }
    if access.is_treasurer and initiative.status in money.PAYABLE:
        context["pay_form"] = PayForm(
            initial={
                "date": timezone.localdate(),
                "amount": current.to_pay,
                "by_transfer": bool(initiative.initiator_iban),
            },
            prefix="pay",
        )
    if access.is_treasurer and open_for_receipts:
        context["review_forms"] = {
            r.pk: (
                forms["review_form"]
                if forms.get("review_failed") == r.pk
                else ReceiptReviewForm(prefix="rev", auto_id=f"id_rev{r.pk}_%s")
            )
            for r in receipts
            if r.review == Attachment.Review.NEW
        }
    if access.is_treasurer and initiative.status in money.RECEIPTS_OPEN and current.receipts_due:
        context["receipts_pay_form"] = ReceiptsPayForm(
            initial={"date": timezone.localdate(), "by_transfer": bool(initiative.initiator_iban)},
            prefix="bon",
        )
    if access.is_treasurer and current.paid > 0:
        context["return_form"] = PayoutForm(initial={"date": timezone.localdate()}, prefix="ret")
    accounted = initiative.status == Initiative.Status.ACCOUNTED
    context["may_accept"] = access.is_board and accounted and initiative.accepted_at is None
    context["may_close"] = (
        access.is_board
        and accounted
        and initiative.accepted_at is not None
        and current.to_return == 0
    )
    context["may_request_payback"] = (
        access.is_treasurer
        and accounted
        and initiative.accepted_at is not None
        and current.to_return > 0
    )
    context.update(forms)
    return context


def _trace(initiative) -> dict:
    """From the application to the bank: the decision, the bookings and their bank lines."""
    decision = None
    if initiative.decision_id:
        decision = groups.decision_refs([initiative.decision_id]).get(initiative.decision_id)
    payouts = list(initiative.payouts.all())
    entry_ids = [p.entry_id for p in payouts if p.entry_id]
    orders = finance.payment_orders([p.payment_order_id for p in payouts if p.payment_order_id])
    order_by_entry = {
        p.entry_id: orders.get(p.payment_order_id) for p in payouts if p.payment_order_id
    }
    entries = [(e, order_by_entry.get(e.id)) for e in finance.entry_refs(entry_ids)]
    return {"decision": decision, "entries": entries}


def _payout(request, pk, *, kind):
    initiative = _or_404(selectors.initiative_get(pk))
    form_class = PayForm if kind == "pay" else PayoutForm
    form = form_class(request.POST, prefix="pay" if kind == "pay" else "ret")
    service = money.advance_pay if kind == "pay" else money.advance_return
    saved = form_saved(
        request,
        form,
        lambda data: service(initiative=initiative, user=request.user, **data),
        success=_booked,
        then=_url(request, "initiatives:manage", pk=initiative.pk),
    )
    return saved or _manage_with(
        request, initiative, **{f"{'pay' if kind == 'pay' else 'return'}_form": form}
    )


def _booked(payout) -> str:
    return _("Geboekt als %(number)s.") % {"number": payout.entry_number}


@require_POST
@group_roles_required(Role.TREASURER)
def pay(request, pk):
    return _payout(request, pk, kind="pay")


@require_POST
@group_roles_required(Role.TREASURER)
def payback(request, pk):
    return _payout(request, pk, kind="return")


@require_POST
@group_roles_required(Role.TREASURER)
def receipt_review(request, pk, receipt_pk):
    """The treasurer accepts or rejects one receipt the initiator sent in."""
    initiative = _or_404(selectors.initiative_get(pk))
    receipt = _or_404(
        initiative.attachments.filter(pk=receipt_pk, kind=Attachment.Kind.RECEIPT).first()
    )
    form = ReceiptReviewForm(request.POST, prefix="rev", auto_id=f"id_rev{receipt.pk}_%s")
    saved = form_saved(
        request,
        form,
        lambda data: money.receipt_review(
            receipt=receipt,
            user=request.user,
            accept=data["decision"] == "goed",
            note=data["note"],
        ),
        success=_("Het bonnetje is bekeken."),
        then=_url(request, "initiatives:manage", pk=initiative.pk),
    )
    return saved or _manage_with(request, initiative, review_form=form, review_failed=receipt.pk)


@require_POST
@group_roles_required(Role.TREASURER)
def receipts_pay(request, pk):
    """Pay out the accepted receipts (without an advance, or beyond it), within the award."""
    initiative = _or_404(selectors.initiative_get(pk))
    form = ReceiptsPayForm(request.POST, prefix="bon")
    saved = form_saved(
        request,
        form,
        lambda data: money.receipts_pay(initiative=initiative, user=request.user, **data),
        success=_booked,
        then=_url(request, "initiatives:manage", pk=initiative.pk),
    )
    return saved or _manage_with(request, initiative, receipts_pay_form=form)


@require_POST
@group_roles_required(*BOARD_ROLES)
def accept(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    try:
        initiative = money.accountability_accept(initiative=initiative, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if initiative.status == Initiative.Status.CLOSED:
            messages.success(request, _("De verantwoording is goedgekeurd en afgerond."))
        else:
            messages.success(
                request,
                _("De verantwoording is goedgekeurd. Vraag nu het geld terug dat over is."),
            )
    return redirect(_url(request, "initiatives:manage", pk=initiative.pk))


@require_POST
@group_roles_required(Role.TREASURER)
def payback_request(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    try:
        sent = money.payback_request(initiative=initiative, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("De e-mail is verstuurd. Betalingskenmerk: %(ref)s.") % {"ref": sent.reference},
        )
    return redirect(_url(request, "initiatives:manage", pk=initiative.pk))


@require_POST
@group_roles_required(*BOARD_ROLES)
def close(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    try:
        money.close(initiative=initiative, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Het initiatief is afgerond."))
    return redirect(_url(request, "initiatives:manage", pk=initiative.pk))


@group_roles_required(*BOARD_ROLES, Role.AUDIT, allow_support=True)
def money_overview(request):
    """The treasurer's view: per initiative awarded, paid, accounted for and to return."""
    initiatives = list(
        Initiative.objects.filter(awarded_amount__isnull=False)
        .select_related("round")
        .order_by("round", "id")
    )
    per = money.figures_for(initiatives)
    rows = [(i, per[i.pk]) for i in initiatives]
    totals = {
        key: sum((getattr(f, key) for _i, f in rows), money.ZERO)
        for key in ("awarded", "paid", "accounted", "to_return")
    }
    return render(request, "initiatives/money.html", {"rows": rows, "totals": totals})


@login_not_required
def personal_account(request, token):
    """Accountability through the personal link, made for a phone: receipts, report, numbers."""
    initiative = _or_404(selectors.initiative_by_token(token))
    allowed = initiative.status in {*money.PAYABLE, Initiative.Status.ACCOUNTED}
    form = AccountabilityForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "report": initiative.report,
            "participants": initiative.participants,
            "volunteers": initiative.volunteers,
            "own_evaluation": initiative.own_evaluation,
        },
    )
    saved = allowed and form_saved(
        request,
        form,
        lambda data: money.accountability_submit(
            initiative=initiative,
            report=data["report"],
            participants=data["participants"],
            volunteers=data["volunteers"],
            own_evaluation=data["own_evaluation"],
            receipts=form.receipts(),
            photos=data["photos"],
        ),
        success=_("Dank je wel! Je verantwoording is binnen."),
        then=_url(request, "initiatives:personal", token=token),
    )
    return saved or render(
        request,
        "initiatives/account.html",
        {
            "initiative": initiative,
            "form": form if allowed else None,
            "figures": money.figures(initiative),
            "receipts": initiative.attachments.filter(kind="bon"),
            "public_group": request.group,
        },
        status=_status(form),
    )


@login_not_required
def personal_receipts(request, token):
    """The initiator sends in a receipt from a phone, to be paid back against it."""
    initiative = _or_404(selectors.initiative_by_token(token))
    allowed = initiative.status in money.RECEIPTS_OPEN and initiative.accepted_at is None
    form = ReceiptForm(
        request.POST or None,
        request.FILES or None,
        iban_known=bool(initiative.initiator_iban),
    )
    saved = allowed and form_saved(
        request,
        form,
        lambda data: money.receipt_submit(initiative=initiative, **data),
        success=_("Dank je wel! De penningmeester bekijkt je bonnetje en betaalt het uit."),
        then=_url(request, "initiatives:personal_receipts", token=token),
    )
    return saved or render(
        request,
        "initiatives/receipts.html",
        {
            "initiative": initiative,
            "form": form if allowed else None,
            "figures": money.figures(initiative),
            "receipts": initiative.attachments.filter(kind=Attachment.Kind.RECEIPT),
            "token": token,
            "public_group": request.group,
        },
        status=_status(form),
    )


def _manage_with(request, initiative, **forms):
    return manage.__wrapped__(request, initiative.pk, forms=forms, status=400)


@require_POST
@group_roles_required(*assessment.ASSESSORS)
def declare(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    form = DeclarationForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: assessment.declare(
            initiative=initiative,
            user=request.user,
            has_conflict=data["has_conflict"],
            note=data["note"],
        ),
        success=_("Je verklaring is vastgelegd."),
        then=_url(request, "initiatives:manage", pk=initiative.pk),
    )
    return saved or _manage_with(request, initiative, declare_form=form)


@require_POST
@group_roles_required(*assessment.ASSESSORS)
def score(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    form = ScoreForm(request.POST, criteria=initiative.round.criteria.all())
    saved = form_saved(
        request,
        form,
        lambda data: assessment.score(
            initiative=initiative, user=request.user, scores=form.scores()
        ),
        success=_("Je beoordeling is opgeslagen."),
        then=_url(request, "initiatives:manage", pk=initiative.pk),
    )
    return saved or _manage_with(request, initiative, score_form=form)


@require_POST
@group_roles_required(*BOARD_ROLES)
def decide(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    form = DecideForm(
        request.POST,
        meetings=groups.meetings_for_decisions(),
        outcomes=assessment.Outcome.CHOICES,
    )
    saved = form_saved(
        request,
        form,
        lambda data: assessment.decide(initiative=initiative, user=request.user, **data),
        success=_decided,
        then=_url(request, "initiatives:manage", pk=initiative.pk),
    )
    return saved or _manage_with(request, initiative, decide_form=form)


def _decided(decision):
    if decision.is_valid:
        return _("Besluit %(ref)s is vastgelegd.") % {"ref": decision.reference}
    return messages.ERROR, _(
        "Besluit %(ref)s is ongeldig (geen quorum of geen meerderheid); de "
        "aanvraag wacht nog op een besluit."
    ) % {"ref": decision.reference}


@require_POST
@group_roles_required(*BOARD_ROLES)
def link_renew(request, pk):
    initiative = _or_404(selectors.initiative_get(pk))
    token = services.link_renew(
        initiative=initiative, user=request.user, link_base=_link_base(request)
    )
    # Shown once on the next page, for a board member to pass on by phone or on paper.
    request.session[f"initiative-link-{initiative.pk}"] = _link_base(request) + token + "/"
    messages.success(request, _("Er is een nieuwe link gemaakt; de oude werkt niet meer."))
    return redirect(_url(request, "initiatives:manage", pk=initiative.pk))


def _evaluation_labels() -> dict[str, str]:
    return {
        "round": _("Ronde"),
        "submitted": _("Ingediend"),
        "assessed": _("Beoordeeld"),
        "approved": _("Goedgekeurd"),
        "rejected": _("Afgewezen"),
        "completed": _("Afgerond"),
        "awarded": _("Toegekend (€)"),
        "paid": _("Betaald (€)"),
        "accounted": _("Verantwoord (€)"),
        "returned": _("Terugbetaald (€)"),
        "participants": _("Deelnemers"),
        "volunteers": _("Vrijwilligers"),
        "codes_issued": _("Stemcodes uitgegeven"),
        "turnout_online": _("Gestemd online"),
        "turnout_paper": _("Gestemd op papier"),
        "vouchers_issued": _("Vouchers uitgegeven"),
        "vouchers_used": _("Vouchers gebruikt"),
    }


@group_roles_required(*MEMBERS, Role.AUDIT, allow_support=True)
def round_evaluation(request, pk):
    from django.http import HttpResponse

    from groups.initiatives import evaluation

    round_ = _or_404(selectors.rounds().filter(pk=pk).first())
    result = evaluation.evaluate(round_)
    labels = _evaluation_labels()
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            evaluation.evaluation_xlsx(result, labels),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="evaluatie-ronde-{round_.pk}.xlsx"'
        return response
    bars = [(labels[key], value, top) for key, value, top in result.bars()]
    return render(
        request,
        "initiatives/evaluation.html",
        {"round": round_, "e": result, "bars": bars, "labels": labels},
    )


@group_roles_required(*MEMBERS, Role.AUDIT, allow_support=True)
def origin(request, pk):
    """Back from a booking (origin: a payout) to its initiative."""
    from groups.initiatives.models import Payout

    payout = _or_404(Payout.objects.filter(pk=pk).first())
    return redirect(_url(request, "initiatives:manage", pk=payout.initiative_id))


__all__ = ["Initiative"]
