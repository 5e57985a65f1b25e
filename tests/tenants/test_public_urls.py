"""Every public-schema page needs a login unless it is declared public on purpose."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

DECLARED_PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
}
# Areas with their own gate: the API answers 401/403 problem+json, the admin its own login.
OWN_GATE_PREFIXES = ("api/", "beheer/", "g/")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern):
            yield route, namespace + (entry.name or ""), entry.callback, entry.pattern.converters


PUBLIC_SCHEMA_URLS = [
    item for item in _walk(get_resolver().url_patterns) if not item[0].startswith(OWN_GATE_PREFIXES)
]


def test_declared_public_pages_are_exactly_those_marked_public():
    marked = {
        name for _r, name, cb, _c in PUBLIC_SCHEMA_URLS if not getattr(cb, "login_required", True)
    }
    assert marked == DECLARED_PUBLIC


GATED = [item for item in PUBLIC_SCHEMA_URLS if item[1] not in DECLARED_PUBLIC]


@pytest.mark.parametrize("route, name, callback, converters", GATED, ids=[r for r, *_ in GATED])
def test_anonymous_is_sent_to_login(world, route, name, callback, converters):
    url = "/" + route
    for key in converters:
        url = (
            url.replace(f"<slug:{key}>", "x").replace(f"<int:{key}>", "1").replace(f"<{key}>", "x")
        )
    response = Client().get(url)
    assert response.status_code == 302 and "/account/login/" in response["Location"], url


@pytest.mark.parametrize("url", ["/account/login/", "/account/password_reset/"])
def test_declared_public_pages_open_without_login(world, url):
    assert Client().get(url).status_code == 200


@pytest.mark.parametrize("who", ["treasurer", "support", "outsider"])
def test_support_pages_are_for_coordinators_only(world, client_as, who):
    client = client_as(who)
    assert client.get("/ondersteuning/").status_code == 403
    assert client.get("/ondersteuning/groepen/nieuw/").status_code == 403
    assert client.post("/ondersteuning/groepen/nieuw/", {"name": "X"}).status_code == 403


# The learning space (/kennis/): every page needs a login and one of the audiences of
# knowledge.audience (support staff, a group member, a municipal official).
KNOWLEDGE = [item for item in GATED if item[1].startswith("knowledge:")]


def test_learning_space_urls_are_walked_and_none_is_public():
    assert len(KNOWLEDGE) >= 20
    assert all(route.startswith("kennis/") for route, *_ in KNOWLEDGE)


@pytest.mark.parametrize(
    "route, name, callback, converters", KNOWLEDGE, ids=[r for r, *_ in KNOWLEDGE]
)
def test_learning_space_refuses_someone_without_group_or_role(
    world, client_as, route, name, callback, converters
):
    url = "/" + route
    for key in converters:
        url = url.replace(f"<slug:{key}>", "geld").replace(f"<int:{key}>", "1")
    client = client_as("outsider")
    assert client.get(url).status_code == 403, url
    assert client.post(url, {}).status_code == 403, url
