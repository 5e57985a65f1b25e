"""The row of facts per group (tenants/facts.py, ADR 0013): kept by the owning services in
the same transaction, and equal to what `rebuild_group_facts` reads afresh."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django_tenants.utils import tenant_context

from finance.bank import importing as bank_import
from finance.bank import reconciliation
from finance.bank.formats import samples
from finance.grants import services as grant_services
from finance.ledger.models import Account
from groups.decisions import services as decision_services
from tenants.facade import memberships_set
from tenants.facts import GroupFacts, facts_compute
from tests.finance.claims.test_claims import submit
from tests.finance.conftest import expense


def stored(group) -> dict:
    return GroupFacts.objects.get(pk=group.pk).as_dict()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_new_group_has_its_row_with_missing_board_roles(group_b):
    facts = stored(group_b)
    assert facts["last_booking_on"] is None
    assert facts["missing_board_roles"] == ["voorzitter", "secretaris"]  # only a treasurer


def test_each_service_keeps_its_fact_and_rebuild_finds_the_same(group_a, users, media):
    treasurer = users["treasurer"]
    with tenant_context(group_a):
        # given a grant, a booking, a claim, a meeting and an imported statement
        grant = grant_services.grant_create(
            user=treasurer,
            funder="Stadsdeel Zuidoost",
            reference="FACT-1",
            title="Buurtbudget",
            amount=Decimal("5000.00"),
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )
        expense(treasurer, amount="120.00", day=dt.date(2026, 3, 4), grant=grant)
        submit(users["member"], tag="facts")
        decision_services.meeting_create(kind="bestuur", held_on=dt.date(2026, 2, 9), place="x")
        account = bank_import.bank_account_create(
            user=treasurer,
            iban=samples.ACCOUNT_IBAN,
            name="ING",
            holder="K-buurt",
            ledger_account=Account.objects.get(role="bank"),
        )
        lines = samples.sample_lines(3, start=dt.date(2026, 4, 1))
        bank_import.import_statement(
            data=samples.camt053_document(lines), filename="a.xml", user=treasurer
        )
    # then every fact was written by its service
    facts = stored(group_a)
    assert facts["budget_total"] == Decimal("5000.00")
    assert facts["budget_spent"] == Decimal("120.00")
    assert facts["last_booking_on"] == dt.date(2026, 3, 4)
    assert facts["open_claims"] == 1
    assert facts["last_meeting_on"] == dt.date(2026, 2, 9)
    assert facts["oldest_unreconciled_on"] == dt.date(2026, 4, 1)
    assert facts["unreconciled_lines"] == 3
    assert facts["audit_due_year_end"] == dt.date(2026, 12, 31)
    assert facts["grant_period_ends"] == [dt.date(2026, 12, 31)]
    assert facts["missing_board_roles"] == []
    assert facts == facts_compute(group_a)

    # when the oldest line is booked to a category, the bank fact moves on with it
    with tenant_context(group_a):
        first = reconciliation.unreconciled(bank_account=account).first()
        reconciliation.book_line(
            line=first, user=treasurer, category=Account.objects.get(code="4000")
        )
    facts = stored(group_a)
    assert facts["unreconciled_lines"] == 2
    assert facts == facts_compute(group_a)
    call_command("rebuild_group_facts", "--check")


def test_losing_the_chair_is_a_fact_at_once(group_a, users):
    memberships_set(group=group_a, user_id=users["chair"].pk, roles=set())
    assert stored(group_a)["missing_board_roles"] == ["voorzitter"]


def test_rebuild_repairs_drift_and_check_names_the_group(group_a):
    GroupFacts.objects.filter(pk=group_a.pk).update(open_claims=7)
    with pytest.raises(CommandError, match="k-buurt"):
        call_command("rebuild_group_facts", "--check")
    call_command("rebuild_group_facts", "--group", "k-buurt")
    assert stored(group_a)["open_claims"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_failed_write_leaves_the_facts_as_they_were(committed_world):
    group = committed_world.group_a
    before = stored(group)
    with tenant_context(group), pytest.raises(RuntimeError):
        with transaction.atomic():
            decision_services.meeting_create(kind="bestuur", held_on=dt.date(2026, 5, 1), place="x")
            assert stored(group)["last_meeting_on"] == dt.date(2026, 5, 1)
            raise RuntimeError("the group's write fails after the facts were recorded")
    assert stored(group) == before


def test_posting_adds_to_the_row_and_only_the_newest_grant_counts(group_a, users):
    treasurer = users["treasurer"]
    with tenant_context(group_a):
        old = grant_services.grant_create(
            user=treasurer, funder="Fonds", reference="OUD", title="Oud",
            amount=Decimal("900.00"), period_start=dt.date(2025, 7, 1),
            period_end=dt.date(2026, 6, 30),
        )  # fmt: skip
        new = grant_services.grant_create(
            user=treasurer, funder="Fonds", reference="NIEUW", title="Nieuw",
            amount=Decimal("3000.00"), period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 12, 31),
        )  # fmt: skip
        expense(treasurer, amount="40.00", day=dt.date(2026, 5, 6), grant=new)
        expense(treasurer, amount="15.00", day=dt.date(2026, 2, 1), grant=new)
        expense(treasurer, amount="70.00", day=dt.date(2026, 3, 1), grant=old)
        expense(treasurer, amount="5.00", day=dt.date(2026, 4, 1))
    facts = stored(group_a)
    # the last booking moves forward only; an earlier booking after it leaves it
    assert facts["last_booking_on"] == dt.date(2026, 5, 6)
    # the older grant's and the grant-less spending are not the newest grant's budget
    assert facts["budget_spent"] == Decimal("55.00")
    assert facts == facts_compute(group_a)


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_posting_and_import_leave_the_facts_as_they_were(
    committed_world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    group, treasurer = committed_world.group_a, committed_world.users["treasurer"]
    with tenant_context(group):
        bank_import.bank_account_create(
            user=treasurer, iban=samples.ACCOUNT_IBAN, name="ING", holder="Vast",
            ledger_account=Account.objects.get(role="bank"),
        )  # fmt: skip
    before = stored(group)
    with tenant_context(group), pytest.raises(RuntimeError):
        with transaction.atomic():
            expense(treasurer, amount="20.00", day=dt.date(2026, 6, 1))
            lines = samples.sample_lines(4, start=dt.date(2026, 1, 5))
            bank_import.import_statement(
                data=samples.camt053_document(lines), filename="a.xml", user=treasurer
            )
            inside = stored(group)
            assert inside["last_booking_on"] == dt.date(2026, 6, 1)
            assert inside["unreconciled_lines"] == 4
            raise RuntimeError("the write fails after the facts were adjusted")
    assert stored(group) == before
    assert stored(group) == facts_compute(group)


@pytest.mark.django_db(transaction=True)
def test_two_writers_at_once_leave_the_right_facts(committed_world, settings, tmp_path):
    """An import (adds to the row) and a reconciliation (recomputes) on two connections at
    once: the recompute waits for the row and counts the import's lines. Computing before
    taking the row's lock would store a count without them."""
    import threading
    import time

    from django.db import connections

    settings.MEDIA_ROOT = tmp_path
    group, treasurer = committed_world.group_a, committed_world.users["treasurer"]
    with tenant_context(group):
        account = bank_import.bank_account_create(
            user=treasurer, iban=samples.ACCOUNT_IBAN, name="ING", holder="Vast",
            ledger_account=Account.objects.get(role="bank"),
        )  # fmt: skip
        first = samples.sample_lines(3, seed=1, start=dt.date(2026, 2, 1))
        bank_import.import_statement(
            data=samples.camt053_document(first), filename="a.xml", user=treasurer
        )
        to_book = reconciliation.unreconciled(bank_account=account).first()
    assert stored(group)["unreconciled_lines"] == 3
    imported, booking = threading.Event(), threading.Event()
    errors = []

    def importer():
        try:
            with tenant_context(group), transaction.atomic():
                second = samples.sample_lines(5, seed=2, start=dt.date(2026, 3, 1))
                bank_import.import_statement(
                    data=samples.camt053_document(second), filename="b.xml", user=treasurer
                )
                imported.set()
                booking.wait(10)
                time.sleep(0.5)  # the other writer is inside its service by now
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections["default"].close()

    def booker():
        try:
            imported.wait(10)
            with tenant_context(group):
                booking.set()
                reconciliation.book_line(
                    line=to_book, user=treasurer, category=Account.objects.get(code="4000")
                )
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=importer), threading.Thread(target=booker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    facts = stored(group)
    assert facts["unreconciled_lines"] == 3 + 5 - 1
    assert facts == facts_compute(group)
