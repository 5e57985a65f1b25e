"""Writes in the learning space. Every write of a person goes through here.

Errors are ValidationErrors with Dutch messages; a failing call saves nothing. Mail leaves
the process only after the transaction commits.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants import facade as tenants

from . import attachments as attachment_checks
from .audience import Viewer, shown_author, viewer_for
from .models import (
    Actie,
    Article,
    ArticleRevision,
    Attachment,
    Follow,
    Post,
    Reply,
    Report,
    Theme,
    Visibility,
)
from .rendering import check_length, clean_text, html_to_text, render_markdown

ARTICLE_BODY_LIMIT = 50_000
SUMMARY_LIMIT = 600
POST_BODY_LIMIT = 10_000
REPLY_BODY_LIMIT = 5_000
REASON_LIMIT = 500
# What a post's search document keeps of its replies.
REPLIES_TEXT_LIMIT = 200_000
REVIEW_AFTER = datetime.timedelta(days=365)
MAX_KEYWORDS = 12


def _save(obj, user) -> None:
    obj.full_clean()
    obj._history_user = user
    obj.save()


def _text(value: str, *, field: str, limit: int, required: bool = True) -> str:
    value = check_length(value or "", limit=limit, field=field).strip()
    if required and not value:
        raise ValidationError({field: _("Vul dit in.")})
    return value


def _title(value: str) -> str:
    value = " ".join(clean_text(value or "").split())
    if not value:
        raise ValidationError({"title": _("Geef een titel.")})
    if len(value) > 200:
        raise ValidationError({"title": _("Een titel heeft hoogstens 200 tekens.")})
    return value


def _choices(values, choices, *, field: str) -> list[str]:
    allowed = {str(value) for value, _label in choices}
    values = list(dict.fromkeys(str(v) for v in values or []))
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ValidationError({field: _("Onbekende keuze: %(v)s.") % {"v": ", ".join(unknown)}})
    return values


def clean_keywords(values) -> list[str]:
    """Free keywords: letters, digits, spaces and hyphens, at most 40 characters each."""
    if isinstance(values, str):
        values = values.split(",")
    words = []
    for raw in values or []:
        word = " ".join(clean_text(raw).split()).lower()
        if not word:
            continue
        if len(word) > 40 or not all(ch.isalnum() or ch in " -" for ch in word):
            raise ValidationError(
                {
                    "keywords": _(
                        "Een trefwoord bestaat uit letters, cijfers, spaties of streepjes, "
                        "hoogstens 40 tekens. Scheid trefwoorden met een komma."
                    )
                }
            )
        if word not in words:
            words.append(word)
    if len(words) > MAX_KEYWORDS:
        raise ValidationError({"keywords": _("Geef hoogstens 12 trefwoorden.")})
    return words


def _require_staff(user) -> None:
    if not getattr(user, "is_support_staff", False):
        raise PermissionDenied(_("Alleen de ondersteuningsorganisatie schrijft artikelen."))


# --- Articles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleContent:
    kind: str
    visibility: str
    title: str
    summary: str
    body: str
    themes: list[str]
    actie: list[str]
    keywords: list[str]


def _content(*, kind, visibility, title, summary, body, themes, actie, keywords) -> ArticleContent:
    errors = {}
    values = {}
    checks = {
        "title": lambda: _title(title),
        "summary": lambda: _text(summary, field="summary", limit=SUMMARY_LIMIT),
        "body": lambda: _text(body, field="body", limit=ARTICLE_BODY_LIMIT),
        "themes": lambda: _choices(themes, Theme.choices, field="themes"),
        "actie": lambda: _choices(actie, Actie.choices, field="actie"),
        "keywords": lambda: clean_keywords(keywords),
    }
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if kind not in Article.Kind.values:
        errors["kind"] = [_("Kies een soort artikel.")]
    if visibility not in Visibility.values:
        errors["visibility"] = [_("Kies voor wie het artikel is.")]
    if "themes" in values and not values["themes"]:
        errors["themes"] = [_("Kies minstens één thema.")]
    if errors:
        raise ValidationError(errors)
    return ArticleContent(kind=kind, visibility=visibility, **values)


def _revision(article: Article, content: ArticleContent, *, user, note: str) -> ArticleRevision:
    number = (article.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
    revision = ArticleRevision(
        article=article,
        number=number,
        author=user,
        note=" ".join(clean_text(note).split())[:300],
        kind=content.kind,
        visibility=content.visibility,
        title=content.title,
        summary=content.summary,
        body=content.body,
        themes=content.themes,
        actie=content.actie,
        keywords=content.keywords,
    )
    revision.full_clean(exclude=["article"])
    revision.save()
    return revision


@transaction.atomic
def article_create(
    *,
    author,
    kind: str,
    visibility: str,
    title: str,
    summary: str,
    body: str,
    themes: list[str],
    actie: list[str] | None = None,
    keywords: list[str] | str | None = None,
    review_on: datetime.date | None = None,
    note: str = "",
) -> Article:
    """A new article as a draft (version 1); nobody but staff sees it until approved."""
    _require_staff(author)
    content = _content(
        kind=kind, visibility=visibility, title=title, summary=summary, body=body,
        themes=themes, actie=actie, keywords=keywords,
    )  # fmt: skip
    article = Article(author=author, review_on=review_on)
    _save(article, author)
    revision = _revision(article, content, user=author, note=note or _("eerste versie"))
    article.latest_revision = revision
    _save(article, author)
    return article


def article_lock(article_id: int) -> Article:
    return Article.objects.select_for_update().get(pk=article_id)


@transaction.atomic
def article_revise(
    *,
    article: Article,
    editor,
    kind: str,
    visibility: str,
    title: str,
    summary: str,
    body: str,
    themes: list[str],
    actie: list[str] | None = None,
    keywords: list[str] | str | None = None,
    review_on: datetime.date | None = None,
    note: str = "",
) -> ArticleRevision:
    """A new version. A published article stays as it was until the new version is approved."""
    _require_staff(editor)
    content = _content(
        kind=kind, visibility=visibility, title=title, summary=summary, body=body,
        themes=themes, actie=actie, keywords=keywords,
    )  # fmt: skip
    article = article_lock(article.pk)
    revision = _revision(article, content, user=editor, note=note)
    article.latest_revision = revision
    article.status = Article.Status.DRAFT
    article.submitted_by = None
    article.review_on = review_on or article.review_on
    _save(article, editor)
    return revision


@transaction.atomic
def article_submit(*, article: Article, user) -> Article:
    """Ask a second person to approve the newest version."""
    _require_staff(user)
    article = article_lock(article.pk)
    if article.status != Article.Status.DRAFT:
        raise ValidationError(_("Alleen een concept kan ter beoordeling worden aangeboden."))
    article.status = Article.Status.REVIEW
    article.submitted_by = user
    article.review_note = ""
    _save(article, user)
    return article


@transaction.atomic
def article_approve(*, article: Article, approver, on: datetime.date | None = None) -> Article:
    """A second person publishes the newest version: it becomes what readers and search see."""
    _require_staff(approver)
    article = article_lock(article.pk)
    revision = article.latest_revision
    if article.status != Article.Status.REVIEW:
        raise ValidationError(_("Dit artikel is niet ter beoordeling aangeboden."))
    if approver.pk in {revision.author_id, article.submitted_by_id}:
        raise ValidationError(
            _("Een ander dan de schrijver keurt goed: vraag een collega om mee te lezen.")
        )
    today = on or timezone.localdate()
    body_html = render_markdown(revision.body)
    article.kind = revision.kind
    article.visibility = revision.visibility
    article.title = revision.title
    article.summary = revision.summary
    article.body_html = body_html
    article.body_text = html_to_text(body_html)
    article.themes = revision.themes
    article.actie = revision.actie
    article.keywords = revision.keywords
    article.live_revision = revision
    article.status = Article.Status.PUBLISHED
    article.review_note = ""
    now = timezone.now()
    article.published_at = article.published_at or now
    article.updated_at = now
    if article.review_on is None or article.review_on <= today:
        article.review_on = today + REVIEW_AFTER
    article.review_reminded_on = None
    _save(article, approver)
    return article


@transaction.atomic
def article_return(*, article: Article, user, reason: str) -> Article:
    """Send a version back to its writer with a reason; the live copy stays as it was."""
    _require_staff(user)
    reason = _text(reason, field="reason", limit=1000)
    article = article_lock(article.pk)
    if article.status != Article.Status.REVIEW:
        raise ValidationError(_("Dit artikel is niet ter beoordeling aangeboden."))
    article.status = Article.Status.DRAFT
    article.review_note = reason
    article.submitted_by = None
    _save(article, user)
    return article


@transaction.atomic
def attachment_add(*, article: Article, name: str, data: bytes, user) -> Attachment:
    _require_staff(user)
    mime, extension = attachment_checks.check_file(name=name, data=data)
    digest, path = attachment_checks.storage_path(data=data, extension=extension)
    if article.attachments.filter(sha256=digest).exists():
        raise ValidationError({"file": _("Dit bestand hangt al bij dit artikel.")})
    stored = path if default_storage.exists(path) else default_storage.save(path, ContentFile(data))
    attachment = Attachment(
        article=article,
        file=stored,
        original_name=attachment_checks.clean_name(name),
        content_type=mime,
        size=len(data),
        sha256=digest,
        uploaded_by=user,
    )
    _save(attachment, user)
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now())
    return attachment


def _mail(*, to: str, subject: str, body: str) -> None:
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    )


def _absolute(path: str) -> str:
    base = getattr(settings, "BUURTKAS_BASE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


@transaction.atomic
def review_reminders_send(*, today: datetime.date) -> int:
    """Mail the author of every published article whose review date has come; once per date."""
    due = list(
        Article.objects.select_for_update(of=("self",))
        .filter(live_revision__isnull=False, review_on__lte=today)
        .exclude(review_reminded_on__gte=F("review_on"))
        .select_related("author")
        .order_by("pk")
    )
    sent = 0
    for article in due:
        author = article.author
        if author is not None and author.is_active and author.email:
            _mail(
                to=author.email,
                subject=_("Buurtkas: kijk je artikel na — %(title)s") % {"title": article.title},
                body=_(
                    "Beste %(name)s,\n\nJe artikel ‘%(title)s’ moest op %(date)s opnieuw "
                    "bekeken worden. Klopt het nog? Pas het aan of stel een nieuwe datum in:\n"
                    "%(url)s\n\nBuurtkas"
                )
                % {
                    "name": author.first_name or author.get_username(),
                    "title": article.title,
                    "date": article.review_on.strftime("%d-%m-%Y"),
                    "url": _absolute(article.get_absolute_url()),
                },
            )
            sent += 1
        article.review_reminded_on = today
        article._history_user = None
        article.save(update_fields=["review_reminded_on"])
    return sent


# --- Exchange ------------------------------------------------------------------------------


def _author_group(*, user, group_id: int | None):
    """The group the author writes for: one of their own, or none for support staff."""
    if group_id is None:
        if user.is_support_staff:
            return None
        raise ValidationError({"group": _("Kies namens welke groep je schrijft.")})
    group = tenants.groups_of_member(user=user).filter(pk=group_id).first()
    if group is None:
        raise ValidationError({"group": _("Je kunt alleen schrijven namens je eigen groep.")})
    return group


def _render(body: str, *, field: str, limit: int) -> tuple[str, str, str]:
    body = _text(body, field=field, limit=limit)
    body_html = render_markdown(body)
    return body, body_html, html_to_text(body_html)


@transaction.atomic
def post_create(
    *,
    author,
    kind: str,
    title: str,
    body: str,
    themes: list[str],
    actie: list[str] | None = None,
    group_id: int | None = None,
    anonymous: bool = False,
) -> Post:
    """A question or an experience, posted for the author's group (or by support staff)."""
    errors = {}
    values = {}
    for name, check in {
        "title": lambda: _title(title),
        "body": lambda: _render(body, field="body", limit=POST_BODY_LIMIT),
        "themes": lambda: _choices(themes, Theme.choices, field="themes"),
        "actie": lambda: _choices(actie, Actie.choices, field="actie"),
        "group": lambda: _author_group(user=author, group_id=group_id),
    }.items():
        try:
            values[name] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if kind not in Post.Kind.values:
        errors["kind"] = [_("Kies: een vraag of een ervaring.")]
    if errors:
        raise ValidationError(errors)
    group = values["group"]
    body, body_html, body_text = values["body"]
    post = Post(
        kind=kind,
        title=values["title"],
        body=body,
        body_html=body_html,
        body_text=body_text,
        themes=values["themes"],
        actie=values["actie"],
        author=author,
        group=group,
        anonymous=bool(anonymous) and group is not None,
    )
    _save(post, author)
    follow(user=author, post=post)
    return post


def post_lock(post_id: int) -> Post:
    return Post.objects.select_for_update().get(pk=post_id)


def _refresh_replies(post: Post) -> None:
    """Recompute what the post's search document keeps of its visible replies."""
    texts = list(
        post.replies.filter(hidden=False)
        .order_by("created_at", "id")
        .values_list("body_text", flat=True)
    )
    post.replies_text = "\n".join(texts)[:REPLIES_TEXT_LIMIT]
    post.reply_count = len(texts)


@transaction.atomic
def reply_create(
    *, post: Post, author, body: str, group_id: int | None = None, anonymous: bool = False
) -> Reply:
    post = post_lock(post.pk)
    if post.hidden:
        raise ValidationError(_("Op dit bericht kan niet meer worden gereageerd."))
    errors = {}
    try:
        body, body_html, body_text = _render(body, field="body", limit=REPLY_BODY_LIMIT)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        group = _author_group(user=author, group_id=group_id)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    reply = Reply(
        post=post,
        body=body,
        body_html=body_html,
        body_text=body_text,
        author=author,
        group=group,
        anonymous=bool(anonymous) and group is not None,
    )
    _save(reply, author)
    post.replies_text = (post.replies_text + "\n" + body_text).strip()[:REPLIES_TEXT_LIMIT]
    post.reply_count += 1
    post.last_activity_at = timezone.now()
    post.updated_at = post.last_activity_at
    post.save(update_fields=["replies_text", "reply_count", "last_activity_at", "updated_at"])
    follow(user=author, post=post)
    return reply


def _may_solve(post: Post, user) -> bool:
    return user.pk == post.author_id or user.is_coordinator


@transaction.atomic
def post_mark_solved(*, post: Post, reply: Reply | None, user) -> Post:
    """The asker marks the answer that helped (or, with reply None, takes the mark back)."""
    post = post_lock(post.pk)
    if post.kind != Post.Kind.QUESTION:
        raise ValidationError(_("Alleen een vraag kan opgelost worden."))
    if not _may_solve(post, user):
        raise PermissionDenied(_("Alleen wie de vraag stelde, markeert het antwoord dat hielp."))
    if reply is not None and (reply.post_id != post.pk or reply.hidden):
        raise ValidationError(_("Dit antwoord hoort niet bij deze vraag."))
    post.solved_reply = reply
    post.updated_at = timezone.now()
    _save(post, user)
    return post


@transaction.atomic
def report_create(
    *, reporter, reason: str, post: Post | None = None, reply: Reply | None = None
) -> Report:
    reason = _text(reason, field="reason", limit=1000)
    report = Report(post=post, reply=reply, reporter=reporter, reason=reason)
    _save(report, reporter)
    return report


def _require_moderator(user) -> None:
    if not getattr(user, "is_coordinator", False):
        raise PermissionDenied(_("Alleen coördinatoren modereren."))


@transaction.atomic
def moderation_set_hidden(*, target: Post | Reply, hidden: bool, moderator, reason: str):
    """Hide or restore a post or a reply, with a reason; open reports about it are closed."""
    _require_moderator(moderator)
    reason = _text(reason, field="reason", limit=REASON_LIMIT)
    model = type(target)
    target = model.objects.select_for_update().get(pk=target.pk)
    if target.hidden == hidden:
        raise ValidationError(_("Dit is al verborgen.") if hidden else _("Dit is al zichtbaar."))
    target.hidden = hidden
    target.moderation_reason = reason
    if isinstance(target, Post):
        target.updated_at = timezone.now()
    _save(target, moderator)
    if isinstance(target, Reply):
        post = post_lock(target.post_id)
        _refresh_replies(post)
        if hidden and post.solved_reply_id == target.pk:
            post.solved_reply = None
        post.updated_at = timezone.now()
        _save(post, moderator)
    reports = Report.objects.filter(outcome="", **{model._meta.model_name: target})
    for report in reports.select_for_update():
        report.outcome = Report.Outcome.HIDDEN if hidden else Report.Outcome.KEPT
        report.handled_by = moderator
        report.handled_at = timezone.now()
        _save(report, moderator)
    return target


@transaction.atomic
def report_dismiss(*, report: Report, moderator) -> Report:
    _require_moderator(moderator)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.outcome:
        raise ValidationError(_("Deze melding is al afgehandeld."))
    report.outcome = Report.Outcome.KEPT
    report.handled_by = moderator
    report.handled_at = timezone.now()
    _save(report, moderator)
    return report


# --- Following and the digest ----------------------------------------------------------------


@transaction.atomic
def follow(*, user, post: Post | None = None, theme: str = "") -> Follow:
    if post is None and theme not in Theme.values:
        raise ValidationError(_("Onbekend thema."))
    lookup = {"user": user, "post": post} if post is not None else {"user": user, "theme": theme}
    existing = Follow.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    item = Follow(**lookup)
    _save(item, user)
    return item


@transaction.atomic
def unfollow(*, user, post: Post | None = None, theme: str = "") -> None:
    lookup = {"user": user, "post": post} if post is not None else {"user": user, "theme": theme}
    for item in Follow.objects.filter(**lookup):
        item._history_user = user
        item.delete()


@dataclass(frozen=True)
class DigestLine:
    text: str
    url: str


def _digest_lines(follows: list[Follow], viewer: Viewer, until) -> list[DigestLine]:
    lines: list[DigestLine] = []
    post_follows = {f.post_id: f for f in follows if f.post_id}
    if post_follows and viewer.may_exchange:
        since = min(f.notified_until for f in post_follows.values())
        replies = (
            Reply.objects.filter(
                post_id__in=post_follows,
                hidden=False,
                post__hidden=False,
                created_at__gt=since,
                created_at__lte=until,
            )
            .exclude(author_id=viewer.user_id)
            .select_related("post", "author", "group")
            .order_by("post_id", "created_at")
        )
        for reply in replies:
            if reply.created_at <= post_follows[reply.post_id].notified_until:
                continue
            who = shown_author(
                author=reply.author,
                group_id=reply.group_id,
                group_name=reply.group.name if reply.group else "",
                anonymous=reply.anonymous,
                viewer=viewer,
            )
            lines.append(
                DigestLine(
                    text=_("Nieuwe reactie van %(who)s op ‘%(title)s’")
                    % {"who": who.text, "title": reply.post.title},
                    url=_absolute(reply.post.get_absolute_url()),
                )
            )
    theme_follows = {f.theme: f for f in follows if f.theme}
    if theme_follows:
        since = min(f.notified_until for f in theme_follows.values())
        articles = Article.objects.filter(
            live_revision__isnull=False,
            visibility__in=viewer.levels,
            themes__overlap=list(theme_follows),
            published_at__gt=since,
            published_at__lte=until,
        ).order_by("published_at")
        for article in articles:
            if all(
                article.published_at <= theme_follows[t].notified_until
                for t in article.themes
                if t in theme_follows
            ):
                continue
            lines.append(
                DigestLine(
                    text=_("Nieuw artikel: ‘%(title)s’") % {"title": article.title},
                    url=_absolute(article.get_absolute_url()),
                )
            )
        if viewer.may_exchange:
            posts = (
                Post.objects.filter(
                    hidden=False,
                    themes__overlap=list(theme_follows),
                    created_at__gt=since,
                    created_at__lte=until,
                )
                .exclude(author_id=viewer.user_id)
                .order_by("created_at")
            )
            for post in posts:
                if all(
                    post.created_at <= theme_follows[t].notified_until
                    for t in post.themes
                    if t in theme_follows
                ):
                    continue
                label = (
                    _("Nieuwe vraag") if post.kind == Post.Kind.QUESTION else _("Nieuwe ervaring")
                )
                lines.append(
                    DigestLine(
                        text=f"{label}: ‘{post.title}’",
                        url=_absolute(post.get_absolute_url()),
                    )
                )
    return lines


@transaction.atomic
def digest_send(*, until: datetime.datetime | None = None) -> int:
    """One e-mail per follower with what is new since their last digest; returns mails sent."""
    until = until or timezone.now()
    follows = list(
        Follow.objects.select_for_update(of=("self",))
        .filter(notified_until__lt=until, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "pk")
    )
    by_user: dict[int, list[Follow]] = {}
    for item in follows:
        by_user.setdefault(item.user_id, []).append(item)
    sent = 0
    for user_follows in by_user.values():
        user = user_follows[0].user
        viewer = viewer_for(user)
        lines = _digest_lines(user_follows, viewer, until)
        if lines and user.email:
            body = "\n".join(f"- {line.text}\n  {line.url}" for line in lines)
            _mail(
                to=user.email,
                subject=_("Buurtkas: nieuw in de leeromgeving"),
                body=_(
                    "Beste %(name)s,\n\nNieuw sinds je vorige overzicht:\n\n%(lines)s\n\n"
                    "Je krijgt dit bericht omdat je deze vragen of thema's volgt. "
                    "Stoppen kan op de pagina van de vraag of het thema.\n\nBuurtkas"
                )
                % {"name": user.first_name or user.get_username(), "lines": body},
            )
            sent += 1
        Follow.objects.filter(pk__in=[f.pk for f in user_follows]).update(notified_until=until)
    return sent
