"""Demo content: about twenty articles over every theme, questions with answers (one
anonymous, one solved), made through the services, and loaded twice without change."""

import pytest

from backoffice.demo import GROUPS
from knowledge import demo
from knowledge.audience import viewer_for
from knowledge.models import Article, Post, Reply, Theme
from knowledge.selectors import search
from tenants.models import Group, Membership, User


@pytest.fixture
def demo_world(world):
    """The demo's people and groups as registry rows (the learning space needs no schema)."""
    people = {
        "saskia": User.objects.create_user(username="saskia", org_role="coordinator"),
        "jeroen": User.objects.create_user(username="jeroen", org_role="ondersteuner"),
    }
    groups = []
    for spec in GROUPS:
        group = Group.objects.create(
            name=spec["name"], slug=spec["slug"], schema_name=f"demo_{spec['slug'][:20]}",
            district=spec["district"],
        )  # fmt: skip
        groups.append(group)
        for username, first, _last, role in spec["people"]:
            people[username] = User.objects.create_user(username=username, first_name=first)
            Membership.objects.create(user=people[username], group=group, role=role)
    return people, groups


def _snapshot():
    return (
        list(Article.objects.order_by("pk").values_list("title", "status", "visibility")),
        list(Post.objects.order_by("pk").values_list("title", "anonymous", "solved_reply")),
        Reply.objects.count(),
    )


def test_demo_content_covers_every_theme_and_is_idempotent(demo_world):
    people, groups = demo_world
    demo.load(people, groups, password="buurtkas-demo")
    first = _snapshot()
    demo.load(people, groups, password="buurtkas-demo")
    assert _snapshot() == first

    articles = list(Article.objects.select_related("latest_revision"))
    assert len(articles) >= 20
    assert all(a.is_live for a in articles)
    assert all(a.latest_revision.author_id != a.history.first().history_user_id for a in articles)
    assert {t for a in articles for t in a.themes} == set(Theme.values)
    assert {a.kind for a in articles} == {"les", "handleiding", "sjabloon"}
    assert {a.visibility for a in articles} == {"ondersteuning", "groepen", "ambtenaren"}
    posts = list(Post.objects.all())
    assert sum(p.anonymous for p in posts) == 1
    assert any(p.is_solved for p in posts)
    assert Reply.objects.count() >= 4

    official = User.objects.get(username="marieke")
    assert official.is_official and official.check_password("buurtkas-demo")
    treasurer = viewer_for(people["priscilla"])
    found = search(viewer=treasurer, query="kascommissies")
    assert found.articles.total >= 2 and found.posts.total >= 1
    assert "Een bewonersgroep" in [
        hit.author.text
        for hit in search(viewer=viewer_for(people["fatma"]), query="ruzie").posts.hits
    ]
