"""Financial reports as plain data: one `Report` shape for the page, XLSX and PDF alike.

All sums come from PostgreSQL as NUMERIC; Python only adds Decimals together. Balances come
from the day totals the database keeps at posting, so no report sums every line of a year.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date as Date
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _

from backoffice.core.money import ZERO
from finance.grants import selectors as grant_selectors
from finance.grants.models import Grant
from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import Account, FinancialYear, JournalEntry, JournalLine

K = Account.Kind


@dataclass
class Column:
    key: str
    label: str
    kind: str = "text"  # text, money, date, int
    wide: bool = False  # a text column that gets the room (descriptions, names)


@dataclass
class Report:
    slug: str
    title: str
    subtitle: str
    columns: list[Column]
    # "_style": "heading" | "total" | "". A list for pages; a one-pass iterator for the
    # downloads of long reports (every line of a year, read as it is written out).
    rows: list[dict] | Iterable[dict] = field(default_factory=list)
    facts: list[tuple[str, object]] = field(default_factory=list)
    page = None  # a Paginator page for long reports

    @property
    def filename(self) -> str:
        return f"{self.slug}"


def _signed(kind: str, debit: Decimal, credit: Decimal) -> Decimal:
    """Balance in the account's natural direction (assets/expenses debit, others credit)."""
    return debit - credit if kind in (K.ASSET, K.EXPENSE) else credit - debit


# --- trial balance, balance sheet, income statement ----------------------------------------


def trial_balance(*, year: FinancialYear) -> Report:
    totals = ledger_selectors.account_totals(start=year.start, end=year.end)
    report = Report(
        "proefbalans",
        _("Proef- en saldibalans"),
        _("Boekjaar %(y)s") % {"y": year.year},
        [
            Column("code", _("Rekening")),
            Column("name", _("Naam"), wide=True),
            Column("debit", _("Debet"), "money"),
            Column("credit", _("Credit"), "money"),
            Column("balance", _("Saldo (debet − credit)"), "money"),
        ],
    )
    sum_d = sum_c = ZERO
    for account in ledger_selectors.account_list():
        t = totals.get(account.pk)
        if not t:
            continue
        report.rows.append(
            {
                "code": account.code,
                "name": account.name,
                "debit": t["debit"],
                "credit": t["credit"],
                "balance": t["debit"] - t["credit"],
            }
        )
        sum_d += t["debit"]
        sum_c += t["credit"]
    report.rows.append(
        {
            "_style": "total",
            "code": "",
            "name": _("Totaal"),
            "debit": sum_d,
            "credit": sum_c,
            "balance": sum_d - sum_c,
        }
    )
    return report


def _balances_until(day: Date) -> tuple[list[Account], dict]:
    return ledger_selectors.account_list(), ledger_selectors.account_totals(end=day)


def balance_sheet_figures(*, on: Date, year_start: Date) -> dict:
    accounts, totals = _balances_until(on)
    year_totals = ledger_selectors.account_totals(start=year_start, end=on)
    figures = {"assets": [], "liabilities": [], "equity": []}
    result_all = result_year = ZERO
    for account in accounts:
        t = totals.get(account.pk, {"debit": ZERO, "credit": ZERO})
        amount = _signed(account.kind, t["debit"], t["credit"])
        if account.kind == K.ASSET:
            figures["assets"].append((account, amount))
        elif account.kind == K.LIABILITY:
            figures["liabilities"].append((account, amount))
        elif account.kind == K.EQUITY:
            figures["equity"].append((account, amount))
        else:
            result_all += t["credit"] - t["debit"]
            y = year_totals.get(account.pk, {"debit": ZERO, "credit": ZERO})
            result_year += y["credit"] - y["debit"]
    figures["result_year"] = result_year
    figures["result_before"] = result_all - result_year
    figures["total_assets"] = sum((a for _acc, a in figures["assets"]), ZERO)
    figures["total_liabilities"] = sum((a for _acc, a in figures["liabilities"]), ZERO)
    figures["total_equity"] = sum((a for _acc, a in figures["equity"]), ZERO) + result_all
    figures["total_passiva"] = figures["total_liabilities"] + figures["total_equity"]
    return figures


def balance_sheet(*, year: FinancialYear) -> Report:
    f = balance_sheet_figures(on=year.end, year_start=year.start)
    report = Report(
        "balans",
        _("Balans"),
        _("Per %(d)s") % {"d": year.end.strftime("%d-%m-%Y")},
        [
            Column("code", _("Rekening")),
            Column("name", _("Naam"), wide=True),
            Column("amount", _("Bedrag"), "money"),
        ],
    )
    rows = report.rows
    rows.append(
        {"_style": "heading", "code": "", "name": _("Bezittingen (activa)"), "amount": None}
    )
    rows += [{"code": a.code, "name": a.name, "amount": v} for a, v in f["assets"]]
    rows.append(
        {"_style": "total", "code": "", "name": _("Totaal activa"), "amount": f["total_assets"]}
    )
    rows.append(
        {
            "_style": "heading",
            "code": "",
            "name": _("Schulden en vermogen (passiva)"),
            "amount": None,
        }
    )
    rows += [{"code": a.code, "name": a.name, "amount": v} for a, v in f["liabilities"]]
    rows += [{"code": a.code, "name": a.name, "amount": v} for a, v in f["equity"]]
    rows.append({"code": "", "name": _("Resultaat eerdere jaren"), "amount": f["result_before"]})
    rows.append({"code": "", "name": _("Resultaat dit jaar"), "amount": f["result_year"]})
    rows.append(
        {"_style": "total", "code": "", "name": _("Totaal passiva"), "amount": f["total_passiva"]}
    )
    report.facts.append(
        (_("In evenwicht"), _("ja") if f["total_assets"] == f["total_passiva"] else _("nee"))
    )
    return report


def income_statement_figures(*, start: Date, end: Date) -> dict:
    totals = ledger_selectors.account_totals(start=start, end=end)
    income, expense = [], []
    for account in ledger_selectors.account_list():
        t = totals.get(account.pk)
        if not t:
            continue
        if account.kind == K.INCOME:
            income.append((account, t["credit"] - t["debit"]))
        elif account.kind == K.EXPENSE:
            expense.append((account, t["debit"] - t["credit"]))
    total_income = sum((v for _a, v in income), ZERO)
    total_expense = sum((v for _a, v in expense), ZERO)
    return {
        "income": income,
        "expense": expense,
        "total_income": total_income,
        "total_expense": total_expense,
        "result": total_income - total_expense,
    }


def income_statement(*, year: FinancialYear) -> Report:
    f = income_statement_figures(start=year.start, end=year.end)
    report = Report(
        "baten-en-lasten",
        _("Staat van baten en lasten"),
        _("Boekjaar %(y)s") % {"y": year.year},
        [
            Column("code", _("Rekening")),
            Column("name", _("Naam"), wide=True),
            Column("amount", _("Bedrag"), "money"),
        ],
    )
    rows = report.rows
    rows.append({"_style": "heading", "code": "", "name": _("Baten"), "amount": None})
    rows += [{"code": a.code, "name": a.name, "amount": v} for a, v in f["income"]]
    rows.append(
        {"_style": "total", "code": "", "name": _("Totaal baten"), "amount": f["total_income"]}
    )
    rows.append({"_style": "heading", "code": "", "name": _("Lasten"), "amount": None})
    rows += [{"code": a.code, "name": a.name, "amount": v} for a, v in f["expense"]]
    rows.append(
        {"_style": "total", "code": "", "name": _("Totaal lasten"), "amount": f["total_expense"]}
    )
    rows.append(
        {
            "_style": "total",
            "code": "",
            "name": _("Resultaat (baten − lasten)"),
            "amount": f["result"],
        }
    )
    return report


# --- grants ----------------------------------------------------------------------------------


def budget_vs_actual(*, grant: Grant, sums: grant_selectors.GrantSums | None = None) -> Report:
    sums = sums or grant_selectors.grant_sums([grant.pk])
    lines = grant_selectors.budget_lines(grant=grant, sums=sums)
    unbudgeted = grant_selectors.unbudgeted_spent(grant=grant, sums=sums)
    report = Report(
        f"begroting-{grant.reference}",
        _("Begroting en werkelijk"),
        f"{grant.reference} — {grant.title}",
        [
            Column("category", _("Categorie"), wide=True),
            Column("description", _("Omschrijving"), wide=True),
            Column("budget", _("Begroot"), "money"),
            Column("committed", _("Toegezegd"), "money"),
            Column("actual", _("Uitgegeven"), "money"),
            Column("remaining", _("Nog beschikbaar"), "money"),
        ],
    )
    for line in lines:
        report.rows.append(
            {
                "category": str(line.account),
                "description": line.description,
                "budget": line.amount,
                "committed": line.committed,
                "actual": line.actual,
                "remaining": line.remaining,
                "_line": line,
            }
        )
    if unbudgeted:
        report.rows.append(
            {
                "category": _("Niet begroot"),
                "description": "",
                "budget": ZERO,
                "committed": ZERO,
                "actual": unbudgeted,
                "remaining": -unbudgeted,
            }
        )
    report.rows.append(
        {
            "_style": "total",
            "category": _("Totaal"),
            "description": "",
            "budget": sum((line.amount for line in lines), ZERO),
            "committed": sum((line.committed for line in lines), ZERO),
            "actual": sum((line.actual for line in lines), ZERO) + unbudgeted,
            "remaining": sum((line.remaining for line in lines), ZERO) - unbudgeted,
        }
    )
    report.lines = lines
    return report


def grant_accountability(*, grant: Grant) -> Report:
    """The verantwoording: budget vs realised per line, receipts, and what is left."""
    sums = grant_selectors.grant_sums([grant.pk])
    grant = grant_selectors.grant_get(pk=grant.pk, sums=sums)
    base = budget_vs_actual(grant=grant, sums=sums)
    report = Report(
        f"verantwoording-{grant.reference}",
        _("Verantwoording subsidie"),
        f"{grant.funder} — {grant.reference} — {grant.title}",
        [
            Column("category", _("Categorie"), wide=True),
            Column("description", _("Omschrijving"), wide=True),
            Column("budget", _("Begroot"), "money"),
            Column("actual", _("Gerealiseerd"), "money"),
            Column("difference", _("Verschil"), "money"),
        ],
    )
    for row in base.rows:
        report.rows.append(
            {
                "_style": row.get("_style", ""),
                "category": row["category"],
                "description": row["description"],
                "budget": row["budget"],
                "actual": row["actual"],
                "difference": row["budget"] - row["actual"],
            }
        )
    counts = ledger_selectors.receipt_counts(grant_id=grant.pk)
    report.facts += [
        (_("Toegekend"), grant.amount),
        (_("Ontvangen"), grant.received),
        (_("Uitgegeven"), grant.spent),
        (_("Nog niet besteed"), grant.unspent),
        (_("Terug te betalen (ontvangen − uitgegeven)"), grant.to_return),
        (_("Uitgaven met bonnetje"), f"{counts['with_receipt']} / {counts['total']}"),
        (_("Periode"), f"{grant.period_start:%d-%m-%Y} – {grant.period_end:%d-%m-%Y}"),
    ]
    report.receipts_complete = counts["with_receipt"] == counts["total"]
    report.receipt_counts = counts
    return report


# --- cash book and general ledger -------------------------------------------------------------

PAGE_SIZE = 100


def general_ledger(
    *,
    account: Account,
    year: FinancialYear,
    page: int | str | None = 1,
    title: str | None = None,
    slug: str = "grootboek",
) -> Report:
    """Lines of one account in a year with a running balance.

    A page is found from the account's day totals (how many lines and how much each day
    holds), so page 200 reads its own hundred lines and not the 19,900 before it. With
    `page=None` the report's rows are an iterator over every line of the year, for a
    download.
    """
    opening, days = ledger_selectors.account_days(account=account, start=year.start, end=year.end)
    count = sum(day.lines for day in days)
    closing = opening + sum((day.net for day in days), ZERO)
    report = Report(
        f"{slug}-{account.code}-{year.year}",
        title or _("Grootboekkaart"),
        f"{account} — {year.year}",
        [
            Column("date", _("Datum"), "date"),
            Column("number", _("Boeking")),
            Column("description", _("Omschrijving"), wide=True),
            Column("debit", _("Debet (erbij)"), "money"),
            Column("credit", _("Credit (eraf)"), "money"),
            Column("balance", _("Saldo"), "money"),
        ],
    )
    report.facts.append((_("Eindsaldo"), closing))
    opening_row = {
        "_style": "heading",
        "date": year.start,
        "number": "",
        "description": _("Beginsaldo"),
        "debit": None,
        "credit": None,
        "balance": opening,
    }
    if page is None:
        lines = ledger_selectors.account_lines(account=account, start=year.start, end=year.end)
        report.rows = _ledger_rows(opening_row, lines.iterator(chunk_size=2000), opening, year.year)
        return report
    # A Paginator over a range: it checks the page number and counts pages, nothing more.
    report.page = Paginator(range(count), PAGE_SIZE).get_page(page)
    skip = (report.page.number - 1) * PAGE_SIZE
    balance, first_day, within = opening, year.start, 0
    for day in days:
        if skip < day.lines:
            first_day, within = day.date, skip
            break
        skip -= day.lines
        balance += day.net
    # One query from the page's first day: the lines of that day before the page (few) only
    # move the balance, the next hundred are the page.
    lines = list(
        ledger_selectors.account_lines(account=account, start=first_day, end=year.end)[
            : within + PAGE_SIZE
        ]
    )
    for line in lines[:within]:
        balance += line[4] - line[5]  # debit − credit
    rows = [opening_row] if report.page.number == 1 else []
    report.rows = rows + list(_ledger_rows(None, lines[within:], balance, year.year))
    return report


def _ledger_rows(
    first: dict | None, lines: Iterable[tuple], balance: Decimal, year: int
) -> Iterator[dict]:
    if first is not None:
        yield first
    for day, number, description, entry_description, debit, credit, entry_id in lines:
        balance += debit - credit
        yield {
            "date": day,
            "number": f"{year}-{number:04d}",
            "description": description or entry_description,
            "debit": debit or None,
            "credit": credit or None,
            "balance": balance,
            "_entry_id": entry_id,
        }


def cash_book(*, account: Account, year: FinancialYear, page: int | None = 1) -> Report:
    return general_ledger(account=account, year=year, page=page, title=_("Kasboek"), slug="kasboek")


def ledger_totals_by_grant(*, grant: Grant) -> Decimal:
    """All posted expense on a grant, straight from the ledger (for reconciliation)."""
    return (
        (
            JournalLine.objects.filter(
                grant=grant, entry__status=JournalEntry.Status.POSTED, account__kind=K.EXPENSE
            ).aggregate(total=Sum(F("debit") - F("credit")))["total"]
        )
        or ZERO
    )


def overall_totals() -> dict:
    return JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED).aggregate(
        debit=Sum("debit"), credit=Sum("credit")
    )


def unbalanced_entries() -> list[int]:
    return list(
        JournalLine.objects.filter(entry__status=JournalEntry.Status.POSTED)
        .values("entry_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .filter(~Q(d=F("c")))
        .values_list("entry_id", flat=True)
    )
