"""Isolation: every URL of a group is closed to everyone without a membership or assignment.

The URL list is walked from the tenant URLconf itself, so a new pattern is covered the moment
it is added. A view that is open to anonymous visitors must be listed in
DECLARED_PUBLIC_GROUP_URLS on purpose, or this test fails.
"""

import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from backoffice import tenant_urls

# Group pages that anyone may see, declared on purpose (view marked login_not_required).
DECLARED_PUBLIC_GROUP_URLS: set[str] = {
    "groups:public",
    # Resident initiatives: the public board, the application form without login, an
    # initiative's public page, and the initiator's personal link (an unguessable token).
    "initiatives:board",
    "initiatives:apply",
    "initiatives:public_detail",
    "initiatives:personal",
    "initiatives:personal_account",
    "initiatives:personal_receipts",
    "initiatives:redeem",
    "initiatives:vote",
}

SAMPLE_BY_CONVERTER = {
    "IntConverter": 1,
    "SlugConverter": "x",
    "StringConverter": "x",
    "UUIDConverter": uuid.UUID(int=1),
    "PathConverter": "x",
}


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            converters = dict(entry.pattern.converters)
            for name, callback, conv in _walk(entry.url_patterns, inner):
                yield name, callback, {**converters, **conv}
        elif isinstance(entry, URLPattern):
            assert entry.name, f"URL pattern {entry.pattern} needs a name to be tested"
            yield namespace + entry.name, entry.callback, dict(entry.pattern.converters)


def tenant_url_names():
    return list(_walk(tenant_urls.urlpatterns))


def _url(group, name, converters):
    kwargs = {k: SAMPLE_BY_CONVERTER[type(c).__name__] for k, c in converters.items()}
    return reverse(name, kwargs={"group_slug": group.slug, **kwargs})


ALL = tenant_url_names()
IDS = [name for name, _cb, _c in ALL]
# The gate tests cover every URL that is not public on purpose.
GATED = [item for item in ALL if item[0] not in DECLARED_PUBLIC_GROUP_URLS]
GATED_IDS = [name for name, _cb, _c in GATED]


def test_tenant_urlconf_is_not_empty():
    assert len(ALL) >= 3


def test_public_group_views_are_declared_on_purpose():
    public = {name for name, cb, _c in ALL if not getattr(cb, "login_required", True)}
    assert public == DECLARED_PUBLIC_GROUP_URLS


@pytest.mark.parametrize("name, callback, converters", GATED, ids=GATED_IDS)
@pytest.mark.parametrize("who", ["other", "outsider", "coordinator"])
def test_person_of_another_group_gets_404(world, client_as, name, callback, converters, who):
    client = client_as(who)
    url = _url(world.group_a, name, converters)
    assert client.get(url).status_code == 404, url
    assert client.post(url, {}).status_code == 404, url


@pytest.mark.parametrize("name, callback, converters", GATED, ids=GATED_IDS)
def test_anonymous_is_sent_to_login(world, name, callback, converters):
    url = _url(world.group_a, name, converters)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name, callback, converters", ALL, ids=IDS)
def test_member_is_let_through_the_gate(world, client_as, name, callback, converters):
    """Members pass the group gate (the view itself may still refuse a role or a missing id)."""
    url = _url(world.group_a, name, converters)
    response = client_as("member").get(url)
    assert response.status_code in {200, 302, 400, 403, 404, 405}
    if response.status_code == 404:
        # a 404 here must come from the view (missing object), not from the gate
        assert callback is not None


def test_unknown_group_gets_dutch_404(world, client_as):
    response = client_as("treasurer").get("/g/bestaat-niet/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


def test_template_schema_cannot_be_entered(world, client_as):
    assert client_as("coordinator").get("/g/template/").status_code == 404


def test_support_worker_enters_assigned_group_only_and_is_logged(world, client_as):
    from tenants.models import AccessLogEntry

    client = client_as("support")
    assert client.get(f"/g/{world.group_a.slug}/").status_code == 200
    assert client.get(f"/g/{world.group_b.slug}/").status_code == 404
    entry = AccessLogEntry.objects.get(group=world.group_a)
    assert entry.username == "support" and entry.path == f"/g/{world.group_a.slug}/"
    assert not AccessLogEntry.objects.filter(group=world.group_b).exists()


def test_members_are_not_access_logged(world, client_as):
    from tenants.models import AccessLogEntry

    client_as("treasurer").get(f"/g/{world.group_a.slug}/")
    assert not AccessLogEntry.objects.exists()


def test_refused_404_page_does_not_name_the_group(world, client_as):
    response = client_as("other").get(f"/g/{world.group_a.slug}/")
    assert response.status_code == 404
    assert world.group_a.name not in response.content.decode()


def test_declared_public_group_pages_open_without_login(world):
    """Pages without an id open; pages of one object (an id, a token) answer 404 for an
    unknown one, not a login redirect."""
    for name, _cb, converters in ALL:
        if name not in DECLARED_PUBLIC_GROUP_URLS:
            continue
        url = _url(world.group_a, name, converters)
        assert Client().get(url).status_code == (404 if converters else 200), url
