"""Reads in the learning space: search, lists and pages, always for one viewer.

Pages get frozen dataclasses, never the Post or Reply models, so a template cannot reach
the group of an anonymous post by accident (`post.group.name`).
"""

import datetime
import math
import re
import threading
import unicodedata
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Max
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from rapidfuzz import fuzz, process

from .audience import ShownAuthor, Viewer, shown_author
from .models import Actie, Article, ArticleRevision, Attachment, Follow, Post, Reply, Report, Theme

PER_PAGE = 10
# A word found in more texts than this is ranked among its newest POOL matches, so a word
# that is in every text costs no more than one in 5,000 (see docs/adr/0006).
POOL = 5000
MAX_QUERY = 200
THEME_LABELS = dict(Theme.choices)
ACTIE_LABELS = dict(Actie.choices)
ARTICLE_KINDS = dict(Article.Kind.choices)
POST_KINDS = dict(Post.Kind.choices)
# ts_headline marks matches with two control characters that clean text never holds; the
# snippet is escaped first and only then are they turned into <mark>.
START, STOP = "\x02", "\x03"
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12, "
    'MaxFragments=2, FragmentDelimiter=" … "'
)


def _snippet(text: str) -> SafeString:
    """Escaped text with the search markers as <mark>; anything else stays text."""
    if text.count(START) != text.count(STOP):
        text = text.replace(START, "").replace(STOP, "")
    html = str(escape(text)).replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> is added


def _plain_snippet(text: str, words: int = 30) -> SafeString:
    return _snippet(Truncator(" ".join((text or "").split())).words(words))


def _article_url(pk: int) -> str:
    return reverse("knowledge:article", kwargs={"pk": pk})


def clean_query(raw: str | None) -> str:
    text = "".join(ch for ch in (raw or "") if ch.isprintable())
    return " ".join(text.split())[:MAX_QUERY]


# --- Results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleHit:
    id: int
    title: str
    summary: str
    kind: str
    themes: tuple[str, ...]
    snippet: SafeString
    url: str

    @property
    def kind_label(self) -> str:
        return ARTICLE_KINDS.get(self.kind, self.kind)

    @property
    def theme_labels(self) -> list[str]:
        return [THEME_LABELS.get(t, t) for t in self.themes]


@dataclass(frozen=True)
class PostHit:
    id: int
    title: str
    kind: str
    solved: bool
    reply_count: int
    author: ShownAuthor
    snippet: SafeString
    url: str
    last_activity_at: datetime.datetime
    themes: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return POST_KINDS.get(self.kind, self.kind)

    @property
    def theme_labels(self) -> list[str]:
        return [THEME_LABELS.get(t, t) for t in self.themes]


@dataclass(frozen=True)
class Section:
    hits: list
    total: int
    page: int
    more: bool = False  # more matches than POOL: ranked among the newest POOL of them

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / PER_PAGE))

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class Filters:
    theme: str = ""
    actie: str = ""
    kind: str = ""
    solved: bool = False
    part: str = ""  # "artikelen", "uitwisseling" or both

    @property
    def want_articles(self) -> bool:
        if self.solved or self.part == "uitwisseling" or self.kind in POST_KINDS:
            return False
        return True

    @property
    def want_posts(self) -> bool:
        if self.part == "artikelen" or self.kind in ARTICLE_KINDS:
            return False
        return True


@dataclass(frozen=True)
class SearchResult:
    query: str
    articles: Section | None
    posts: Section | None
    searched_for: str = ""  # the corrected query when the one typed found nothing
    filters: Filters = field(default_factory=Filters)

    @property
    def total(self) -> int:
        return (self.articles.total if self.articles else 0) + (
            self.posts.total if self.posts else 0
        )


def _filter_sql(alias: str, filters: Filters, params: dict, *, posts: bool) -> str:
    parts = []
    if filters.theme:
        parts.append(f"{alias}.themes @> ARRAY[%(theme)s]::varchar[]")
        params["theme"] = filters.theme
    if filters.actie:
        parts.append(f"{alias}.actie @> ARRAY[%(actie)s]::varchar[]")
        params["actie"] = filters.actie
    if filters.kind:
        parts.append(f"{alias}.kind = %(kind)s")
        params["kind"] = filters.kind
    if posts and filters.solved:
        parts.append(f"{alias}.solved_reply_id IS NOT NULL")
    return "".join(f" AND {p}" for p in parts)


def _search_articles(*, query: str, viewer: Viewer, filters: Filters, page: int) -> Section:
    params = {
        "q": query,
        "levels": list(viewer.levels),
        "limit": PER_PAGE,
        "offset": (page - 1) * PER_PAGE,
        "opts": HEADLINE_OPTIONS,
        "pool": POOL + 1,
        "ranked": POOL,
    }
    where = _filter_sql("a", filters, params, posts=False)
    # The query is written out (not taken from a CTE) so the planner sees it as a constant
    # and knows how common its words are: a word in every text is read newest first and
    # stops at the pool's size instead of a bitmap scan over the whole table.
    sql = f"""
        WITH pool AS MATERIALIZED (
            SELECT a.id, a.search_vector FROM knowledge_article a
            WHERE a.search_vector @@ public.knowledge_query(%(q)s)
              AND a.live_revision_id IS NOT NULL
              AND a.visibility = ANY(%(levels)s){where}
            ORDER BY a.id DESC
            LIMIT %(pool)s
        ),
        hits AS (
            SELECT id, ts_rank(search_vector, public.knowledge_query(%(q)s), 1) AS rank
            FROM (SELECT * FROM pool ORDER BY id DESC LIMIT %(ranked)s) AS newest
            ORDER BY rank DESC, id DESC
            LIMIT %(limit)s OFFSET %(offset)s
        ),
        hq AS (SELECT public.knowledge_highlight_query(%(q)s) AS query)
        SELECT a.id, a.title, a.summary, a.kind, a.themes, (SELECT count(*) FROM pool),
               ts_headline('public.knowledge_nl', a.summary || E'\\n' || a.body_text, hq.query,
                           %(opts)s)
        FROM hits JOIN knowledge_article a ON a.id = hits.id CROSS JOIN hq
        ORDER BY hits.rank DESC, a.id DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hits = [
        ArticleHit(
            id=row[0],
            title=row[1],
            summary=row[2],
            kind=row[3],
            themes=tuple(row[4]),
            snippet=_snippet(row[6]),
            url=_article_url(row[0]),
        )
        for row in rows
    ]
    return _section(hits, total=rows[0][5] if rows else 0, page=page)


def _section(hits: list, *, total: int, page: int) -> Section:
    return Section(hits=hits, total=min(total, POOL), page=page, more=total > POOL)


def _post_hits(rows: list[tuple[int, str]], viewer: Viewer) -> list[PostHit]:
    """PostHits for (id, snippet) rows, keeping their order; one query for the posts."""
    posts = Post.objects.select_related("author", "group").in_bulk([pk for pk, _s in rows])
    hits = []
    for pk, snippet in rows:
        post = posts[pk]
        hits.append(
            PostHit(
                id=post.pk,
                title=post.title,
                kind=post.kind,
                solved=post.is_solved,
                reply_count=post.reply_count,
                author=shown_author(
                    author=post.author,
                    group_id=post.group_id,
                    group_name=post.group.name if post.group else "",
                    anonymous=post.anonymous,
                    viewer=viewer,
                ),
                snippet=snippet,
                url=reverse("knowledge:post", kwargs={"pk": post.pk}),
                last_activity_at=post.last_activity_at,
                themes=tuple(post.themes),
            )
        )
    return hits


def _search_posts(*, query: str, viewer: Viewer, filters: Filters, page: int) -> Section:
    params = {
        "q": query,
        "limit": PER_PAGE,
        "offset": (page - 1) * PER_PAGE,
        "opts": HEADLINE_OPTIONS,
        "pool": POOL + 1,
        "ranked": POOL,
    }
    where = _filter_sql("p", filters, params, posts=True)
    sql = f"""
        WITH pool AS MATERIALIZED (
            SELECT p.id, p.search_vector, p.solved_reply_id FROM knowledge_post p
            WHERE p.search_vector @@ public.knowledge_query(%(q)s) AND NOT p.hidden{where}
            ORDER BY p.id DESC
            LIMIT %(pool)s
        ),
        hits AS (
            SELECT id, ts_rank(search_vector, public.knowledge_query(%(q)s), 1) AS rank,
                   (solved_reply_id IS NOT NULL) AS solved
            FROM (SELECT * FROM pool ORDER BY id DESC LIMIT %(ranked)s) AS newest
            ORDER BY solved DESC, rank DESC, id DESC
            LIMIT %(limit)s OFFSET %(offset)s
        ),
        hq AS (SELECT public.knowledge_highlight_query(%(q)s) AS query)
        SELECT p.id, (SELECT count(*) FROM pool),
               ts_headline('public.knowledge_nl', p.body_text || E'\\n' || p.replies_text,
                           hq.query, %(opts)s)
        FROM hits JOIN knowledge_post p ON p.id = hits.id CROSS JOIN hq
        ORDER BY hits.solved DESC, hits.rank DESC, p.id DESC
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return Section(hits=[], total=0, page=page)
    hits = _post_hits([(row[0], _snippet(row[2])) for row in rows], viewer)
    return _section(hits, total=rows[0][1], page=page)


def _list_articles(*, viewer: Viewer, filters: Filters, page: int) -> Section:
    qs = Article.objects.filter(live_revision__isnull=False, visibility__in=viewer.levels)
    if filters.theme:
        qs = qs.filter(themes__contains=[filters.theme])
    if filters.actie:
        qs = qs.filter(actie__contains=[filters.actie])
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    total = qs.count()
    start = (page - 1) * PER_PAGE
    rows = qs.order_by("-published_at", "-id").values_list(
        "id", "title", "summary", "kind", "themes"
    )[start : start + PER_PAGE]
    hits = [
        ArticleHit(
            id=pk,
            title=title,
            summary=summary,
            kind=kind,
            themes=tuple(themes),
            snippet=_plain_snippet(summary),
            url=_article_url(pk),
        )
        for pk, title, summary, kind, themes in rows
    ]
    return Section(hits=hits, total=total, page=page)


def _list_posts(*, viewer: Viewer, filters: Filters, page: int) -> Section:
    qs = Post.objects.filter(hidden=False)
    if filters.theme:
        qs = qs.filter(themes__contains=[filters.theme])
    if filters.actie:
        qs = qs.filter(actie__contains=[filters.actie])
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.solved:
        qs = qs.filter(solved_reply__isnull=False)
    total = qs.count()
    start = (page - 1) * PER_PAGE
    rows = list(
        qs.order_by("-last_activity_at", "-id").values_list("id", "body_text")[
            start : start + PER_PAGE
        ]
    )
    hits = _post_hits([(pk, _plain_snippet(text)) for pk, text in rows], viewer)
    return Section(hits=hits, total=total, page=page)


def search(
    *, viewer: Viewer, query: str = "", filters: Filters | None = None, page: int = 1
) -> SearchResult:
    """Ranked results with snippets, articles and exchange apart; solved questions first.

    When the words typed find nothing, a title word close to each word (rapidfuzz) is tried
    instead, and the result says what was searched for.
    """
    filters = filters or Filters()
    query = clean_query(query)
    page = max(1, min(page, 1000))
    result = _run(viewer=viewer, query=query, filters=filters, page=page)
    if query and result.total == 0 and page == 1:
        corrected = suggest(viewer=viewer, query=query)
        if corrected and corrected != query:
            second = _run(viewer=viewer, query=corrected, filters=filters, page=page)
            if second.total:
                return SearchResult(
                    query=query,
                    articles=second.articles,
                    posts=second.posts,
                    searched_for=corrected,
                    filters=filters,
                )
    return result


def _run(*, viewer: Viewer, query: str, filters: Filters, page: int) -> SearchResult:
    articles = posts = None
    if filters.want_articles and viewer.levels:
        if query:
            articles = _search_articles(query=query, viewer=viewer, filters=filters, page=page)
        else:
            articles = _list_articles(viewer=viewer, filters=filters, page=page)
    if filters.want_posts and viewer.may_exchange:
        if query:
            posts = _search_posts(query=query, viewer=viewer, filters=filters, page=page)
        else:
            posts = _list_posts(viewer=viewer, filters=filters, page=page)
    return SearchResult(query=query, articles=articles, posts=posts, filters=filters)


# --- Typo tolerance ------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]{4,}")
_vocabulary: dict[tuple, tuple[tuple, list[str]]] = {}
_vocabulary_lock = threading.Lock()


def _fold_table() -> dict[int, str]:
    """Latin letters with accents to their plain lower-case letter, as knowledge_normalise
    does in SQL; str.translate with this table folds a long text at C speed."""
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFKD", chr(code))[0]
        if base != chr(code) and base.isascii() and base.isalpha():
            table[code] = base.lower()
    spelled = {"ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ĳ": "ij", "Ĳ": "ij",
               "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ı": "i", "ħ": "h",
               "Ħ": "h", "ŧ": "t", "Ŧ": "t"}  # fmt: skip
    table.update({ord(ch): plain for ch, plain in spelled.items()})
    return table


_FOLD = _fold_table()


def fold(text: str) -> str:
    return text.translate(_FOLD).lower()


def _stamp() -> tuple:
    """Changes whenever a title a viewer could see changes: every service that publishes,
    hides or restores sets `updated_at`, and new rows raise the highest id. Two index-only
    lookups per table; rows are never deleted through the product."""
    articles = Article.objects.aggregate(n=Max("id"), at=Max("updated_at"))
    posts = Post.objects.aggregate(n=Max("id"), at=Max("updated_at"))
    return (articles["n"], articles["at"], posts["n"], posts["at"])


def title_words(viewer: Viewer) -> list[str]:
    """Distinct words of the titles this viewer may see, cached per process and audience."""
    key = (viewer.levels, viewer.may_exchange)
    stamp = _stamp()
    cached = _vocabulary.get(key)
    if cached and cached[0] == stamp:
        return cached[1]
    # The database splits and de-duplicates (60,000 titles in ~0.1 s); Python folds what is
    # left, a few thousand distinct tokens.
    sql = (
        "SELECT DISTINCT token FROM ("
        " SELECT token FROM knowledge_article, string_to_table(lower(title), ' ') AS token"
        " WHERE live_revision_id IS NOT NULL AND visibility = ANY(%s)"
    )
    if viewer.may_exchange:
        sql += (
            " UNION ALL SELECT token FROM knowledge_post,"
            " string_to_table(lower(title), ' ') AS token WHERE NOT hidden"
        )
    sql += ") AS tokens WHERE length(token) >= 4"
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(viewer.levels)])
        tokens = [row[0] for row in cursor.fetchall()]
    words = sorted({fold(word) for token in tokens for word in _WORD.findall(token)})
    with _vocabulary_lock:
        _vocabulary[key] = (stamp, words)
    return words


def suggest(*, viewer: Viewer, query: str) -> str:
    """The query with each unknown word replaced by the closest title word, or ''."""
    words = title_words(viewer)
    if not words:
        return ""
    known = set(words)
    changed = False
    out = []
    for token in query.split():
        bare = fold(token.strip("\"'-+"))
        if len(bare) >= 4 and bare.isalpha() and bare not in known:
            match = process.extractOne(bare, words, scorer=fuzz.ratio, score_cutoff=75)
            if match:
                out.append(match[0])
                changed = True
                continue
        out.append(token)
    return " ".join(out) if changed else ""


# --- Pages ---------------------------------------------------------------------------------


def article_for_reader(*, pk: int, viewer: Viewer) -> Article | None:
    """A published article this viewer may read, with its attachments, or None."""
    return (
        Article.objects.filter(pk=pk, live_revision__isnull=False, visibility__in=viewer.levels)
        .select_related("author", "live_revision")
        .prefetch_related("attachments")
        .first()
    )


def article_for_editor(*, pk: int, viewer: Viewer) -> Article | None:
    if not viewer.may_write_articles:
        return None
    return (
        Article.objects.filter(pk=pk)
        .select_related("author", "latest_revision", "latest_revision__author", "live_revision")
        .prefetch_related("attachments")
        .first()
    )


def revisions(*, article: Article) -> list[ArticleRevision]:
    return list(article.revisions.select_related("author").order_by("-number"))


def articles_for_staff(*, viewer: Viewer) -> dict[str, list[Article]]:
    """Drafts and articles waiting for approval, and published ones due for review."""
    if not viewer.may_write_articles:
        return {}
    base = Article.objects.select_related("latest_revision", "author", "submitted_by")
    return {
        "review": list(base.filter(status=Article.Status.REVIEW).order_by("id")),
        "drafts": list(base.filter(status=Article.Status.DRAFT).order_by("-id")[:50]),
    }


def articles_due(*, today: datetime.date, limit: int = 50) -> list[Article]:
    return list(
        Article.objects.filter(live_revision__isnull=False, review_on__lte=today)
        .select_related("author")
        .order_by("review_on")[:limit]
    )


@dataclass(frozen=True)
class ReplyView:
    id: int
    author: ShownAuthor
    body_html: SafeString
    created_at: datetime.datetime
    hidden: bool
    moderation_reason: str
    is_solution: bool


@dataclass(frozen=True)
class PostView:
    id: int
    kind: str
    title: str
    body_html: SafeString
    author: ShownAuthor
    themes: tuple[str, ...]
    actie: tuple[str, ...]
    created_at: datetime.datetime
    solved: bool
    hidden: bool
    moderation_reason: str
    replies: list[ReplyView]
    may_mark_solved: bool
    following: bool

    @property
    def kind_label(self) -> str:
        return POST_KINDS.get(self.kind, self.kind)

    @property
    def theme_labels(self) -> list[str]:
        return [THEME_LABELS.get(t, t) for t in self.themes]

    @property
    def actie_labels(self) -> list[str]:
        return [ACTIE_LABELS.get(t, t) for t in self.actie]

    @property
    def is_question(self) -> bool:
        return self.kind == Post.Kind.QUESTION


def post_get(*, pk: int, viewer: Viewer) -> Post | None:
    """The post model for a service call; hidden posts only for moderators."""
    if not viewer.may_exchange:
        return None
    qs = Post.objects.filter(pk=pk)
    if not viewer.is_moderator:
        qs = qs.filter(hidden=False)
    return qs.first()


def post_view(*, pk: int, viewer: Viewer) -> PostView | None:
    post = (
        Post.objects.filter(pk=pk).select_related("author", "group").first()
        if viewer.may_exchange
        else None
    )
    if post is None or (post.hidden and not viewer.is_moderator):
        return None
    replies = post.replies.select_related("author", "group").order_by("created_at", "id")
    if not viewer.is_moderator:
        replies = replies.filter(hidden=False)
    following = Follow.objects.filter(user_id=viewer.user_id, post=post).exists()
    return PostView(
        id=post.pk,
        kind=post.kind,
        title=post.title,
        body_html=mark_safe(post.body_html),  # noqa: S308 - sanitised by nh3 on write
        author=_author(post, viewer),
        themes=tuple(post.themes),
        actie=tuple(post.actie),
        created_at=post.created_at,
        solved=post.is_solved,
        hidden=post.hidden,
        moderation_reason=post.moderation_reason if viewer.is_moderator else "",
        replies=[
            ReplyView(
                id=reply.pk,
                author=_author(reply, viewer),
                body_html=mark_safe(reply.body_html),  # noqa: S308 - sanitised by nh3 on write
                created_at=reply.created_at,
                hidden=reply.hidden,
                moderation_reason=reply.moderation_reason if viewer.is_moderator else "",
                is_solution=reply.pk == post.solved_reply_id,
            )
            for reply in replies
        ],
        may_mark_solved=post.kind == Post.Kind.QUESTION
        and (viewer.user_id == post.author_id or viewer.is_moderator),
        following=following,
    )


def _author(item: Post | Reply, viewer: Viewer) -> ShownAuthor:
    return shown_author(
        author=item.author,
        group_id=item.group_id,
        group_name=item.group.name if item.group else "",
        anonymous=item.anonymous,
        viewer=viewer,
    )


def reply_get(*, pk: int, viewer: Viewer) -> Reply | None:
    if not viewer.may_exchange:
        return None
    qs = Reply.objects.filter(pk=pk).select_related("post")
    if not viewer.is_moderator:
        qs = qs.filter(hidden=False, post__hidden=False)
    return qs.first()


def followed_themes(*, user_id: int) -> set[str]:
    return set(
        Follow.objects.filter(user_id=user_id).exclude(theme="").values_list("theme", flat=True)
    )


@dataclass(frozen=True)
class ModerationItem:
    report_id: int
    reason: str
    created_at: datetime.datetime
    kind: str  # as in the URL: "bericht" or "reactie"
    target_id: int
    post_id: int
    title: str
    excerpt: str
    hidden: bool


def moderation_queue(*, limit: int = 100) -> list[ModerationItem]:
    reports = (
        Report.objects.filter(outcome="")
        .select_related("post", "reply", "reply__post")
        .order_by("created_at")[:limit]
    )
    items = []
    for report in reports:
        target = report.post or report.reply
        post = report.post or report.reply.post
        items.append(
            ModerationItem(
                report_id=report.pk,
                reason=report.reason,
                created_at=report.created_at,
                kind="bericht" if report.post_id else "reactie",
                target_id=target.pk,
                post_id=post.pk,
                title=post.title,
                excerpt=Truncator(target.body_text).words(40),
                hidden=target.hidden,
            )
        )
    return items


def home_counts(*, viewer: Viewer) -> dict[str, int]:
    """How many published articles this viewer may read there are per theme."""
    counts = {t: 0 for t in THEME_LABELS}
    if not viewer.levels:
        return counts
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT theme, count(*) FROM knowledge_article, unnest(themes) AS theme "
            "WHERE live_revision_id IS NOT NULL AND visibility = ANY(%s) GROUP BY theme",
            [list(viewer.levels)],
        )
        counts.update(dict(cursor.fetchall()))
    return counts


def open_questions(*, viewer: Viewer, limit: int = 5) -> list[PostHit]:
    if not viewer.may_exchange:
        return []
    rows = list(
        Post.objects.filter(hidden=False, kind=Post.Kind.QUESTION, solved_reply__isnull=True)
        .order_by("-last_activity_at", "-id")
        .values_list("id", "body_text")[:limit]
    )
    return _post_hits([(pk, _plain_snippet(text, 20)) for pk, text in rows], viewer)


def attachment_for(*, pk: int, viewer: Viewer) -> Attachment | None:
    """An attachment of an article this viewer may read (staff: also of a draft)."""
    qs = Attachment.objects.filter(pk=pk).select_related("article")
    if not viewer.may_write_articles:
        qs = qs.filter(article__live_revision__isnull=False, article__visibility__in=viewer.levels)
    return qs.first()


def open_report(*, pk: int) -> Report | None:
    return Report.objects.filter(pk=pk, outcome="").first()
