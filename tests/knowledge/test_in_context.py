"""Related lessons on other capabilities' pages, and flat query counts on every page."""

from datetime import date

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import tenant_context

from finance.ledger import services as ledger_services
from knowledge import facade, services
from tenants.access import group_access


def real_queries(ctx) -> int:
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith("SET "))


def test_facade_returns_frozen_lessons_for_the_viewer(publish, users):
    publish(title="Kasboek bijhouden", themes=["geld"])
    publish(title="Intern over geld", themes=["geld"], visibility="ondersteuning")
    publish(title="Ruzie sussen", themes=["conflicten"])
    lessons = facade.related_lessons(theme="geld", viewer=facade.viewer_for(users["member"]))
    assert [lesson.title for lesson in lessons] == ["Kasboek bijhouden"]
    with pytest.raises(AttributeError):
        lessons[0].title = "x"
    staff = facade.related_lessons(theme="geld", viewer=facade.viewer_for(users["support"]))
    assert {lesson.title for lesson in staff} == {"Kasboek bijhouden", "Intern over geld"}
    assert facade.related_lessons(theme="onzin", viewer=facade.viewer_for(users["support"])) == []


def test_at_most_three_newest_lessons(publish, users):
    for n in range(5):
        publish(title=f"Les {n}", themes=["geld"])
    lessons = facade.related_lessons(theme="geld", viewer=facade.viewer_for(users["member"]))
    assert [lesson.title for lesson in lessons] == ["Les 4", "Les 3", "Les 2"]


@pytest.mark.parametrize("who", ["treasurer", "support"])
def test_the_tag_adds_one_query_on_a_group_page(publish, users, group_a, who):
    for n in range(4):
        publish(title=f"Les {n}", themes=["geld"])
    request = RequestFactory().get("/")
    request.user = users[who]
    context = {
        "request": request,
        "group": group_a,
        "access": group_access(user=users[who], group=group_a),
    }
    template = Template('{% load knowledge %}{% related_lessons "geld" %}')
    with tenant_context(group_a), CaptureQueriesContext(connection) as ctx:
        html = template.render(Context(context))
    assert real_queries(ctx) == 1
    assert html.count("<li>") == 3 and "Les 3" in html


def test_kascommissie_page_shows_money_lessons(publish, client_as, group_a):
    publish(title="Zo werkt een kascontrole", themes=["geld"])
    publish(title="Ruzie sussen", themes=["conflicten"])
    with tenant_context(group_a):
        ledger_services.year_for_date(date(2026, 3, 1))
    connection.set_schema_to_public()
    body = client_as("audit").get(f"/g/{group_a.slug}/financien/jaren/2026/kascontrole/")
    text = body.content.decode()
    assert body.status_code == 200
    assert "Zo werkt een kascontrole" in text and "Ruzie sussen" not in text


def test_conflicts_register_shows_conflict_lessons_within_visibility(publish, client_as, group_a):
    publish(title="Ruzie sussen", themes=["conflicten"])
    publish(title="Intern: moeilijke groepen", themes=["conflicten"], visibility="ondersteuning")
    chair = client_as("chair").get(f"/g/{group_a.slug}/conflicten/").content.decode()
    assert "Ruzie sussen" in chair and "Intern: moeilijke groepen" not in chair
    support = client_as("support").get(f"/g/{group_a.slug}/conflicten/").content.decode()
    assert "Intern: moeilijke groepen" in support


def test_no_lessons_no_block(client_as, group_a):
    body = client_as("chair").get(f"/g/{group_a.slug}/conflicten/").content.decode()
    assert "Lessen van andere groepen" not in body


def _fill(publish, ask, users, n):
    for i in range(n):
        article = publish(title=f"Kascommissie {i}", themes=["geld", "conflicten"])
        services.attachment_add(
            article=article, name=f"{i}.pdf", data=b"%PDF-1.4\n" + str(i).encode() + b"\n%%EOF",
            user=users["support"],
        )  # fmt: skip
        post = ask(title=f"Kascommissie vraag {i}", anonymous=i % 2 == 0)
        services.reply_create(post=post, author=users["support"], body=f"Antwoord {i}")
    return article, post


PAGES = [
    ("treasurer", "/kennis/"),
    ("treasurer", "/kennis/zoeken/?q=kascommissie"),
    ("treasurer", "/kennis/zoeken/?q=kascomissie"),
    ("treasurer", "/kennis/zoeken/?deel=artikelen"),
    ("treasurer", "/kennis/thema/geld/"),
    ("treasurer", "/kennis/uitwisseling/"),
    ("treasurer", "/kennis/artikelen/{article}/"),
    ("treasurer", "/kennis/uitwisseling/{post}/"),
    ("coordinator", "/kennis/artikelen/{article}/"),
    ("coordinator", "/kennis/artikelen/{article}/versies/"),
    ("coordinator", "/kennis/redactie/"),
    ("coordinator", "/kennis/moderatie/"),
    ("coordinator", "/kennis/uitwisseling/{post}/"),
]


@pytest.mark.parametrize("who, url", PAGES)
def test_query_counts_stay_flat_with_more_rows(publish, ask, users, client_as, who, url):
    client = client_as(who)

    def count():
        article, post = last
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url.format(article=article.pk, post=post.pk))
        assert response.status_code == 200
        return real_queries(ctx)

    last = _fill(publish, ask, users, 2)
    few = count()
    last = _fill(publish, ask, users, 6)
    for _n in range(4):
        services.report_create(reporter=users["other"], reason="Let op", post=last[1])
    assert count() <= few
