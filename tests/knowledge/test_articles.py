"""Articles: draft → in review → published by a second person, revisions, diffs, review
dates and reminders, bad input."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from knowledge import services
from knowledge.models import Article, ArticleRevision
from tenants.models import User
from tests.knowledge.conftest import article_content

AMSTERDAM = datetime.timezone(datetime.timedelta(hours=1))


def test_article_goes_from_draft_through_review_to_published(users):
    article = services.article_create(author=users["support"], **article_content())
    assert article.status == Article.Status.DRAFT and not article.is_live
    services.article_submit(article=article, user=users["support"])
    article.refresh_from_db()
    assert article.status == Article.Status.REVIEW and article.submitted_by == users["support"]
    services.article_approve(
        article=article, approver=users["coordinator"], on=datetime.date(2026, 5, 1)
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.is_live
    assert article.title == "Zo bereid je de kascontrole voor"
    assert article.review_on == datetime.date(2027, 5, 1)
    assert "<p>Leg de bonnetjes op volgorde" in article.body_html
    assert [r.history_type for r in article.history.order_by("history_id")][-1] == "~"
    assert article.history.first().history_user == users["coordinator"]


def test_the_writer_cannot_approve_their_own_version(users):
    article = services.article_create(author=users["support"], **article_content())
    services.article_submit(article=article, user=users["support"])
    with pytest.raises(ValidationError, match="Een ander dan de schrijver"):
        services.article_approve(article=article, approver=users["support"])
    article.refresh_from_db()
    assert not article.is_live and article.status == Article.Status.REVIEW


def test_the_one_who_submits_cannot_approve_either(users):
    article = services.article_create(author=users["support"], **article_content())
    services.article_revise(article=article, editor=users["coordinator"], **article_content())
    services.article_submit(article=article, user=users["support"])
    with pytest.raises(ValidationError):
        services.article_approve(article=article, approver=users["coordinator"])
    with pytest.raises(ValidationError):
        services.article_approve(article=article, approver=users["support"])


def test_a_draft_cannot_be_approved_without_review(users):
    article = services.article_create(author=users["support"], **article_content())
    with pytest.raises(ValidationError, match="niet ter beoordeling"):
        services.article_approve(article=article, approver=users["coordinator"])


def test_groups_do_not_write_articles(users):
    with pytest.raises(PermissionDenied):
        services.article_create(author=users["treasurer"], **article_content())


def test_returning_a_version_needs_a_reason_and_keeps_the_live_copy(publish, users):
    article = publish(title="Eerste titel")
    services.article_revise(
        article=article, editor=users["support"], **article_content(title="Tweede titel")
    )
    services.article_submit(article=article, user=users["support"])
    with pytest.raises(ValidationError):
        services.article_return(article=article, user=users["coordinator"], reason="   ")
    services.article_return(
        article=article, user=users["coordinator"], reason="Graag een voorbeeld erbij."
    )
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.review_note == "Graag een voorbeeld erbij."
    assert article.title == "Eerste titel"
    assert article.latest_revision.title == "Tweede titel"


def test_every_save_is_a_revision_and_the_diff_shows_what_changed(publish, users, client_as):
    article = publish(body="Regel een.\nRegel twee.")
    services.article_revise(
        article=article,
        editor=users["support"],
        note="regel twee verbeterd",
        **article_content(body="Regel een.\nRegel twee, verbeterd."),
    )
    assert list(
        ArticleRevision.objects.filter(article=article).values_list("number", flat=True)
    ) == [1, 2]
    response = client_as("coordinator").get(
        f"/kennis/artikelen/{article.pk}/versies/", {"van": 1, "naar": 2}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert '<li class="removed">' in body and "Regel twee.</li>" in body
    assert '<li class="added">' in body and "Regel twee, verbeterd.</li>" in body
    assert "regel twee verbeterd" in body


def test_revisions_page_is_for_staff_only(publish, client_as):
    article = publish()
    assert client_as("treasurer").get(f"/kennis/artikelen/{article.pk}/versies/").status_code == 403


def test_revisions_page_survives_odd_numbers(publish, client_as):
    article = publish()
    for params in ({"van": "x", "naar": "y"}, {"van": 99, "naar": 1}):
        response = client_as("support").get(f"/kennis/artikelen/{article.pk}/versies/", params)
        assert response.status_code == 200


def test_over_long_body_is_refused_with_a_dutch_message_and_nothing_is_saved(users, client_as):
    before = Article.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.article_create(
            author=users["support"], **article_content(body="x" * (services.ARTICLE_BODY_LIMIT + 1))
        )
    assert "De tekst is te lang: 50.001 tekens, er passen er 50.000 in" in str(caught.value)
    response = client_as("support").post(
        "/kennis/artikelen/nieuw/",
        {**article_content(body="woord " * 20_000), "themes": ["geld"]},
    )
    assert response.status_code == 400
    assert "De tekst is te lang" in response.content.decode()
    assert Article.objects.count() == before
    assert ArticleRevision.objects.count() == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("title", "   ", "Geef een titel"),
        ("themes", [], "Kies minstens één thema"),
        ("themes", ["bestaat-niet"], "Onbekende keuze"),
        ("kind", "roman", "Kies een soort artikel"),
        ("visibility", "iedereen", "Kies voor wie"),
        ("keywords", "goed, <script>", "Een trefwoord bestaat uit letters"),
        ("keywords", ",".join(f"woord{i}" for i in range(13)), "hoogstens 12 trefwoorden"),
    ],
)
def test_bad_article_input_is_refused(users, field, value, message):
    with pytest.raises(ValidationError, match=message):
        services.article_create(author=users["support"], **article_content(**{field: value}))
    assert not Article.objects.exists()


def test_staff_write_submit_and_approve_through_the_pages(client_as):
    writer, reviewer = client_as("support"), client_as("coordinator")
    response = writer.post(
        "/kennis/artikelen/nieuw/",
        {**article_content(), "themes": ["geld", "organisatie"], "actie": ["animo"]},
    )
    assert response.status_code == 302
    article = Article.objects.get()
    assert writer.post(f"/kennis/artikelen/{article.pk}/aanbieden/").status_code == 302
    # the writer sees no approve button, and posting it anyway is refused
    page = writer.get(f"/kennis/artikelen/{article.pk}/").content.decode()
    assert "Goedkeuren en publiceren" not in page
    writer.post(f"/kennis/artikelen/{article.pk}/goedkeuren/")
    article.refresh_from_db()
    assert not article.is_live
    assert (
        "Goedkeuren en publiceren"
        in reviewer.get(f"/kennis/artikelen/{article.pk}/").content.decode()
    )
    reviewer.post(f"/kennis/artikelen/{article.pk}/goedkeuren/")
    article.refresh_from_db()
    assert article.is_live and article.themes == ["geld", "organisatie"]
    assert article.keywords == ["kascontrole", "jaarrekening"]


def test_group_members_cannot_reach_the_writing_pages(client_as, publish):
    article = publish()
    client = client_as("chair")
    assert client.get("/kennis/artikelen/nieuw/").status_code == 403
    assert client.get(f"/kennis/artikelen/{article.pk}/bewerken/").status_code == 403
    assert client.post(f"/kennis/artikelen/{article.pk}/goedkeuren/").status_code == 403
    assert client.get("/kennis/redactie/").status_code == 403


@time_machine.travel(datetime.datetime(2027, 6, 1, 9, 0, tzinfo=AMSTERDAM), tick=False)
def test_author_is_reminded_once_when_the_review_date_has_come(
    publish, users, mailoutbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=users["support"].pk).update(email="support@example.org")
    due = publish(title="Oud artikel")
    Article.objects.filter(pk=due.pk).update(review_on=datetime.date(2027, 5, 31))
    not_yet = publish(title="Nieuw artikel")
    Article.objects.filter(pk=not_yet.pk).update(review_on=datetime.date(2027, 6, 2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("knowledge_review_reminders")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["support@example.org"]
    assert "Oud artikel" in mailoutbox[0].subject
    assert f"/kennis/artikelen/{due.pk}/" in mailoutbox[0].body
    with django_capture_on_commit_callbacks(execute=True):
        call_command("knowledge_review_reminders")
    assert len(mailoutbox) == 1  # once per review date
    with django_capture_on_commit_callbacks(execute=True):
        call_command("knowledge_review_reminders", today="2027-06-03")
    assert len(mailoutbox) == 2 and "Nieuw artikel" in mailoutbox[1].subject


def test_reminder_mail_waits_for_the_commit(publish, users, mailoutbox):
    User.objects.filter(pk=users["support"].pk).update(email="support@example.org")
    article = publish()
    sent = services.review_reminders_send(today=article.review_on)
    assert sent == 1 and mailoutbox == []  # still inside the test's transaction


def test_reminder_command_refuses_a_date_it_cannot_read(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="JJJJ-MM-DD"):
        call_command("knowledge_review_reminders", today="31-05-2027")
