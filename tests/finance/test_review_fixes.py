"""Money and access bugs found in review: each test fails on the code before its fix."""

# ruff: noqa: F811  (fixtures imported from other conftest modules are used as arguments)
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from finance.bank import importing as bank_import
from finance.bank import payments
from finance.bank.formats import samples
from finance.claims import selectors as claim_selectors
from finance.claims.models import ExpenseClaim
from finance.closing import services as closing_services
from finance.ledger.models import Account, FinancialYear
from tests.finance.claims.test_claims import approve, rules, submit  # noqa: F401
from tests.finance.conftest import expense
from tests.groups.conftest import board, board_meeting, make_member, record  # noqa: F401


def test_a_claim_is_never_put_in_a_payment_file_twice(rules, users):
    account = bank_import.bank_account_create(
        user=users["treasurer"],
        iban=samples.ACCOUNT_IBAN,
        name="ING",
        holder="K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )
    claim = approve(submit(users["member"]), users["treasurer"])
    payments.claims_export(
        user=users["treasurer"],
        claims=[claim],
        bank_account=account,
        execution_date=dt.date(2026, 3, 5),
    )
    from finance.claims.selectors import claims_to_pay

    assert claim not in list(claims_to_pay())
    with pytest.raises(ValidationError, match="staat al in een betaalbestand"):
        payments.claims_export(
            user=users["treasurer"],
            claims=[claim],
            bank_account=account,
            execution_date=dt.date(2026, 3, 6),
        )


def test_claims_and_expenses_share_one_decision_budget(rules, users, record):
    decision = record(amount=Decimal("2000.00"))
    submit(users["member"], amount="1500.00", decision_id=decision.pk)
    with pytest.raises(ValidationError) as exc:
        expense(users["treasurer"], amount="1200.00", decision=decision)
    assert "uitgegeven" in str(exc.value)
    assert claim_selectors.spent_under_decision(decision) == Decimal("1500.00")
    expense(users["treasurer"], amount="500.00", decision=decision)
    with pytest.raises(ValidationError):
        submit(users["secretary"], amount="1001.00", tag="b", decision_id=decision.pk)
    assert ExpenseClaim.objects.filter(decision=decision).count() == 1


def test_reopen_needs_two_people_who_still_hold_their_roles(books, users, group_a):
    from tenants.models import Membership

    expense(users["treasurer"], amount="10.00", day=dt.date(2025, 6, 1))
    year = FinancialYear.objects.get(year=2025)
    closing_services.year_close(year=year, user=users["treasurer"])
    request = closing_services.year_reopen_request(
        year=year, user=users["treasurer"], reason="Bon vergeten"
    )
    # the treasurer steps down before the chair approves
    Membership.objects.filter(user=users["treasurer"], group=group_a).delete()
    with pytest.raises(ValidationError, match="geen penningmeester meer"):
        closing_services.year_reopen_approve(request=request, user=users["chair"])
    year.refresh_from_db()
    assert year.is_closed
