"""Demo data of the support organisation: a catalogue of a dozen offerings from own staff and
outside providers, a support budget per group, requests in every state, coaching sessions
with follow-ups, ACTIE checks over several quarters, a platform. Placed relative to today,
idempotent (nothing is added twice)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from backoffice.support import chosen, coaching
from backoffice.support.models import (
    ActieCheck,
    CoachingSession,
    Offering,
    Platform,
    Provider,
    SupportBudget,
    SupportRequest,
)
from tenants.facts import facts_rebuild

PROVIDERS = [
    ("Fatima Bouzid", "intern", "opbouwwerk, bewoners mobiliseren", "0.00", "ma–do"),
    (
        "Jeroen Mulder",
        "intern",
        "vergaderen, besluiten, samenwerken met het stadsdeel",
        "0.00",
        "di en do",
    ),
    (
        "Boekhoudhulp Jansen",
        "zzp",
        "boekhouding van verenigingen, kascommissie",
        "65.00",
        "avonden",
    ),
    (
        "Stichting Buurtbemiddeling Zuidoost",
        "organisatie",
        "conflictbemiddeling",
        "85.00",
        "binnen twee weken",
    ),
    ("Vastgoedadvies De Wit", "zzp", "huur en onderhoud van buurtruimtes", "95.00", "op afspraak"),
    (
        "Collectief Fondsenwerving",
        "organisatie",
        "fondsen en subsidies aanvragen",
        "75.00",
        "per project",
    ),
    (
        "Bureau Buurtbegroting",
        "organisatie",
        "een buurtbegroting opzetten",
        "80.00",
        "vanaf het voorjaar",
    ),
]

# title, kind, format, hours, price, providers
OFFERINGS = [
    ("Bewoners organiseren", "algemeen", "begeleiding ter plekke", "8", "0.00", [0]),
    ("Buurtbewoners mobiliseren", "algemeen", "huis-aan-huis en bijeenkomst", "10", "0.00", [0]),
    ("Een vergadering leiden", "algemeen", "training van een avond", "3", "0.00", [1]),
    ("Samenwerken met het stadsdeel", "algemeen", "gesprekken en begeleiding", "6", "0.00", [1]),
    ("Besluiten nemen volgens het reglement", "algemeen", "workshop", "3", "0.00", [1]),
    ("Een ondernemingsplan schrijven", "project", "begeleiding in sessies", "12", "900.00", [5]),
    ("Advies over een buurtruimte", "project", "advies op locatie", "4", "380.00", [4]),
    ("Hulp bij de boekhouding", "project", "samen aan de keukentafel", "6", "390.00", [2]),
    ("Voorbereiden op de kascommissie", "project", "sessie met penningmeester", "3", "195.00", [2]),
    ("Fondsen werven", "project", "begeleiding in sessies", "8", "600.00", [5]),
    ("Bemiddelen bij een conflict", "project", "gesprekken met beide kanten", "6", "510.00", [3]),
    (
        "Een buurtbegroting opzetten",
        "project",
        "traject van enkele maanden",
        "16",
        "1280.00",
        [6, 0],
    ),
]

BUDGETS = {
    "hart-voor-de-k-buurt": ("40", "2500.00"),
    "bewonersplatform-banne": ("30", "2000.00"),
    "buurtgroep-slotermeer": ("20", "1000.00"),
}


def _catalogue(coordinator) -> tuple[list[Provider], dict[str, Offering]]:
    providers = []
    for name, kind, expertise, rate, availability in PROVIDERS:
        provider, _created = Provider.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "expertise": expertise,
                "hourly_rate": Decimal(rate),
                "availability": availability,
                "contact": "via de coördinator",
            },
        )
        providers.append(provider)
    offerings = {}
    for title, kind, fmt, hours, price, which in OFFERINGS:
        offering, created = Offering.objects.get_or_create(
            title=title,
            defaults={
                "kind": kind,
                "format": fmt,
                "typical_hours": Decimal(hours),
                "price": Decimal(price),
                "description": f"{title}, afgestemd op wat jullie groep nodig heeft.",
            },
        )
        if created:
            offering.providers.set([providers[i] for i in which])
        offerings[title] = offering
    return providers, offerings


def _requests(group, people, offerings, year):
    if SupportRequest.objects.filter(group=group).exists():
        return
    chair = next(
        u for u in people.values() if u.memberships.filter(group=group, role="voorzitter").exists()
    )
    worker, coordinator = people["jeroen"], people["saskia"]

    def ask(title):
        offering = offerings[title]
        return chosen.request_create(
            group=group,
            user=chair,
            offering=offering,
            provider=offering.providers.first(),
            year=year,
            question="Zodat we het zelf verder kunnen.",
        )

    if group.slug == "hart-voor-de-k-buurt":
        done = ask("Hulp bij de boekhouding")
        chosen.request_agree(
            request=done, user=worker, hours=done.hours, price=done.price, provider=done.provider
        )
        chosen.request_start(request=done, user=worker)
        chosen.request_finish(request=done, user=worker)
        chosen.request_rate(
            request=done, user=chair, rating=4, comment="Duidelijk uitgelegd, de kas klopt weer."
        )
        running = ask("Voorbereiden op de kascommissie")
        chosen.request_agree(
            request=running,
            user=worker,
            hours=running.hours,
            price=running.price,
            provider=running.provider,
        )
        chosen.request_start(request=running, user=worker)
        agreed = ask("Een vergadering leiden")
        chosen.request_agree(
            request=agreed,
            user=worker,
            hours=agreed.hours,
            price=agreed.price,
            provider=agreed.provider,
        )
        declined = ask("Advies over een buurtruimte")
        chosen.request_decline(
            request=declined,
            user=coordinator,
            reason="Het stadsdeel regelt de ruimte zelf; eerst dat gesprek.",
        )
    elif group.slug == "bewonersplatform-banne":
        ask("Bemiddelen bij een conflict")  # waits for an agreement: a signal
        big = ask("Een buurtbegroting opzetten")
        chosen.request_agree(
            request=big, user=coordinator, hours=big.hours, price=big.price, provider=big.provider
        )
    return chair


def _coaching(group, people, requests_by_title, today):
    if CoachingSession.objects.filter(group=group).exists():
        return
    worker = people["jeroen"]
    plan = [
        (160, 90, ["voorzitter", "penningmeester"], ["animo", "toerusting"]),
        (120, 60, ["penningmeester"], ["toerusting"]),
        (75, 75, ["voorzitter", "secretaris"], ["contacten", "inbedding"]),
        (30, 45, ["voorzitter", "penningmeester", "secretaris"], ["animo", "empathie"]),
    ]
    for index, (days_ago, minutes, roles, topics) in enumerate(plan):
        request = requests_by_title.get("Hulp bij de boekhouding") if index == 1 else None
        due = today - dt.timedelta(days=days_ago - 14)
        coaching.session_log(
            group=group,
            worker=worker,
            held_on=today - dt.timedelta(days=days_ago),
            minutes=minutes,
            attendee_roles=roles,
            topics=topics,
            request=request,
            notes="Aantekening voor de ondersteuning: sfeer in het bestuur en wat nodig is.",
            followups=[("Terugbellen over de afspraken", due, worker)],
        )
    # Every follow-up but the newest two is done; one past its date stays open (a signal).
    followups = list(group_followups(group))
    for followup in followups[:-2]:
        coaching.followup_done(followup=followup, user=worker, on=followup.due_on)


def group_followups(group):
    from backoffice.support.models import FollowUp

    return FollowUp.objects.filter(group=group).order_by("due_on")


ACTIE_PLAN = {
    # quarters ago -> worker scores (animo, contacten, toerusting, inbedding, empathie)
    "hart-voor-de-k-buurt": [
        (3, 3, 3, 2, 2, 3),
        (2, 3, 3, 3, 2, 3),
        (1, 4, 3, 3, 3, 3),
        (0, 4, 4, 4, 3, 4),
    ],
    # Banne: animo falls after a conflict in the board (a signal)
    "bewonersplatform-banne": [
        (3, 4, 3, 3, 3, 3),
        (2, 4, 4, 3, 3, 3),
        (1, 4, 4, 3, 3, 4),
        (0, 2, 3, 3, 3, 3),
    ],
}


def _actie(group, people, today):
    if ActieCheck.objects.filter(group=group).exists():
        return
    plan = ACTIE_PLAN.get(group.slug)
    if not plan:
        return
    names = ("animo", "contacten", "toerusting", "inbedding", "empathie")
    chair = next(
        u for u in people.values() if u.memberships.filter(group=group, role="voorzitter").exists()
    )
    for quarters_ago, *scores in plan:
        day = today - dt.timedelta(days=91 * quarters_ago + 5)
        coaching.actie_record(
            group=group,
            user=people["jeroen"],
            source=ActieCheck.Source.WORKER,
            scored_on=day,
            scores=dict(zip(names, scores, strict=True)),
            notes={"animo": "Gezien in het laatste gesprek."},
        )
        own = [min(5, s + 1) for s in scores]
        coaching.actie_record(
            group=group,
            user=chair,
            source=ActieCheck.Source.GROUP,
            scored_on=day + dt.timedelta(days=3),
            scores=dict(zip(names, own, strict=True)),
        )


def load(people: dict, groups: list, *, password: str) -> None:
    today = timezone.localdate()
    coordinator = people["saskia"]
    with transaction.atomic():
        _providers, offerings = _catalogue(coordinator)
        for group in groups:
            hours, euros = BUDGETS.get(group.slug, ("20", "1000.00"))
            if not SupportBudget.objects.filter(group=group, year=today.year).exists():
                chosen.budget_set(
                    group=group,
                    year=today.year,
                    user=coordinator,
                    hours=Decimal(hours),
                    euros=Decimal(euros),
                )
            _requests(group, people, offerings, today.year)
            if group.slug in ACTIE_PLAN:
                done = {r.offering.title: r for r in SupportRequest.objects.filter(group=group)}
                _coaching(group, people, done, today)
                _actie(group, people, today)
        platform, created = Platform.objects.get_or_create(
            slug="bewonersgroepen-amsterdam",
            defaults={
                "name": "Bewonersgroepen met een buurtbudget",
                "description": "Alle groepen die !WOON ondersteunt: elkaar vinden en "
                "van elkaar leren.",
            },
        )
        if created:
            platform.groups.set(groups)
    for group in groups:
        facts_rebuild(group)


def logins() -> list[tuple[str, str]]:
    return []
