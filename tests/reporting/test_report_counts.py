"""The reports' per-group counts (initiatives, vouchers, ballots, households reached) are kept
in the public schema by the initiatives' own services, in their transaction, and the rebuild
recomputes exactly what the services kept."""

import datetime as dt
from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from groups.initiatives import consultation, money, vouchers
from groups.initiatives.models import Household
from tenants import facade as tenants
from tenants.figures import CountDelta, month_counts_add
from tests.initiatives.helpers import (
    DAY,
    assess_and_approve,
    board_meeting,
    make_round,
    submit,
    upload,
)

pytestmark = pytest.mark.django_db
APRIL = date(2026, 4, 1)


def _stored(group) -> dict[str, int]:
    return {
        measure: count
        for month, measure, count in tenants.GroupMonthCount.objects.filter(
            group=group
        ).values_list("month", "measure", "count")
        if month == APRIL
    }


@time_machine.travel(dt.datetime(2026, 4, 10, 10, 0, tzinfo=dt.UTC), tick=False)
def test_the_initiatives_services_keep_the_counts_and_the_rebuild_agrees(
    in_group_a, users, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    group = in_group_a
    # given: a consultation round with three plans and four households with a voting code
    ballot_round = make_round(users, decided_by="raadpleging")
    plans = [submit(ballot_round, title=t).initiative for t in ("Moestuin", "Speelplek", "Feest")]
    Household.objects.bulk_create(
        [
            Household(street="Dijkgraafplein", house_number=i + 1, postcode="1069 AB")
            for i in range(4)
        ]
    )
    codes = [p.code for p in consultation.codes_issue(round_=ballot_round, user=users["chair"])]
    # when: one household votes online, one on paper (typed in twice by two volunteers)
    consultation.vote_online(
        round_=ballot_round, code=codes[0], choices={plans[0].pk: 1}, address="a"
    )
    for volunteer in ("member", "secretary"):
        consultation.paper_enter(
            round_=ballot_round, user=users[volunteer], code=codes[1], choices={plans[1].pk: 1}
        )
    # and: a voucher round gives the same four households a voucher, one is used
    voucher_round = make_round(users, decided_by="vouchers", voucher_value=Decimal("25.00"))
    pooled = submit(voucher_round, title="Bankjes").initiative
    printed = vouchers.vouchers_issue(round_=voucher_round, user=users["chair"])
    vouchers.voucher_redeem(code=printed[0].code, initiative=pooled, address="198.51.100.7")
    # and: a board round approves a plan, which is accounted for and completed
    board_round = make_round(users)
    plan = submit(board_round, title="Buurtkrant").initiative
    assess_and_approve(plan, users, board_meeting(users, group, day=DAY))
    plan.refresh_from_db()
    money.accountability_submit(
        initiative=plan,
        report="Gedrukt.",
        participants=12,
        volunteers=3,
        receipts=[(upload("bon.png"), Decimal("100.00"))],
    )
    money.close(initiative=plan, user=users["chair"])

    # then: the public counts say what happened in April, and nothing else
    assert _stored(group) == {
        tenants.INITIATIVES_SUBMITTED: 5,
        tenants.INITIATIVES_APPROVED: 1,
        tenants.INITIATIVES_COMPLETED: 1,
        tenants.HOUSEHOLDS_REACHED: 8,
        tenants.BALLOTS_ONLINE: 1,
        tenants.BALLOTS_PAPER: 1,
        tenants.VOUCHERS_USED: 1,
    }
    # and: what the rebuild computes from the group's own tables is exactly what was kept
    connection.set_schema_to_public()
    computed = tenants.counts_compute(group)
    assert computed == tenants.counts_stored(group.pk)
    assert computed[0]  # not trivially equal


def test_the_rebuild_command_restores_lost_counts_and_check_reports_them(in_group_a, users):
    group = in_group_a
    with time_machine.travel(dt.datetime(2026, 4, 10, 10, 0, tzinfo=dt.UTC), tick=False):
        submit(make_round(users))
    connection.set_schema_to_public()
    call_command("rebuild_group_figures", "--check", "--group", group.slug)  # agrees: no error
    tenants.GroupMonthCount.objects.filter(group=group).delete()
    with pytest.raises(Exception, match="wijken af"):
        call_command("rebuild_group_figures", "--check", "--group", group.slug)
    call_command("rebuild_group_figures", "--group", group.slug)
    assert _stored(group) == {tenants.INITIATIVES_SUBMITTED: 1}


def test_counts_add_up_in_their_month_and_unknown_measures_are_refused(world):
    group = world.group_a
    for n in (2, 3):
        month_counts_add(
            group_id=group.pk, deltas=[CountDelta(date(2026, 5, 17), tenants.VOUCHERS_USED, n)]
        )
    row = tenants.GroupMonthCount.objects.get(group=group, measure=tenants.VOUCHERS_USED)
    assert (row.month, row.count) == (date(2026, 5, 1), 5)
    with pytest.raises(ValueError, match="Unknown"):
        month_counts_add(group_id=group.pk, deltas=[CountDelta(date(2026, 5, 1), "names", 1)])
