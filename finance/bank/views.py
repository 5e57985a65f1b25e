"""Pages for the bank: accounts, statement import, lines and reconciliation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank import selectors as bank_selectors
from finance.bank.forms import (
    BankAccountForm,
    BookForm,
    OverlapChoiceForm,
    UndoMatchForm,
    UploadForm,
)
from finance.bank.models import BankLine, ImportJob, Statement
from finance.claims import selectors as claim_selectors
from finance.web import file_response, page_url, readers, render_page, treasurer
from tenants.history import history_rows


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
        "claims_waiting": claim_selectors.claims_waiting_count(),
    }
    return render(request, "finance/bank/_dashboard.html", context)


@treasurer
def bank_account_new(request):
    form = BankAccountForm(request.POST or None, initial={"holder": request.group.name[:70]})
    saved = form_saved(
        request,
        form,
        lambda data: bank_import.bank_account_create(user=request.user, **data),
        success=_("De bankrekening is toegevoegd."),
        then=page_url(request, "bank"),
    )
    return saved or render_page(
        request,
        "finance/bank/form.html",
        {"form": form, "title": _("Bankrekening toevoegen")},
        form,
    )


@treasurer
def statement_import(request):
    form = UploadForm(request.POST or None, request.FILES or None)

    def save(data):
        upload = data["file"]
        # The upload is a file (on disk when large): copied in chunks, never read whole.
        job = bank_import.job_create(data=upload, filename=upload.name, user=request.user)
        # Starting raises nothing: a failing import is the job's status, shown on its page.
        bank_import.job_start(
            job=job,
            user=request.user,
            group=request.group,
            inline=getattr(settings, "BANK_IMPORT_INLINE", False),
        )
        return job

    saved = form_saved(
        request,
        form,
        save,
        success=None,
        then=lambda job: page_url(request, "bank_job", pk=job.pk),
    )
    return saved or render_page(
        request,
        "finance/bank/import.html",
        {"form": form, "jobs": ImportJob.objects.all()[:5]},
        form,
    )


def _job_or_404(pk) -> ImportJob:
    try:
        return bank_selectors.import_job_get(pk=pk)
    except ImportJob.DoesNotExist:
        raise Http404 from None


@treasurer
def import_job(request, pk):
    job = _job_or_404(pk)
    template = "finance/bank/_job.html" if request.htmx else "finance/bank/job.html"
    return render(request, template, {"job": job, "choice_form": OverlapChoiceForm()})


@treasurer
@require_POST
def import_job_answer(request, pk):
    """The treasurer's choice for lines that seem to be there already from another file."""
    job = _job_or_404(pk)
    form = OverlapChoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Kies een van de mogelijkheden."))
        return redirect(page_url(request, "bank_job", pk=pk))
    try:
        job = bank_import.job_answer(job=job, user=request.user, choice=form.cleaned_data["choice"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if job.status == ImportJob.Status.WAITING:
            bank_import.job_start(
                job=job,
                user=request.user,
                group=request.group,
                inline=getattr(settings, "BANK_IMPORT_INLINE", False),
            )
    return redirect(page_url(request, "bank_job", pk=pk))


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

    return file_response(
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
    if open_only:
        # the best item per line, so a suggestion is confirmed with one tap from the list
        best = reconciliation.best_suggestions(list(page.object_list))
        for line in page.object_list:
            line.suggestion = best.get(line.pk)
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
def bank_line(request, pk, book_form=None, undo_form=None):
    line = _line_or_404(pk)
    context = {
        "line": line,
        "history": history_rows(line),
        "parts": list(line.parts.all()),
        "match_events": bank_selectors.match_events(line=line),
    }
    if line.is_reconciled:
        context["undo_form"] = undo_form or UndoMatchForm()
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
    status = 400 if book_form is not None or undo_form is not None else 200
    return render(request, "finance/bank/line.html", context, status=status)


@treasurer
@require_POST
def bank_line_match(request, pk):
    line = _line_or_404(pk)
    kind, _sep, item_pk = request.POST.get("item", "").partition(":")
    try:
        reconciliation.match_line(
            line=line,
            user=request.user,
            kind=kind,
            pk=int(item_pk) if item_pk.isdigit() else 0,
            suggested=request.POST.get("voorstel") == "1",
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(page_url(request, "bank_line", pk=pk))
    messages.success(request, _("De bankregel is gekoppeld aan de boeking."))
    return redirect(page_url(request, "bank_lines"))


@treasurer
@require_POST
def bank_line_undo(request, pk):
    """Undo a line's link with the books; what the link booked is corrected, not deleted."""
    line = _line_or_404(pk)
    form = UndoMatchForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: reconciliation.match_undo(line=line, user=request.user, reason=data["reason"]),
        success=_undone,
        then=page_url(request, "bank_line", pk=pk),
    )
    return saved or bank_line.__wrapped__(request, pk, undo_form=form)


def _undone(event) -> str:
    if event.new.get("reversal"):
        return _(
            "De koppeling is ongedaan gemaakt en de regel staat weer open. De boeking "
            "die de koppeling had gemaakt, is met een correctie teruggedraaid."
        )
    return _(
        "De koppeling is ongedaan gemaakt en de regel staat weer open. De boeking "
        "zelf blijft staan; corrigeer die apart als ze niet klopt."
    )


@treasurer
@require_POST
def bank_line_book(request, pk):
    line = _line_or_404(pk)
    form = BookForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: reconciliation.book_line(line=line, user=request.user, **data),
        success=lambda entry: (
            _("Geboekt en gekoppeld aan de bank (%(n)s).") % {"n": entry.display_number}
        ),
        then=page_url(request, "bank_lines"),
    )
    return saved or bank_line.__wrapped__(request, pk, book_form=form)


@treasurer
@require_POST
def auto_match(request):
    count = reconciliation.auto_match(user=request.user)
    messages.success(request, _("%(n)s bankregels automatisch gekoppeld.") % {"n": count})
    return redirect(page_url(request, "bank_lines"))
