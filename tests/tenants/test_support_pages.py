"""The support organisation's pages: overview, creating a group, adding people, caseload."""

from django.core import mail
from django_tenants.utils import schema_exists

from tenants.models import Assignment, Group, Membership


def test_home_sends_each_person_to_their_place(world, client_as):
    assert client_as("coordinator").get("/")["Location"] == "/ondersteuning/"
    assert client_as("support").get("/")["Location"] == "/ondersteuning/caseload/"
    assert client_as("treasurer").get("/")["Location"] == f"/g/{world.group_a.slug}/"
    page = client_as("outsider").get("/")
    assert page.status_code == 200
    assert "nog niet aan een bewonersgroep gekoppeld" in page.content.decode()


def test_coordinator_overview_lists_groups_without_n_plus_one(
    world, client_as, django_assert_max_num_queries
):
    client = client_as("coordinator")
    # constant in the number of groups (tests/support/test_pages.py checks that it does not grow)
    with django_assert_max_num_queries(40):
        response = client.get("/ondersteuning/")
    body = response.content.decode()
    assert world.group_a.name in body and world.group_b.name in body
    assert "Sjabloon" not in body


def test_caseload_shows_only_assigned_groups(world, client_as):
    body = client_as("support").get("/ondersteuning/caseload/").content.decode()
    assert world.group_a.name in body
    assert world.group_b.name not in body


def test_coordinator_creates_group_through_form(world, client_as):
    response = client_as("coordinator").post(
        "/ondersteuning/groepen/nieuw/",
        {"name": "Bewonerscommissie Holendrecht", "slug": "holendrecht", "district": "zuidoost"},
    )
    assert response.status_code == 302
    assert Group.objects.filter(slug="holendrecht").exists()
    assert schema_exists("g_holendrecht")


def test_group_form_with_taken_slug_shows_dutch_error_and_saves_nothing(world, client_as):
    count = Group.objects.count()
    response = client_as("coordinator").post(
        "/ondersteuning/groepen/nieuw/",
        {"name": "Dubbel", "slug": world.group_a.slug, "district": "zuidoost"},
    )
    assert response.status_code == 200
    assert "Er is al een groep met de korte naam" in response.content.decode()
    assert Group.objects.count() == count


def test_adding_a_new_person_creates_account_membership_and_mails_link(
    world, client_as, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as("coordinator").post(
            f"/ondersteuning/groepen/{world.group_b.slug}/personen/",
            {
                "first_name": "Naima",
                "last_name": "Bouali",
                "email": "Naima@Example.org",
                "role": "secretaris",
            },
        )
    assert response.status_code == 302
    grants = Membership.objects.filter(user__email="naima@example.org", group=world.group_b)
    assert set(grants.values_list("role", flat=True)) == {"lid", "secretaris"}
    membership = grants.get(role="secretaris")
    assert not membership.user.has_usable_password()
    assert membership.history.first().history_user.username == "coordinator"
    assert len(mail.outbox) == 1 and "/account/reset/" in mail.outbox[0].body
    # one source of truth: the person is in the group's member register with the role
    from django_tenants.utils import tenant_context

    from groups.organisation import selectors as org_selectors

    with tenant_context(world.group_b):
        member = org_selectors.member_for_user(user_id=membership.user_id)
        assert member.name == "Naima Bouali"
        assert [t.role for t in org_selectors.role_holders()["secretaris"]] == ["secretaris"]
        assert "secretaris" not in [g.lower() for g in org_selectors.board_gaps()]


def test_adding_same_role_twice_is_refused(world, client_as, users):
    url = f"/ondersteuning/groepen/{world.group_b.slug}/personen/"
    data = {"first_name": "T", "last_name": "A", "email": "", "role": "kascommissie"}
    response = client_as("coordinator").post(url, data)
    assert response.status_code == 400  # email required
    data["email"] = "t.a@example.org"
    assert client_as("coordinator").post(url, data).status_code == 302
    response = client_as("coordinator").post(url, data)
    assert response.status_code == 400
    assert "heeft deze rol al" in response.content.decode()


def test_a_board_seat_taken_in_the_register_is_refused_with_the_reason(world, client_as):
    url = f"/ondersteuning/groepen/{world.group_b.slug}/personen/"
    first = {"first_name": "A", "last_name": "B", "email": "a.b@example.org", "role": "voorzitter"}
    assert client_as("coordinator").post(url, first).status_code == 302
    second = {**first, "email": "c.d@example.org", "first_name": "C"}
    response = client_as("coordinator").post(url, second)
    assert response.status_code == 400
    assert "al iemand voorzitter" in response.content.decode()
    assert not Membership.objects.filter(user__email="c.d@example.org").exists()


def test_coordinator_assigns_support_worker(world, client_as, users):
    response = client_as("coordinator").post(
        f"/ondersteuning/groepen/{world.group_b.slug}/ondersteuners/",
        {"user": users["support"].pk},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(user=users["support"], group=world.group_b).exists()
    assert client_as("support").get(f"/g/{world.group_b.slug}/").status_code == 200


def test_group_page_shows_registry_history(world, client_as):
    body = client_as("coordinator").get(f"/ondersteuning/groepen/{world.group_a.slug}/")
    assert "Geschiedenis" in body.content.decode() and "aangemaakt" in body.content.decode()


def test_admin_is_for_coordinators_with_history_and_import_export(world, client_as):
    client = client_as("coordinator")
    assert client.get("/beheer/").status_code == 200
    page = client.get("/beheer/tenants/group/")
    assert page.status_code == 200 and world.group_a.name in page.content.decode()
    assert client.get(f"/beheer/tenants/group/{world.group_a.pk}/history/").status_code == 200
    export = client.get("/beheer/tenants/group/export/")
    assert export.status_code == 200
    assert client_as("treasurer").get("/beheer/").status_code == 302  # to the admin login
