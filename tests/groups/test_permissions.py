"""Permission matrix: every groups page, every kind of visitor, the status code they get.

Kinds of page:
- everyone: all roles in the group and the assigned support worker;
- board: chair, treasurer and secretary only (all changes, the member register);
- board+support: the conflicts register and the setup overview;
- self: a member's own personal data (the board sees everybody's);
- post-board: a POST-only action of the board (GET is 405 for the board);
- public: the public page, also without logging in.
A person of another group gets 404 (the group gate), an anonymous visitor the login page.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django_tenants.utils import tenant_context

from groups.decisions import services as decision_services
from groups.decisions.models import Meeting
from groups.organisation import services as org_services
from groups.organisation.models import RoleTerm
from groups.relations import services as relation_services
from tests.conftest import data_for_the_module
from tests.groups.conftest import DAY
from tests.tenants.test_isolation import tenant_url_names

WHO = ["chair", "treasurer", "secretary", "member", "audit", "support", "other", None]

EXPECTED = {
    "everyone": {
        "chair": 200,
        "treasurer": 200,
        "secretary": 200,
        "member": 200,
        "audit": 200,
        "support": 200,
    },
    "board": {
        "chair": 200,
        "treasurer": 200,
        "secretary": 200,
        "member": 403,
        "audit": 403,
        "support": 403,
    },
    "board+support": {
        "chair": 200,
        "treasurer": 200,
        "secretary": 200,
        "member": 403,
        "audit": 403,
        "support": 200,
    },
    "self": {
        "chair": 200,
        "treasurer": 200,
        "secretary": 200,
        "member": 200,
        "audit": 403,
        "support": 403,
    },
    "post-board": {
        "chair": 405,
        "treasurer": 405,
        "secretary": 405,
        "member": 403,
        "audit": 403,
        "support": 403,
    },
    "public": {
        "chair": 200,
        "treasurer": 200,
        "secretary": 200,
        "member": 200,
        "audit": 200,
        "support": 200,
    },
}

PAGES = [
    ("home", None, "everyone"),
    ("public", None, "public"),
    ("profile", None, "everyone"),
    ("profile_edit", None, "board"),
    ("setup", None, "board+support"),
    ("setup_step", "step", "board"),
    ("member_list", None, "board"),
    ("member_new", None, "board"),
    ("my_data", None, "everyone"),
    ("member_detail", "own_member", "self"),
    ("member_edit", "own_member", "board"),
    ("member_export", "own_member", "self"),
    ("member_anonymise", "own_member", "board"),
    ("role_assign", "own_member", "board"),
    ("role_end", "term", "board"),
    ("role_handover", "term", "board"),
    ("rules", None, "everyone"),
    ("rules_change", None, "board"),
    ("meeting_list", None, "everyone"),
    ("meeting_new", None, "board"),
    ("meeting_detail", "meeting", "everyone"),
    ("meeting_edit", "meeting", "board"),
    ("meeting_attendance", "meeting", "post-board"),
    ("decision_new", "meeting", "board"),
    ("decision_list", None, "everyone"),
    ("decision_detail", "decision", "everyone"),
    ("decision_edit", "decision", "board"),
    ("decision_publish", "decision", "post-board"),
    ("conflict_list", None, "board+support"),
    ("conflict_new", None, "board"),
    ("conflict_detail", "conflict", "board+support"),
    ("conflict_edit", "conflict", "board"),
    ("partner_list", None, "everyone"),
    ("partner_new", None, "board"),
    ("partner_detail", "partner", "everyone"),
    ("partner_edit", "partner", "board"),
    ("agreement_new", "partner", "board"),
]


def test_matrix_covers_every_groups_url():
    names = {
        name.split(":", 1)[1] for name, _cb, _c in tenant_url_names() if name.startswith("groups:")
    }
    assert names == {name for name, _obj, _kind in PAGES}


@pytest.fixture(scope="module")
def objects(session_world, django_db_blocker):
    """One of everything in group A, built once for the whole matrix (rolled back after it)."""
    users, group_a = session_world.users, session_world.group_a
    with data_for_the_module(django_db_blocker):
        with tenant_context(group_a):
            start = datetime.date(2025, 1, 1)
            board = {}
            for key, name, role in (
                ("chair", "Kwame Mensah", "voorzitter"),
                ("treasurer", "Priscilla Doelwijt", "penningmeester"),
                ("secretary", "Gloria Renfurm", "secretaris"),
            ):
                member = org_services.member_create(
                    name=name, joined_on=start, user_id=users[key].pk
                )
                org_services.role_assign(group=group_a, member=member, role=role, starts_on=start)
                board[key] = member
            decision_services.rules_initialise(
                valid_from=datetime.date(2026, 1, 1),
                quorum_percent=50,
                treasurer_alone_up_to=Decimal("250.00"),
                treasurer_and_chair_up_to=Decimal("1000.00"),
            )
            meeting = decision_services.meeting_create(
                kind=Meeting.Kind.BOARD, held_on=DAY, place="Buurthuis"
            )
            decision_services.meeting_set_attendance(meeting=meeting, present=list(board.values()))
            decision = decision_services.decision_record(
                meeting=meeting,
                title="Buurtfeest",
                text="We geven geld uit aan het buurtfeest.",
                votes_for=3,
                votes_against=0,
                kind="financieel",
                amount=Decimal("800.00"),
            )
            own = org_services.member_create(
                name="Ryan Sedney",
                joined_on=start,
                user_id=users["member"].pk,
                email="ryan@example.nl",
            )
            data = {
                "step": "profiel",
                "chair_member": board["chair"].pk,
                "own_member": own.pk,
                "term": RoleTerm.objects.get(role="voorzitter").pk,
                "meeting": meeting.pk,
                "decision": decision.pk,
                "conflict": relation_services.conflict_create(
                    occurred_on=decision.decided_on, parties="Twee bewoners", subject="Geluid"
                ).pk,
                "partner": relation_services.partner_create(
                    kind="woningcorporatie", name="Ymere"
                ).pk,
            }
        yield data


def _url(group, name, obj_key, objects):
    kwargs = {}
    if obj_key:
        kwargs["step" if obj_key == "step" else "pk"] = objects[obj_key]
    return reverse(f"groups:{name}", kwargs={"group_slug": group.slug, **kwargs})


@pytest.mark.parametrize("name, obj_key, kind", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", WHO, ids=[w or "anonymous" for w in WHO])
def test_page_status_by_role(objects, client_as, group_a, name, obj_key, kind, who):
    response = client_as(who).get(_url(group_a, name, obj_key, objects))
    if kind == "public":
        expected = 200
    elif who == "other":
        expected = 404
    elif who is None:
        expected = 302
    else:
        expected = EXPECTED[kind][who]
    assert response.status_code == expected
    if who is None and kind != "public":
        assert response["Location"].startswith(reverse("login"))


def test_member_cannot_see_someone_elses_data(objects, client_as, group_a):
    other_pk = objects["chair_member"]
    for name in ("member_detail", "member_export"):
        url = reverse(f"groups:{name}", kwargs={"group_slug": group_a.slug, "pk": other_pk})
        assert client_as("member").get(url).status_code == 403


@pytest.mark.parametrize("who", ["member", "audit", "support"])
def test_non_board_cannot_post_changes(objects, client_as, group_a, in_group_a, who):
    client = client_as(who)
    slug = group_a.slug
    posts = [
        (
            reverse(
                "groups:decision_publish", kwargs={"group_slug": slug, "pk": objects["decision"]}
            ),
            {"publish": "1"},
        ),
        (
            reverse(
                "groups:meeting_attendance", kwargs={"group_slug": slug, "pk": objects["meeting"]}
            ),
            {},
        ),
        (
            reverse(
                "groups:member_anonymise", kwargs={"group_slug": slug, "pk": objects["own_member"]}
            ),
            {},
        ),
        (
            reverse("groups:partner_new", kwargs={"group_slug": slug}),
            {"kind": "vve", "name": "VvE"},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    from groups.decisions.models import Decision
    from groups.organisation.models import Member
    from groups.relations.models import Partner

    assert not Decision.objects.get(pk=objects["decision"]).is_published
    assert not Member.objects.get(pk=objects["own_member"]).is_anonymised
    assert Partner.objects.count() == 1


def test_conflicts_never_shown_to_member_in_home_links(objects, client_as, group_a):
    body = client_as("member").get(f"/g/{group_a.slug}/").content.decode()
    assert "/conflicten/" not in body
    assert "/conflicten/" in client_as("support").get(f"/g/{group_a.slug}/").content.decode()


def test_amount_shown_in_dutch_notation(objects, client_as, group_a):
    body = client_as("member").get(f"/g/{group_a.slug}/besluiten/").content.decode()
    assert "€ 800,00" in body
