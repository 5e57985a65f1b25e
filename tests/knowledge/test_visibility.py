"""Who sees what: support organisation only / all groups / also officials; drafts never."""

import pytest
from django.test import Client

from knowledge import services
from knowledge.selectors import search
from tenants.models import User
from tests.knowledge.conftest import article_content

SECRET = "Signaleringsoverleg"


@pytest.fixture
def three_audiences(publish):
    return {
        "ondersteuning": publish(
            title=f"{SECRET} met het stadsdeel",
            summary="Intern: hoe wij signalen over groepen bespreken.",
            body="Geheime afspraken over het signaleringsoverleg en de kascommissie.",
            visibility="ondersteuning",
        ),
        "groepen": publish(
            title="Kascommissie voor groepen",
            body="Hoe een kascommissie werkt.",
            visibility="groepen",
        ),
        "ambtenaren": publish(
            title="Kascommissie: wat ambtenaren willen weten",
            body="De kascommissie en de verantwoording.",
            visibility="ambtenaren",
        ),
    }


WHO_SEES = {
    "support": {"ondersteuning", "groepen", "ambtenaren"},
    "coordinator": {"ondersteuning", "groepen", "ambtenaren"},
    "treasurer": {"groepen", "ambtenaren"},
    "other": {"groepen", "ambtenaren"},
    "official": {"ambtenaren"},
}


@pytest.mark.parametrize("who", list(WHO_SEES))
def test_article_pages_open_only_for_their_audience(three_audiences, client_for, who):
    client = client_for(who)
    for level, article in three_audiences.items():
        response = client.get(f"/kennis/artikelen/{article.pk}/")
        expected = 200 if level in WHO_SEES[who] else 404
        assert response.status_code == expected, (who, level)
        if expected == 404:
            assert article.title not in response.content.decode()


@pytest.mark.parametrize("who", list(WHO_SEES))
def test_search_results_and_snippets_respect_the_audience(three_audiences, client_for, who):
    body = client_for(who).get("/kennis/zoeken/", {"q": "kascommissie"}).content.decode()
    for level, article in three_audiences.items():
        assert (article.title in body) == (level in WHO_SEES[who]), (who, level)
    if who not in {"support", "coordinator"}:
        assert SECRET not in body
        assert "Geheime afspraken" not in body
        assert "Intern: hoe wij" not in body


@pytest.mark.parametrize("who", ["treasurer", "official"])
def test_support_only_article_is_not_in_lists_themes_or_counts(three_audiences, client_for, who):
    client = client_for(who)
    for url in ("/kennis/", "/kennis/thema/geld/", "/kennis/zoeken/?deel=artikelen"):
        body = client.get(url).content.decode()
        assert SECRET not in body, url


def test_outsider_and_anonymous_get_nothing(three_audiences, client_as):
    outsider = client_as("outsider")
    assert outsider.get("/kennis/").status_code == 403
    assert outsider.get("/kennis/zoeken/", {"q": "kascommissie"}).status_code == 403
    article = three_audiences["ambtenaren"]
    assert outsider.get(f"/kennis/artikelen/{article.pk}/").status_code == 403
    anonymous = Client().get(f"/kennis/artikelen/{article.pk}/")
    assert anonymous.status_code == 302 and "/account/login/" in anonymous["Location"]


def test_official_does_not_enter_the_exchange(client_for, ask):
    post = ask()
    client = client_for("official")
    assert client.get("/kennis/uitwisseling/").status_code == 403
    assert client.get(f"/kennis/uitwisseling/{post.pk}/").status_code == 403
    assert client.get("/kennis/zoeken/", {"q": "kascommissie"}).status_code == 200
    assert post.title not in client.get("/kennis/zoeken/", {"q": "kascommissie"}).content.decode()


def test_a_draft_is_never_findable(users, viewer, client_as):
    draft = services.article_create(
        author=users["support"], **article_content(title="Conceptstuk over kascommissies")
    )
    for who in ("treasurer", "support", "coordinator"):
        assert search(viewer=viewer(who), query="kascommissie").total == 0, who
        assert search(viewer=viewer(who), query="").articles.total == 0, who
    assert client_as("treasurer").get(f"/kennis/artikelen/{draft.pk}/").status_code == 404
    # support staff may open it to review it, marked as not published
    staff_page = client_as("coordinator").get(f"/kennis/artikelen/{draft.pk}/").content.decode()
    assert "nog niet gepubliceerd" in staff_page


def test_the_new_version_of_a_published_article_stays_unfindable_until_approved(
    publish, users, viewer, client_as
):
    article = publish(title="Jaarvergadering", body="Nodig iedereen uit.")
    services.article_revise(
        article=article,
        editor=users["support"],
        **article_content(title="Jaarvergadering", body="Nieuw: de wijkraadpleging."),
    )
    member = viewer("member")
    assert search(viewer=member, query="wijkraadpleging").total == 0
    assert search(viewer=viewer("support"), query="wijkraadpleging").total == 0
    page = client_as("member").get(f"/kennis/artikelen/{article.pk}/").content.decode()
    assert "Nodig iedereen uit." in page and "wijkraadpleging" not in page


def test_inactive_group_does_not_make_a_member(users, group_a, viewer, publish):
    publish(title="Kascommissie")
    group_a.is_active = False
    group_a.save()
    try:
        assert viewer("treasurer").levels == ()
    finally:
        group_a.is_active = True
        group_a.save()


def test_official_role_gives_no_group_access(official, group_a):
    client = Client()
    client.force_login(official)
    assert client.get(f"/g/{group_a.slug}/").status_code == 404
    assert official.is_official and not official.is_support_staff
    home = client.get("/")
    assert home.status_code == 302 and home["Location"] == "/kennis/"


def test_visibility_level_change_goes_through_approval(publish, users, client_for):
    article = publish(title="Voor groepen", visibility="groepen")
    services.article_revise(
        article=article,
        editor=users["support"],
        **article_content(title="Voor groepen", visibility="ambtenaren"),
    )
    assert client_for("official").get(f"/kennis/artikelen/{article.pk}/").status_code == 404
    services.article_submit(article=article, user=users["support"])
    services.article_approve(article=article, approver=users["coordinator"])
    assert client_for("official").get(f"/kennis/artikelen/{article.pk}/").status_code == 200


def test_user_model_has_the_official_role():
    assert User.OrgRole.OFFICIAL == "ambtenaar"
