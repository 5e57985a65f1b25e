"""The support organisation's test data, made through the real services."""

import datetime as dt
from decimal import Decimal

import pytest

from backoffice.support import chosen
from backoffice.support.models import Offering, Provider


@pytest.fixture
def catalogue(db):
    staff = Provider.objects.create(
        name="Fatima Bouzid", kind=Provider.Kind.STAFF, hourly_rate=Decimal("0.00")
    )
    freelancer = Provider.objects.create(
        name="Boekhoudhulp Jansen", kind=Provider.Kind.FREELANCER, hourly_rate=Decimal("65.00")
    )
    bookkeeping = Offering.objects.create(
        title="Hulp bij de boekhouding",
        kind=Offering.Kind.PROJECT,
        typical_hours=Decimal("6"),
        price=Decimal("390.00"),
    )
    bookkeeping.providers.set([staff, freelancer])
    chairing = Offering.objects.create(
        title="Een vergadering leiden",
        kind=Offering.Kind.GENERAL,
        typical_hours=Decimal("20"),
        price=Decimal("0.00"),
    )
    chairing.providers.set([staff])
    return {
        "staff": staff,
        "freelancer": freelancer,
        "bookkeeping": bookkeeping,
        "chairing": chairing,
    }


@pytest.fixture
def budget(group_a, users, catalogue):
    return chosen.budget_set(
        group=group_a,
        year=2026,
        user=users["coordinator"],
        hours=Decimal("30"),
        euros=Decimal("1000.00"),
    )


def ask(group, user, catalogue, offering="bookkeeping", provider="freelancer", year=2026):
    return chosen.request_create(
        group=group,
        user=user,
        offering=catalogue[offering],
        provider=catalogue[provider],
        year=year,
        question="De kas op orde krijgen",
    )


DAY = dt.date(2026, 5, 4)
