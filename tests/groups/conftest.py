"""Builders for group data, made through the real services inside group A's schema."""

import datetime
from decimal import Decimal

import pytest

from groups.decisions import services as decision_services
from groups.decisions.models import Meeting
from groups.organisation import services as org_services

DAY = datetime.date(2026, 3, 10)


@pytest.fixture
def rules(in_group_a):
    """House rules from 1 Jan 2026: quorum 50%, simple majority, €250 / €1000."""
    return decision_services.rules_initialise(
        valid_from=datetime.date(2026, 1, 1),
        quorum_percent=50,
        treasurer_alone_up_to=Decimal("250.00"),
        treasurer_and_chair_up_to=Decimal("1000.00"),
    )


@pytest.fixture
def make_member(in_group_a):
    def make(name: str, *, user=None, joined_on=datetime.date(2025, 1, 1), **fields):
        return org_services.member_create(
            name=name, joined_on=joined_on, user_id=user.pk if user else None, **fields
        )

    return make


@pytest.fixture
def board(in_group_a, make_member, users, group_a):
    """Three board members with terms from 2025, linked to the test accounts."""
    chair = make_member("Kwame Mensah", user=users["chair"], email="kwame@example.nl")
    treasurer = make_member("Priscilla Doelwijt", user=users["treasurer"], phone="0612345678")
    secretary = make_member("Gloria Renfurm", user=users["secretary"])
    start = datetime.date(2025, 1, 1)
    for member, role in (
        (chair, "voorzitter"),
        (treasurer, "penningmeester"),
        (secretary, "secretaris"),
    ):
        org_services.role_assign(group=group_a, member=member, role=role, starts_on=start)
    return {"chair": chair, "treasurer": treasurer, "secretary": secretary}


@pytest.fixture
def board_meeting(board, rules):
    """A board meeting on DAY where all three board members were present (quorum met)."""
    meeting = decision_services.meeting_create(
        kind=Meeting.Kind.BOARD, held_on=DAY, place="Buurthuis"
    )
    decision_services.meeting_set_attendance(meeting=meeting, present=list(board.values()))
    return meeting


@pytest.fixture
def record(board_meeting):
    def make(**overrides):
        fields = {
            "meeting": board_meeting,
            "title": "Buurtfeest",
            "text": "We geven geld uit aan het buurtfeest.",
            "votes_for": 3,
            "votes_against": 0,
            "kind": "financieel",
            "amount": Decimal("800.00"),
        }
        fields.update(overrides)
        return decision_services.decision_record(**fields)

    return make
