"""The support organisation's demo: a dozen offerings, requests in every state, coaching over
several quarters, groups that raise different signals; loaded twice without change."""

import pytest
from django.utils import timezone

from backoffice.demo import GROUPS
from backoffice.support import demo
from backoffice.support.models import (
    ActieCheck,
    CoachingSession,
    FollowUp,
    Offering,
    Platform,
    Provider,
    SupportRequest,
)
from backoffice.support.signals import signals_by_group
from tenants.facade import memberships_set
from tenants.models import Assignment, User
from tenants.services import group_create


@pytest.fixture
def demo_world(world):
    people = {
        "saskia": User.objects.create_user(username="saskia", org_role="coordinator"),
        "jeroen": User.objects.create_user(username="jeroen", org_role="ondersteuner"),
    }
    groups = []
    for spec in GROUPS:
        group = group_create(name=spec["name"], slug=spec["slug"], district=spec["district"])
        groups.append(group)
        if spec["coached"]:
            Assignment.objects.create(user=people["jeroen"], group=group)
        for username, first, _last, role in spec["people"]:
            people[username] = User.objects.create_user(username=username, first_name=first)
            memberships_set(group=group, user_id=people[username].pk, roles={role})
    return people, groups


def _snapshot():
    return (
        Provider.objects.count(),
        Offering.objects.count(),
        sorted(SupportRequest.objects.values_list("group__slug", "status", "rating")),
        CoachingSession.objects.count(),
        FollowUp.objects.count(),
        ActieCheck.objects.count(),
        Platform.objects.count(),
    )


def test_demo_has_the_catalogue_every_state_and_different_signals(demo_world):
    people, groups = demo_world
    demo.load(people, groups, password="x")
    first = _snapshot()
    demo.load(people, groups, password="x")
    assert _snapshot() == first
    assert Offering.objects.count() == 12
    kinds = set(Provider.objects.values_list("kind", flat=True))
    assert kinds == {"intern", "zzp", "organisatie"}
    states = {status for _slug, status, _rating in first[2]}
    assert states == {"aangevraagd", "afgesproken", "loopt", "afgerond", "afgewezen"}
    assert any(rating for *_x, rating in first[2])
    quarters = {c.scored_on.month for c in ActieCheck.objects.filter(source="ondersteuner")}
    assert len(quarters) >= 3
    signals = signals_by_group(groups, timezone.localdate())
    codes = {g.slug: {s.code for s in signals[g.pk]} for g in groups}
    assert "followups" in codes["hart-voor-de-k-buurt"]
    assert {"requests", "actie"} <= codes["bewonersplatform-banne"]
    assert codes["hart-voor-de-k-buurt"] != codes["buurtgroep-slotermeer"]
