"""Demo content for the learning space: about twenty articles across the themes, a few
questions with answers (one anonymous), and a municipal official to read with.

Idempotent: articles and posts are looked up by title, and made through the services (so
every article is approved by a second person). Called from backoffice.demo.load().
"""

from django.db import transaction

from tenants.models import User

from . import services
from .demo_content import ARTICLES, POSTS
from .models import Article, ArticleRevision, Post

OFFICIAL = ("marieke", "Marieke", "de Vries")


def _official(password: str) -> User:
    username, first, last = OFFICIAL
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.buurtkas.nl",
            "org_role": User.OrgRole.OFFICIAL,
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def load(people: dict[str, User], groups: list, *, password: str) -> None:
    people = {**people, OFFICIAL[0]: _official(password)}
    writer, approver = people["jeroen"], people["saskia"]
    for index, (title, kind, visibility, themes, actie, keywords, summary, body) in enumerate(
        ARTICLES
    ):
        if ArticleRevision.objects.filter(title=title).exists():
            continue
        # the coordinator writes a few, the support worker approves those
        author, second = (approver, writer) if index % 4 == 3 else (writer, approver)
        article = services.article_create(
            author=author, kind=kind, visibility=visibility, title=title, summary=summary,
            body=body, themes=themes, actie=actie, keywords=keywords,
        )  # fmt: skip
        services.article_submit(article=article, user=author)
        services.article_approve(article=article, approver=second)
    by_slug = {group.slug: group for group in groups}
    for title, kind, themes, author, group, anonymous, body, replies, solved in POSTS:
        if Post.objects.filter(title=title).exists():
            continue
        post = services.post_create(
            author=people[author], kind=kind, title=title, body=body, themes=themes,
            group_id=by_slug[group].pk if group else None, anonymous=anonymous,
        )  # fmt: skip
        reply = None
        for reply_author, reply_group, reply_anonymous, reply_body in replies:
            reply = services.reply_create(
                post=post, author=people[reply_author], body=reply_body,
                group_id=by_slug[reply_group].pk if reply_group else None,
                anonymous=reply_anonymous,
            )  # fmt: skip
        if solved and reply is not None:
            services.post_mark_solved(post=post, reply=reply, user=people[author])


def logins() -> list[tuple[str, str]]:
    return [(OFFICIAL[0], "ambtenaar van het stadsdeel: leest mee in de leeromgeving")]


def published_count() -> int:
    return Article.objects.filter(live_revision__isnull=False).count()
