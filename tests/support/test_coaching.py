"""Coaching sessions, follow-ups, ACTIE checks and the time rolled up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from backoffice.support import coaching
from backoffice.support.models import ActieCheck, CoachingSession, FollowUp
from tests.support.conftest import ask

DAY = dt.date(2026, 5, 4)


@pytest.mark.parametrize("minutes", [-30, 0, 30 * 60, "anderhalf"])
def test_session_of_impossible_length_is_refused_and_nothing_saved(group_a, users, minutes):
    with pytest.raises(ValidationError, match="minstens 1 minuut en hoogstens 12 uur"):
        coaching.session_log(group=group_a, worker=users["support"], held_on=DAY, minutes=minutes)
    assert not CoachingSession.objects.exists()


def test_session_with_follow_up_and_history(group_a, users):
    session = coaching.session_log(
        group=group_a,
        worker=users["support"],
        held_on=DAY,
        minutes=90,
        attendee_roles=["voorzitter", "penningmeester"],
        topics=["toerusting", "animo"],
        notes="Spanning tussen voorzitter en penningmeester.",
        followups=[("Kasboek bijwerken", dt.date(2026, 5, 20), users["support"])],
    )
    assert session.topics == ["animo", "toerusting"]  # in ACTIE order
    assert FollowUp.objects.get().group == group_a
    assert session.history.get().history_user == users["support"]


def test_only_an_assigned_worker_or_coordinator_logs_sessions(group_b, users):
    with pytest.raises(PermissionDenied):
        coaching.session_log(group=group_b, worker=users["support"], held_on=DAY, minutes=60)
    coaching.session_log(group=group_b, worker=users["coordinator"], held_on=DAY, minutes=60)


def test_unknown_roles_or_topics_are_refused(group_a, users):
    with pytest.raises(ValidationError, match="uit de lijst"):
        coaching.session_log(
            group=group_a, worker=users["support"], held_on=DAY, minutes=60, topics=["geld"]
        )


def test_score_outside_1_to_5_is_refused_per_dimension(group_a, users):
    scores = {"animo": 6, "contacten": 0, "toerusting": 3, "inbedding": 3, "empathie": 3}
    with pytest.raises(ValidationError) as exc:
        coaching.actie_record(
            group=group_a,
            user=users["support"],
            source=ActieCheck.Source.WORKER,
            scored_on=DAY,
            scores=scores,
        )
    assert exc.value.message_dict["animo"] == ["Geef voor Animo een score van 1 tot en met 5."]
    assert "contacten" in exc.value.message_dict
    assert not ActieCheck.objects.exists()


def test_time_rolls_up_per_group_worker_offering_and_provider(
    group_a, group_b, users, catalogue, budget
):
    request = ask(group_a, users["chair"], catalogue)
    coaching.session_log(
        group=group_a, worker=users["support"], held_on=DAY, minutes=90, request=request
    )
    coaching.session_log(group=group_a, worker=users["support"], held_on=DAY, minutes=30)
    coaching.session_log(group=group_b, worker=users["coordinator"], held_on=DAY, minutes=60)
    by_group = {r["name"]: r["hours"] for r in coaching.time_rollup(by="group")}
    assert by_group == {group_a.name: Decimal("2.0"), group_b.name: Decimal("1.0")}
    by_worker = {r["name"]: r["hours"] for r in coaching.time_rollup(by="worker")}
    assert by_worker == {"support": Decimal("2.0"), "coordinator": Decimal("1.0")}
    by_offering = {r["name"]: r["hours"] for r in coaching.time_rollup(by="offering")}
    assert by_offering["Hulp bij de boekhouding"] == Decimal("1.5")
    by_provider = {r["name"]: r["hours"] for r in coaching.time_rollup(by="provider")}
    assert by_provider["Boekhoudhulp Jansen"] == Decimal("1.5")


def test_session_against_another_groups_request_is_refused(
    group_a, group_b, users, catalogue, budget
):
    request = ask(group_a, users["chair"], catalogue)
    with pytest.raises(ValidationError, match="van een andere groep"):
        coaching.session_log(
            group=group_b, worker=users["coordinator"], held_on=DAY, minutes=60, request=request
        )
