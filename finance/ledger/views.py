"""Pages of the ledger. Views only translate HTTP: rules live in the services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from tablib import Dataset

from backoffice.core.forms import add_service_errors, form_saved
from finance import bookings
from finance.ledger import postings, receipts
from finance.ledger import selectors as ledger_selectors
from finance.ledger import services as ledger_services
from finance.ledger.forms import (
    AccountForm,
    ExpenseForm,
    ImportForm,
    IncomeForm,
    JournalHeadForm,
    JournalLineFormSet,
    ReceiptForm,
    ReverseForm,
)
from finance.ledger.models import Account, JournalEntry, Receipt
from finance.ledger.postings import LineInput
from finance.ledger.resources import AccountResource
from finance.web import board, page_url, readers, render_page, treasurer
from tenants.history import history_rows


@readers
def entry_list(request):
    from django.core.paginator import Paginator

    status = request.GET.get("status") or None
    if status not in (None, *JournalEntry.Status.values):
        status = None
    page = Paginator(ledger_selectors.entry_list(status=status), 50).get_page(
        request.GET.get("pagina")
    )
    return render(request, "finance/ledger/entry_list.html", {"page": page, "status": status})


@readers
def entry_detail(request, pk):
    try:
        entry = ledger_selectors.entry_detail(pk=pk)
    except JournalEntry.DoesNotExist:
        raise Http404 from None
    lines = list(entry.lines.all())
    return render(
        request,
        "finance/ledger/entry_detail.html",
        {
            "entry": entry,
            "lines": lines,
            "total_debit": sum(line.debit for line in lines),
            "total_credit": sum(line.credit for line in lines),
            "reversal": ledger_selectors.entry_reversal(entry=entry),
            "receipt_form": ReceiptForm(),
            "history": history_rows(entry),
        },
    )


@require_POST
@treasurer
def entry_post(request, pk):
    entry = get_object_or_404(JournalEntry, pk=pk)
    try:
        ledger_services.entry_post(entry=entry, user=request.user)
        messages.success(request, _("Geboekt als %(n)s.") % {"n": entry.display_number})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(page_url(request, "entry", pk=pk))


@treasurer
def entry_reverse(request, pk):
    entry = get_object_or_404(JournalEntry.objects.select_related("year"), pk=pk)
    form = ReverseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reversal = ledger_services.entry_reverse(
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
            return redirect(page_url(request, "entry", pk=reversal.pk))
    return render_page(
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
            "back": page_url(request, "entry", pk=pk),
        },
        form,
    )


@require_POST
@board
def entry_delete(request, pk):
    entry = get_object_or_404(JournalEntry, pk=pk)
    try:
        ledger_services.entry_delete_draft(entry=entry, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(page_url(request, "entry", pk=pk))
    messages.success(request, _("Het concept is verwijderd."))
    return redirect(page_url(request, "entries"))


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
            return redirect(page_url(request, "entry", pk=pk))
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
                spec = postings.journal(
                    date=head.cleaned_data["date"],
                    description=head.cleaned_data["description"],
                    lines=lines,
                )
                entry = ledger_services.entry_book(spec=spec, user=request.user, post=post)
            else:
                entry = ledger_services.entry_update_draft(
                    entry=entry,
                    date=head.cleaned_data["date"],
                    user=request.user,
                    description=head.cleaned_data["description"],
                    lines=lines,
                )
                if post:
                    ledger_services.entry_post(entry=entry, user=request.user)
        except ValidationError as exc:
            add_service_errors(head, exc)
        else:
            messages.success(request, _("Opgeslagen."))
            return redirect(page_url(request, "entry", pk=entry.pk))
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "finance/ledger/journal_form.html",
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

    def save(data):
        name, content = _receipt_from(form)
        return bookings.expense_record(
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
            period_exception=data.get("period_exception", ""),
        )

    saved = form_saved(
        request,
        form,
        save,
        success=lambda entry: _("De uitgave is vastgelegd (%(n)s).") % {"n": entry.display_number},
        then=lambda entry: page_url(request, "entry", pk=entry.pk),
    )
    return saved or render_page(
        request,
        "finance/ledger/simple_form.html",
        {"form": form, "title": _("Uitgave invoeren"), "kind": "uitgave"},
        form,
    )


@board
def income_new(request):
    form = IncomeForm(request.POST or None, request.FILES or None)

    def save(data):
        name, content = _receipt_from(form)
        return bookings.income_record(
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

    saved = form_saved(
        request,
        form,
        save,
        success=lambda entry: (
            _("De inkomsten zijn vastgelegd (%(n)s).") % {"n": entry.display_number}
        ),
        then=lambda entry: page_url(request, "entry", pk=entry.pk),
    )
    return saved or render_page(
        request,
        "finance/ledger/simple_form.html",
        {"form": form, "title": _("Inkomsten invoeren"), "kind": "inkomst"},
        form,
    )


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
            return redirect(page_url(request, "entry", pk=pk))
    return render_page(
        request,
        "finance/form.html",
        {
            "form": form,
            "multipart": True,
            "title": _("Bonnetje bij %(n)s") % {"n": entry},
            "submit": _("Uploaden"),
            "back": page_url(request, "entry", pk=pk),
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

    page = Paginator(ledger_selectors.missing_receipt_list(), 50).get_page(
        request.GET.get("pagina")
    )
    return render(request, "finance/ledger/missing_receipts.html", {"page": page})


@readers
def account_list(request):
    return render(
        request, "finance/ledger/account_list.html", {"accounts": ledger_selectors.account_list()}
    )


@treasurer
def account_edit(request, pk=None):
    account = get_object_or_404(Account, pk=pk) if pk else None
    form = AccountForm(request.POST or None, instance=account)
    if request.method == "POST" and form.is_valid():
        fields = {k: form.cleaned_data[k] for k in form.Meta.fields}
        try:
            if account is None:
                fields.pop("is_active")
                ledger_services.account_create(user=request.user, **fields)
            else:
                ledger_services.account_update(account=account, user=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("De rekening is opgeslagen."))
            return redirect(page_url(request, "accounts"))
    return render_page(
        request,
        "finance/form.html",
        {
            "form": form,
            "title": _("Rekening") if account else _("Nieuwe rekening"),
            "submit": _("Opslaan"),
            "back": page_url(request, "accounts"),
            "history": history_rows(account) if account else None,
        },
        form,
    )


@readers
def accounts_export(request):
    fmt = request.GET.get("formaat", "csv")
    dataset = AccountResource().export(queryset=ledger_selectors.account_list())
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
                    return redirect(page_url(request, "accounts"))
        except Exception as exc:  # a broken file gets a message, not a 500
            form.add_error("file", _("Dit bestand kan niet worden gelezen: %(e)s") % {"e": exc})
    return render_page(
        request, "finance/ledger/accounts_import.html", {"form": form, "result": result}, form
    )
