"""Demo data inside each group's schema: profile, register, rules, two meetings with decisions.

Deterministic for a given day (fixed names; dates placed relative to today, like the demo
books: terms and rules from the start of last year, this year's meetings before today) and
idempotent: every step checks whether its row is already there, so running the demo twice
changes nothing, also on another day.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from groups.decisions import services as decision_services
from groups.decisions.models import DecisionRules, Meeting
from groups.organisation import services as org_services
from groups.organisation.models import Member, Profile, RoleTerm

MISSIONS = {
    "hart-voor-de-k-buurt": "Samen maken we de K-buurt schoner, groener en gezelliger.",
    "bewonersplatform-banne": "Bewoners van de Banne beslissen mee over het buurtbudget.",
    "buurtgroep-slotermeer": "Activiteiten voor jong en oud rond het Sloterpark.",
}

# Residents in the register without an account.
EXTRA_MEMBERS = {
    "hart-voor-de-k-buurt": ["Esther Kwakye", "Marco Tjin"],
    "bewonersplatform-banne": ["Gerda Kok", "Sven Hoekstra"],
    "buurtgroep-slotermeer": ["Karim Bennani", "Ans de Wit"],
}


def demo_dates(today: datetime.date) -> dict[str, datetime.date]:
    """The demo's dates for `today`: terms and rules start on 1 January of last year; the two
    meetings fall in one year (so their decisions are numbered 001–004), this year's when it
    has begun long enough, otherwise last autumn."""
    last = today.year - 1
    start = datetime.date(today.year, 1, 1)
    if today >= datetime.date(today.year, 2, 1):
        elapsed = (today - start).days
        board, members = (
            start + datetime.timedelta(elapsed // 3),
            start + datetime.timedelta(2 * elapsed // 3),
        )
    else:
        board, members = datetime.date(last, 10, 13), datetime.date(last, 11, 18)
    return {
        "terms_start": datetime.date(last, 1, 1),
        "rules_from": datetime.date(last, 1, 1),
        "joined": datetime.date(last - 1, 9, 1),
        "extra_joined": datetime.date(last, 3, 1),
        "board_meeting": board,
        "members_meeting": members,
    }


def load_for_group(group, people, roster) -> None:
    dates = demo_dates(timezone.localdate())
    with transaction.atomic():
        profile = org_services.profile_initialise(
            name=group.name, neighbourhood=group.neighbourhood, district=group.district
        )
        if not profile.mission:
            org_services.profile_update(
                profile=profile,
                mission=MISSIONS.get(group.slug, ""),
                district=group.district,
                contact_email=f"info@{group.slug}.demo.buurtkas.nl",
                contact_note=(
                    "Inloop elke eerste woensdag van de maand, 19.00 uur, in het buurthuis."
                ),
                legal_form=Profile.LegalForm.INFORMAL,
            )
        _register(group, people, roster, dates)
        _rules(dates)
        _meetings(group, dates)


def _register(group, people, roster, dates) -> None:
    for username, first, last, role in roster:
        user = people.get(username)
        member = Member.objects.filter(user_id=user.pk).first() if user else None
        if member is None:
            member = org_services.member_create(
                name=f"{first} {last}",
                email=f"{username}@demo.buurtkas.nl",
                joined_on=dates["joined"],
                user_id=user.pk if user else None,
            )
        if role != "lid" and not RoleTerm.objects.filter(member=member, role=role).exists():
            org_services.role_assign(
                group=group, member=member, role=role, starts_on=dates["terms_start"]
            )
    for name in EXTRA_MEMBERS.get(group.slug, []):
        if not Member.objects.filter(name=name).exists():
            org_services.member_create(name=name, joined_on=dates["extra_joined"])


def _rules(dates) -> None:
    if not DecisionRules.objects.exists():
        decision_services.rules_initialise(
            valid_from=dates["rules_from"],
            quorum_percent=50,
            majority=DecisionRules.Majority.SIMPLE,
            treasurer_alone_up_to=Decimal("250.00"),
            treasurer_and_chair_up_to=Decimal("1000.00"),
        )


def _meetings(group, dates) -> None:
    if Meeting.objects.filter(kind=Meeting.Kind.BOARD).exists():
        return
    board_ids = set(
        RoleTerm.objects.filter(
            role__in=["voorzitter", "penningmeester", "secretaris"]
        ).values_list("member_id", flat=True)
    )
    board = list(Member.objects.filter(pk__in=board_ids).order_by("pk"))
    everyone = list(Member.objects.order_by("pk"))

    meeting = decision_services.meeting_create(
        kind=Meeting.Kind.BOARD,
        held_on=dates["board_meeting"],
        starts_at=datetime.time(19, 30),
        place="Buurthuis",
        agenda="1. Opening\n2. Buurtfeest in juni\n3. Bankjes op het plein\n4. Rondvraag",
        minutes=(
            "Alle bestuursleden zijn aanwezig. Het bestuur bespreekt de aanvragen voor het "
            "buurtfeest en de bankjes. Beide worden aangenomen. Volgende vergadering: maart."
        ),
    )
    decision_services.meeting_set_attendance(meeting=meeting, present=board)
    feast = decision_services.decision_record(
        meeting=meeting,
        title="Buurtfeest in juni",
        text="Het bestuur trekt € 850 uit voor het buurtfeest op zaterdag 13 juni.",
        kind="financieel",
        amount=Decimal("850.00"),
        votes_for=len(board),
        votes_against=0,
    )
    decision_services.decision_publish(decision=feast, publish=True, by_user_id=None)
    decision_services.decision_record(
        meeting=meeting,
        title="Offerte voor bankjes",
        text="De secretaris vraagt twee offertes op voor drie bankjes op het plein.",
        votes_for=max(len(board) - 1, 1),
        votes_against=0,
        votes_abstain=1 if len(board) > 1 else 0,
    )

    meeting = decision_services.meeting_create(
        kind=Meeting.Kind.MEMBERS,
        held_on=dates["members_meeting"],
        starts_at=datetime.time(20, 0),
        place="Buurthuis, grote zaal",
        agenda="1. Opening\n2. Jaarverslag\n3. Moestuin\n4. Rondvraag",
        minutes=(
            "De leden bespreken het jaarverslag en stemmen over de moestuin. Het voorstel "
            "voor een hek rond de moestuin haalt geen meerderheid."
        ),
    )
    present = everyone[: max(1, (len(everyone) * 3) // 4)]
    decision_services.meeting_set_attendance(meeting=meeting, present=present)
    garden = decision_services.decision_record(
        meeting=meeting,
        title="Moestuin achter de flat",
        text="De groep start een moestuin en besteedt daar € 400 aan.",
        kind="financieel",
        amount=Decimal("400.00"),
        votes_for=len(present) - 1,
        votes_against=1,
    )
    decision_services.decision_publish(decision=garden, publish=True, by_user_id=None)
    decision_services.decision_record(
        meeting=meeting,
        title="Hek rond de moestuin",
        text="Er komt een hek rond de moestuin.",
        kind="financieel",
        amount=Decimal("300.00"),
        votes_for=1,
        votes_against=len(present) - 1,
    )
