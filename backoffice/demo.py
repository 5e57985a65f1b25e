"""Demo data: a support organisation, three groups with their boards, and each app's own.

Deterministic and idempotent: running it twice changes nothing. Each app that lives in a
group's schema adds its demo data with a module listed in DEMO_MODULES that has
`load_for_group(group, people, roster)`: `people` maps a demo username to its User, `roster`
lists the group's (username, first name, last name, role). Who holds which role is recorded in
the group's member register (groups.demo), and access follows from it.
"""

import importlib
from pathlib import Path

from django.db import transaction
from django_tenants.utils import tenant_context

from tenants.models import Assignment, Group, User
from tenants.services import group_create

DEMO_PASSWORD = "buurtkas-demo"

COORDINATOR = ("saskia", "Saskia", "Hoekstra", User.OrgRole.COORDINATOR)
SUPPORT_WORKER = ("jeroen", "Jeroen", "Mulder", User.OrgRole.SUPPORT_WORKER)

GROUPS = [
    {
        "name": "Hart voor de K-buurt",
        "slug": "hart-voor-de-k-buurt",
        "district": "zuidoost",
        "neighbourhood": "K-buurt",
        "coached": True,
        "people": [
            ("kwame", "Kwame", "Mensah", "voorzitter"),
            ("priscilla", "Priscilla", "Doelwijt", "penningmeester"),
            ("gloria", "Gloria", "Renfurm", "secretaris"),
            ("ryan", "Ryan", "Sedney", "lid"),
            ("hanneke", "Hanneke", "Visser", "kascommissie"),
            ("orlando", "Orlando", "Pinas", "kascommissie"),
        ],
    },
    {
        "name": "Bewonersplatform Banne",
        "slug": "bewonersplatform-banne",
        "district": "noord",
        "neighbourhood": "Banne Buiksloot",
        "coached": True,
        "people": [
            ("henk", "Henk", "de Boer", "voorzitter"),
            ("ingrid", "Ingrid", "Bakker", "penningmeester"),
            ("yusuf", "Yusuf", "Demir", "secretaris"),
            ("lotte", "Lotte", "Jansen", "lid"),
            ("ahmed", "Ahmed", "Ouali", "kascommissie"),
            ("petra", "Petra", "van Dijk", "kascommissie"),
        ],
    },
    {
        "name": "Buurtgroep Slotermeer",
        "slug": "buurtgroep-slotermeer",
        "district": "nieuw-west",
        "neighbourhood": "Slotermeer-Noordoost",
        "coached": False,
        "people": [
            ("fatma", "Fatma", "Yilmaz", "voorzitter"),
            ("mohamed", "Mohamed", "Amrani", "penningmeester"),
            ("els", "Els", "Verbeek", "secretaris"),
            ("dewi", "Dewi", "Santoso", "lid"),
            ("bram", "Bram", "Smit", "kascommissie"),
            ("noura", "Noura", "Haddou", "kascommissie"),
        ],
    },
]

DEMO_MODULES = ["groups.demo", "finance.demo", "finance.bank.demo", "groups.initiatives.demo"]
# Shared apps (public schema) with `load(people, groups, password=…)` and `logins()`.
PUBLIC_DEMO_MODULES = ["knowledge.demo", "backoffice.support.demo", "backoffice.reporting.demo"]


def _user(username, first, last, org_role="") -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.buurtkas.nl",
            "org_role": org_role,
            "is_staff": org_role == User.OrgRole.COORDINATOR,
            "is_superuser": org_role == User.OrgRole.COORDINATOR,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load() -> list[Group]:
    """Create or complete the demo; returns the demo groups."""
    people: dict[str, User] = {}
    with transaction.atomic():
        for username, first, last, role in (COORDINATOR, SUPPORT_WORKER):
            people[username] = _user(username, first, last, role)
    groups = []
    for spec in GROUPS:
        group = Group.objects.filter(slug=spec["slug"]).first()
        if group is None:
            group = group_create(
                name=spec["name"],
                slug=spec["slug"],
                district=spec["district"],
                neighbourhood=spec["neighbourhood"],
            )
        with transaction.atomic():
            for username, first, last, _role in spec["people"]:
                people[username] = _user(username, first, last)
            if spec["coached"]:
                Assignment.objects.get_or_create(user=people["jeroen"], group=group)
        groups.append(group)
    for module_name in DEMO_MODULES:
        module = importlib.import_module(module_name)
        for group, spec in zip(groups, GROUPS, strict=True):
            with tenant_context(group):
                module.load_for_group(group, people, spec["people"])
    for module_name in PUBLIC_DEMO_MODULES:
        importlib.import_module(module_name).load(people, groups, password=DEMO_PASSWORD)
    return groups


def logins() -> list[tuple[str, str]]:
    rows = [
        (COORDINATOR[0], "coördinator van de ondersteuningsorganisatie"),
        (
            SUPPORT_WORKER[0],
            "ondersteuner, coacht " + " en ".join(g["name"] for g in GROUPS if g["coached"]),
        ),
    ]
    for spec in GROUPS:
        for username, _first, _last, role in spec["people"]:
            rows.append((username, f"{role}, {spec['name']}"))
    for module_name in PUBLIC_DEMO_MODULES:
        rows += importlib.import_module(module_name).logins()
    return rows


def try_statement_files(directory: Path) -> list[tuple[Group, Path]]:
    """Write, per demo group, the bank's next statement for its account (not yet imported).

    A newcomer can import it at once (Geld → Bank → Afschrift inlezen). Rewritten on every
    run from the books as they are, so it always follows the last imported statement.
    """
    from finance.bank import demo as bank_demo

    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in GROUPS:
        group = Group.objects.filter(slug=spec["slug"]).first()
        if group is None:
            continue
        with tenant_context(group):
            statement = bank_demo.try_statement(group)
        if statement is None:
            continue
        name, data = statement
        for old in directory.glob(f"{group.slug}-bankafschrift-*.xml"):
            if old.name != name:
                old.unlink()
        path = directory / name
        path.write_bytes(data)
        written.append((group, path))
    return written


def treasurer_of(slug: str) -> str:
    """The demo login of the treasurer of the demo group `slug`."""
    spec = next(g for g in GROUPS if g["slug"] == slug)
    return next(u for u, _f, _l, role in spec["people"] if role == "penningmeester")
