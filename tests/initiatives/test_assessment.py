"""Assessment: declarations of interest first, scores with reasons, the group's decision."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from finance.grants.models import Commitment
from groups.decisions.models import Decision
from groups.initiatives import assessment
from groups.initiatives.models import Initiative, InitiativeEvent, Score
from tests.conftest import group_path
from tests.initiatives.helpers import (
    INITIATOR_EMAIL,
    assess_and_approve,
    board_meeting,
    make_round,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def initiative(in_group_a, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return submit(make_round(users)).initiative


@pytest.fixture
def meeting(initiative, users, group_a):
    return board_meeting(users, group_a)


def test_scoring_needs_a_declaration_first(initiative, users):
    criteria = list(initiative.round.criteria.all())
    with pytest.raises(ValidationError, match="Verklaar eerst"):
        assessment.score(
            initiative=initiative, user=users["member"], scores={c.pk: (3, "ok") for c in criteria}
        )
    assert not Score.objects.exists()


def test_declared_conflict_excludes_the_assessor_and_the_decision_names_them(
    initiative, users, meeting
):
    # given: the member declares a conflict
    assessment.declare(
        initiative=initiative, user=users["member"], has_conflict=True, note="Mijn buurvrouw"
    )
    criteria = list(initiative.round.criteria.all())
    # then: the member may not score
    with pytest.raises(ValidationError, match="eigen belang"):
        assessment.score(
            initiative=initiative, user=users["member"], scores={c.pk: (5, "top") for c in criteria}
        )
    # and a second declaration is refused
    with pytest.raises(ValidationError, match="al verklaard"):
        assessment.declare(initiative=initiative, user=users["member"], has_conflict=False)
    # when the others assess and the board decides
    decision = assess_and_approve(initiative, users, meeting)
    # then the decision names who stood aside
    row = Decision.objects.get(pk=decision.id)
    assert "Mijn buurvrouw" in row.conflict_note and "Member" in row.conflict_note
    summary = assessment.summary(initiative)
    assert [name for name, _note in summary.excluded] == ["Member A"]
    assert summary.per_criterion[0][1] == Decimal("4.0")


def test_a_conflict_needs_a_note(initiative, users):
    with pytest.raises(ValidationError, match="welk belang"):
        assessment.declare(initiative=initiative, user=users["member"], has_conflict=True)


def test_approval_is_a_numbered_published_decision_with_a_commitment_and_a_mail(
    initiative, users, meeting, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        decision = assess_and_approve(initiative, users, meeting)
    # then
    initiative.refresh_from_db()
    assert initiative.status == Initiative.Status.APPROVED
    assert initiative.awarded_amount == Decimal("450.00")
    row = Decision.objects.get(pk=decision.id)
    assert row.kind == "financieel" and row.amount == Decimal("450.00") and row.is_published
    assert row.budget_line_id == initiative.round.budget_line_id
    assert initiative.decision_reference == row.reference
    commitment = Commitment.objects.get(pk=initiative.commitment_id)
    assert commitment.amount == Decimal("450.00") and commitment.is_open
    assert commitment.budget_line_id == initiative.round.budget_line_id
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [INITIATOR_EMAIL]
    assert "goedgekeurd" in mail.outbox[0].subject
    assert InitiativeEvent.objects.filter(kind="initiative_decided").count() == 1
    assert initiative.history.first().status == "goedgekeurd"


def test_partial_approval_needs_a_lower_amount(initiative, users, meeting):
    with pytest.raises(ValidationError, match="lager dan"):
        assess_and_approve(initiative, users, meeting, outcome="deels", amount=Decimal("450.00"))
    initiative.refresh_from_db()
    assert initiative.status == "ingediend" and not Decision.objects.exists()


def test_partial_approval_awards_the_lower_amount(initiative, users, meeting):
    assess_and_approve(initiative, users, meeting, outcome="deels", amount=Decimal("300.00"))
    initiative.refresh_from_db()
    assert initiative.status == "deels" and initiative.awarded_amount == Decimal("300.00")
    assert Commitment.objects.get(pk=initiative.commitment_id).amount == Decimal("300.00")


def test_rejection_is_a_decision_without_money(initiative, users, meeting):
    assess_and_approve(initiative, users, meeting, outcome="afgewezen")
    initiative.refresh_from_db()
    assert initiative.status == "afgewezen" and initiative.awarded_amount is None
    assert initiative.commitment_id is None
    assert Decision.objects.get().kind == "algemeen"


def test_an_invalid_decision_leaves_the_initiative_waiting(initiative, users, meeting):
    # 1 for, 2 against: no majority
    decision = assessment.decide(
        initiative=initiative,
        user=users["chair"],
        outcome="goedgekeurd",
        reason="Graag",
        meeting_id=meeting.pk,
        votes_for=1,
        votes_against=2,
    )
    assert not decision.is_valid
    initiative.refresh_from_db()
    assert initiative.status == "ingediend" and initiative.commitment_id is None


def test_awards_cannot_exceed_the_round_budget(in_group_a, users, group_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    round_ = make_round(users, budget=Decimal("600.00"))
    first = submit(round_).initiative
    second = submit(round_, title="Tweede plan").initiative
    meeting = board_meeting(users, group_a)
    assess_and_approve(first, users, meeting)
    with pytest.raises(ValidationError, match="nog € 150,00 over"):
        assessment.decide(
            initiative=second,
            user=users["chair"],
            outcome="goedgekeurd",
            reason="Ja",
            meeting_id=meeting.pk,
            votes_for=3,
            votes_against=0,
        )


def test_public_board_shows_the_status_and_reasons(initiative, users, meeting, group_a):
    assess_and_approve(initiative, users, meeting)
    html = Client().get(group_path(group_a, f"initiatieven/{initiative.pk}/")).content.decode()
    assert "goedgekeurd" in html and "Goed plan voor de buurt" in html
    assert INITIATOR_EMAIL not in html


def test_assessment_through_the_pages(initiative, users, meeting, group_a, client_as):
    url = group_path(group_a, f"initiatieven/beheer/{initiative.pk}/")
    member = client_as("member")
    assert member.post(url + "belang/", {"has_conflict": "1", "note": "Familie"}).status_code == 302
    page = member.get(url).content.decode()
    assert "je beoordeelt deze aanvraag niet" in page
    secretary = client_as("secretary")
    secretary.post(url + "belang/", {"has_conflict": "0"})
    data = {}
    for c in initiative.round.criteria.all():
        data[f"score_{c.pk}"] = "4"
        data[f"reason_{c.pk}"] = "Sterk plan"
    assert secretary.post(url + "beoordelen/", data).status_code == 302
    chair = client_as("chair")
    response = chair.post(
        url + "besluit/",
        {
            "outcome": "goedgekeurd",
            "reason": "Mooi plan",
            "meeting_id": meeting.pk,
            "votes_for": "3",
            "votes_against": "0",
            "votes_abstain": "0",
        },
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.status == "goedgekeurd"
    assert "Member A" in chair.get(url).content.decode()


def test_decision_page_says_whether_the_decision_counts(
    initiative, users, meeting, group_a, client_as
):
    from django.contrib import messages
    from django.contrib.messages import get_messages

    url = group_path(group_a, f"initiatieven/beheer/{initiative.pk}/")
    chair = client_as("chair")
    fields = {
        "outcome": "goedgekeurd",
        "reason": "Mooi plan",
        "meeting_id": meeting.pk,
        "votes_for": "1",
        "votes_against": "2",
        "votes_abstain": "0",
    }
    response = chair.post(url + "besluit/", fields)
    shown = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302 and response["Location"] == url
    assert [level for level, _text in shown] == [messages.ERROR]
    assert "is ongeldig (geen quorum of geen meerderheid)" in shown[0][1]
    # a refusal by the service stays on the form: a partial award needs its lower amount
    response = chair.post(url + "besluit/", {**fields, "outcome": "deels", "votes_for": "3"})
    assert response.status_code == 400
    assert messages.SUCCESS not in {m.level for m in get_messages(response.wsgi_request)}
    assert response.context["decide_form"].errors
    response = chair.post(url + "besluit/", {**fields, "votes_for": "3", "votes_against": "0"})
    shown = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
    assert response.status_code == 302 and [level for level, _text in shown] == [messages.SUCCESS]
    assert shown[0][1].startswith("Besluit ") and shown[0][1].endswith(" is vastgelegd.")
    initiative.refresh_from_db()
    assert initiative.status == "goedgekeurd"
