"""Exchange between groups: posts for one's own group, answers, solved, anonymous posts,
moderation with reasons and history, following and the digest."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from knowledge import services
from knowledge.models import Follow, Post, Reply, Report
from knowledge.resources import PostResource

GROUP_A = "Hart voor de K-buurt"
AMSTERDAM = datetime.timezone(datetime.timedelta(hours=1))


@pytest.fixture
def anonymous_post(ask):
    return ask(
        title="Ruzie in het bestuur over de kascommissie",
        body="Twee bestuursleden praten niet meer met elkaar.",
        themes=["conflicten"],
        anonymous=True,
    )


def test_a_member_posts_for_their_own_group_only(users, group_a, group_b):
    post = services.post_create(
        author=users["treasurer"], kind="vraag", title="Vraag", body="Tekst", themes=["geld"],
        group_id=group_a.pk,
    )  # fmt: skip
    assert post.group == group_a
    assert Follow.objects.filter(user=users["treasurer"], post=post).exists()
    with pytest.raises(ValidationError, match="namens je eigen groep"):
        services.post_create(
            author=users["treasurer"], kind="vraag", title="Vraag", body="Tekst",
            themes=["geld"], group_id=group_b.pk,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Kies namens welke groep"):
        services.post_create(
            author=users["treasurer"], kind="vraag", title="Vraag", body="Tekst", themes=["geld"]
        )


def test_support_staff_post_without_a_group(users):
    post = services.post_create(
        author=users["support"], kind="ervaring", title="Tip", body="Tekst", themes=["buurt"]
    )
    assert post.group is None and not post.anonymous


def test_bad_post_input_reports_every_problem_and_saves_nothing(users, group_a):
    with pytest.raises(ValidationError) as caught:
        services.post_create(
            author=users["treasurer"],
            kind="roddel",
            title="",
            body="x" * (services.POST_BODY_LIMIT + 1),
            themes=[],
            group_id=group_a.pk,
        )
    assert set(caught.value.message_dict) == {"kind", "title", "body"}
    assert not Post.objects.exists()


@pytest.mark.parametrize("who", ["other", "member"])
def test_anonymous_post_never_shows_its_group_to_another_group(anonymous_post, client_as, who):
    # `member` is in group A too, but a second account: only `other` is another group
    client = client_as(who)
    pages = [
        "/kennis/uitwisseling/",
        f"/kennis/uitwisseling/{anonymous_post.pk}/",
        "/kennis/zoeken/?q=kascommissie",
        "/kennis/zoeken/?q=ruzie&deel=uitwisseling",
        "/kennis/thema/conflicten/",
        "/kennis/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert anonymous_post.title in body or url == "/kennis/", url
        if who == "other":
            assert GROUP_A not in body, url
            assert "Treasurer" not in body, url  # the author's name gives the group away
            assert "Een bewonersgroep" in body or url == "/kennis/", url


def test_anonymous_post_shows_its_group_to_moderators_and_the_own_group(anonymous_post, client_as):
    for who in ("coordinator", "chair"):
        body = client_as(who).get(f"/kennis/uitwisseling/{anonymous_post.pk}/").content.decode()
        assert GROUP_A in body, who
        assert "zonder naam geplaatst" in body, who


def test_a_support_worker_who_is_no_moderator_does_not_see_the_group(anonymous_post, client_as):
    body = client_as("support").get(f"/kennis/uitwisseling/{anonymous_post.pk}/").content.decode()
    assert GROUP_A not in body


def test_anonymous_reply_hides_its_group_too(ask, users, group_a, client_as):
    post = services.post_create(
        author=users["other"], kind="vraag", title="Vraag van B", body="Tekst", themes=["geld"],
        group_id=users["other"].memberships.get().group_id,
    )  # fmt: skip
    services.reply_create(
        post=post, author=users["treasurer"], body="Bij ons ging het zo.", group_id=group_a.pk,
        anonymous=True,
    )  # fmt: skip
    body = client_as("other").get(f"/kennis/uitwisseling/{post.pk}/").content.decode()
    assert "Bij ons ging het zo." in body and GROUP_A not in body


def test_export_of_posts_leaves_out_the_group_of_anonymous_posts(anonymous_post, ask):
    named = ask(title="Open vraag")
    dataset = PostResource().export()
    rows = {int(row["id"]): row for row in dataset.dict}
    assert rows[anonymous_post.pk]["group"] == ""
    assert rows[named.pk]["group"] == GROUP_A
    assert GROUP_A not in str(rows[anonymous_post.pk])


def test_only_the_asker_marks_the_answer_that_helped(ask, users):
    post = ask()
    reply = services.reply_create(
        post=post,
        author=users["other"],
        body="Vraag de buren.",
        group_id=users["other"].memberships.get().group_id,
    )
    with pytest.raises(PermissionDenied):
        services.post_mark_solved(post=post, reply=reply, user=users["other"])
    services.post_mark_solved(post=post, reply=reply, user=users["treasurer"])
    post.refresh_from_db()
    assert post.solved_reply == reply
    assert post.history.first().history_user == users["treasurer"]
    services.post_mark_solved(post=post, reply=None, user=users["treasurer"])
    post.refresh_from_db()
    assert post.solved_reply is None


def test_a_reply_of_another_question_cannot_solve_this_one(ask, users):
    first, second = ask(), ask(title="Andere vraag")
    reply = services.reply_create(post=second, author=users["support"], body="Antwoord.")
    with pytest.raises(ValidationError, match="hoort niet bij deze vraag"):
        services.post_mark_solved(post=first, reply=reply, user=users["treasurer"])


def test_an_experience_cannot_be_solved(ask, users):
    post = ask(kind="ervaring")
    reply = services.reply_create(post=post, author=users["support"], body="Mooi.")
    with pytest.raises(ValidationError, match="Alleen een vraag"):
        services.post_mark_solved(post=post, reply=reply, user=users["treasurer"])


def test_question_answer_and_solved_through_the_pages(client_as, group_a):
    treasurer, support = client_as("treasurer"), client_as("support")
    response = treasurer.post(
        "/kennis/uitwisseling/nieuw/",
        {"kind": "vraag", "title": "Hoeveel kas mag contant?", "body": "Wij twijfelen.",
         "themes": ["geld"], "group": group_a.pk},
    )  # fmt: skip
    assert response.status_code == 302
    post = Post.objects.get()
    url = f"/kennis/uitwisseling/{post.pk}/"
    assert response["Location"] == url
    response = support.post(f"{url}reageren/", {"body": "Houd het onder de 100 euro."})
    assert response.status_code == 302
    reply = Reply.objects.get()
    page = treasurer.get(url).content.decode()
    assert "Houd het onder de 100 euro." in page and "Dit antwoord hielp mij" in page
    assert "Dit antwoord hielp mij" not in support.get(url).content.decode()
    treasurer.post(f"{url}opgelost/", {"reply": reply.pk})
    post.refresh_from_db()
    assert post.solved_reply == reply
    assert "dit hielp" in treasurer.get(url).content.decode()


def test_an_empty_reply_gets_a_dutch_message(ask, client_as):
    post = ask()
    response = client_as("support").post(f"/kennis/uitwisseling/{post.pk}/reageren/", {"body": ""})
    assert response.status_code == 400
    assert "Dit veld is vereist" in response.content.decode()
    assert not Reply.objects.exists()


def test_report_hide_and_restore_with_reasons_and_history(ask, users, client_as, viewer):
    from knowledge.selectors import search

    post = ask(title="Scheldpartij over de kascommissie")
    services.report_create(reporter=users["other"], reason="Dit is beledigend.", post=post)
    with pytest.raises(PermissionDenied):
        services.moderation_set_hidden(
            target=post, hidden=True, moderator=users["support"], reason="x"
        )
    with pytest.raises(ValidationError):
        services.moderation_set_hidden(
            target=post, hidden=True, moderator=users["coordinator"], reason=" "
        )
    services.moderation_set_hidden(
        target=post, hidden=True, moderator=users["coordinator"], reason="Beledigend voor leden."
    )
    post.refresh_from_db()
    assert post.hidden and post.moderation_reason == "Beledigend voor leden."
    assert Report.objects.get().outcome == Report.Outcome.HIDDEN
    assert search(viewer=viewer("other"), query="kascommissie").total == 0
    assert client_as("other").get(f"/kennis/uitwisseling/{post.pk}/").status_code == 404
    moderator_page = client_as("coordinator").get(f"/kennis/uitwisseling/{post.pk}/")
    assert "Beledigend voor leden." in moderator_page.content.decode()
    services.moderation_set_hidden(
        target=post, hidden=False, moderator=users["coordinator"], reason="Na overleg aangepast."
    )
    history = list(post.history.order_by("history_id").values_list("hidden", "moderation_reason"))
    assert history[-2:] == [(True, "Beledigend voor leden."), (False, "Na overleg aangepast.")]
    assert search(viewer=viewer("other"), query="kascommissie").total == 1


def test_a_hidden_reply_leaves_the_search_and_the_solved_mark(ask, users, viewer):
    from knowledge.selectors import search

    post = ask(title="Vraag")
    reply = services.reply_create(post=post, author=users["support"], body="Scheldwoordenboek.")
    services.post_mark_solved(post=post, reply=reply, user=users["treasurer"])
    assert search(viewer=viewer("other"), query="scheldwoordenboek").total == 1
    services.moderation_set_hidden(
        target=reply, hidden=True, moderator=users["coordinator"], reason="Niet netjes."
    )
    post.refresh_from_db()
    assert post.solved_reply is None and post.reply_count == 0
    assert search(viewer=viewer("other"), query="scheldwoordenboek").total == 0


def test_moderation_pages_are_for_coordinators(ask, users, client_as):
    post = ask()
    services.report_create(reporter=users["other"], reason="Klopt niet.", post=post)
    assert client_as("support").get("/kennis/moderatie/").status_code == 403
    body = client_as("coordinator").get("/kennis/moderatie/").content.decode()
    assert "Klopt niet." in body
    response = client_as("coordinator").post(
        f"/kennis/moderatie/bericht/{post.pk}/", {"actie": "verbergen", "reason": "Onjuist."}
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden


def test_reporting_through_the_page(ask, client_as):
    post = ask()
    response = client_as("other").post(f"/kennis/melden/bericht/{post.pk}/", {"reason": "Spam."})
    assert response.status_code == 302
    assert Report.objects.get().reason == "Spam."
    assert client_as("other").get(f"/kennis/melden/iets/{post.pk}/").status_code == 404


@time_machine.travel(datetime.datetime(2026, 9, 1, 8, 0, tzinfo=AMSTERDAM), tick=False)
def test_digest_tells_followers_what_is_new_once(
    anonymous_post, publish, users, mailoutbox, django_capture_on_commit_callbacks, group_b
):
    other = users["other"]
    other.email = "other@example.org"
    other.save()
    services.follow(user=other, post=anonymous_post)
    services.follow(user=other, theme="geld")
    with time_machine.travel(datetime.datetime(2026, 9, 1, 12, 0, tzinfo=AMSTERDAM), tick=False):
        services.reply_create(
            post=anonymous_post, author=users["chair"], body="Wij praten erover.",
            group_id=anonymous_post.group_id, anonymous=True,
        )  # fmt: skip
        publish(title="Nieuw: de kasstaat", themes=["geld"])
        publish(title="Intern: geld", themes=["geld"], visibility="ondersteuning")
    with time_machine.travel(datetime.datetime(2026, 9, 2, 8, 0, tzinfo=AMSTERDAM), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("knowledge_digest")
    mails = [m for m in mailoutbox if m.to == ["other@example.org"]]
    assert len(mails) == 1
    body = mails[0].body
    assert "Nieuwe reactie van Een bewonersgroep op ‘Ruzie in het bestuur" in body
    assert "Nieuw artikel: ‘Nieuw: de kasstaat’" in body
    assert "Intern: geld" not in body
    assert GROUP_A not in body and "Chair" not in body
    with time_machine.travel(datetime.datetime(2026, 9, 3, 8, 0, tzinfo=AMSTERDAM), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("knowledge_digest")
    assert len([m for m in mailoutbox if m.to == ["other@example.org"]]) == 1


def test_following_and_unfollowing_a_theme_through_the_page(client_as, users):
    client = client_as("treasurer")
    client.post("/kennis/thema/geld/volgen/")
    assert Follow.objects.filter(user=users["treasurer"], theme="geld").exists()
    assert "Niet meer volgen" in client.get("/kennis/thema/geld/").content.decode()
    client.post("/kennis/thema/geld/volgen/", {"volgen": "0"})
    assert not Follow.objects.filter(user=users["treasurer"], theme="geld").exists()
    assert client.get("/kennis/thema/onzin/").status_code == 404
