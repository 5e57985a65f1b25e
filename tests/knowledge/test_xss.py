"""Script never reaches a reader: every rendered field of the learning space gets a list of
XSS payloads, and the HTML of every page that shows them is checked element by element."""

import html
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError

from knowledge import services
from knowledge.rendering import render_markdown
from tests.knowledge.conftest import article_content

# Written for this test from the classes of attack the OWASP XSS cheat sheet describes.
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    "[klik](  javascript:alert(1))",
    "[klik](&#106;avascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[klik](vbscript:msgbox(1))",
    "![plaatje](javascript:alert(1))",
    '<a href="javascript:alert(1)">klik</a>',
    '<p style="background:url(javascript:alert(1))">tekst</p>',
    '<div onclick="alert(1)" onmouseover="alert(2)">tekst</div>',
    "<style>body{display:none}</style>",
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">x</button></form>',
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    '[x](https://ok.example/" onmouseover="alert(1))',
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
]
WORD = "kascommissie"
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background"}
NEVER = {"iframe", "object", "embed", "style", "base", "svg", "math", "frame", "frameset"}


class _Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in NEVER:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src") or ""
            if not src.startswith("/static/"):
                self.problems.append("inline <script>")
        if tag == "meta" and dict(attrs).get("http-equiv"):
            self.problems.append("<meta http-equiv>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag}[{name}]")
            if name == "style":
                self.problems.append(f"{tag}[style]")
            if name in URL_ATTRIBUTES and value:
                bare = "".join(ch for ch in html.unescape(value) if ch > " ").lower()
                if bare.startswith(BAD_SCHEMES):
                    self.problems.append(f"{tag}[{name}]={value}")


def dangerous(page: str) -> list[str]:
    checker = _Checker()
    checker.feed(page)
    return checker.problems


def test_the_checker_itself_catches_each_kind_of_attack():
    assert dangerous("<p><script>x</script></p>") == ["inline <script>"]
    assert dangerous("<img src=x onerror=alert(1)>") == ["img[onerror]"]
    assert dangerous('<a href=" JaVa&#115;cript:x">') == ["a[href]= JaVascript:x"]
    assert dangerous('<p style="x">') == ["p[style]"]
    assert dangerous('<script src="/static/htmx.js"></script>') == []


@pytest.mark.parametrize("payload", PAYLOADS)
def test_markdown_rendering_keeps_no_payload(payload):
    assert dangerous(render_markdown(payload)) == []


@pytest.fixture
def everything(publish, ask, users, group_a):
    """One article and one question with a reply, each field carrying the payload."""

    def make(payload):
        article = publish(
            title=f"{payload} {WORD}"[:200],
            summary=f"{payload} {WORD}",
            body=f"{payload}\n\n{WORD}\n\n## {payload}\n\n> {payload}\n\n- {payload}",
            themes=["geld", "conflicten"],
        )
        services.attachment_add(
            article=article,
            name=f"{payload}.pdf",
            data=b"%PDF-1.4\n" + payload.encode() + b"\n%%EOF\n",
            user=users["support"],
        )
        services.article_revise(
            article=article,
            editor=users["support"],
            note=payload,
            **article_content(title=f"{payload} v2"[:200], body=f"{payload} {payload}"),
        )
        post = ask(title=f"{payload} {WORD}"[:200], body=f"{payload}\n\n{WORD}")
        reply = services.reply_create(post=post, author=users["support"], body=f"{payload} {WORD}")
        services.report_create(reporter=users["other"], reason=payload, reply=reply)
        return article, post

    return make


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_in_any_page(everything, client_as, group_a, payload):
    article, post = everything(payload)
    pages = {
        "treasurer": [
            f"/kennis/artikelen/{article.pk}/",
            f"/kennis/zoeken/?q={WORD}",
            "/kennis/zoeken/",
            "/kennis/",
            "/kennis/thema/geld/",
            "/kennis/uitwisseling/",
            f"/kennis/uitwisseling/{post.pk}/",
            f"/g/{group_a.slug}/conflicten/",
        ],
        "coordinator": [
            f"/kennis/artikelen/{article.pk}/",
            f"/kennis/artikelen/{article.pk}/versies/?van=1&naar=2",
            "/kennis/redactie/",
            "/kennis/moderatie/",
            f"/kennis/uitwisseling/{post.pk}/",
        ],
    }
    for who, urls in pages.items():
        client = client_as(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url)
            assert dangerous(response.content.decode()) == [], (who, url)


@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_payload_as_search_query_is_shown_as_text(client_as, payload):
    response = client_as("treasurer").get("/kennis/zoeken/", {"q": payload})
    assert response.status_code == 200
    assert dangerous(response.content.decode()) == []


def test_related_lessons_on_a_group_page_keep_no_payload(everything, client_as, group_a):
    everything(PAYLOADS[2])
    body = client_as("chair").get(f"/g/{group_a.slug}/conflicten/").content.decode()
    assert "Lessen van andere groepen" in body
    assert dangerous(body) == []


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_keywords_with_markup_are_refused(users, payload):
    with pytest.raises(ValidationError, match="Een trefwoord bestaat uit letters"):
        services.article_create(author=users["support"], **article_content(keywords=payload))


def test_attachment_name_is_cleaned(publish, users):
    article = publish()
    attachment = services.attachment_add(
        article=article,
        name="../../<img src=x onerror=alert(1)>.pdf",
        data=b"%PDF-1.4\nx\n%%EOF\n",
        user=users["support"],
    )
    assert "<" not in attachment.original_name and "/" not in attachment.original_name
    assert attachment.original_name.endswith(".pdf")
