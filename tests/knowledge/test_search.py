"""Dutch full-text search: stemming, accents, weights, snippets, filters, typo tolerance."""

import re

import pytest
from django.db import connection

from knowledge import selectors, services
from knowledge.selectors import Filters, search
from knowledge.sql import SEARCH_SQL


def titles(section) -> list[str]:
    return [hit.title for hit in section.hits] if section else []


def test_plural_finds_singular_and_back(publish, viewer):
    publish(title="Een kascommissie samenstellen", body="Twee leden controleren de boeken.")
    publish(title="Wat doen kascommissies?", body="Zij kijken naar het kasboek.", themes=["geld"])
    member = viewer("member")
    for query in ("kascommissies", "kascommissie", "Kascommissies"):
        found = titles(search(viewer=member, query=query).articles)
        assert sorted(found) == ["Een kascommissie samenstellen", "Wat doen kascommissies?"], query


def test_accents_are_ignored_both_ways(publish, viewer):
    publish(title="Financiën op orde", body="Een overzicht van de financiën van de groep.")
    publish(title="Buurtcafé in het buurthuis", body="Een café voor en door bewoners.")
    member = viewer("member")
    assert titles(search(viewer=member, query="financien").articles) == ["Financiën op orde"]
    assert titles(search(viewer=member, query="financiën").articles) == ["Financiën op orde"]
    assert titles(search(viewer=member, query="buurtcafe").articles) == [
        "Buurtcafé in het buurthuis"
    ]


def test_other_dutch_plurals_the_stemmer_leaves_alone(publish, viewer):
    publish(title="Bonnetjes bewaren", body="Foto's van elk bonnetje, en ideeën voor mappen.")
    member = viewer("member")
    for query in ("bonnetje", "foto", "idee"):
        assert titles(search(viewer=member, query=query).articles) == ["Bonnetjes bewaren"], query


def test_title_weighs_more_than_summary_more_than_body(publish, viewer):
    publish(title="Over de begroting", summary="Algemeen.", body="Niets bijzonders.")
    publish(title="Algemeen stuk", summary="Iets over de begroting.", body="Niets.")
    publish(title="Nog een stuk", summary="Algemeen.", body="Hier staat begroting in.")
    found = titles(search(viewer=viewer("member"), query="begroting").articles)
    assert found == ["Over de begroting", "Algemeen stuk", "Nog een stuk"]


def test_snippet_marks_the_words_found_in_their_original_form(publish, viewer):
    publish(
        title="Kascontrole",
        summary="Kort.",
        body="Bij ons controleren twee kascommissies samen de financiën, elk jaar in maart.",
    )
    hit = search(viewer=viewer("member"), query="kascommissie financien").articles.hits[0]
    assert "<mark>kascommissies</mark>" in hit.snippet
    assert "<mark>financiën</mark>" in hit.snippet


def test_websearch_syntax_phrase_or_and_not(publish, viewer):
    publish(title="Vaste lasten", body="De vaste lasten van het buurthuis.")
    publish(title="Lasten en baten", body="Lasten die vast staan en baten.")
    publish(title="Huur", body="De huur van de zaal.")
    member = viewer("member")
    assert titles(search(viewer=member, query='"vaste lasten"').articles) == ["Vaste lasten"]
    assert sorted(titles(search(viewer=member, query="huur or baten").articles)) == [
        "Huur",
        "Lasten en baten",
    ]
    assert titles(search(viewer=member, query="lasten -baten").articles) == ["Vaste lasten"]


@pytest.mark.parametrize("query", ["de het een", "\x00kas\x00", "'\"", "-", "&|!():*"])
def test_odd_queries_do_not_fail(publish, viewer, query):
    publish(title="Kascontrole")
    result = search(viewer=viewer("member"), query=query)
    assert result.total in {0, 1}


def test_filters_by_theme_actie_and_kind(publish, viewer):
    publish(title="Conflict over geld", themes=["conflicten", "geld"], actie=["empathie"])
    publish(title="Geld tellen", themes=["geld"], actie=["toerusting"], kind="handleiding")
    member = viewer("member")
    assert titles(
        search(viewer=member, query="geld", filters=Filters(theme="conflicten")).articles
    ) == ["Conflict over geld"]
    assert titles(
        search(viewer=member, query="geld", filters=Filters(actie="toerusting")).articles
    ) == ["Geld tellen"]
    assert titles(
        search(viewer=member, query="geld", filters=Filters(kind="handleiding")).articles
    ) == ["Geld tellen"]
    assert search(viewer=member, query="geld", filters=Filters(kind="vraag")).articles is None


def test_solved_questions_rank_first_and_filter(ask, users, viewer):
    first = ask(title="Kascommissie kascommissie kascommissie vinden")
    second = ask(title="Iemand voor de kascommissie?")
    reply = services.reply_create(post=second, author=users["support"], body="Vraag de buren.")
    services.post_mark_solved(post=second, reply=reply, user=users["treasurer"])
    result = search(viewer=viewer("other"), query="kascommissie")
    assert [hit.id for hit in result.posts.hits] == [second.pk, first.pk]
    assert result.posts.hits[0].solved
    only_solved = search(viewer=viewer("other"), query="kascommissie", filters=Filters(solved=True))
    assert [hit.id for hit in only_solved.posts.hits] == [second.pk]
    assert only_solved.articles is None


def test_answers_make_a_question_findable(ask, users, viewer):
    post = ask(title="Wie helpt ons?", body="We weten het niet.")
    services.reply_create(
        post=post, author=users["support"], body="Probeer een barbecue op het plein."
    )
    result = search(viewer=viewer("other"), query="barbecue")
    assert [hit.id for hit in result.posts.hits] == [post.pk]


def test_a_typo_is_forgiven_through_title_words(publish, viewer):
    publish(title="De kascommissie voorbereiden", body="Tekst.")
    result = search(viewer=viewer("member"), query="kascomissie")
    assert result.searched_for == "kascommissie"
    assert titles(result.articles) == ["De kascommissie voorbereiden"]


def test_typo_correction_never_suggests_a_word_from_a_title_the_viewer_cannot_see(publish, viewer):
    publish(title="Vertrouwelijk: signaleringsoverleg", visibility="ondersteuning")
    result = search(viewer=viewer("member"), query="signaleringsoverleh")
    assert result.searched_for == ""
    assert result.total == 0
    staff = search(viewer=viewer("support"), query="signaleringsoverleh")
    assert staff.searched_for == "signaleringsoverleg"


def test_title_words_cache_follows_new_titles(publish, viewer):
    member = viewer("member")
    publish(title="Wijkraadpleging organiseren")
    assert "wijkraadpleging" in selectors.title_words(member)
    publish(title="Zwerfvuilactie opzetten")
    assert "zwerfvuilactie" in selectors.title_words(member)


def test_search_page_shows_ranked_results_with_snippets(publish, client_as):
    publish(title="Kascommissie: wat moet er klaarliggen?", body="De kascommissie wil bonnetjes.")
    response = client_as("treasurer").get("/kennis/zoeken/", {"q": "kascommissies"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kascommissie: wat moet er klaarliggen?" in body
    assert "<mark>kascommissie</mark>" in body


def test_too_long_query_gets_a_dutch_message(client_as):
    response = client_as("treasurer").get("/kennis/zoeken/", {"q": "x" * 1200})
    assert response.status_code == 400
    assert "Een zoekvraag heeft hoogstens 1000 tekens" in response.content.decode()


def test_installed_search_functions_equal_the_sql_file(db):
    text = SEARCH_SQL.read_text(encoding="utf-8")
    bodies = dict(
        re.findall(r"CREATE OR REPLACE FUNCTION public\.(\w+)\(.*?AS \$\$\n(.*?)\$\$;", text, re.S)
    )
    assert set(bodies) == {
        "knowledge_normalise",
        "knowledge_query",
        "knowledge_highlight_query",
        "knowledge_article_vector",
        "knowledge_post_vector",
    }
    with connection.cursor() as cursor:
        for name, body in bodies.items():
            cursor.execute(
                "SELECT prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = 'public' AND p.proname = %s",
                [name],
            )
            assert cursor.fetchone()[0].strip() == body.strip(), name
        cursor.execute(
            "SELECT count(*) FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace "
            "WHERE n.nspname = 'public' AND c.cfgname = 'knowledge_nl'"
        )
        assert cursor.fetchone()[0] == 1


def test_normalise_is_immutable_so_it_may_feed_an_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT provolatile FROM pg_proc WHERE proname = 'knowledge_normalise'")
        assert cursor.fetchone()[0] == "i"
        cursor.execute("SELECT public.knowledge_normalise('Ĳsselmeer Façade ÉÉN Straße')")
        assert cursor.fetchone()[0] == "ijsselmeer facade een strasse"


def test_results_are_paged_per_section(publish, client_as):
    for n in range(12):
        publish(title=f"Kascommissie {n}")
    client = client_as("treasurer")
    first = client.get("/kennis/zoeken/", {"q": "kascommissie"}).content.decode()
    assert "12 artikelen" in first and "Pagina 1 van 2" in first
    assert "deel=artikelen&amp;pagina=2" in first
    second = client.get(
        "/kennis/zoeken/", {"q": "kascommissie", "deel": "artikelen", "pagina": 2}
    ).content.decode()
    assert second.count('<li class="hit">') == 2 and "Pagina 2 van 2" in second


def test_live_search_answers_htmx_with_the_results_only(publish, client_as):
    publish(title="Kascommissie")
    response = client_as("treasurer").get(
        "/kennis/zoeken/", {"q": "kascommissie"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body
    assert "Kascommissie" in body


def test_theme_page_pages_through_its_articles(publish, client_as):
    for n in range(11):
        publish(title=f"Geldles {n}", themes=["geld"])
    client = client_as("treasurer")
    page_two = client.get("/kennis/thema/geld/", {"deel": "artikelen", "pagina": 2})
    assert page_two.content.decode().count('<li class="hit">') == 1
    assert client.get("/kennis/thema/geld/", {"pagina": "x"}).status_code == 200


def test_a_word_in_more_texts_than_the_pool_is_ranked_among_the_newest(
    publish, viewer, monkeypatch
):
    monkeypatch.setattr(selectors, "POOL", 3)
    oldest = publish(title="Kascommissie kascommissie", body="kascommissie kascommissie")
    for n in range(4):
        publish(title=f"Stuk {n}", body="Iets over de kascommissie.")
    result = search(viewer=viewer("member"), query="kascommissie")
    assert result.articles.more and result.articles.total == 3
    assert oldest.title not in titles(result.articles)
    two = search(viewer=viewer("member"), query="kascommissie", filters=Filters(theme="geld"))
    assert len(two.articles.hits) == 3
