"""Pages for the bank (import, reconciliation) and expense claims. Rules live in the services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backoffice.forms import add_service_errors
from groups.models import Decision
from groups.permissions import group_roles_required
from tenants.history import history_rows
from tenants.templatetags.group_urls import group_reverse

from . import bank_import, bank_selectors, claims, receipts, reconciliation
from .bank_models import BankAccount, BankLine, ExpenseClaim, ImportJob, Statement
from .models import Account, BudgetLine, Grant
from .money import MoneyFormField
from .roles import AUDIT, BOARD, MEMBER, READERS, TREASURER

readers = group_roles_required(*READERS, allow_support=True)
treasurer = group_roles_required(TREASURER)
members = group_roles_required(*BOARD, MEMBER, AUDIT)
members_or_support = group_roles_required(*BOARD, MEMBER, AUDIT, allow_support=True)


def _url(request, name, **kwargs):
    return group_reverse(request.group, f"finance:{name}", **kwargs)


def _render(request, template, context, form=None):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _file_response(field, *, name: str, content_type: str, prefix: str):
    if not field.name.startswith(prefix):
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


# --- forms ---------------------------------------------------------------------------------


class BankAccountForm(forms.Form):
    iban = forms.CharField(label=gettext_lazy("IBAN"), max_length=42)
    name = forms.CharField(label=gettext_lazy("Naam (voor jezelf)"), max_length=120)
    holder = forms.CharField(label=gettext_lazy("Tenaamstelling bij de bank"), max_length=70)
    bic = forms.CharField(label=gettext_lazy("BIC (mag leeg)"), max_length=11, required=False)
    ledger_account = forms.ModelChoiceField(
        label=gettext_lazy("Grootboekrekening"), queryset=Account.objects.none()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ledger_account"].queryset = Account.objects.filter(
            is_cash=True, is_active=True
        ).order_by("code")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bankbestand"),
        help_text=gettext_lazy(
            "Het bestand zoals je het van de bank downloadt: CAMT.053 (xml), MT940 of CSV van "
            "ING, Rabobank, ABN AMRO, bunq of Triodos."
        ),
    )


class BookForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Categorie"), queryset=Account.objects.none()
    )
    budget_line = forms.ModelChoiceField(
        label=gettext_lazy("Begrotingspost (mag leeg)"),
        queryset=BudgetLine.objects.none(),
        required=False,
    )
    grant = forms.ModelChoiceField(
        label=gettext_lazy("Subsidie (mag leeg)"), queryset=Grant.objects.none(), required=False
    )
    description = forms.CharField(
        label=gettext_lazy("Omschrijving"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Account.objects.filter(
            is_active=True, is_cash=False
        ).order_by("code")
        self.fields["budget_line"].queryset = BudgetLine.objects.select_related("grant").order_by(
            "grant__reference", "id"
        )
        self.fields["grant"].queryset = Grant.objects.order_by("-period_start")


class ClaimForm(forms.Form):
    amount = MoneyFormField(label=gettext_lazy("Bedrag in euro"))
    spent_on = forms.DateField(
        label=gettext_lazy("Datum van de uitgave"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    description = forms.CharField(label=gettext_lazy("Waarvoor?"), max_length=200)
    receipt = forms.FileField(
        label=gettext_lazy("Bonnetje (foto of pdf)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/*,application/pdf"}),
    )
    iban = forms.CharField(label=gettext_lazy("Jouw IBAN"), max_length=42)
    account_holder = forms.CharField(label=gettext_lazy("Ten name van"), max_length=70)
    decision = forms.ModelChoiceField(
        label=gettext_lazy("Besluit (nodig bij grotere bedragen)"),
        queryset=Decision.objects.none(),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.filter(amount__isnull=False).order_by(
            "-decided_on", "-id"
        )


class ApproveForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("Categorie voor de boeking"),
        queryset=Account.objects.none(),
        required=False,
    )
    budget_line = forms.ModelChoiceField(
        label=gettext_lazy("Begrotingspost (mag leeg)"),
        queryset=BudgetLine.objects.none(),
        required=False,
    )
    note = forms.CharField(label=gettext_lazy("Opmerking (mag leeg)"), required=False)

    def __init__(self, *args, first_step: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if first_step:
            self.fields["category"].queryset = Account.objects.filter(
                kind=Account.Kind.EXPENSE, is_active=True
            ).order_by("code")
            self.fields["budget_line"].queryset = BudgetLine.objects.select_related(
                "grant"
            ).order_by("grant__reference", "id")
        else:
            del self.fields["category"], self.fields["budget_line"]


class RejectForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Waarom afgewezen?"), widget=forms.Textarea)


class ExportForm(forms.Form):
    bank_account = forms.ModelChoiceField(
        label=gettext_lazy("Betalen vanaf"), queryset=BankAccount.objects.none()
    )
    execution_date = forms.DateField(
        label=gettext_lazy("Uitvoerdatum"), widget=forms.DateInput(attrs={"type": "date"})
    )
    claims = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Declaraties"),
        queryset=ExpenseClaim.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_account"].queryset = BankAccount.objects.filter(is_active=True)
        self.fields["claims"].queryset = bank_selectors.claims_to_pay()
        self.fields["claims"].label_from_instance = lambda c: (
            f"D{c.number} — {c.claimant_name} — € {c.amount} — {c.description}"
        )


# --- bank ----------------------------------------------------------------------------------


@readers
def bank_overview(request):
    return render(
        request,
        "finance/bank/overview.html",
        {
            "accounts": list(bank_selectors.bank_accounts()),
            "statements": list(bank_selectors.statements()[:20]),
            "summary": bank_selectors.unreconciled_summary(),
        },
    )


@readers
def dashboard_block(request):
    """The bank block of the finance dashboard (loaded by htmx): open lines and claims."""
    context = {
        **bank_selectors.unreconciled_summary(),
        "claims_waiting": bank_selectors.claims_waiting_count(),
    }
    return render(request, "finance/bank/_dashboard.html", context)


@treasurer
def bank_account_new(request):
    form = BankAccountForm(request.POST or None, initial={"holder": request.group.name[:70]})
    if request.method == "POST" and form.is_valid():
        try:
            bank_import.bank_account_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De bankrekening is toegevoegd."))
            return redirect(_url(request, "bank"))
    return _render(
        request,
        "finance/bank/form.html",
        {"form": form, "title": _("Bankrekening toevoegen")},
        form,
    )


@treasurer
def statement_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > bank_import.MAX_BYTES:
                raise ValidationError({"file": _("Het bestand is groter dan 20 MB.")})
            job = bank_import.job_create(
                data=upload.read(), filename=upload.name, user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            bank_import.job_start(
                job=job,
                user=request.user,
                group=request.group,
                inline=getattr(settings, "BANK_IMPORT_INLINE", False),
            )
            return redirect(_url(request, "bank_job", pk=job.pk))
    return _render(
        request,
        "finance/bank/import.html",
        {"form": form, "jobs": ImportJob.objects.all()[:5]},
        form,
    )


@treasurer
def import_job(request, pk):
    try:
        job = bank_selectors.import_job_get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None
    template = "finance/bank/_job.html" if request.htmx else "finance/bank/job.html"
    return render(request, template, {"job": job})


@readers
def statement_detail(request, pk):
    try:
        statement = bank_selectors.statement_get(pk=pk)
    except Statement.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "finance/bank/statement.html",
        {"statement": statement, "history": history_rows(statement)},
    )


@readers
def statement_download(request, pk):
    try:
        statement = bank_selectors.statement_get(pk=pk)
    except Statement.DoesNotExist:
        raise Http404 from None
    from django.db import connection

    return _file_response(
        statement.file,
        name=statement.original_name,
        content_type="application/octet-stream",
        prefix=f"{connection.schema_name}/statements/",
    )


@readers
def bank_lines(request):
    open_only = request.GET.get("alle") != "1"
    page = Paginator(bank_selectors.bank_lines(open_only=open_only), 50).get_page(
        request.GET.get("pagina")
    )
    bank_selectors.with_age(page.object_list)
    return render(
        request,
        "finance/bank/lines.html",
        {"page": page, "open_only": open_only, "query_base": "" if open_only else "alle=1"},
    )


def _line_or_404(pk) -> BankLine:
    try:
        return bank_selectors.bank_line_get(pk=pk)
    except BankLine.DoesNotExist:
        raise Http404 from None


@readers
def bank_line(request, pk, book_form=None):
    line = _line_or_404(pk)
    context = {"line": line, "history": history_rows(line)}
    if not line.is_reconciled:
        context["suggestions"] = reconciliation.suggestions(line=line)
        context["items"] = [
            i
            for i in reconciliation.open_items(bank_account=line.bank_account)
            if (i.amount < 0) == (line.amount < 0)
        ][:100]
        context["book_form"] = book_form or BookForm(
            initial={
                "description": " ".join((line.description or line.counterparty_name).split())[:200]
            }
        )
    status = 400 if book_form is not None else 200
    return render(request, "finance/bank/line.html", context, status=status)


@treasurer
@require_POST
def bank_line_match(request, pk):
    line = _line_or_404(pk)
    kind, _sep, item_pk = request.POST.get("item", "").partition(":")
    try:
        reconciliation.match_line(
            line=line, user=request.user, kind=kind, pk=int(item_pk) if item_pk.isdigit() else 0
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(request, "bank_line", pk=pk))
    messages.success(request, _("De bankregel is afgeletterd."))
    return redirect(_url(request, "bank_lines"))


@treasurer
@require_POST
def bank_line_book(request, pk):
    line = _line_or_404(pk)
    form = BookForm(request.POST)
    if form.is_valid():
        try:
            entry = reconciliation.book_line(line=line, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Geboekt en afgeletterd (%(n)s).") % {"n": entry.display_number}
            )
            return redirect(_url(request, "bank_lines"))
    return bank_line.__wrapped__(request, pk, book_form=form)


@treasurer
@require_POST
def auto_match(request):
    count = reconciliation.auto_match(user=request.user)
    messages.success(request, _("%(n)s bankregels automatisch afgeletterd.") % {"n": count})
    return redirect(_url(request, "bank_lines"))


# --- claims --------------------------------------------------------------------------------


def _sees_all_claims(access) -> bool:
    return access.is_board or access.is_audit or access.is_support


@members_or_support
def claim_list(request):
    access = request.group_access
    own = not _sees_all_claims(access) or request.GET.get("van") == "mij"
    qs = bank_selectors.claims(
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
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            content = receipts.read_upload(data["receipt"])
            claim = claims.claim_submit(
                user=request.user,
                amount=data["amount"],
                spent_on=data["spent_on"],
                description=data["description"],
                iban=data["iban"],
                account_holder=data["account_holder"],
                receipt_name=data["receipt"].name,
                receipt_data=content,
                decision_id=data["decision"].pk if data["decision"] else None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Je declaratie D%(n)s is ingediend.") % {"n": claim.number})
            return redirect(_url(request, "claim", pk=claim.pk))
    return _render(
        request,
        "finance/claims/form.html",
        {"form": form, "title": _("Declaratie indienen")},
        form,
    )


def _claim_for(request, pk) -> ExpenseClaim:
    try:
        claim = bank_selectors.claim_get(pk=pk)
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
        "events": bank_selectors.claim_events(claim=claim),
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
    if form.is_valid():
        try:
            claims.claim_approve(
                claim=claim,
                user=request.user,
                category=form.cleaned_data.get("category"),
                budget_line=form.cleaned_data.get("budget_line"),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Goedgekeurd."))
            return redirect(_url(request, "claim", pk=pk))
    return claim_detail.__wrapped__(request, pk, form=form)


@members
@require_POST
def claim_reject(request, pk):
    claim = _claim_for(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf kort waarom, zodat de indiener het weet."))
        return redirect(_url(request, "claim", pk=pk))
    try:
        claims.claim_reject(claim=claim, user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De declaratie is afgewezen."))
    return redirect(_url(request, "claim", pk=pk))


@members_or_support
def claim_receipt(request, pk):
    claim = _claim_for(request, pk)
    from django.db import connection

    return _file_response(
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
            content = claims.claims_export(
                user=request.user,
                claims=list(data["claims"]),
                bank_account=data["bank_account"],
                execution_date=data["execution_date"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, getattr(exc, "messages", [str(exc)]))
        else:
            response = HttpResponse(content, content_type="application/xml")
            name = f"declaraties-{data['execution_date']:%Y%m%d}.xml"
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
    return _render(
        request,
        "finance/claims/export.html",
        {"form": form, "title": _("Betaalbestand voor declaraties")},
        form,
    )
