"""The treasurer's dashboard and the reports (page, XLSX, PDF)."""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from finance.grants import selectors as grant_selectors
from finance.grants.models import Grant
from finance.ledger import selectors as ledger_selectors
from finance.reports import exports
from finance.reports import figures as reports
from finance.web import COUNT_CAP, readers, year_from


@readers
def dashboard(request):
    grants, lines = grant_selectors.grant_overview()
    by_grant: dict[int, list] = {}
    for line in lines:
        by_grant.setdefault(line.grant_id, []).append(line)
    for grant in grants:
        grant.budget = by_grant.get(grant.pk, [])
    missing = ledger_selectors.missing_receipt_list()
    drafts = ledger_selectors.drafts()
    context = {
        "cash": ledger_selectors.cash_balances(),
        "grants": grants,
        "missing": list(missing[:5]),
        "missing_count": missing.count(cap=COUNT_CAP),
        "drafts": list(drafts[:5]),
        "drafts_count": drafts[:COUNT_CAP].count(),
        "count_cap": COUNT_CAP,
        "year": ledger_selectors.year_current(),
    }
    return render(request, "finance/reports/dashboard.html", context)


# Lazy: a module-level dict is built once, before any request's language is known.
REPORTS = {
    "proefbalans": gettext_lazy("Proef- en saldibalans"),
    "balans": gettext_lazy("Balans"),
    "baten-en-lasten": gettext_lazy("Staat van baten en lasten"),
    "begroting": gettext_lazy("Begroting en werkelijk per subsidie"),
    "kasboek": gettext_lazy("Kasboek"),
    "grootboek": gettext_lazy("Grootboekkaart per rekening"),
    "verantwoording": gettext_lazy("Verantwoording per subsidie"),
}


@readers
def report_index(request):
    return render(
        request,
        "finance/reports/report_index.html",
        {
            "reports": REPORTS.items(),
            "years": ledger_selectors.year_list(),
            "grants": Grant.objects.order_by("-period_start"),
        },
    )


@readers
def report(request, kind):
    if kind not in REPORTS:
        raise Http404
    fmt = request.GET.get("formaat", "html")
    page = None if fmt in ("xlsx", "pdf") else (request.GET.get("pagina") or 1)
    context = {"kind": kind, "years": ledger_selectors.year_list()}
    year = year_from(request)
    if kind in ("begroting", "verantwoording"):
        grants = list(Grant.objects.order_by("-period_start"))
        context["grants"] = grants
        wanted = request.GET.get("subsidie")
        grant = next((g for g in grants if str(g.pk) == wanted), grants[0] if grants else None)
        if grant is None:
            return render(request, "finance/reports/report.html", {**context, "empty": True})
        context["grant"] = grant
        result = (
            reports.budget_vs_actual(grant=grant)
            if kind == "begroting"
            else reports.grant_accountability(grant=grant)
        )
    else:
        if year is None:
            return render(request, "finance/reports/report.html", {**context, "empty": True})
        context["year"] = year
        if kind == "proefbalans":
            result = reports.trial_balance(year=year)
        elif kind == "balans":
            result = reports.balance_sheet(year=year)
        elif kind == "baten-en-lasten":
            result = reports.income_statement(year=year)
        else:
            choices = (
                ledger_selectors.cash_accounts()
                if kind == "kasboek"
                else ledger_selectors.account_list()
            )
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
    if fmt in ("xlsx", "pdf"):
        return exports.export_response(result, fmt=fmt, group_name=request.group.name)
    context["report"] = result
    context["query"] = request.GET.urlencode()
    return render(request, "finance/reports/report.html", context)
