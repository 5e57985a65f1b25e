"""Pages of the books. Views only translate HTTP: rules live in the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from tablib import Dataset

from backoffice.forms import add_service_errors
from groups.permissions import group_roles_required
from tenants.history import history_rows
from tenants.templatetags.group_urls import group_reverse

from . import exports, ledger, receipts, reports, selectors, services
from .forms import (
    AccountForm,
    AuditForm,
    BudgetLineForm,
    CommitmentForm,
    ExpenseForm,
    GrantForm,
    ImportForm,
    IncomeForm,
    JournalHeadForm,
    JournalLineFormSet,
    ReceiptForm,
    ReopenForm,
    ReverseForm,
    SampleForm,
    TrancheForm,
    TrancheReceiveForm,
)
from .ledger import LineInput
from .models import (
    Account,
    AuditSample,
    BudgetLine,
    Commitment,
    FinancialYear,
    Grant,
    JournalEntry,
    Receipt,
    ReopenRequest,
    Tranche,
)
from .resources import AccountResource
from .roles import AUDIT, BOARD, CHAIR, READERS, TREASURER

readers = group_roles_required(*READERS, allow_support=True)
board = group_roles_required(*BOARD)
treasurer = group_roles_required(TREASURER)
treasurer_or_chair = group_roles_required(TREASURER, CHAIR)
auditor = group_roles_required(AUDIT)


def _url(request, name, **kwargs):
    return group_reverse(request.group, f"finance:{name}", **kwargs)


def _render(request, template, context, form=None):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _year_from(request) -> FinancialYear | None:
    value = request.GET.get("jaar")
    if value and value.isdigit():
        return get_object_or_404(FinancialYear, year=int(value))
    return selectors.year_current()


# A to-do count stops at this many: "999+" is as useful as the exact figure, and cheaper.
COUNT_CAP = 999

# --- dashboard -----------------------------------------------------------------------------


@readers
def dashboard(request):
    grants, lines = selectors.grant_overview()
    by_grant: dict[int, list] = {}
    for line in lines:
        by_grant.setdefault(line.grant_id, []).append(line)
    for grant in grants:
        grant.budget = by_grant.get(grant.pk, [])
    missing = selectors.missing_receipts()
    drafts = selectors.drafts()
    context = {
        "cash": selectors.cash_balances(),
        "grants": grants,
        "missing": list(missing[:5]),
        "missing_count": missing[:COUNT_CAP].count(),
        "drafts": list(drafts[:5]),
        "drafts_count": drafts[:COUNT_CAP].count(),
        "count_cap": COUNT_CAP,
        "year": selectors.year_current(),
    }
    return render(request, "finance/dashboard.html", context)


# --- entries -------------------------------------------------------------------------------


@readers
def entry_list(request):
    from django.core.paginator import Paginator

    status = request.GET.get("status") or None
    if status not in (None, *JournalEntry.Status.values):
        status = None
    page = Paginator(selectors.entry_list(status=status), 50).get_page(request.GET.get("pagina"))
    return render(request, "finance/entry_list.html", {"page": page, "status": status})


@readers
def entry_detail(request, pk):
    try:
        entry = selectors.entry_detail(pk=pk)
    except JournalEntry.DoesNotExist:
        raise Http404 from None
    lines = list(entry.lines.all())
    return render(
        request,
        "finance/entry_detail.html",
        {
            "entry": entry,
            "lines": lines,
            "total_debit": sum(line.debit for line in lines),
            "total_credit": sum(line.credit for line in lines),
            "reversal": selectors.entry_reversal(entry=entry),
            "receipt_form": ReceiptForm(),
            "history": history_rows(entry),
        },
    )


@require_POST
@treasurer
def entry_post(request, pk):
    entry = get_object_or_404(JournalEntry, pk=pk)
    try:
        ledger.entry_post(entry=entry, user=request.user)
        messages.success(request, _("Geboekt als %(n)s.") % {"n": entry.display_number})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "entry", pk=pk))


@treasurer
def entry_reverse(request, pk):
    entry = get_object_or_404(JournalEntry.objects.select_related("year"), pk=pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = ledger.entry_reverse(
                entry=entry,
                user=request.user,
                date=form.cleaned_data["date"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Correctieboeking %(n)s gemaakt.") % {"n": reversal.display_number}
            )
            return redirect(_url(request, "entry", pk=reversal.pk))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Boeking %(n)s corrigeren") % {"n": entry.display_number},
            "intro": _(
                "Een geboekte boeking verandert nooit. Een correctie boekt alles precies "
                "andersom, zodat het effect verdwijnt en het spoor blijft."
            ),
            "submit": _("Correctie boeken"),
            "back": _url(request, "entry", pk=pk),
        },
        form,
    )


@require_POST
@board
def entry_delete(request, pk):
    entry = get_object_or_404(JournalEntry, pk=pk)
    try:
        ledger.entry_delete_draft(entry=entry, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_url(request, "entry", pk=pk))
    messages.success(request, _("Het concept is verwijderd."))
    return redirect(_url(request, "entries"))


def _journal_lines(formset) -> list[LineInput]:
    lines = []
    for row in formset.cleaned_data:
        if not row or row.get("account") is None:
            continue
        lines.append(
            LineInput(
                account=row["account"],
                debit=row.get("debit") or 0,
                credit=row.get("credit") or 0,
                description=row.get("description") or "",
                budget_line=row.get("budget_line"),
            )
        )
    return lines


@board
def journal_new(request, pk=None):
    entry = None
    initial_head, initial_lines = None, None
    if pk is not None:
        entry = get_object_or_404(JournalEntry, pk=pk)
        if entry.is_posted:
            messages.error(
                request,
                _("Een geboekte boeking kan niet worden gewijzigd; maak een correctieboeking."),
            )
            return redirect(_url(request, "entry", pk=pk))
        initial_head = {"date": entry.date, "description": entry.description}
        initial_lines = [
            {
                "account": line.account_id,
                "debit": line.debit or None,
                "credit": line.credit or None,
                "description": line.description,
                "budget_line": line.budget_line_id,
            }
            for line in entry.lines.all()
        ]
    head = JournalHeadForm(request.POST or None, initial=initial_head)
    formset = JournalLineFormSet(request.POST or None, initial=initial_lines, prefix="regel")
    may_post = request.group_access.is_treasurer
    if request.method == "POST" and head.is_valid() and formset.is_valid():
        lines = _journal_lines(formset)
        post = may_post and request.POST.get("action") == "post"
        try:
            if entry is None:
                entry = ledger.entry_create(
                    date=head.cleaned_data["date"],
                    user=request.user,
                    description=head.cleaned_data["description"],
                    lines=lines,
                    post=post,
                )
            else:
                entry = ledger.entry_update_draft(
                    entry=entry,
                    date=head.cleaned_data["date"],
                    user=request.user,
                    description=head.cleaned_data["description"],
                    lines=lines,
                )
                if post:
                    ledger.entry_post(entry=entry, user=request.user)
        except ValidationError as exc:
            add_service_errors(head, exc)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect(_url(request, "entry", pk=entry.pk))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "finance/journal_form.html",
        {"head": head, "formset": formset, "entry": entry, "may_post": may_post},
        status=status,
    )


def _receipt_from(form) -> tuple[str, bytes | None]:
    upload = form.cleaned_data.get("receipt")
    if not upload:
        return "", None
    return upload.name, receipts.read_upload(upload)


@board
def expense_new(request):
    form = ExpenseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            name, content = _receipt_from(form)
            entry = services.expense_record(
                user=request.user,
                date=data["date"],
                amount=data["amount"],
                category=data["category"],
                description=data["description"],
                budget_line=data["budget_line"],
                paid_from=data["paid_from"],
                receipt_name=name,
                receipt_data=content,
                decision=data["decision"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("De uitgave is vastgelegd (%(n)s).") % {"n": entry.display_number}
            )
            return redirect(_url(request, "entry", pk=entry.pk))
    return _render(
        request,
        "finance/simple_form.html",
        {"form": form, "title": _("Uitgave invoeren"), "kind": "uitgave"},
        form,
    )


@board
def income_new(request):
    form = IncomeForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            name, content = _receipt_from(form)
            entry = services.income_record(
                user=request.user,
                date=data["date"],
                amount=data["amount"],
                category=data["category"],
                description=data["description"],
                grant=data["grant"],
                received_in=data["received_in"],
                receipt_name=name,
                receipt_data=content,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("De inkomsten zijn vastgelegd (%(n)s).") % {"n": entry.display_number}
            )
            return redirect(_url(request, "entry", pk=entry.pk))
    return _render(
        request,
        "finance/simple_form.html",
        {"form": form, "title": _("Inkomsten invoeren"), "kind": "inkomst"},
        form,
    )


# --- receipts --------------------------------------------------------------------------------


@board
def receipt_add(request, pk):
    entry = get_object_or_404(JournalEntry.objects.select_related("year"), pk=pk)
    form = ReceiptForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            name, content = _receipt_from(form)
            receipts.receipt_add(entry=entry, name=name, data=content, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Het bonnetje is toegevoegd."))
            return redirect(_url(request, "entry", pk=pk))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "multipart": True,
            "title": _("Bonnetje bij %(n)s") % {"n": entry},
            "submit": _("Uploaden"),
            "back": _url(request, "entry", pk=pk),
        },
        form,
    )


@readers
def receipt_download(request, pk):
    receipt = get_object_or_404(Receipt, pk=pk)
    if not receipts.receipt_path_belongs_here(receipt):
        raise Http404
    try:
        handle = receipt.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=receipt.original_name,
        content_type=receipt.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@readers
def missing_receipts(request):
    from django.core.paginator import Paginator

    page = Paginator(selectors.missing_receipts(), 50).get_page(request.GET.get("pagina"))
    return render(request, "finance/missing_receipts.html", {"page": page})


# --- chart of accounts -------------------------------------------------------------------------


@readers
def account_list(request):
    return render(request, "finance/account_list.html", {"accounts": selectors.account_list()})


@treasurer
def account_edit(request, pk=None):
    account = get_object_or_404(Account, pk=pk) if pk else None
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if account is None:
                fields.pop("is_active")
                services.account_create(user=request.user, **fields)
            else:
                services.account_update(account=account, user=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De rekening is opgeslagen."))
            return redirect(_url(request, "accounts"))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Rekening") if account else _("Nieuwe rekening"),
            "submit": _("Opslaan"),
            "back": _url(request, "accounts"),
            "history": history_rows(account) if account else None,
        },
        form,
    )


@readers
def accounts_export(request):
    fmt = request.GET.get("formaat", "csv")
    dataset = AccountResource().export(queryset=selectors.account_list())
    if fmt == "xlsx":
        body, ctype = (
            dataset.export("xlsx"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    else:
        fmt, body, ctype = "csv", dataset.export("csv"), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="rekeningschema.{fmt}"'
    return response


@treasurer
def accounts_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        raw = upload.read(1024 * 1024 + 1)
        try:
            if len(raw) > 1024 * 1024:
                raise ValueError(_("Het bestand is te groot (hoogstens 1 MB)."))
            if upload.name.lower().endswith(".xlsx"):
                dataset = Dataset().load(raw, format="xlsx")
            else:
                dataset = Dataset().load(raw.decode("utf-8-sig"), format="csv")
            resource = AccountResource()
            result = resource.import_data(dataset, dry_run=True, raise_errors=False)
            if not (result.has_errors() or result.has_validation_errors()):
                if request.POST.get("confirm") == "1":
                    resource.import_data(dataset, dry_run=False, raise_errors=True)
                    messages.success(request, _("Het rekeningschema is bijgewerkt."))
                    return redirect(_url(request, "accounts"))
        except Exception as exc:  # a broken file gets a message, not a 500
            form.add_error("file", _("Dit bestand kan niet worden gelezen: %(e)s") % {"e": exc})
    return _render(request, "finance/accounts_import.html", {"form": form, "result": result}, form)


# --- grants and budgets ------------------------------------------------------------------------


@readers
def grant_list(request):
    return render(request, "finance/grant_list.html", {"grants": selectors.grant_list()})


@readers
def grant_detail(request, pk):
    try:
        sums = selectors.grant_sums([pk])
        grant = selectors.grant_get(pk=pk, sums=sums)
    except Grant.DoesNotExist:
        raise Http404 from None
    report = reports.budget_vs_actual(grant=grant, sums=sums)
    return render(
        request,
        "finance/grant_detail.html",
        {
            "grant": grant,
            "report": report,
            "lines": report.lines,
            "tranches": selectors.tranches(grant=grant),
            "commitments": selectors.open_commitments(grant=grant),
            "history": history_rows(grant),
        },
    )


@treasurer
def grant_edit(request, pk=None):
    grant = get_object_or_404(Grant, pk=pk) if pk else None
    form = GrantForm(request.POST or None, instance=grant)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if grant is None:
                grant = services.grant_create(user=request.user, **fields)
            else:
                grant = services.grant_update(grant=grant, user=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De subsidie is opgeslagen."))
            return redirect(_url(request, "grant", pk=grant.pk))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Subsidie") if grant else _("Nieuwe subsidie"),
            "submit": _("Opslaan"),
            "back": _url(request, "grants"),
        },
        form,
    )


@treasurer
def tranche_new(request, pk):
    grant = get_object_or_404(Grant, pk=pk)
    form = TrancheForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tranche_create(grant=grant, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_url(request, "grant", pk=pk))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Verwachte termijn voor %(g)s") % {"g": grant},
            "submit": _("Opslaan"),
            "back": _url(request, "grant", pk=pk),
        },
        form,
    )


@treasurer
def tranche_receive(request, pk):
    tranche = get_object_or_404(Tranche.objects.select_related("grant"), pk=pk)
    form = TrancheReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.tranche_receive(
                tranche=tranche, user=request.user, date=form.cleaned_data["date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De termijn is als ontvangen geboekt."))
            return redirect(_url(request, "grant", pk=tranche.grant_id))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Termijn ontvangen"),
            "submit": _("Boeken"),
            "back": _url(request, "grant", pk=tranche.grant_id),
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
    if request.method == "POST" and form.is_valid():
        try:
            if line is None:
                services.budget_line_create(grant=grant, user=request.user, **form.cleaned_data)
            else:
                services.budget_line_update(
                    budget_line=line, user=request.user, **form.cleaned_data
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_url(request, "grant", pk=grant.pk))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Begrotingsregel voor %(g)s") % {"g": grant},
            "submit": _("Opslaan"),
            "back": _url(request, "grant", pk=grant.pk),
            "history": history_rows(line) if line else None,
        },
        form,
    )


@treasurer
def commitment_new(request, pk):
    line = get_object_or_404(BudgetLine.objects.select_related("grant"), pk=pk)
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.commitment_create(budget_line=line, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(_url(request, "grant", pk=line.grant_id))
    return _render(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Toezegging op %(l)s") % {"l": line},
            "intro": _("Geld dat is toegezegd maar nog niet betaald."),
            "submit": _("Opslaan"),
            "back": _url(request, "grant", pk=line.grant_id),
        },
        form,
    )


@require_POST
@treasurer
def commitment_cancel(request, pk):
    commitment = get_object_or_404(Commitment.objects.select_related("budget_line"), pk=pk)
    try:
        services.commitment_cancel(commitment=commitment, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "grant", pk=commitment.budget_line.grant_id))


# --- years, reopening, kascommissie -----------------------------------------------------------


@readers
def year_list(request):
    return render(request, "finance/year_list.html", {"years": selectors.year_list()})


def _year(year):
    return get_object_or_404(FinancialYear, year=year)


@readers
def year_detail(request, year):
    year = _year(year)
    return render(
        request,
        "finance/year_detail.html",
        {
            "year": year,
            "events": selectors.year_events(year=year),
            "reopen": selectors.reopen_request_open(year=year),
            "audit": selectors.audit_for_year(year=year),
            "reopen_form": ReopenForm(),
            "history": history_rows(year),
        },
    )


@require_POST
@treasurer
def year_close(request, year):
    year = _year(year)
    try:
        services.year_close(year=year, user=request.user)
        messages.success(request, _("Boekjaar %(y)s is afgesloten.") % {"y": year.year})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "year", year=year.year))


@require_POST
@treasurer_or_chair
def year_reopen(request, year):
    year = _year(year)
    form = ReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Leg uit waarom het jaar weer open moet."))
        services.year_reopen_request(
            year=year, user=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request, _("Het verzoek is vastgelegd; nu moet de tweede persoon goedkeuren.")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "year", year=year.year))


@require_POST
@treasurer_or_chair
def reopen_approve(request, pk):
    reopen = get_object_or_404(ReopenRequest.objects.select_related("year"), pk=pk)
    try:
        services.year_reopen_approve(request=reopen, user=request.user)
        messages.success(request, _("Boekjaar %(y)s is weer open.") % {"y": reopen.year.year})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "year", year=reopen.year.year))


@readers
def audit(request, year):
    year = _year(year)
    check = selectors.audit_for_year(year=year)
    access = request.group_access
    may_edit = access.is_audit and not access.is_board
    if request.method == "POST":
        if not may_edit:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        if check is None:
            services.audit_start(year=year, user=request.user)
            return redirect(_url(request, "audit", year=year.year))
    form = AuditForm(request.POST or None, instance=check) if check else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.audit_update(check=check, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De controle is opgeslagen."))
            return redirect(_url(request, "audit", year=year.year))
    bank = selectors.account_by_role("bank")
    bank_balance = next(
        (a.balance for a in selectors.cash_balances(on=year.end) if a.pk == bank.pk), None
    )
    samples = (
        list(
            check.samples.select_related("entry", "entry__year").prefetch_related("entry__receipts")
        )
        if check
        else []
    )
    signoffs = list(check.signoffs.all()) if check else []
    return _render(
        request,
        "finance/audit.html",
        {
            "year": year,
            "check": check,
            "form": form,
            "may_edit": may_edit,
            "samples": samples,
            "bank_balance": bank_balance,
            "signoffs": signoffs,
            "difference": (
                check.bank_statement_balance - bank_balance
                if check and check.bank_statement_balance is not None and bank_balance is not None
                else None
            ),
            "signed": any(s.user_id == request.user.pk for s in signoffs),
            "history": history_rows(check) if check else None,
        },
        form,
    )


@require_POST
@auditor
def audit_sample(request, pk):
    sample = get_object_or_404(AuditSample.objects.select_related("check_run__year"), pk=pk)
    form = SampleForm(request.POST)
    if form.is_valid():
        try:
            services.audit_sample_mark(sample=sample, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "audit", year=sample.check_run.year.year))


@require_POST
@auditor
def audit_signoff(request, year):
    year = _year(year)
    check = selectors.audit_for_year(year=year)
    if check is None:
        raise Http404
    try:
        services.audit_signoff(check=check, user=request.user)
        messages.success(request, _("Je handtekening is vastgelegd."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(_url(request, "audit", year=year.year))


# --- reports ---------------------------------------------------------------------------------

REPORTS = {
    "proefbalans": _("Proef- en saldibalans"),
    "balans": _("Balans"),
    "baten-en-lasten": _("Staat van baten en lasten"),
    "begroting": _("Begroting en werkelijk per subsidie"),
    "kasboek": _("Kasboek"),
    "grootboek": _("Grootboekkaart per rekening"),
    "verantwoording": _("Verantwoording per subsidie"),
}


@readers
def report_index(request):
    return render(
        request,
        "finance/report_index.html",
        {
            "reports": REPORTS.items(),
            "years": selectors.year_list(),
            "grants": Grant.objects.order_by("-period_start"),
        },
    )


@readers
def report(request, kind):
    if kind not in REPORTS:
        raise Http404
    fmt = request.GET.get("formaat", "html")
    page = None if fmt in ("xlsx", "pdf") else (request.GET.get("pagina") or 1)
    context = {"kind": kind, "years": selectors.year_list()}
    year = _year_from(request)
    if kind in ("begroting", "verantwoording"):
        grants = list(Grant.objects.order_by("-period_start"))
        context["grants"] = grants
        wanted = request.GET.get("subsidie")
        grant = next((g for g in grants if str(g.pk) == wanted), grants[0] if grants else None)
        if grant is None:
            return render(request, "finance/report.html", {**context, "empty": True})
        context["grant"] = grant
        result = (
            reports.budget_vs_actual(grant=grant)
            if kind == "begroting"
            else reports.grant_accountability(grant=grant)
        )
    else:
        if year is None:
            return render(request, "finance/report.html", {**context, "empty": True})
        context["year"] = year
        if kind == "proefbalans":
            result = reports.trial_balance(year=year)
        elif kind == "balans":
            result = reports.balance_sheet(year=year)
        elif kind == "baten-en-lasten":
            result = reports.income_statement(year=year)
        else:
            choices = selectors.cash_accounts() if kind == "kasboek" else selectors.account_list()
            choices = list(choices)
            context["accounts"] = choices
            wanted = request.GET.get("rekening")
            account = next((a for a in choices if a.code == wanted), None) or next(
                (a for a in choices if a.role == "bank"), choices[0] if choices else None
            )
            if account is None:
                raise Http404
            context["account"] = account
            fn = reports.cash_book if kind == "kasboek" else reports.general_ledger
            result = fn(account=account, year=year, page=page)
    if fmt == "xlsx":
        response = HttpResponse(
            exports.to_xlsx(result, group_name=request.group.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{result.filename}.xlsx"
        )
        return response
    if fmt == "pdf":
        response = HttpResponse(
            exports.to_pdf(result, group_name=request.group.name), content_type="application/pdf"
        )
        response["Content-Disposition"] = content_disposition_header(True, f"{result.filename}.pdf")
        return response
    context["report"] = result
    context["query"] = request.GET.urlencode()
    return render(request, "finance/report.html", context)
