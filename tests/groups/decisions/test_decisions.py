"""Decisions: numbering, outcome from the rules, bad input refused, the finance contract."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from groups import facade as groups_facade
from groups.decisions import selectors as decision_selectors
from groups.decisions import services as decision_services
from groups.decisions.models import Decision, DecisionRules
from groups.organisation.models import GroupEvent
from tests.groups.conftest import DAY


def test_numbers_are_sequential_per_year_and_restart_in_a_new_year(record, board_meeting):
    # given
    first = record()
    second = record(title="Bankjes")
    # when: a decision of the next year, taken in a later meeting
    meeting_2027 = decision_services.meeting_create(
        kind="bestuur", held_on=datetime.date(2027, 1, 5), place="x"
    )
    next_year = decision_services.decision_record(
        meeting=meeting_2027,
        title="Nieuw jaar",
        text="t",
        votes_for=0,
        votes_against=0,
        present_count=0,
    )
    # then
    assert (first.year, first.number, first.reference) == (2026, 1, "2026-001")
    assert second.reference == "2026-002"
    assert next_year.reference == "2027-001"


def test_refused_decision_does_not_use_up_a_number(record):
    # given
    record()
    # when: a decision with more votes than people present is refused
    with pytest.raises(ValidationError):
        record(votes_for=4)
    # then: the next number is still 2, no gap
    assert record().number == 2
    assert list(Decision.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


def test_more_votes_than_present_is_refused_in_dutch_and_nothing_saved(record):
    with pytest.raises(ValidationError) as exc:
        record(votes_for=2, votes_against=1, votes_abstain=1)
    assert "meer stemmen (4) dan mensen aanwezig (3)" in str(exc.value)
    assert not Decision.objects.exists()
    assert not GroupEvent.objects.exists()


def test_present_count_cannot_exceed_attendance(record):
    with pytest.raises(ValidationError) as exc:
        record(present_count=5)
    assert "Er waren 3 mensen aanwezig" in str(exc.value)


def test_decision_dated_before_its_meeting_is_refused(record):
    with pytest.raises(ValidationError) as exc:
        record(decided_on=DAY - datetime.timedelta(days=1))
    assert "niet eerder zijn dan de vergadering (10-03-2026)" in str(exc.value)
    assert not Decision.objects.exists()


def test_financial_decision_needs_amount_and_others_may_not_have_one(record):
    with pytest.raises(ValidationError, match="noemt een bedrag"):
        record(amount=None)
    with pytest.raises(ValidationError, match="Alleen een besluit over geld"):
        record(kind="algemeen")


def test_outcome_adopted_records_event_and_history(record, users):
    decision = record(by_user_id=users["secretary"].pk)
    assert decision.outcome == Decision.Outcome.ADOPTED and decision.is_valid
    assert decision.quorum_required == 2  # 50% of 3 board members, rounded up
    event = GroupEvent.objects.get(object_type="decision", object_id=decision.pk)
    assert (
        event.kind == GroupEvent.Kind.DECISION_RECORDED and event.actor_id == users["secretary"].pk
    )
    assert event.new == {"reference": decision.reference, "outcome": "aangenomen"}
    assert decision.history.get().history_type == "+"


def test_tie_has_no_simple_majority_and_is_invalid(record):
    decision = record(votes_for=1, votes_against=1, votes_abstain=1)
    assert decision.outcome == Decision.Outcome.NO_MAJORITY
    assert not decision.is_valid


def test_absolute_majority_counts_abstentions(board_meeting, rules):
    # given: a rules version requiring an absolute majority from March
    rules.majority = DecisionRules.Majority.ABSOLUTE
    rules.save()
    # when: 1 for, 0 against, 2 abstain
    decision = decision_services.decision_record(
        meeting=board_meeting, title="t", text="t", votes_for=1, votes_against=0, votes_abstain=2
    )
    # then: 1 of 3 is not more than half
    assert decision.outcome == Decision.Outcome.NO_MAJORITY


def test_meeting_without_quorum_gives_invalid_decision(board, rules):
    meeting = decision_services.meeting_create(kind="bestuur", held_on=DAY, place="Buurthuis")
    decision_services.meeting_set_attendance(meeting=meeting, present=[board["chair"]])
    quorum = decision_selectors.meeting_quorum(meeting=meeting)
    assert (quorum.eligible, quorum.present_eligible, quorum.required, quorum.met) == (
        3,
        1,
        2,
        False,
    )
    decision = decision_services.decision_record(
        meeting=meeting, title="t", text="t", votes_for=1, votes_against=0
    )
    assert decision.outcome == Decision.Outcome.NO_QUORUM


def test_non_board_attendee_does_not_count_for_board_quorum(board, rules, make_member):
    neighbour = make_member("Ryan Sedney")
    meeting = decision_services.meeting_create(kind="bestuur", held_on=DAY, place="Buurthuis")
    decision_services.meeting_set_attendance(meeting=meeting, present=[board["chair"], neighbour])
    quorum = decision_selectors.meeting_quorum(meeting=meeting)
    assert (quorum.present_eligible, quorum.present_total, quorum.met) == (1, 2, False)


def test_members_meeting_quorum_uses_register_on_that_date(rules, make_member):
    members = [make_member(f"Lid {i}") for i in range(4)]
    make_member("Later lid", joined_on=DAY + datetime.timedelta(days=1))
    meeting = decision_services.meeting_create(kind="leden", held_on=DAY, place="Buurthuis")
    decision_services.meeting_set_attendance(meeting=meeting, present=members[:2])
    quorum = decision_selectors.meeting_quorum(meeting=meeting)
    assert (quorum.eligible, quorum.required, quorum.met) == (4, 2, True)


def test_attendance_refuses_someone_who_was_not_yet_a_member(board_meeting, make_member):
    later = make_member("Later lid", joined_on=DAY + datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="lid waren"):
        decision_services.meeting_set_attendance(meeting=board_meeting, present=[later])


def test_attendance_is_fixed_once_a_decision_exists(record, board_meeting):
    record()
    with pytest.raises(ValidationError, match="aanwezigheid ligt vast"):
        decision_services.meeting_set_attendance(meeting=board_meeting, present=[])
    assert board_meeting.attendance.count() == 3


def test_meeting_date_is_fixed_once_a_decision_exists(record, board_meeting):
    record()
    with pytest.raises(ValidationError, match="liggen daarom vast"):
        decision_services.meeting_update(
            meeting=board_meeting, held_on=DAY + datetime.timedelta(days=3)
        )


def test_guests_only_at_neighbourhood_meeting(rules):
    with pytest.raises(ValidationError, match="buurtbijeenkomst"):
        decision_services.meeting_create(kind="bestuur", held_on=DAY, place="x", guests=4)
    meeting = decision_services.meeting_create(kind="buurt", held_on=DAY, place="Plein", guests=12)
    quorum = decision_selectors.meeting_quorum(meeting=meeting)
    assert not quorum.applies and quorum.present_total == 12
    decision = decision_services.decision_record(
        meeting=meeting, title="Plein", text="t", votes_for=9, votes_against=3
    )
    assert decision.is_valid and decision.present_count == 12


def test_decision_needs_rules_in_force(board):
    meeting = decision_services.meeting_create(kind="bestuur", held_on=DAY, place="x")
    with pytest.raises(ValidationError, match="nog geen beslisregels"):
        decision_services.decision_record(
            meeting=meeting, title="t", text="t", votes_for=0, votes_against=0
        )


# --- DB guards (the last line when Python checks are bypassed) -----------------------------


def _raw_decision(record, **overrides):
    decision = record()
    for key, value in overrides.items():
        setattr(decision, key, value)
    return decision


@pytest.mark.parametrize(
    "overrides",
    [
        {"votes_for": 9},  # more votes than present
        {"kind": "algemeen"},  # amount on a non-financial decision
        {"decided_on": datetime.date(2027, 1, 1)},  # year no longer matches the date
        {"outcome": "aangenomen", "quorum_met": False},  # outcome inconsistent with quorum
    ],
)
def test_database_refuses_inconsistent_decision(record, overrides):
    decision = _raw_decision(record, **overrides)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=decision.pk).update(**overrides)


def test_database_refuses_duplicate_number(record):
    first = record()
    second = record()
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=second.pk).update(number=first.number)


# --- Rules are changed by a decision ------------------------------------------------------


def test_rules_change_needs_a_valid_rules_decision_and_applies_from_its_date(record, rules, users):
    # given: a general decision is not enough
    general = record(kind="algemeen", amount=None)
    with pytest.raises(ValidationError, match="besluit over de beslisregels"):
        decision_services.rules_change(
            decision=general, by_user_id=None, treasurer_alone_up_to=Decimal("100")
        )
    # when: a valid decision about the rules
    rules_decision = record(kind="regels", amount=None, title="Nieuwe grens")
    new = decision_services.rules_change(
        decision=rules_decision,
        by_user_id=users["chair"].pk,
        treasurer_alone_up_to=Decimal("100.00"),
        treasurer_and_chair_up_to=Decimal("500.00"),
    )
    # then
    assert new.valid_from == DAY and new.decision == rules_decision
    assert decision_selectors.rules_at(DAY - datetime.timedelta(days=1)) == rules
    assert decision_selectors.rules_at(DAY) == new
    assert groups_facade.spending_rule().decision_required_above == Decimal("500.00")
    assert GroupEvent.objects.filter(
        kind=GroupEvent.Kind.RULES_CHANGED, object_type="decision", object_id=rules_decision.pk
    ).exists()
    # and the same decision cannot be used twice
    with pytest.raises(ValidationError, match="al gewijzigd"):
        decision_services.rules_change(decision=rules_decision, by_user_id=None)


def test_invalid_rules_decision_cannot_change_rules(record):
    invalid = record(kind="regels", amount=None, votes_for=0, votes_against=2)
    with pytest.raises(ValidationError, match="ongeldig"):
        decision_services.rules_change(decision=invalid, by_user_id=None, quorum_percent=10)
    assert DecisionRules.objects.count() == 1


def test_second_initial_rules_are_refused(rules):
    with pytest.raises(ValidationError, match="Een wijziging is een besluit"):
        decision_services.rules_initialise(valid_from=DAY)


def test_rule_limits_must_be_ordered(in_group_a):
    with pytest.raises(ValidationError, match="minstens zo hoog"):
        decision_services.rules_initialise(
            valid_from=DAY,
            treasurer_alone_up_to=Decimal("500"),
            treasurer_and_chair_up_to=Decimal("100"),
        )
    assert not DecisionRules.objects.exists()


# --- Contract for finance -----------------------------------------------------------------


def test_decision_for_spending_returns_valid_decision_covering_amount(record):
    decision = record(amount=Decimal("800.00"))
    assert (
        decision_selectors.decision_for_spending(decision_id=decision.pk, amount=Decimal("800.00"))
        == decision
    )


@pytest.mark.parametrize(
    "make, amount, message",
    [
        (lambda r: None, Decimal("10"), "bestaat niet in deze groep"),
        (
            lambda r: r(votes_for=0, votes_against=3),
            Decimal("10"),
            "is ongeldig (ongeldig: geen meerderheid)",
        ),
        (
            lambda r: r(amount=Decimal("800.00")),
            Decimal("800.01"),
            "staat € 800,00 toe; deze uitgave is € 800,01",
        ),
        (lambda r: r(kind="algemeen", amount=None), Decimal("10"), "noemt geen bedrag"),
    ],
    ids=["missing", "invalid", "too-low", "no-amount"],
)
def test_decision_for_spending_refuses_with_dutch_message(record, make, amount, message):
    decision = make(record)
    decision_id = decision.pk if decision else 999999
    with pytest.raises(ValidationError) as exc:
        decision_selectors.decision_for_spending(decision_id=decision_id, amount=amount)
    assert message in exc.value.messages[0]


def test_decision_for_spending_counts_what_was_already_spent(record):
    decision = record(amount=Decimal("800.00"))
    with pytest.raises(ValidationError, match="al € 700,00 uitgegeven"):
        decision_selectors.decision_for_spending(
            decision_id=decision.pk, amount=Decimal("150.00"), already_spent=Decimal("700.00")
        )


def test_spending_threshold_and_authority_follow_current_rules(rules):
    rule = groups_facade.spending_rule()
    assert rule.from_house_rules and rule.decision_required_above == Decimal("1000.00")
    assert rule.authority(Decimal("250.00")) == "penningmeester"
    assert rule.authority(Decimal("250.01")) == "penningmeester_en_voorzitter"
    assert rule.authority(Decimal("1000.01")) == "besluit"


def test_without_rules_the_default_rules_apply_to_expenses_and_claims_alike(in_group_a):
    # one rule for a group without house rules: the defaults a new set of rules starts from
    rule = groups_facade.spending_rule()
    assert not rule.from_house_rules
    assert rule.authority(Decimal("250.00")) == "penningmeester"
    assert rule.authority(Decimal("1000.00")) == "penningmeester_en_voorzitter"
    assert rule.authority(Decimal("1000.01")) == "besluit"


# --- Publishing and the list --------------------------------------------------------------


def test_publish_and_unpublish(record, users):
    decision = record()
    decision_services.decision_publish(
        decision=decision, publish=True, by_user_id=users["chair"].pk
    )
    decision.refresh_from_db()
    assert decision.is_published and decision.published_at is not None
    assert list(decision_selectors.decisions_published()) == [decision]
    decision_services.decision_publish(
        decision=decision, publish=False, by_user_id=users["chair"].pk
    )
    assert not decision_selectors.decisions_published().exists()


def test_decision_filters(record):
    valid = record(title="Bankjes voor het plein")
    invalid = record(title="Nieuwe vlag", votes_for=0, votes_against=3)
    general = record(title="Vergaderdata", kind="algemeen", amount=None)
    f = decision_selectors.DecisionFilters
    assert list(decision_selectors.decisions_list(filters=f(outcome="ongeldig"))) == [invalid]
    assert set(decision_selectors.decisions_list(filters=f(outcome="geldig"))) == {valid, general}
    assert list(decision_selectors.decisions_list(filters=f(kind="algemeen"))) == [general]
    assert list(decision_selectors.decisions_list(filters=f(q="bankjes"))) == [valid]
    assert list(decision_selectors.decisions_list(filters=f(year=2027))) == []


def test_decision_update_keeps_votes_and_refuses_budget_line_on_general(record):
    general = record(kind="algemeen", amount=None)
    with pytest.raises(ValidationError, match="begrotingspost"):
        decision_services.decision_update(decision=general, title="x", text="y", budget_line_id=5)
    financial = record()
    updated = decision_services.decision_update(
        decision=financial, title="Buurtfeest 2026", text="y", budget_line_id=5
    )
    assert updated.budget_line_id == 5 and updated.votes_for == 3
    assert updated.history.count() == 2
