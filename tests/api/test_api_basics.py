"""The old staff-only /api/v1/groepen is gone; the registry is /api/v1/groups, with a key."""

from django.test import Client

from tests.api.conftest import api


def test_the_old_group_registry_address_is_gone(world, client_as):
    response = client_as("support").get("/api/v1/groepen")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.1.0"


def test_anonymous_api_request_gets_401_problem_json(world):
    response = Client().get("/api/v1/groups")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Api-Key"
    body = response.json()
    assert body["status"] == 401 and body["title"] == "Niet aangemeld" and body["detail"]


def test_a_logged_in_person_is_no_api_client(world, client_as):
    assert client_as("coordinator").get("/api/v1/groups").status_code == 401


def test_a_key_lists_the_groups_of_its_scope_without_personal_data(world, key_for):
    response = api(key_for("zuidoost")).get("/api/v1/groups")
    assert response.status_code == 200
    slugs = {g["slug"] for g in response.json()["results"]}
    assert world.group_a.slug in slugs and world.group_b.slug not in slugs
    assert "template" not in slugs
    assert set(response.json()["results"][0]) == {"slug", "name", "district", "neighbourhood"}
    everywhere = api(key_for(None)).get("/api/v1/groups").json()["results"]
    assert {world.group_a.slug, world.group_b.slug} <= {g["slug"] for g in everywhere}


def test_unknown_api_url_is_404_problem(world):
    response = Client().get("/api/v1/bestaat-niet")
    assert response.status_code == 404
    assert response.json()["title"] == "Niet gevonden"
