import datetime

import time_machine
from django.core.management import call_command

from groups.organisation import services as org_services
from tenants.models import Membership

START = datetime.date(2026, 12, 1)


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, 0, tzinfo=datetime.UTC)


def test_future_role_switches_access_on_its_day(in_group_a, make_member, users, group_a):
    # The clock is an input: "today" starts a fortnight before the term, whatever the real date.
    with time_machine.travel(_noon(datetime.date(2026, 11, 15)), tick=False) as clock:
        member = make_member("Nieuwe Penningmeester", user=users["outsider"])
        org_services.role_assign(
            group=group_a, member=member, role="penningmeester", starts_on=START
        )
        # being in the register gives "lid" at once; the treasurer's role waits for its day
        grants = Membership.objects.filter(
            user=users["outsider"], group=group_a, role="penningmeester"
        )
        everything = Membership.objects.filter(user=users["outsider"], group=group_a)
        assert set(everything.values_list("role", flat=True)) == {"lid"}
        assert org_services.access_sync(group=group_a) == (0, 0)
        clock.move_to(_noon(START))
        assert org_services.access_sync(group=group_a) == (1, 0)
        assert list(grants.values_list("role", flat=True)) == ["penningmeester"]
        term = member.terms.get()
        org_services.role_end(group=group_a, term=term, ends_on=datetime.date(2027, 3, 31))
        assert grants.exists()  # the term still runs
        clock.move_to(_noon(datetime.date(2027, 3, 31)))
        assert org_services.access_sync(group=group_a) == (0, 0)  # its last day
        clock.move_to(_noon(datetime.date(2027, 4, 1)))
        assert org_services.access_sync(group=group_a) == (0, 1)
        assert not grants.exists()
        assert set(everything.values_list("role", flat=True)) == {"lid"}


def test_sync_leaves_grants_without_member_record_alone(in_group_a, group_a, users):
    assert org_services.access_sync(group=group_a) == (0, 0)
    assert Membership.objects.filter(user=users["treasurer"], group=group_a).exists()


def test_command_runs_over_all_groups(world, capsys):
    call_command("sync_group_access")
    assert "Toegang:" in capsys.readouterr().out
