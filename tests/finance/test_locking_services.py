"""Every service that locks rows runs in its own transaction (issue 14, point 7).

The per-test rollback wraps each ordinary test in a transaction, so a service that calls
`select_for_update()` without `@transaction.atomic` passes there and fails for real
("select_for_update cannot be used outside of a transaction"): reopening a year did, every
time. These tests commit for real (`transaction=True`), as a web request does, and a static
check keeps new locking services atomic.
"""

import ast
import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django_tenants.utils import tenant_context

from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank.formats import samples
from finance.bank.models import BankLine
from finance.claims import services as claims
from finance.closing import services as closing
from finance.closing.models import PeriodEvent
from finance.grants import services as grants
from finance.ledger import services as ledger
from finance.ledger.models import FinancialYear, JournalEntry
from finance.ledger.postings import LineInput
from tests.finance.conftest import acc, expense, journal, png_bytes

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 3, 2)


@pytest.mark.django_db(transaction=True)
def test_reopening_a_closed_year_works_with_real_transactions(committed_world):
    # given: a closed year with one booking, and a request by the treasurer
    t, chair = committed_world.users["treasurer"], committed_world.users["chair"]
    with tenant_context(committed_world.group_a):
        journal(t, day=DAY)
        year = FinancialYear.objects.get(year=2026)
        closing.year_close(year=year, user=t)
        request = closing.year_reopen_request(year=year, user=t, reason="Bonnetje vergeten")
        # when: the chair gives the second approval (autocommit, as in a web request)
        closing.year_reopen_approve(request=request, user=chair)
        # then
        year.refresh_from_db()
        request.refresh_from_db()
        assert not year.is_closed and request.completed_at is not None
        assert request.chair_id == chair.pk and request.treasurer_id == t.pk
        assert list(
            PeriodEvent.objects.filter(year=year).order_by("id").values_list("kind", flat=True)
        ) == ["gesloten", "heropenen_gevraagd", "heropenen_goedgekeurd", "heropend"]


@pytest.mark.django_db(transaction=True)
def test_every_locking_service_of_the_books_works_with_real_transactions(committed_world):
    """One pass through the services that take row locks, each committed on its own."""
    u = committed_world.users
    t = u["treasurer"]
    with tenant_context(committed_world.group_a):
        # grants: update, budget line, commitment, tranche
        grant = grants.grant_create(
            user=t,
            funder="Stadsdeel",
            reference="SD-1",
            title="Buurtbudget",
            amount=Decimal("1000.00"),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
        grant = grants.grant_update(grant=grant, user=t, title="Buurtbudget 2026")
        line = grants.budget_line_create(
            grant=grant, user=t, account=acc("4000"), description="Feest", amount=Decimal("100")
        )
        grants.budget_line_update(budget_line=line, user=t, amount=Decimal("200.00"))
        commitment = grants.commitment_create(
            budget_line=line, user=t, description="Tent", amount=Decimal("50"), approved_on=DAY
        )
        assert grants.commitment_cancel(commitment=commitment, user=t).cancelled
        tranche = grants.tranche_create(grant=grant, user=t, expected_on=DAY, amount=Decimal("500"))
        assert grants.tranche_receive(tranche=tranche, user=t, date=DAY).is_posted

        # ledger: drafts changed, deleted and posted; a reversal; an account
        draft = journal(u["secretary"], day=DAY, post=False)
        ledger.entry_update_draft(
            entry=draft,
            date=DAY,
            description="Anders",
            lines=[
                LineInput(account=acc("4100"), debit=Decimal("3.00")),
                LineInput(account=acc("1000"), credit=Decimal("3.00")),
            ],
            user=u["secretary"],
        )
        ledger.entry_post(entry=draft, user=t)
        ledger.entry_delete_draft(entry=journal(u["secretary"], day=DAY, post=False), user=t)
        posted = expense(t, "12.50", day=DAY)
        assert ledger.entry_reverse(entry=posted, user=t, date=DAY).is_posted
        ledger.account_update(account=acc("4900"), user=t, name="Overige kosten")

        # claims: approve one, reject another
        iban = samples.nl_iban("ABNA", 417164300)
        submitted = [
            claims.claim_submit(
                user=u["member"],
                amount=Decimal("42.50"),
                spent_on=DAY,
                description=f"Boodschappen {n}",
                iban=iban,
                account_holder="M. Lid",
                receipt_name="bon.png",
                receipt_data=png_bytes(f"lock-{n}"),
            )
            for n in (1, 2)
        ]
        claim = claims.claim_approve(claim=submitted[0], user=t, category=acc("4000"))
        claims.claim_reject(claim=submitted[1], user=t, reason="Dubbel")

        # bank: the claim paid through a match, another line booked to a category
        account = bank_import.bank_account_create(
            user=t,
            iban=samples.ACCOUNT_IBAN,
            name="ING",
            holder="K-buurt",
            ledger_account=acc("1100"),
        )
        bank_import.import_statement(
            data=samples.camt053_document(
                [
                    samples.SampleLine(
                        DAY, DAY, Decimal("-42.50"), "M. Lid", iban, "Declaratie D1", "R1"
                    ),
                    samples.SampleLine(DAY, DAY, Decimal("-7.00"), "Winkel", "", "Thee", "R2"),
                ]
            ),
            filename="s.xml",
            user=t,
        )
        paid_line = BankLine.objects.get(amount=Decimal("-42.50"))
        item = next(i for i in reconciliation.suggestions(line=paid_line) if i.item.pk == claim.pk)
        assert reconciliation.apply_matches(pairs=[(paid_line, item.item)], user=t) == 1
        reconciliation.book_line(
            line=BankLine.objects.get(amount=Decimal("-7.00")), user=t, category=acc("4100")
        )
        assert BankLine.objects.filter(reconciled_at__isnull=True).count() == 0
        assert account.lines.count() == 2

        # the kascommissie checks and signs; the second signature closes the year
        year = FinancialYear.objects.get(year=2026)
        check = closing.audit_start(year=year, user=u["audit"])
        closing.audit_update(
            check=check,
            user=u["audit"],
            checked_receipts=True,
            checked_bank=True,
            checked_grants=True,
            checked_cash=True,
            bank_statement_balance=Decimal("0.00"),
            findings="Bonnetjes ontbreken bij een paar boekingen.",
        )
        for sample in check.samples.all():
            closing.audit_sample_mark(sample=sample, user=u["audit2"], ok=True)
        closing.audit_signoff(check=check, user=u["audit"])
        closing.audit_signoff(check=check, user=u["audit2"])
        year.refresh_from_db()
        assert year.is_closed
        assert JournalEntry.objects.filter(status=JournalEntry.Status.DRAFT).count() == 0


# --- a static check, so the next locking service is atomic too -----------------------------

APPS = ("finance", "groups", "knowledge", "tenants", "backoffice")


def _atomic(node: ast.FunctionDef) -> bool:
    decorators = [ast.unparse(d) for d in node.decorator_list]
    if any(d.endswith("atomic") or d.endswith("atomic()") for d in decorators):
        return True
    return any(
        isinstance(n, ast.With) and any("atomic" in ast.unparse(i.context_expr) for i in n.items)
        for n in ast.walk(node)
    )


def test_every_public_service_that_locks_rows_is_atomic():
    """Private helpers run inside their caller's transaction, and named lock selectors
    (`*_lock`) are meant to be called from one; everything else that locks opens its own."""
    missing = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text()
            if "select_for_update" not in source:
                continue
            for node in ast.walk(ast.parse(source)):
                if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                    continue
                if node.name.endswith("_lock"):
                    continue
                if "select_for_update" in ast.unparse(node) and not _atomic(node):
                    missing.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert missing == []
