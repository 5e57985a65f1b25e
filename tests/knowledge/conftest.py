"""Learning-space helpers: articles and posts made through the real services.

Authors are the support worker (`support`); the coordinator (`coordinator`) is the second
person who approves. `official` is a municipal official, made per test.
"""

import pytest

from knowledge import services
from knowledge.audience import viewer_for
from tenants.models import User


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def official(db):
    return User.objects.create_user(
        username="official",
        password="test-password-123",
        first_name="Olga",
        org_role=User.OrgRole.OFFICIAL,
        email="olga@example.org",
    )


@pytest.fixture
def client_for(client_as, official):
    """client_for("official") as well as every key of client_as."""
    from django.test import Client

    def make(key):
        if key == "official":
            client = Client()
            client.force_login(official)
            return client
        return client_as(key)

    return make


def article_content(**overrides) -> dict:
    content = {
        "kind": "les",
        "visibility": "groepen",
        "title": "Zo bereid je de kascontrole voor",
        "summary": "Wat de kascommissie wil zien, en hoe je dat klaarlegt.",
        "body": "Leg de bonnetjes op volgorde en zorg dat het banksaldo klopt.",
        "themes": ["geld"],
        "actie": ["toerusting"],
        "keywords": "kascontrole, jaarrekening",
    }
    content.update(overrides)
    return content


@pytest.fixture
def publish(users):
    """publish(**content) -> an approved, published article (author support, approver
    coordinator)."""

    def make(**overrides):
        article = services.article_create(author=users["support"], **article_content(**overrides))
        services.article_submit(article=article, user=users["support"])
        return services.article_approve(article=article, approver=users["coordinator"])

    return make


@pytest.fixture
def ask(users, group_a):
    """ask(**fields) -> a question posted by group A's treasurer."""

    def make(**overrides):
        fields = {
            "author": users["treasurer"],
            "kind": "vraag",
            "title": "Hoe vinden we leden voor de kascommissie?",
            "body": "Niemand wil in de kascommissie. Hoe doen jullie dat?",
            "themes": ["geld"],
            "group_id": group_a.pk,
        }
        fields.update(overrides)
        return services.post_create(**fields)

    return make


@pytest.fixture
def viewer(users):
    def make(key):
        return viewer_for(users[key])

    return make
