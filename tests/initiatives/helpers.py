"""Builders for initiative tests: a grant with a budget line, a round, an application."""

import datetime
import itertools
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from finance.grants import services as grant_services
from finance.ledger.models import Account
from groups.initiatives import services
from groups.initiatives.models import Round

DAY = datetime.date(2026, 4, 10)
INITIATOR_EMAIL = "amina.initiatief@example.org"
INITIATOR_PHONE = "06-12345678"
_references = itertools.count(1)


def png(tag: str = "", size=(4, 4)) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, len(tag) % 255)).save(buffer, "PNG")
    return buffer.getvalue() + tag.encode()


def upload(name="foto.png", data=None, content_type="image/png"):
    return SimpleUploadedFile(name, png(name) if data is None else data, content_type)


def budget_line(users, amount="5000.00"):
    grant = grant_services.grant_create(
        user=users["treasurer"],
        funder="Gemeente Amsterdam",
        reference=f"BB-2026-{next(_references)}",
        title="Buurtbudget",
        amount=Decimal("10000.00"),
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    return grant_services.budget_line_create(
        grant=grant,
        user=users["treasurer"],
        account=Account.objects.get(code="4000"),
        description="Bewonersinitiatieven",
        amount=Decimal(amount),
    )


def make_round(users, **overrides) -> Round:
    line = overrides.pop("line", None) or budget_line(users)
    fields = dict(
        user=users["chair"],
        name="Voorjaarsronde 2026",
        opens_on=datetime.date(2026, 4, 1),
        closes_on=datetime.date(2026, 5, 31),
        ends_on=datetime.date(2026, 9, 30),
        budget_line_id=line.pk,
        budget=Decimal("3000.00"),
        criteria=["Goed voor de buurt", "Haalbaar"],
    )
    fields.update(overrides)
    return services.round_create(**fields)


def submit(round_, **overrides):
    fields = dict(
        round_=round_,
        title="Buurtmoestuin",
        summary="Een moestuin op het pleintje voor en door buren.",
        description="We leggen vier bakken aan en zaaien samen met de kinderen.",
        items=[("Plantenbakken", "300,00"), ("Zaad en aarde", "150,00")],
        initiator_name="Amina Bakker",
        initiator_email=INITIATOR_EMAIL,
        initiator_phone=INITIATOR_PHONE,
        today=DAY,
    )
    fields.update(overrides)
    return services.initiative_submit(**fields)


def board_meeting(users, group, day=datetime.date(2026, 4, 20)):
    """House rules, the three board members in the register, and a meeting with all present."""
    from groups.decisions import services as decision_services
    from groups.decisions.models import Meeting
    from groups.organisation import services as org_services

    decision_services.rules_initialise(
        valid_from=datetime.date(2026, 1, 1),
        quorum_percent=50,
        treasurer_alone_up_to=Decimal("250.00"),
        treasurer_and_chair_up_to=Decimal("1000.00"),
    )
    members = []
    for key, role in (
        ("chair", "voorzitter"),
        ("treasurer", "penningmeester"),
        ("secretary", "secretaris"),
    ):
        member = org_services.member_create(
            name=f"{key.title()} A", joined_on=datetime.date(2025, 1, 1), user_id=users[key].pk
        )
        org_services.role_assign(
            group=group, member=member, role=role, starts_on=datetime.date(2025, 1, 1)
        )
        members.append(member)
    meeting = decision_services.meeting_create(
        kind=Meeting.Kind.BOARD, held_on=day, place="Buurthuis"
    )
    decision_services.meeting_set_attendance(meeting=meeting, present=members)
    return meeting


def assess_and_approve(initiative, users, meeting, *, outcome="goedgekeurd", amount=None):
    from groups.initiatives import assessment

    criteria = list(initiative.round.criteria.all())
    assessment.declare(initiative=initiative, user=users["secretary"], has_conflict=False)
    assessment.score(
        initiative=initiative,
        user=users["secretary"],
        scores={c.pk: (4, "Past goed in de buurt") for c in criteria},
    )
    return assessment.decide(
        initiative=initiative,
        user=users["chair"],
        outcome=outcome,
        amount=amount,
        reason="Goed plan voor de buurt, met veel buren erbij.",
        meeting_id=meeting.pk,
        votes_for=3,
        votes_against=0,
    )
