"""Chosen support: budget, states, coordinator approval above a size, rating, bad input."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from backoffice.support import chosen
from backoffice.support.models import Provider, SupportRequest
from tests.support.conftest import ask


def test_request_takes_the_offerings_hours_and_price_and_keeps_history(
    group_a, users, catalogue, budget
):
    request = ask(group_a, users["chair"], catalogue)
    assert (request.status, request.hours, request.price) == (
        "aangevraagd",
        Decimal("6"),
        Decimal("390.00"),
    )
    assert request.history.get().history_user == users["chair"]
    use = chosen.budget_use(group=group_a, year=2026)
    assert (use.hours_left, use.euros_left) == (Decimal("24"), Decimal("610.00"))


def test_request_beyond_the_budget_is_refused_in_dutch_and_nothing_is_saved(
    group_a, users, catalogue, budget
):
    ask(group_a, users["chair"], catalogue)
    ask(group_a, users["chair"], catalogue)  # 12 hours, 780 euros
    with pytest.raises(ValidationError) as exc:
        ask(group_a, users["chair"], catalogue)
    assert "er is nog € 220,00 over in het budget van 2026" in str(exc.value)
    assert SupportRequest.objects.filter(group=group_a).count() == 2


def test_hours_budget_is_checked_too(group_a, users, catalogue, budget):
    ask(group_a, users["chair"], catalogue, offering="chairing", provider="staff")  # 20 h
    with pytest.raises(ValidationError, match="er is nog 10 uur over"):
        ask(group_a, users["chair"], catalogue, offering="chairing", provider="staff")


def test_group_without_a_budget_is_told_whom_to_ask(group_a, users, catalogue):
    with pytest.raises(ValidationError, match="geen ondersteuningsbudget. Vraag de coördinator"):
        ask(group_a, users["chair"], catalogue)


def test_retired_provider_cannot_be_chosen_or_agreed(group_a, users, catalogue, budget):
    request = ask(group_a, users["chair"], catalogue)
    catalogue["freelancer"].status = Provider.Status.RETIRED
    catalogue["freelancer"].save()
    with pytest.raises(ValidationError, match="Boekhoudhulp Jansen is gestopt"):
        ask(group_a, users["chair"], catalogue)
    with pytest.raises(ValidationError, match="is gestopt"):
        chosen.request_agree(
            request=request,
            user=users["support"],
            hours=Decimal("6"),
            price=Decimal("390"),
            provider=catalogue["freelancer"],
        )
    request.refresh_from_db()
    assert request.status == "aangevraagd"


def test_provider_must_give_the_offering(group_a, users, catalogue, budget):
    with pytest.raises(ValidationError, match="geeft dit aanbod niet"):
        ask(group_a, users["chair"], catalogue, offering="chairing", provider="freelancer")


def test_states_in_order_and_declined_with_a_reason(group_a, users, catalogue, budget):
    request = ask(group_a, users["chair"], catalogue)
    with pytest.raises(ValidationError, match="kan niet naar ‘afgerond’"):
        chosen.request_finish(request=request, user=users["support"])
    chosen.request_agree(
        request=request,
        user=users["support"],
        hours=Decimal("5"),
        price=Decimal("325.00"),
        provider=catalogue["staff"],
    )
    chosen.request_start(request=request, user=users["support"])
    chosen.request_finish(request=request, user=users["support"])
    request.refresh_from_db()
    assert (request.status, request.provider, request.hours) == (
        "afgerond",
        catalogue["staff"],
        Decimal("5"),
    )
    other = ask(group_a, users["chair"], catalogue)
    with pytest.raises(ValidationError, match="Schrijf kort waarom"):
        chosen.request_decline(request=other, user=users["support"], reason=" ")
    chosen.request_decline(request=other, user=users["support"], reason="Past niet bij de vraag")
    # a declined request gives its budget back
    assert chosen.budget_use(group=group_a, year=2026).used_hours == Decimal("5")


def test_above_the_set_size_only_the_coordinator_agrees(group_a, users, catalogue, budget):
    request = ask(group_a, users["chair"], catalogue, offering="chairing", provider="staff")
    with pytest.raises(PermissionDenied, match="keurt de coördinator de afspraak goed"):
        chosen.request_agree(
            request=request,
            user=users["support"],
            hours=Decimal("20"),
            price=Decimal("0"),
            provider=catalogue["staff"],
        )
    chosen.request_agree(
        request=request,
        user=users["coordinator"],
        hours=Decimal("20"),
        price=Decimal("0"),
        provider=catalogue["staff"],
    )
    request.refresh_from_db()
    assert request.approved_by == users["coordinator"]


def test_rating_only_when_finished_and_from_1_to_5(group_a, users, catalogue, budget):
    request = ask(group_a, users["chair"], catalogue)
    with pytest.raises(ValidationError, match="als de ondersteuning klaar is"):
        chosen.request_rate(request=request, user=users["chair"], rating=4)
    for step in (chosen.request_start, chosen.request_finish):
        if step is chosen.request_start:
            chosen.request_agree(
                request=request,
                user=users["support"],
                hours=Decimal("6"),
                price=Decimal("390"),
                provider=catalogue["freelancer"],
            )
        step(request=request, user=users["support"])
    for bad in (0, 6, "vijf"):
        with pytest.raises(ValidationError, match="van 1 tot en met 5"):
            chosen.request_rate(request=request, user=users["chair"], rating=bad)
    chosen.request_rate(request=request, user=users["chair"], rating=5, comment="Heel fijn")
    request.refresh_from_db()
    assert (request.rating, request.rating_comment) == (5, "Heel fijn")


def test_the_database_refuses_a_rating_outside_1_to_5(group_a, users, catalogue, budget):
    from django.db import IntegrityError, transaction

    request = ask(group_a, users["chair"], catalogue)
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportRequest.objects.filter(pk=request.pk).update(status="afgerond", rating=9)


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_cannot_both_take_the_last_budget(committed_world):
    from backoffice.support.models import Offering, SupportBudget

    group, chair = committed_world.group_a, committed_world.users["chair"]
    provider = Provider.objects.create(name="P", kind=Provider.Kind.STAFF)
    offering = Offering.objects.create(
        title="O", kind="algemeen", typical_hours=Decimal("6"), price=Decimal("0")
    )
    offering.providers.set([provider])
    SupportBudget.objects.create(group=group, year=2026, hours=Decimal("10"))
    results, barrier = [], threading.Barrier(2)

    def one():
        try:
            barrier.wait()
            chosen.request_create(
                group=group, user=chair, offering=offering, provider=provider, year=2026
            )
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=one) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == ["ok", "refused"]
        assert SupportRequest.objects.filter(group=group).count() == 1
    finally:
        SupportRequest.objects.filter(group=group).delete()
        SupportBudget.objects.filter(group=group).delete()
        offering.delete()
        provider.delete()


def test_budget_cannot_be_negative(group_a, users):
    with pytest.raises(ValidationError, match="kan niet negatief zijn"):
        chosen.budget_set(group=group_a, year=2026, user=users["coordinator"], hours=Decimal(-1))
