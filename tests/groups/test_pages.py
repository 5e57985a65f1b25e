"""Pages: the secretary's journey through forms, Dutch errors, query counts, the public page."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django_tenants.utils import tenant_context

from groups import setup
from groups.decisions import services as decision_services
from groups.decisions.models import Attendance, Decision, Meeting
from groups.organisation import services as org_services
from groups.organisation.models import Member, Profile
from groups.relations import services as relation_services
from tests.groups.conftest import DAY


def g(group, rest=""):
    return f"/g/{group.slug}/{rest}"


def test_secretary_records_meeting_attendance_and_decision(board, rules, client_as, group_a):
    client = client_as("secretary")
    # when: a new board meeting
    response = client.post(
        g(group_a, "vergaderingen/nieuw/"),
        {
            "kind": "bestuur",
            "held_on": "2026-03-10",
            "starts_at": "19:30",
            "place": "Buurthuis De Kolk",
            "agenda": "1. Opening\n2. Buurtfeest",
            "minutes": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == g(
        group_a, f"vergaderingen/{meeting.pk}/"
    )
    # and attendance through htmx: only the block comes back, with the quorum
    response = client.post(
        g(group_a, f"vergaderingen/{meeting.pk}/aanwezig/"),
        {"present": [board["chair"].pk, board["secretary"].pk]},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "2 van de 3 stemgerechtigden aanwezig, nodig: 2" in body and "quorum gehaald" in body
    # and a decision
    response = client.post(
        g(group_a, f"vergaderingen/{meeting.pk}/besluit/"),
        {
            "title": "Buurtfeest",
            "text": "€ 600 voor het buurtfeest.",
            "kind": "financieel",
            "amount": "600,00",
            "decided_on": "2026-03-10",
            "present_count": "2",
            "votes_for": "2",
            "votes_against": "0",
            "votes_abstain": "0",
        },
    )
    decision = Decision.objects.get()
    assert response["Location"] == g(group_a, f"besluiten/{decision.pk}/")
    assert decision.amount == Decimal("600.00") and decision.is_valid
    assert decision.recorded_by_id == board["secretary"].user_id
    page = client.get(response["Location"]).content.decode()
    assert "Besluit 2026-001" in page and "aangenomen" in page
    assert decision.history.get().history_user_id == board["secretary"].user_id


def test_decision_form_shows_dutch_error_and_saves_nothing(board_meeting, client_as, group_a):
    response = client_as("chair").post(
        g(group_a, f"vergaderingen/{board_meeting.pk}/besluit/"),
        {
            "title": "Te veel",
            "text": "x",
            "kind": "algemeen",
            "decided_on": "2026-03-09",
            "present_count": "3",
            "votes_for": "3",
            "votes_against": "1",
            "votes_abstain": "0",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "niet eerder zijn dan de vergadering" in body
    assert "meer stemmen (4) dan mensen aanwezig (3)" in body
    assert not Decision.objects.exists()


def test_plain_attendance_post_redirects_and_refuses_after_decision(
    record, board_meeting, client_as, group_a
):
    record()
    response = client_as("secretary").post(
        g(group_a, f"vergaderingen/{board_meeting.pk}/aanwezig/"), {"present": []}
    )
    assert response.status_code == 400
    assert "aanwezigheid ligt vast" in response.content.decode()
    assert Attendance.objects.filter(meeting=board_meeting).count() == 3


def test_invalid_decision_shows_warning(board, rules, client_as, group_a):
    meeting = decision_services.meeting_create(kind="bestuur", held_on=DAY, place="x")
    response = client_as("chair").post(
        g(group_a, f"vergaderingen/{meeting.pk}/besluit/"),
        {
            "title": "Zonder quorum",
            "text": "x",
            "kind": "algemeen",
            "decided_on": "2026-03-10",
            "present_count": "0",
            "votes_for": "0",
            "votes_against": "0",
            "votes_abstain": "0",
        },
        follow=True,
    )
    assert "is vastgelegd, maar is ongeldig: ongeldig: geen quorum" in response.content.decode()


def test_publish_puts_decision_on_public_page_without_personal_data(
    record, board, client_as, group_a
):
    # given: a published and an unpublished decision, members with contact details
    published = record(title="Bankjes op het plein")
    record(title="Geheim punt")
    client_as("chair").post(g(group_a, f"besluiten/{published.pk}/openbaar/"), {"publish": "1"})
    # when: an anonymous visitor opens the public page
    response = client_as(None).get(g(group_a, "openbaar/"))
    body = response.content.decode()
    # then
    assert response.status_code == 200
    assert "Bankjes op het plein" in body and "2026-001" in body
    assert "Geheim punt" not in body
    for personal in ("Kwame", "Priscilla", "Gloria", "kwame@example.nl", "0612345678"):
        assert personal not in body


def test_public_page_of_unknown_group_is_404(world, client_as):
    assert client_as(None).get("/g/bestaat-niet/openbaar/").status_code == 404


def test_profile_refuses_bad_kvk_number(board, client_as, group_a):
    data = {
        "name": "Hart voor de K-buurt",
        "district": "zuidoost",
        "legal_form": "stichting",
        "kvk_number": "1234567",
    }
    response = client_as("chair").post(g(group_a, "profiel/bewerken/"), data)
    assert response.status_code == 400
    assert "precies 8 cijfers" in response.content.decode()
    response = client_as("chair").post(
        g(group_a, "profiel/bewerken/"),
        {**data, "legal_form": "informeel", "kvk_number": "12345678"},
    )
    assert "informele groep staat niet in de KvK" in response.content.decode()
    client_as("chair").post(g(group_a, "profiel/bewerken/"), {**data, "kvk_number": "12345678"})
    with tenant_context(group_a):
        assert Profile.objects.get().kvk_number == "12345678"


def test_setup_wizard_shows_missing_steps_with_answers_from_the_books(
    in_group_a, client_as, group_a
):
    body = client_as("chair").get(g(group_a, "inrichten/")).content.decode()
    # profile contact, roles, rules, bank account, budget, privacy: the books answer two of them
    assert body.count("ontbreekt nog") == 6
    assert "nog niet gecontroleerd" not in body
    # when: the rules step is filled in
    response = client_as("chair").post(
        g(group_a, "inrichten/regels/"),
        {
            "valid_from": "2026-01-01",
            "quorum_percent": "60",
            "majority": "gewoon",
            "treasurer_alone_up_to": "250,00",
            "treasurer_and_chair_up_to": "1.000,00",
            "conflict_of_interest_rule": "Niet meestemmen.",
            "conflict_protocol": "Praat erover.",
        },
    )
    assert response["Location"] == g(group_a, "inrichten/bank/")
    # and the privacy step starts from a default text
    assert (
        "Alleen het bestuur ziet deze gegevens"
        in client_as("chair").get(g(group_a, "inrichten/privacy/")).content.decode()
    )

    states = {item.step: item.state for item in setup.setup_status()}
    assert states == {
        "profiel": "ontbreekt",
        "rollen": "ontbreekt",
        "regels": "klaar",
        "bank": "ontbreekt",
        "begroting": "ontbreekt",
        "privacy": "ontbreekt",
    }
    from groups import facade as groups_facade

    assert groups_facade.spending_rule().decision_required_above == Decimal("1000.00")


def test_unknown_setup_step_is_404(in_group_a, client_as, group_a):
    assert client_as("chair").get(g(group_a, "inrichten/bestaat-niet/")).status_code == 404


def test_rules_change_page_uses_a_rules_decision(record, client_as, group_a):
    decision = record(kind="regels", amount=None, title="Grens omlaag")
    response = client_as("chair").post(
        g(group_a, "regels/wijzigen/"),
        {
            "decision": decision.pk,
            "quorum_percent": "50",
            "majority": "volstrekt",
            "treasurer_alone_up_to": "100",
            "treasurer_and_chair_up_to": "500",
            "conflict_of_interest_rule": "x",
            "conflict_protocol": "y",
        },
    )
    assert response.status_code == 302
    page = client_as("member").get(g(group_a, "regels/")).content.decode()
    assert "Besluit 2026-001" in page and "Volstrekte meerderheid" in page
    assert "Tot en met € 100,00: de penningmeester alleen" in page


def test_member_sees_and_downloads_own_data(board, make_member, users, client_as, group_a):
    own = make_member(
        "Ryan Sedney", user=users["member"], email="ryan@example.nl", address="Kraaiennest 3"
    )
    client = client_as("member")
    assert "Kraaiennest 3" in client.get(g(group_a, "leden/mijn-gegevens/")).content.decode()
    response = client.get(g(group_a, f"leden/{own.pk}/gegevens/"))
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["lid"]["adres"] == "Kraaiennest 3"
    response = client.get(g(group_a, f"leden/{own.pk}/gegevens/?formaat=csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert ["lid", "e-mail", "ryan@example.nl"] in rows


def test_board_anonymises_member_through_confirmation(make_member, client_as, group_a):
    m = make_member("Dewi Santoso", email="dewi@example.nl")
    client = client_as("chair")
    assert "Dewi Santoso" in client.get(g(group_a, f"leden/{m.pk}/anonimiseren/")).content.decode()
    assert client.post(g(group_a, f"leden/{m.pk}/anonimiseren/")).status_code == 302
    m.refresh_from_db()
    assert m.is_anonymised and m.email == ""
    assert "Dewi" not in client.get(g(group_a, f"leden/{m.pk}/")).content.decode()


def test_anonymise_of_role_holder_shows_error(board, client_as, group_a):
    response = client_as("chair").post(g(group_a, f"leden/{board['treasurer'].pk}/anonimiseren/"))
    assert response.status_code == 400 and "Draag die eerst over" in response.content.decode()


def test_overlapping_role_via_form_shows_dutch_error(board, make_member, client_as, group_a):
    m = make_member("Ahmed Ouali")
    response = client_as("chair").post(
        g(group_a, f"leden/{m.pk}/rol/"), {"role": "voorzitter", "starts_on": "2026-03-01"}
    )
    assert response.status_code == 400
    assert "al iemand voorzitter" in response.content.decode()


def test_handover_via_form(board, make_member, client_as, group_a):
    from groups.organisation.models import RoleTerm

    m = make_member("Ahmed Ouali")
    term = RoleTerm.objects.get(role="voorzitter")
    response = client_as("secretary").post(
        g(group_a, f"termijnen/{term.pk}/overdragen/"),
        {"to_member": m.pk, "on": "2026-04-01", "note": "Sleutels en archief."},
    )
    assert response.status_code == 302
    assert RoleTerm.objects.get(role="voorzitter", ends_on__isnull=True).member == m


def test_member_list_warns_about_missing_board_roles(in_group_a, client_as, group_a):
    body = client_as("chair").get(g(group_a, "leden/")).content.decode()
    assert "niemand is nu voorzitter, penningmeester, secretaris" in body


# --- Query counts on list pages (no N+1) ---------------------------------------------------


@pytest.fixture
def many(record, board_meeting, make_member, group_a):
    for i in range(12):
        m = make_member(f"Lid {i}", email=f"lid{i}@example.nl")
        if i < 2:
            org_services.role_assign(group=group_a, member=m, role="kascommissie", starts_on=DAY)
        decision_services.meeting_create(
            kind="leden", held_on=DAY + datetime.timedelta(days=i), place=f"Zaal {i}"
        )
        decision_services.decision_publish(
            decision=record(title=f"Besluit {i}"), publish=True, by_user_id=None
        )
        relation_services.conflict_create(
            occurred_on=DAY, parties="a en b", subject=f"Conflict {i}"
        )
        p = relation_services.partner_create(kind="vve", name=f"VvE {i}")
        relation_services.agreement_create(partner=p, title="Zaal gebruiken")


@pytest.mark.parametrize(
    "path, limit",
    [
        # 12 rows each; the request itself (session, user, group, access) takes about 12
        # statements, every SELECT is preceded by a search_path SET.
        ("leden/", 20),
        ("vergaderingen/", 14),
        ("besluiten/", 16),
        ("besluiten/?kind=financieel&outcome=geldig&q=Besluit", 16),
        ("conflicten/", 18),  # + related lessons from the learning space (1 SELECT + SET)
        ("partners/", 14),
        ("openbaar/", 16),
    ],
)
def test_list_pages_have_bounded_queries(
    many, client_as, group_a, django_assert_max_num_queries, path, limit
):
    client = client_as("chair")
    with django_assert_max_num_queries(limit):
        response = client.get(g(group_a, path))
    assert response.status_code == 200
    marker = '<article class="decision">' if path == "openbaar/" else "<tr><td"
    assert response.content.decode().count(marker) >= 12


def test_meeting_detail_queries_do_not_grow_with_attendees(
    many, board_meeting, client_as, group_a, django_assert_max_num_queries
):
    client = client_as("chair")
    with django_assert_max_num_queries(30):
        assert client.get(g(group_a, f"vergaderingen/{board_meeting.pk}/")).status_code == 200


def test_former_members_hidden_unless_asked(make_member, client_as, group_a):
    gone = make_member("Oud Lid")
    org_services.member_update(member=gone, left_on=datetime.date(2025, 6, 1))
    client = client_as("chair")
    assert "Oud Lid" not in client.get(g(group_a, "leden/")).content.decode()
    assert "Oud Lid" in client.get(g(group_a, "leden/?oud=1")).content.decode()
    assert Member.objects.count() == 1
