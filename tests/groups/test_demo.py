"""Demo data: per demo group a register, rules, two meetings with minutes and decisions."""

import datetime as dt

import pytest
import time_machine
from django_tenants.utils import tenant_context

from backoffice.demo import GROUPS
from groups import demo
from groups.decisions import selectors as decision_selectors
from groups.decisions.models import Attendance, Decision, Meeting
from groups.organisation import selectors as org_selectors
from groups.organisation.models import Member, RoleTerm
from tenants.models import Membership, User
from tenants.services import group_create


@pytest.fixture
def demo_group(world):
    spec = GROUPS[0]
    group = group_create(
        name=spec["name"],
        slug=spec["slug"],
        district=spec["district"],
        neighbourhood=spec["neighbourhood"],
    )
    people = {}
    for username, first, last, _role in spec["people"]:
        people[username] = User.objects.create_user(
            username=username, first_name=first, last_name=last
        )
    return group, people, spec["people"]


def _snapshot():
    return (
        list(Member.objects.order_by("pk").values_list("name", "user_id")),
        list(RoleTerm.objects.order_by("pk").values_list("member_id", "role", "starts_on")),
        list(Meeting.objects.order_by("pk").values_list("kind", "held_on", "minutes")),
        list(Attendance.objects.order_by("pk").values_list("meeting_id", "member_id")),
        list(
            Decision.objects.order_by("pk").values_list(
                "year", "number", "title", "outcome", "is_published"
            )
        ),
    )


def _on(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 10, tzinfo=dt.UTC))


def test_demo_is_complete_deterministic_and_idempotent(demo_group):
    group, people, roster = demo_group
    with tenant_context(group):
        # when
        with _on(dt.date(2026, 6, 15)):
            demo.load_for_group(group, people, roster)
        first = _snapshot()
        with _on(dt.date(2026, 6, 16)):  # the next day: still nothing new
            demo.load_for_group(group, people, roster)
        # then: nothing changed the second time
        assert _snapshot() == first
        assert (
            Member.objects.count() == 8
            and Member.objects.filter(user_id__isnull=False).count() == 6
        )
        assert org_selectors.board_gaps() == []
        meetings = Meeting.objects.all()
        assert meetings.count() == 2 and all(m.minutes for m in meetings)
        assert {m.decisions.count() for m in meetings} == {2}
        references = [d.reference for d in Decision.objects.order_by("number")]
        assert references == ["2026-001", "2026-002", "2026-003", "2026-004"]
        assert Decision.objects.filter(outcome="geen_meerderheid").count() == 1
        assert decision_selectors.decisions_published().count() == 2
        assert decision_selectors.rules_current() is not None
        # access follows the register: every registered account is "lid", plus its roles
        grants = {}
        for user_id, role in Membership.objects.filter(group=group).values_list("user_id", "role"):
            grants.setdefault(user_id, set()).add(role)
        assert grants == {
            people[username].pk: {"lid"} | ({role} if role != "lid" else set())
            for username, _first, _last, role in roster
        }


@pytest.mark.parametrize(
    "today, year",
    [(dt.date(2026, 12, 2), 2026), (dt.date(2031, 1, 10), 2030)],
    ids=["december", "early-january"],
)
def test_demo_dates_follow_today(demo_group, today, year):
    group, people, roster = demo_group
    with tenant_context(group), _on(today):
        demo.load_for_group(group, people, roster)
        meetings = sorted(Meeting.objects.values_list("held_on", flat=True))
        assert all(d.year == year and d < today for d in meetings)
        references = [d.reference for d in Decision.objects.order_by("number")]
        assert references == [f"{year}-00{n}" for n in (1, 2, 3, 4)]
        starts = set(RoleTerm.objects.values_list("starts_on", flat=True))
        assert starts == {dt.date(today.year - 1, 1, 1)}
