from django.test import Client


def test_anonymous_api_request_gets_problem_json(world):
    response = Client().get("/api/v1/groepen")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == response.status_code
    assert body["title"]


def test_group_member_may_not_list_registry(world, client_as):
    response = client_as("treasurer").get("/api/v1/groepen")
    assert response.status_code == 403
    assert response.json()["title"] == "Geen toegang"


def test_support_worker_lists_groups_without_personal_data(world, client_as):
    response = client_as("support").get("/api/v1/groepen")
    assert response.status_code == 200
    slugs = {g["slug"] for g in response.json()["results"]}
    assert {world.group_a.slug, world.group_b.slug} <= slugs
    assert "template" not in slugs
    assert set(response.json()["results"][0]) == {"slug", "naam", "stadsdeel", "buurt"}


def test_unknown_api_url_is_404(world, client_as):
    assert client_as("support").get("/api/v1/bestaat-niet").status_code == 404
