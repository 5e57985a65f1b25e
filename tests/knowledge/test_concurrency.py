"""Services that lock rows, on committed data and separate connections: outside the usual
rolled-back test transaction a missing @transaction.atomic would fail at select_for_update,
and two replies at the same moment must both be counted."""

import threading

import pytest
from django.db import connections

from knowledge import services
from knowledge.models import Article, Follow, Post, Reply, Report
from tenants.models import Group, Membership, User
from tests.knowledge.conftest import article_content


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        group = Group.objects.create(
            name="Gelijktijdige groep", slug="gelijktijdig-kennis", schema_name="no_schema_kennis",
            district="noord",
        )  # fmt: skip
        writer = User.objects.create_user(username="k-writer", org_role="ondersteuner")
        approver = User.objects.create_user(username="k-approver", org_role="coordinator")
        members = [User.objects.create_user(username=f"k-member-{n}") for n in range(2)]
        for member in members:
            Membership.objects.create(user=member, group=group, role="lid")
        yield group, writer, approver, members
        Report.objects.all().delete()
        Follow.objects.all().delete()
        Post.objects.update(solved_reply=None)
        Reply.objects.all().delete()
        Post.objects.all().delete()
        Article.objects.update(live_revision=None, latest_revision=None)
        Article.objects.all().delete()
        Post.history.all().delete()
        Reply.history.all().delete()
        Article.history.all().delete()
        Follow.history.all().delete()
        Membership.objects.filter(group=group).delete()
        group.delete()
        User.objects.filter(username__startswith="k-").delete()


def test_article_workflow_runs_outside_a_test_transaction(committed):
    _group, writer, approver, _members = committed
    article = services.article_create(author=writer, **article_content())
    services.article_submit(article=article, user=writer)
    services.article_approve(article=article, approver=approver)
    assert Article.objects.get(pk=article.pk).is_live


def test_two_replies_at_once_are_both_counted(committed):
    group, writer, _approver, members = committed
    post = services.post_create(
        author=members[0], kind="vraag", title="Tegelijk", body="Tekst", themes=["geld"],
        group_id=group.pk,
    )  # fmt: skip
    barrier = threading.Barrier(2)
    errors = []

    def reply(user, text):
        try:
            barrier.wait(timeout=10)
            services.reply_create(post=post, author=user, body=text, group_id=group.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=reply, args=(members[0], "Eerste antwoord")),
        threading.Thread(target=reply, args=(members[1], "Tweede antwoord")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    post.refresh_from_db()
    assert post.reply_count == 2
    assert "Eerste antwoord" in post.replies_text and "Tweede antwoord" in post.replies_text
