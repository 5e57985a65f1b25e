import datetime

import time_machine
from django.core.management import call_command

from groups.organisation import services as org_services
from tenants.models import Membership

START = datetime.date(2026, 12, 1)


# The clock is an input: "today" is a fortnight before the term starts, whatever the real date.
@time_machine.travel(datetime.datetime(2026, 11, 15, 12, 0, tzinfo=datetime.UTC), tick=False)
def test_future_role_switches_access_on_its_day(in_group_a, make_member, users, group_a):
    member = make_member("Nieuwe Penningmeester", user=users["outsider"])
    org_services.role_assign(group=group_a, member=member, role="penningmeester", starts_on=START)
    grants = Membership.objects.filter(user=users["outsider"], group=group_a)
    assert not grants.exists()  # not yet
    assert org_services.access_sync(group=group_a, on=START - datetime.timedelta(days=1)) == (0, 0)
    assert org_services.access_sync(group=group_a, on=START) == (1, 0)
    assert list(grants.values_list("role", flat=True)) == ["penningmeester"]
    term = member.terms.get()
    org_services.role_end(group=group_a, term=term, ends_on=datetime.date(2027, 3, 31))
    assert org_services.access_sync(group=group_a, on=datetime.date(2027, 3, 31)) == (0, 0)
    assert org_services.access_sync(group=group_a, on=datetime.date(2027, 4, 1)) == (0, 1)
    assert not grants.exists()


def test_sync_leaves_grants_without_member_record_alone(in_group_a, group_a, users):
    assert org_services.access_sync(group=group_a) == (0, 0)
    assert Membership.objects.filter(user=users["treasurer"], group=group_a).exists()


def test_command_runs_over_all_groups(world, capsys):
    call_command("sync_group_access")
    assert "Toegang:" in capsys.readouterr().out
