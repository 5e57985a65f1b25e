"""Neighbourhood consultation: one ballot per household, paper entered twice, results."""

import threading
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django_tenants.utils import tenant_context

from groups.decisions.models import Decision
from groups.initiatives import codes, consultation
from groups.initiatives.models import Ballot, Household, Initiative, PaperEntry
from tests.conftest import group_path
from tests.initiatives.helpers import DAY, board_meeting, make_round, submit

pytestmark = pytest.mark.django_db


def _households(n):
    return Household.objects.bulk_create(
        [
            Household(street="Dijkgraafplein", house_number=i + 1, postcode="1069 AB")
            for i in range(n)
        ]
    )


@pytest.fixture
def setup(in_group_a, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round(users, decided_by="raadpleging")
    plans = [submit(round_, title=t).initiative for t in ("Moestuin", "Speelplek", "Buurtfeest")]
    _households(4)
    with time_machine.travel(DAY, tick=False):
        printed = consultation.codes_issue(round_=round_, user=users["chair"])
    return round_, plans, [p.code for p in printed]


@time_machine.travel(DAY, tick=False)
def test_one_ballot_per_household_online(setup):
    round_, plans, codes_ = setup
    consultation.vote_online(round_=round_, code=codes_[0], choices={plans[0].pk: 1}, address="a")
    with pytest.raises(ValidationError, match="al gestemd"):
        consultation.vote_online(
            round_=round_, code=codes_[0], choices={plans[1].pk: 1}, address="a"
        )
    assert Ballot.objects.count() == 1


@time_machine.travel(DAY, tick=False)
def test_paper_needs_two_volunteers_who_agree(setup, users):
    round_, plans, codes_ = setup
    first = consultation.paper_enter(
        round_=round_, user=users["member"], code=codes_[1], choices={plans[1].pk: 1}
    )
    assert first.waiting and not Ballot.objects.exists()
    with pytest.raises(ValidationError, match="al ingevoerd"):
        consultation.paper_enter(
            round_=round_, user=users["member"], code=codes_[1], choices={plans[1].pk: 1}
        )
    second = consultation.paper_enter(
        round_=round_, user=users["secretary"], code=codes_[1], choices={plans[1].pk: 1}
    )
    assert second.counted and Ballot.objects.get().channel == "papier"
    # a household that voted on paper cannot vote online
    with pytest.raises(ValidationError, match="op papier gestemd"):
        consultation.vote_online(
            round_=round_, code=codes_[1], choices={plans[0].pk: 1}, address="b"
        )


@time_machine.travel(DAY, tick=False)
def test_entries_that_differ_count_for_nothing_until_resolved(setup, users, group_a):
    round_, plans, codes_ = setup
    consultation.paper_enter(
        round_=round_, user=users["member"], code=codes_[2], choices={plans[0].pk: 1}
    )
    result = consultation.paper_enter(
        round_=round_, user=users["secretary"], code=codes_[2], choices={plans[2].pk: 1}
    )
    assert result.mismatch and not Ballot.objects.exists()
    assert len(consultation.mismatches(round_)) == 1
    meeting = board_meeting(users, group_a, day=DAY)
    with pytest.raises(ValidationError, match="verschillen"):
        consultation.results_record(round_=round_, user=users["chair"], meeting_id=meeting.pk)
    code_id = consultation.mismatches(round_)[0]
    assert (
        consultation.paper_discard(round_=round_, user=users["chair"], voting_code_id=code_id) == 2
    )
    assert not consultation.mismatches(round_)
    assert PaperEntry.objects.filter(discarded_at__isnull=False).count() == 2


@time_machine.travel(DAY, tick=False)
def test_bad_codes_and_choices_are_refused(setup, users):
    round_, plans, codes_ = setup
    typo = codes_[0][:-1] + ("2" if codes_[0][-1] != "2" else "3")
    cases = [
        (typo, {plans[0].pk: 1}, "tikfout"),
        (codes.new_code(), {plans[0].pk: 1}, "kennen we niet"),
        (codes_[0], {plans[0].pk: 1, plans[1].pk: 1}, "precies één"),
        (codes_[0], {}, "minstens één"),
    ]
    for code, choices, message in cases:
        with pytest.raises(ValidationError, match=message):
            consultation.vote_online(round_=round_, code=code, choices=choices, address="c")
    other = make_round(users, name="Ander", decided_by="raadpleging")
    with pytest.raises(ValidationError, match="andere ronde"):
        consultation.vote_online(
            round_=other, code=codes_[0], choices={plans[0].pk: 1}, address="c"
        )
    assert not Ballot.objects.exists()


@time_machine.travel(DAY, tick=False)
def test_results_count_paper_and_online_and_become_the_groups_decision(setup, users, group_a):
    round_, plans, codes_ = setup
    consultation.vote_online(round_=round_, code=codes_[0], choices={plans[1].pk: 1}, address="a")
    consultation.vote_online(round_=round_, code=codes_[1], choices={plans[1].pk: 1}, address="a")
    for who in ("member", "secretary"):
        consultation.paper_enter(
            round_=round_, user=users[who], code=codes_[2], choices={plans[0].pk: 1}
        )
    outcome = consultation.results(round_)
    assert (outcome.online, outcome.paper, outcome.codes_issued) == (2, 1, 4)
    assert outcome.turnout_percent == 75
    assert outcome.rows[0][0] == plans[1] and outcome.rows[0][1] == Decimal("2.00")
    meeting = board_meeting(users, group_a, day=DAY)
    consultation.results_record(round_=round_, user=users["chair"], meeting_id=meeting.pk)
    # both plans with votes fit the € 3000 budget (450 each)
    assert set(Initiative.objects.filter(status="goedgekeurd")) == {plans[0], plans[1]}
    assert Decision.objects.filter(text__contains="2 online, 1 op papier").exists()


@time_machine.travel(DAY, tick=False)
def test_vote_page_with_the_code_filled_in(setup, group_a):
    round_, plans, codes_ = setup
    url = group_path(group_a, "initiatieven/stemmen/")
    page = Client().get(url + f"?code={codes_[3]}").content.decode()
    assert codes_[3] in page and "Speelplek" in page
    response = Client().post(url, {"code": codes_[3], "choice": plans[2].pk})
    assert response.status_code == 200 and "Je stem is geteld" in response.content.decode()


@time_machine.travel(DAY, tick=False)
def test_paper_page_says_how_each_entry_went(setup, group_a, client_as):
    from django.contrib import messages
    from django.contrib.messages import get_messages

    round_, plans, codes_ = setup
    url = group_path(group_a, f"initiatieven/rondes/{round_.pk}/papier/")

    def enter(who, code, plan):
        response = client_as(who).post(url, {"code": code, "choice": plan.pk})
        shown = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        return response, shown

    response, shown = enter("member", codes_[0], plans[0])
    assert response.status_code == 302 and response["Location"] == url
    assert shown == [
        (messages.SUCCESS, "Ingevoerd. Een andere vrijwilliger voert dit stembiljet nog eens in.")
    ]
    assert enter("secretary", codes_[0], plans[0])[1] == [
        (messages.SUCCESS, "Beide invoeren kloppen: de stem telt.")
    ]
    enter("member", codes_[1], plans[0])
    response, shown = enter("secretary", codes_[1], plans[1])
    assert response.status_code == 302 and [level for level, _text in shown] == [messages.ERROR]
    assert "verschilt van die van de andere vrijwilliger" in shown[0][1]
    # the same volunteer twice: refused on the form, nothing more counted
    response, shown = enter("member", codes_[2], plans[0])
    response, shown = enter("member", codes_[2], plans[0])
    assert response.status_code == 400 and shown == []
    assert "al ingevoerd" in response.content.decode()
    assert Ballot.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_ballots_with_one_code_one_counts(committed_world):
    group = committed_world.group_a
    users = committed_world.users
    with time_machine.travel(DAY, tick=False), tenant_context(group):
        round_ = make_round(users, decided_by="raadpleging")
        plan = submit(round_).initiative
        Household.objects.create(street="Dijkgraafplein", house_number=1, postcode="1069 AB")
        (printed,) = consultation.codes_issue(round_=round_, user=users["chair"])
    barrier = threading.Barrier(20)
    results = []

    def attempt(n):
        try:
            connection.set_tenant(group)
            barrier.wait()
            with time_machine.travel(DAY, tick=False):
                consultation.vote_online(
                    round_=round_, code=printed.code, choices={plan.pk: 1}, address=f"10.1.0.{n}"
                )
            results.append("counted")
        except ValidationError as exc:
            results.append(" ".join(exc.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("counted") == 1, results
    assert all(r == "counted" or "al gestemd" in r for r in results), set(results)
    with tenant_context(group):
        assert Ballot.objects.filter(round=round_).count() == 1
