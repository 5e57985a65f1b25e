"""Per-group figures in the public schema: kept current by the posting path, equal to a
rebuild from the books, and never half-written."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, connections
from django_tenants.utils import tenant_context

from finance import bookings
from finance import facade as finance
from finance.grants import services as grants
from finance.ledger import services as ledger_services
from finance.ledger.models import Account
from finance.ledger.postings import LineInput
from tenants.facade import District, GroupGrantFigure, GroupMonthFigure, MunicipalDistrict


def acc(code):
    return Account.objects.get(code=code)


def _month_rows(group):
    return {
        (r.month, r.account_code, r.grant_id): (r.debit, r.credit, r.lines)
        for r in GroupMonthFigure.objects.filter(group=group)
    }


def _book_a_quarter(user):
    grant = grants.grant_create(
        user=user,
        funder="Gemeente Amsterdam, stadsdeel Zuidoost",
        reference="SZO-2026-001",
        title="Buurtbudget",
        amount=Decimal("5000.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    tranche = grants.tranche_create(
        grant=grant, user=user, expected_on=date(2026, 7, 1), amount=Decimal("2500.00")
    )
    grants.tranche_receive(tranche=tranche, user=user, date=date(2026, 7, 3))
    line = grants.budget_line_create(
        grant=grant,
        user=user,
        account=acc("4000"),
        description="Buurtfeest",
        amount=Decimal("1200.00"),
    )
    bookings.expense_record(
        user=user,
        date=date(2026, 7, 10),
        amount=Decimal("100.10"),
        category=acc("4000"),
        description="Koffie",
        budget_line=line,
    )
    spent = bookings.expense_record(
        user=user,
        date=date(2026, 8, 1),
        amount=Decimal("33.33"),
        category=acc("4100"),
        description="Verf",
        grant=grant,
    )
    ledger_services.entry_reverse(entry=spent, user=user, date=date(2026, 8, 2), reason="dubbel")
    grants.commitment_create(
        budget_line=line,
        user=user,
        description="Springkussen",
        amount=Decimal("250.00"),
        approved_on=date(2026, 8, 5),
    )
    return grant


def test_every_district_choice_has_a_district_of_amsterdam(db):
    rows = {d.code: d.municipality.code for d in MunicipalDistrict.objects.all()}
    assert {code: rows.get(code) for code in District.values} == {
        code: "0363" for code in District.values
    }


def test_postings_keep_the_month_figures_current(world, in_group_a, users):
    # given / when
    grant = _book_a_quarter(users["treasurer"])
    # then: the tranche, the expense on the budget line, and the expense with its reversal
    rows = _month_rows(world.group_a)
    assert rows[(date(2026, 7, 1), "8000", grant.pk)] == (Decimal("0.00"), Decimal("2500.00"), 1)
    assert rows[(date(2026, 7, 1), "4000", grant.pk)] == (Decimal("100.10"), Decimal("0.00"), 1)
    assert rows[(date(2026, 8, 1), "4100", grant.pk)] == (Decimal("33.33"), Decimal("33.33"), 2)
    assert rows[(date(2026, 7, 1), "1100", grant.pk)] == (Decimal("2500.00"), Decimal("0.00"), 1)
    assert rows[(date(2026, 7, 1), "1100", None)] == (Decimal("0.00"), Decimal("100.10"), 1)
    figure = GroupGrantFigure.objects.get(group=world.group_a, grant_id=grant.pk)
    assert (figure.awarded, figure.committed, figure.reference) == (
        Decimal("5000.00"),
        Decimal("250.00"),
        "SZO-2026-001",
    )
    kinds = {r.account_code: (r.account_kind, r.rgs_code) for r in GroupMonthFigure.objects.all()}
    assert kinds["4000"] == ("lasten", "WBed")


def test_rebuilt_figures_equal_the_maintained_ones(world, in_group_a, users):
    _book_a_quarter(users["treasurer"])
    before = _month_rows(world.group_a)
    grants_before = set(
        GroupGrantFigure.objects.filter(group=world.group_a).values_list(
            "grant_id", "awarded", "committed"
        )
    )
    connection.set_schema_to_public()
    call_command("rebuild_group_figures", "--check", "--group", world.group_a.slug)  # no error
    # when the stored figures are damaged, the check says so and the rebuild repairs them
    GroupMonthFigure.objects.filter(group=world.group_a).delete()
    with pytest.raises(Exception, match="wijken af"):
        call_command("rebuild_group_figures", "--check", "--group", world.group_a.slug)
    call_command("rebuild_group_figures", "--group", world.group_a.slug)
    assert _month_rows(world.group_a) == before
    assert (
        set(
            GroupGrantFigure.objects.filter(group=world.group_a).values_list(
                "grant_id", "awarded", "committed"
            )
        )
        == grants_before
    )


def test_cancelled_and_settled_commitments_leave_the_committed_figure(world, in_group_a, users):
    user = users["treasurer"]
    grant = grants.grant_create(
        user=user,
        funder="Gemeente",
        reference="C-1",
        title="t",
        amount=Decimal("900.00"),
        period_start=date(2026, 1, 1),
        period_end=date(2026, 12, 31),
    )
    line = grants.budget_line_create(
        grant=grant, user=user, account=acc("4000"), description="x", amount=Decimal("500.00")
    )
    one = grants.commitment_create(
        budget_line=line,
        user=user,
        description="a",
        amount=Decimal("40.00"),
        approved_on=date(2026, 2, 1),
    )
    two = grants.commitment_create(
        budget_line=line,
        user=user,
        description="b",
        amount=Decimal("60.00"),
        approved_on=date(2026, 2, 1),
    )
    grants.commitment_cancel(commitment=one, user=user)
    bookings.expense_record(
        user=user,
        date=date(2026, 2, 3),
        amount=Decimal("60.00"),
        category=acc("4000"),
        description="b",
        budget_line=line,
        commitment=two,
    )
    assert GroupGrantFigure.objects.get(grant_id=grant.pk, group=world.group_a).committed == 0
    grants.grant_update(grant=grant, user=user, amount=Decimal("950.00"))
    assert GroupGrantFigure.objects.get(grant_id=grant.pk, group=world.group_a).awarded == Decimal(
        "950.00"
    )


def test_a_refused_posting_adds_nothing_to_the_figures(world, in_group_a, users):
    with pytest.raises(ValidationError):
        ledger_services.entry_create(
            date=date(2026, 3, 1),
            description="scheef",
            user=users["treasurer"],
            post=True,
            lines=[
                LineInput(account=acc("4100"), debit=Decimal("10.00")),
                LineInput(account=acc("1000"), credit=Decimal("9.99")),
            ],
        )
    assert not GroupMonthFigure.objects.filter(group=world.group_a).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_postings_of_one_group_lose_no_amount(committed_world):
    group, user = committed_world.group_a, committed_world.users["treasurer"]
    errors = []

    def post(amount):
        try:
            with tenant_context(group):
                bookings.expense_record(
                    user=user,
                    date=date(2026, 5, 4),
                    amount=Decimal(amount),
                    category=acc("4200"),
                    description="Flyers",
                )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(a,)) for a in ("1.01", "2.02", "3.03", "4.04")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    try:
        row = GroupMonthFigure.objects.get(group=group, account_code="4200")
        assert (row.debit, row.lines) == (Decimal("10.10"), 4)
        with tenant_context(group):
            months, _grants = finance.figures_compute()
        assert {(m.account_code, m.debit) for m in months if m.account_code == "4200"} == {
            ("4200", Decimal("10.10"))
        }
    finally:
        GroupMonthFigure.objects.filter(group=group).delete()
