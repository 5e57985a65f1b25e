"""Pages for expense claims: submit, approve, reject, pay."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from finance.bank import payments
from finance.bank.models import BankAccount
from finance.claims import selectors as claim_selectors
from finance.claims import services as claims
from finance.claims.forms import ApproveForm, ClaimForm, ExportForm, RejectForm
from finance.claims.models import ExpenseClaim
from finance.ledger import receipts
from finance.roles import TREASURER
from finance.web import file_response, members, members_or_support, page_url, render_page, treasurer
from tenants.history import history_rows


def _sees_all_claims(access) -> bool:
    return access.is_board or access.is_audit or access.is_support


@members_or_support
def claim_list(request):
    access = request.group_access
    own = not _sees_all_claims(access) or request.GET.get("van") == "mij"
    qs = claim_selectors.claims(
        user_id=request.user.pk if own else None,
        status=request.GET.get("status") or None,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "finance/claims/list.html",
        {"page": page, "own": own, "statuses": ExpenseClaim.Status.choices},
    )


@members
def claim_new(request):
    form = ClaimForm(
        request.POST or None,
        request.FILES or None,
        initial={"account_holder": request.user.get_full_name()[:70]},
    )

    def save(data):
        return claims.claim_submit(
            user=request.user,
            amount=data["amount"],
            spent_on=data["spent_on"],
            description=data["description"],
            iban=data["iban"],
            account_holder=data["account_holder"],
            receipt_name=data["receipt"].name,
            receipt_data=receipts.read_upload(data["receipt"]),
            decision_id=data["decision"].pk if data["decision"] else None,
        )

    saved = form_saved(
        request,
        form,
        save,
        success=lambda claim: _("Je declaratie D%(n)s is ingediend.") % {"n": claim.number},
        then=lambda claim: page_url(request, "claim", pk=claim.pk),
    )
    return saved or render_page(
        request,
        "finance/claims/form.html",
        {"form": form, "title": _("Declaratie indienen")},
        form,
    )


def _claim_for(request, pk) -> ExpenseClaim:
    try:
        claim = claim_selectors.claim_get(pk=pk)
    except ExpenseClaim.DoesNotExist:
        raise Http404 from None
    if claim.claimant_id != request.user.pk and not _sees_all_claims(request.group_access):
        raise Http404
    return claim


@members_or_support
def claim_detail(request, pk, form=None):
    claim = _claim_for(request, pk)
    allowed, reason = claims.may_approve(claim, request.user, request.group_access)
    first_step = claim.status == ExpenseClaim.Status.SUBMITTED
    context = {
        "claim": claim,
        "events": claim_selectors.claim_events(claim=claim),
        "history": history_rows(claim),
        "may_approve": allowed,
        "approve_reason": reason,
        "next_role": claims.next_step_role(claim),
        "steps": claims.required_steps(claim),
        "approve_form": form
        or ApproveForm(
            first_step=first_step,
            initial={"category": claim.category_id, "budget_line": claim.budget_line_id},
        ),
        "reject_form": RejectForm(),
        "may_reject": request.group_access.has_any(TREASURER, "voorzitter")
        and claim.claimant_id != request.user.pk
        and claim.status not in {ExpenseClaim.Status.PAID, ExpenseClaim.Status.REJECTED},
    }
    return render(request, "finance/claims/detail.html", context, status=400 if form else 200)


@members
@require_POST
def claim_approve(request, pk):
    claim = _claim_for(request, pk)
    form = ApproveForm(request.POST, first_step=claim.status == ExpenseClaim.Status.SUBMITTED)
    saved = form_saved(
        request,
        form,
        lambda data: claims.claim_approve(
            claim=claim,
            user=request.user,
            category=data.get("category"),
            budget_line=data.get("budget_line"),
            note=data["note"],
        ),
        success=_("Goedgekeurd."),
        then=page_url(request, "claim", pk=pk),
    )
    return saved or claim_detail.__wrapped__(request, pk, form=form)


@members
@require_POST
def claim_reject(request, pk):
    claim = _claim_for(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf kort waarom, zodat de indiener het weet."))
        return redirect(page_url(request, "claim", pk=pk))
    try:
        claims.claim_reject(claim=claim, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De declaratie is afgewezen."))
    return redirect(page_url(request, "claim", pk=pk))


@members_or_support
def claim_receipt(request, pk):
    claim = _claim_for(request, pk)
    from django.db import connection

    return file_response(
        claim.receipt,
        name=claim.receipt_name,
        content_type=claim.receipt_type,
        prefix=f"{connection.schema_name}/claims/",
    )


@treasurer
def claims_export(request):
    form = ExportForm(
        request.POST or None,
        initial={
            "execution_date": timezone.localdate(),
            "bank_account": BankAccount.objects.filter(is_active=True).first(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = payments.claims_export(
                user=request.user,
                claims=list(data["claims"]),
                orders=list(data["orders"]),
                bank_account=data["bank_account"],
                execution_date=data["execution_date"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "messages", [str(exc)]))
        else:
            response = HttpResponse(content, content_type="application/xml")
            name = f"betaalbestand-{data['execution_date']:%Y%m%d}.xml"
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
    return render_page(
        request,
        "finance/claims/export.html",
        {"form": form, "title": _("Betaalbestand voor declaraties en uitbetalingen")},
        form,
    )
