"""Learning space at scale: search over 10,000 articles and 50,000 exchange posts.

    python benchmarks/knowledge_search.py [--articles 10000] [--posts 50000] [--keep]

Prints, in a database of its own (bench_knowledge, dropped afterwards unless --keep), the
server time (median of 11 through Django's test client: middleware, view, template) and the
query count of:
- the search page (ranked, with highlighted snippets, both sections) for a rare, a common
  and a very common word, a phrase, a filtered search, and a typo (the rapidfuzz path);
- an article page.
Targets (issue 10): search ≤ 100 ms; article page ≤ 50 ms.
"""

import argparse
import random
import time

from _setup import drop_database, median, use_database

DB = "bench_knowledge"
THEMES = ["organisatie", "besluiten", "geld", "conflicten", "buurt", "samenwerken", "platforms",
          "aanvragen"]  # fmt: skip
ACTIE = ["animo", "contacten", "toerusting", "inbedding", "empathie"]
# Words of the domain, from common to rare (a Zipf-like draw makes the first ones frequent).
DOMAIN = """buurt bewoners groep geld bestuur vergadering besluit plan activiteit budget
buurthuis penningmeester voorzitter secretaris leden vrijwilligers stadsdeel gemeente
begroting verantwoording subsidie aanvraag initiatief kascommissie kascontrole bonnetje
declaratie bankafschrift kasboek jaarrekening reglement quorum stemming meerderheid notulen
conflict ruzie bemiddeling protocol woningcorporatie bewonerscommissie platform netwerk
wijkraadpleging vouchers waardecheque buurtdag zwerfvuil speeltuin moestuin binnentuin
verlichting portiek veiligheid ontmoeting koffieochtend taalcafé huiswerkklas sportdag
ouderen jongeren kinderen buren straat plein markt school flyer nieuwsbrief offerte factuur
betaling overboeking saldo tekort overschot reservering huur materiaal verzekering vergunning
evenement tent geluid catering vervoer onderhoud schoonmaak afspraak contract partner
wijkbeheerder ambtenaar coördinator ondersteuner coach training workshop cursus evaluatie
rapportage fotoverslag enquête signalen animo contacten toerusting inbedding empathie""".split()
FILLER = """de het een en van in op met voor door bij over als ook dat die wij jullie hun
niet wel maar nog al zo dan om te kan moet willen hebben zijn was werd wordt heel goed
samen eerst daarna vaak soms altijd elk ieder""".split()


def sentence(rng, words: int) -> str:
    out = []
    for _ in range(words):
        if rng.random() < 0.45:
            out.append(rng.choice(FILLER))
        else:
            index = min(int(rng.paretovariate(1.1)) - 1, len(DOMAIN) - 1)
            out.append(DOMAIN[index])
    return " ".join(out).capitalize() + "."


def text(rng, sentences: int, words: int = 14) -> str:
    return " ".join(sentence(rng, rng.randint(words - 4, words + 4)) for _ in range(sentences))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the pages of a database kept with --keep"
    )
    args = parser.parse_args()
    use_database(DB, fresh=not args.reuse)
    try:
        run(args)
    finally:
        if not args.keep:
            drop_database(DB)


def run(args):
    if args.reuse:
        from tenants.models import User

        return measure_all(User.objects.get(username="bench-treasurer"))
    fill(args)
    from tenants.models import User

    measure_all(User.objects.get(username="bench-treasurer"))


def fill(args):
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from knowledge.models import Article, ArticleRevision, Post
    from knowledge.rendering import html_to_text, render_markdown
    from tenants.models import Membership, User
    from tenants.services import group_create

    call_command("migrate_schemas", interactive=False, verbosity=0)
    groups = [
        group_create(name=f"Bewonersgroep {n}", slug=f"bench-groep-{n}", district="zuidoost")
        for n in range(3)
    ]
    treasurer = User.objects.create_user(username="bench-treasurer", password="x" * 12)
    Membership.objects.create(user=treasurer, group=groups[0], role="penningmeester")
    support = User.objects.create_user(
        username="bench-support", password="x" * 12, org_role="ondersteuner"
    )
    rng = random.Random(10)
    now = timezone.now()

    start = time.perf_counter()
    articles = []
    for _i in range(args.articles):
        body = "\n\n".join(text(rng, 4) for _ in range(4))
        body_html = render_markdown(body)
        articles.append(
            Article(
                status="gepubliceerd",
                author=support,
                kind=rng.choice(["les", "handleiding", "sjabloon"]),
                visibility=rng.choice(["ondersteuning", "groepen", "groepen", "ambtenaren"]),
                title=sentence(rng, rng.randint(4, 8))[:-1],
                summary=text(rng, 2),
                body_html=body_html,
                body_text=html_to_text(body_html),
                themes=rng.sample(THEMES, rng.randint(1, 3)),
                actie=rng.sample(ACTIE, rng.randint(0, 2)),
                published_at=now,
                updated_at=now,
            )
        )
    Article.objects.bulk_create(articles, batch_size=1000)
    ArticleRevision.objects.bulk_create(
        [
            ArticleRevision(
                article=a,
                number=1,
                kind=a.kind,
                visibility=a.visibility,
                title=a.title,
                summary=a.summary,
                body=a.body_text,
                themes=a.themes,
                actie=a.actie,
                author=support,
            )  # fmt: skip
            for a in articles
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE knowledge_article a SET live_revision_id = r.id, latest_revision_id = r.id "
            "FROM knowledge_articlerevision r WHERE r.article_id = a.id"
        )
    print(f"{args.articles} articles written in {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    batch = []
    for i in range(args.posts):
        body = text(rng, 3)
        group = groups[i % 3]
        batch.append(
            Post(
                kind=rng.choice(["vraag", "vraag", "ervaring"]),
                title=sentence(rng, rng.randint(4, 9))[:-1] + "?",
                body=body,
                body_html=f"<p>{body}</p>",
                body_text=body,
                themes=rng.sample(THEMES, rng.randint(1, 2)),
                actie=rng.sample(ACTIE, rng.randint(0, 1)),
                author=treasurer,
                group=group,
                anonymous=rng.random() < 0.1,
                replies_text=text(rng, rng.randint(0, 5)),
                reply_count=rng.randint(0, 5),
            )
        )
        if len(batch) == 5000:
            Post.objects.bulk_create(batch)
            batch = []
    Post.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE knowledge_article; ANALYZE knowledge_post")
    print(f"{args.posts} posts written in {time.perf_counter() - start:.1f} s")
    solve_some(rng, treasurer)


def measure_all(treasurer):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from knowledge.models import Article

    client = Client(HTTP_HOST="localhost")
    client.force_login(treasurer)

    with connection.cursor() as cursor:
        for word in ("kascommissie", "buurt", "verzekering"):
            cursor.execute(
                "SELECT (SELECT count(*) FROM knowledge_article "
                "        WHERE search_vector @@ public.knowledge_query(%s)),"
                "       (SELECT count(*) FROM knowledge_post "
                "        WHERE search_vector @@ public.knowledge_query(%s))",
                [word, word],
            )
            a, p = cursor.fetchone()
            print(f"  '{word}' matches {a} articles and {p} posts")

    def measure(label, url, target):
        assert client.get(url).status_code == 200, url
        times = []
        for _ in range(11):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - start)
            assert response.status_code == 200, url
        queries = sum(1 for q in ctx.captured_queries if not q["sql"].startswith("SET "))
        ms = median(times) * 1000
        flag = "ok" if ms <= target else f"OVER {target} ms"
        print(f"  {label:52} {ms:7.1f} ms  {queries:3d} queries  {flag}")
        return response

    print("\nsearch page (ranked, with snippets, articles and exchange)")
    measure("rare word: verzekering", "/kennis/zoeken/?q=verzekering", 100)
    measure("domain word: kascommissie", "/kennis/zoeken/?q=kascommissie", 100)
    measure("plural: kascommissies", "/kennis/zoeken/?q=kascommissies", 100)
    measure("very common word: buurt", "/kennis/zoeken/?q=buurt", 100)
    measure("two words: begroting subsidie", "/kennis/zoeken/?q=begroting+subsidie", 100)
    measure('phrase: "buurthuis huur"', "/kennis/zoeken/?q=%22buurthuis+huur%22", 100)
    measure("filtered: kascommissie, theme geld, solved", "/kennis/zoeken/?q=kascommissie"
            "&thema=geld&opgelost=on", 100)  # fmt: skip
    measure("page 5 of kascommissie articles", "/kennis/zoeken/?q=kascommissie&deel=artikelen"
            "&pagina=5", 100)  # fmt: skip
    measure("typo: kascomissie (rapidfuzz, cache warm)", "/kennis/zoeken/?q=kascomissie", 100)
    from knowledge import selectors

    selectors._vocabulary.clear()
    start = time.perf_counter()
    client.get("/kennis/zoeken/?q=kascomissie")
    print(f"  typo, first time (builds the title-word cache)       "
          f"{(time.perf_counter() - start) * 1000:7.1f} ms")  # fmt: skip

    print("\narticle page")
    article = Article.objects.filter(visibility="groepen").order_by("id").first()
    response = measure("article page", f"/kennis/artikelen/{article.pk}/", 50)
    print(f"  (body {len(article.body_text)} characters, page {len(response.content)} bytes)")


def solve_some(rng, user):
    """Give a sample of questions a reply and mark a third of those solved (bulk, no history)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO knowledge_reply (post_id, body, body_html, body_text, author_id, "
            "anonymous, hidden, moderation_reason, created_at) "
            "SELECT id, 'Antwoord', '<p>Antwoord</p>', 'Antwoord', %s, false, false, '', now() "
            "FROM knowledge_post WHERE kind = 'vraag' AND id %% 3 = 0",
            [user.pk],
        )
        cursor.execute(
            "UPDATE knowledge_post p SET solved_reply_id = r.id FROM knowledge_reply r "
            "WHERE r.post_id = p.id"
        )
        cursor.execute("ANALYZE knowledge_post; ANALYZE knowledge_reply")


if __name__ == "__main__":
    main()
