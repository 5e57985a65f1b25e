"""Pages of the learning space. Thin: who may do what is in audience.py and services.py."""

import difflib
from decimal import Decimal
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from backoffice.core.money import format_euro
from tenants import facade as tenants
from tenants.history import history_rows

from . import attachments as attachment_checks
from . import lessons as lesson_cards
from . import selectors, services
from .audience import viewer_for
from .forms import (
    ArticleForm,
    AttachmentForm,
    PostForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    ReturnForm,
    SearchForm,
)
from .models import Article, Post, Theme


def learning_space(
    view=None, *, exchange: bool = False, staff: bool = False, moderator: bool = False
):
    """Sets request.viewer; refuses those the learning space (or this part of it) is not for."""

    def decorate(func):
        @wraps(func)
        def wrapper(request, *args, **kwargs):
            viewer = viewer_for(request.user)
            if not viewer.may_enter:
                raise PermissionDenied
            if exchange and not viewer.may_exchange:
                raise PermissionDenied
            if staff and not viewer.may_write_articles:
                raise PermissionDenied
            if moderator and not viewer.is_moderator:
                raise PermissionDenied
            request.viewer = viewer
            return func(request, *args, **kwargs)

        return wrapper

    return decorate(view) if view is not None else decorate


def _or_404(obj):
    if obj is None:
        raise Http404(_("Niet gevonden."))
    return obj


def _page(request, template: str, context: dict, form=None):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, {"viewer": request.viewer, **context}, status=status)


# --- Search and home -------------------------------------------------------------------------


@learning_space
def home(request):
    viewer = request.viewer
    result = selectors.search(viewer=viewer, filters=selectors.Filters(part="artikelen"))
    return _page(
        request,
        "knowledge/home.html",
        {
            "form": SearchForm(),
            "recent": result.articles,
            "themes": [
                (value, label, count)
                for (value, label), count in zip(
                    Theme.choices, selectors.home_counts(viewer=viewer).values(), strict=True
                )
            ],
            "questions": selectors.open_questions(viewer=viewer),
            "staff": selectors.articles_for_staff(viewer=viewer),
        },
    )


@learning_space
def search(request):
    form = SearchForm(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.Filters(
            theme=data["thema"],
            actie=data["actie"],
            kind=data["soort"],
            solved=data["opgelost"],
            part=data["deel"],
        )
        result = selectors.search(
            viewer=request.viewer, query=data["q"], filters=filters, page=data["pagina"] or 1
        )
    params = request.GET.copy()
    params.pop("pagina", None)
    params.pop("deel", None)
    template = "knowledge/_results.html" if request.htmx else "knowledge/search.html"
    return _page(
        request,
        template,
        {"form": form, "result": result, "base_query": params.urlencode()},
        form,
    )


@learning_space
def theme(request, theme):
    labels = dict(Theme.choices)
    if theme not in labels:
        raise Http404(_("Onbekend thema."))
    part = request.GET.get("deel", "")
    try:
        page = max(1, int(request.GET.get("pagina", 1)))
    except ValueError:
        page = 1
    result = selectors.search(
        viewer=request.viewer,
        filters=selectors.Filters(
            theme=theme, part=part if part in {"artikelen", "uitwisseling"} else ""
        ),
        page=page,
    )
    return _page(
        request,
        "knowledge/theme.html",
        {
            "theme": theme,
            "theme_label": labels[theme],
            "result": result,
            "following": theme in selectors.followed_themes(user_id=request.user.pk),
        },
    )


@learning_space
@require_POST
def theme_follow(request, theme):
    if theme not in Theme.values:
        raise Http404(_("Onbekend thema."))
    if request.POST.get("volgen") == "0":
        services.unfollow(user=request.user, theme=theme)
        messages.success(request, _("Je volgt dit thema niet meer."))
    else:
        services.follow(user=request.user, theme=theme)
        messages.success(request, _("Je volgt dit thema. Nieuwe artikelen komen in je overzicht."))
    return redirect("knowledge:theme", theme=theme)


# --- Articles --------------------------------------------------------------------------------


@learning_space
def article(request, pk):
    viewer = request.viewer
    item = selectors.article_for_reader(pk=pk, viewer=viewer)
    if item is None and viewer.may_write_articles:
        # staff see an article that is not (yet) published as its newest version
        draft = _or_404(selectors.article_for_editor(pk=pk, viewer=viewer))
        return _page(request, "knowledge/article_draft.html", _staff_context(draft))
    item = _or_404(item)
    context = {"article": item, "body_html": item.body_html}
    if viewer.may_write_articles:
        context.update(_staff_context(item))
    return _page(request, "knowledge/article.html", context)


def _staff_context(item: Article) -> dict:
    latest = item.latest_revision
    return {
        "article": item,
        "latest": latest,
        "pending": item.live_revision_id != item.latest_revision_id,
        "return_form": ReturnForm(),
        "attachment_form": AttachmentForm(),
        "history": history_rows(item),
    }


def _article_form_initial(item: Article) -> dict:
    revision = item.latest_revision
    return {
        "title": revision.title,
        "kind": revision.kind,
        "visibility": revision.visibility,
        "summary": revision.summary,
        "body": revision.body,
        "themes": revision.themes,
        "actie": revision.actie,
        "keywords": ", ".join(revision.keywords),
        "review_on": item.review_on,
    }


@learning_space(staff=True)
def article_new(request):
    form = ArticleForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.article_create(author=request.user, **data),
        success=_("Het concept is opgeslagen. Bied het aan ter beoordeling als het klaar is."),
        then=lambda item: _article_url(item.pk),
    )
    return saved or _page(
        request, "knowledge/article_form.html", {"form": form, "item": None}, form
    )


@learning_space(staff=True)
def article_edit(request, pk):
    item = _or_404(selectors.article_for_editor(pk=pk, viewer=request.viewer))
    form = ArticleForm(request.POST or None, initial=_article_form_initial(item))
    saved = form_saved(
        request,
        form,
        lambda data: services.article_revise(article=item, editor=request.user, **data),
        success=_("De nieuwe versie is opgeslagen als concept."),
        then=_article_url(item.pk),
    )
    return saved or _page(
        request, "knowledge/article_form.html", {"form": form, "item": item}, form
    )


def _article_url(pk) -> str:
    return reverse("knowledge:article", kwargs={"pk": pk})


def _article_action(request, pk, action, success: str):
    item = _or_404(selectors.article_for_editor(pk=pk, viewer=request.viewer))
    try:
        action(item)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("knowledge:article", pk=item.pk)


@learning_space(staff=True)
@require_POST
def article_submit(request, pk):
    return _article_action(
        request,
        pk,
        lambda item: services.article_submit(article=item, user=request.user),
        _("Aangeboden ter beoordeling. Een collega keurt het goed."),
    )


@learning_space(staff=True)
@require_POST
def article_approve(request, pk):
    return _article_action(
        request,
        pk,
        lambda item: services.article_approve(article=item, approver=request.user),
        _("Goedgekeurd en gepubliceerd."),
    )


@learning_space(staff=True)
@require_POST
def article_return(request, pk):
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf erbij wat er anders moet."))
        return redirect("knowledge:article", pk=pk)
    return _article_action(
        request,
        pk,
        lambda item: services.article_return(
            article=item, user=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Teruggegeven aan de schrijver."),
    )


@learning_space(staff=True)
@require_POST
def attachment_add(request, pk):
    item = _or_404(selectors.article_for_editor(pk=pk, viewer=request.viewer))
    form = AttachmentForm(request.POST, request.FILES)
    saved = form_saved(
        request,
        form,
        lambda data: services.attachment_add(
            article=item,
            name=data["file"].name,
            data=attachment_checks.read_upload(data["file"]),
            user=request.user,
        ),
        success=_("De bijlage is toegevoegd."),
        then=_article_url(item.pk),
    )
    if saved:
        return saved
    context = _staff_context(item)
    context["attachment_form"] = form
    template = "knowledge/article.html" if item.is_live else "knowledge/article_draft.html"
    if item.is_live:
        context["body_html"] = item.body_html
    return _page(request, template, context, form)


@learning_space
def attachment_download(request, pk):
    viewer = request.viewer
    attachment = _or_404(selectors.attachment_for(pk=pk, viewer=viewer))
    if not default_storage.exists(attachment.file.name):
        raise Http404(_("Niet gevonden."))
    response = FileResponse(
        default_storage.open(attachment.file.name, "rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@learning_space(staff=True)
def article_revisions(request, pk):
    item = _or_404(selectors.article_for_editor(pk=pk, viewer=request.viewer))
    revisions = selectors.revisions(article=item)
    numbers = [r.number for r in revisions]
    diff = None
    try:
        new = int(request.GET.get("naar") or (numbers[0] if numbers else 0))
        old = int(request.GET.get("van") or (numbers[1] if len(numbers) > 1 else new))
    except ValueError:
        new = old = numbers[0] if numbers else 0
    by_number = {r.number: r for r in revisions}
    if old in by_number and new in by_number:
        diff = _diff(by_number[old], by_number[new])
    return _page(
        request,
        "knowledge/revisions.html",
        {"article": item, "revisions": revisions, "diff": diff, "old": old, "new": new},
    )


def _revision_lines(revision) -> list[str]:
    lines = [
        _("Titel: %(v)s") % {"v": revision.title},
        _("Soort: %(v)s") % {"v": revision.get_kind_display()},
        _("Zichtbaar voor: %(v)s") % {"v": revision.get_visibility_display()},
        _("Thema's: %(v)s")
        % {"v": ", ".join(str(dict(Theme.choices).get(t, t)) for t in revision.themes)},
        _("Trefwoorden: %(v)s") % {"v": ", ".join(revision.keywords)},
        _("Samenvatting: %(v)s") % {"v": revision.summary},
        "",
    ]
    return lines + revision.body.splitlines()


def _diff(old, new) -> list[tuple[str, str]]:
    """(kind, line) pairs: kind is '+', '-' or ' '; unchanged runs kept short."""
    rows = []
    for line in difflib.unified_diff(_revision_lines(old), _revision_lines(new), lineterm="", n=2):
        if line.startswith(("---", "+++")):
            continue
        if line.startswith("@@"):
            rows.append(("@", "…"))
            continue
        rows.append((line[:1], line[1:]))
    return rows


@learning_space(staff=True)
def staff_desk(request):
    return _page(
        request,
        "knowledge/desk.html",
        {
            "staff": selectors.articles_for_staff(viewer=request.viewer),
            "due": selectors.articles_due(today=timezone.localdate()),
        },
    )


# --- Exchange --------------------------------------------------------------------------------


@learning_space(exchange=True)
def exchange(request):
    form = SearchForm(request.GET or None)
    filters = selectors.Filters(part="uitwisseling")
    page = 1
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.Filters(
            theme=data["thema"],
            actie=data["actie"],
            kind=data["soort"] if data["soort"] in Post.Kind.values else "",
            solved=data["opgelost"],
            part="uitwisseling",
        )
        page = data["pagina"] or 1
    result = selectors.search(viewer=request.viewer, query="", filters=filters, page=page)
    params = request.GET.copy()
    params.pop("pagina", None)
    return _page(
        request,
        "knowledge/exchange.html",
        {"form": form, "result": result, "base_query": params.urlencode()},
    )


def _post_url(pk) -> str:
    return reverse("knowledge:post", kwargs={"pk": pk})


def _my_groups(request):
    return list(tenants.groups_of_member(user=request.user).order_by("name"))


@learning_space(exchange=True)
def post_new(request):
    groups = [] if request.user.is_support_staff else _my_groups(request)
    initial = {}
    if request.GET.get("thema") in Theme.values:
        initial["themes"] = [request.GET["thema"]]
    if request.GET.get("soort") in Post.Kind.values:
        initial["kind"] = request.GET["soort"]
    form = PostForm(request.POST or None, groups=groups, initial=initial)
    saved = form_saved(
        request,
        form,
        lambda data: services.post_create(
            author=request.user,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            themes=data["themes"],
            group_id=data.get("group"),
            anonymous=data.get("anonymous", False),
        ),
        success=_("Je bericht staat in de uitwisseling. Je volgt het nu."),
        then=lambda post: _post_url(post.pk),
    )
    return saved or _page(request, "knowledge/post_form.html", {"form": form}, form)


@learning_space(exchange=True)
def post_detail(request, pk, reply_form=None):
    view = _or_404(selectors.post_view(pk=pk, viewer=request.viewer))
    groups = [] if request.user.is_support_staff else _my_groups(request)
    return _page(
        request,
        "knowledge/post.html",
        {
            "post": view,
            "reply_form": reply_form or ReplyForm(groups=groups),
            "history": history_rows(selectors.post_get(pk=pk, viewer=request.viewer))
            if request.viewer.is_moderator
            else None,
        },
        reply_form,
    )


@learning_space(exchange=True)
@require_POST
def reply_new(request, pk):
    post = _or_404(selectors.post_get(pk=pk, viewer=request.viewer))
    groups = [] if request.user.is_support_staff else _my_groups(request)
    form = ReplyForm(request.POST, groups=groups)
    saved = form_saved(
        request,
        form,
        lambda data: services.reply_create(
            post=post,
            author=request.user,
            body=data["body"],
            group_id=data.get("group"),
            anonymous=data.get("anonymous", False),
        ),
        success=_("Je reactie is geplaatst."),
        then=_post_url(post.pk) + "#reacties",
    )
    return saved or post_detail.__wrapped__(request, pk, reply_form=form)


@learning_space(exchange=True)
@require_POST
def post_solved(request, pk):
    post = _or_404(selectors.post_get(pk=pk, viewer=request.viewer))
    reply = None
    if request.POST.get("reply"):
        try:
            reply_id = int(request.POST["reply"])
        except ValueError as exc:
            raise Http404(_("Niet gevonden.")) from exc
        reply = _or_404(selectors.reply_get(pk=reply_id, viewer=request.viewer))
    try:
        services.post_mark_solved(post=post, reply=reply, user=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Gemarkeerd als opgelost. Dank je: zo vinden anderen het antwoord sneller.")
            if reply
            else _("De vraag staat weer open."),
        )
    return redirect("knowledge:post", pk=post.pk)


@learning_space(exchange=True)
@require_POST
def post_follow(request, pk):
    post = _or_404(selectors.post_get(pk=pk, viewer=request.viewer))
    if request.POST.get("volgen") == "0":
        services.unfollow(user=request.user, post=post)
        messages.success(request, _("Je volgt dit bericht niet meer."))
    else:
        services.follow(user=request.user, post=post)
        messages.success(request, _("Je volgt dit bericht. Nieuwe reacties komen in je overzicht."))
    return redirect("knowledge:post", pk=post.pk)


def _target(request, kind: str, pk: int):
    if kind == "bericht":
        return _or_404(selectors.post_get(pk=pk, viewer=request.viewer))
    if kind == "reactie":
        return _or_404(selectors.reply_get(pk=pk, viewer=request.viewer))
    raise Http404(_("Niet gevonden."))


def _post_id(target) -> int:
    return target.pk if isinstance(target, Post) else target.post_id


@learning_space(exchange=True)
def report(request, kind, pk):
    target = _target(request, kind, pk)
    form = ReportForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.report_create(
            reporter=request.user,
            reason=data["reason"],
            **{"post" if isinstance(target, Post) else "reply": target},
        ),
        success=_("Dank je. Een coördinator kijkt ernaar."),
        then=_post_url(_post_id(target)),
    )
    return saved or _page(
        request, "knowledge/report.html", {"form": form, "post_id": _post_id(target)}, form
    )


@learning_space(exchange=True, moderator=True)
def moderation(request):
    return _page(request, "knowledge/moderation.html", {"items": selectors.moderation_queue()})


@learning_space(exchange=True, moderator=True)
def moderate(request, kind, pk):
    target = _target(request, kind, pk)
    form = ReasonForm(request.POST or None)
    hide = request.POST.get("actie") != "herstellen"
    saved = form_saved(
        request,
        form,
        lambda data: services.moderation_set_hidden(
            target=target, hidden=hide, moderator=request.user, reason=data["reason"]
        ),
        success=_("Verborgen.") if hide else _("Weer zichtbaar."),
        then=_post_url(_post_id(target)),
    )
    return saved or _page(
        request,
        "knowledge/moderate.html",
        {
            "form": form,
            "kind": kind,
            "target": target,
            "post_id": _post_id(target),
            "history": history_rows(target),
        },
        form,
    )


@learning_space(exchange=True, moderator=True)
@require_POST
def report_dismiss(request, pk):
    report_obj = _or_404(selectors.open_report(pk=pk))
    try:
        services.report_dismiss(report=report_obj, moderator=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("De melding is afgehandeld; het bericht blijft staan."))
    return redirect("knowledge:moderation")


# --- Lessons from real initiatives -----------------------------------------------------------


def _card_view(card, viewer) -> dict:
    figures = card.figures
    return {
        "card": card,
        "group_name": lesson_cards.shown_group(card, viewer=viewer),
        "awarded": format_euro(Decimal(figures["awarded"])),
        "spent": format_euro(Decimal(figures["spent"])),
        "spent_by_category": [
            (name, format_euro(Decimal(amount))) for name, amount in figures["spent_by_category"]
        ],
        "volunteers": figures["volunteers"],
        "participants": figures["participants"],
    }


@learning_space(exchange=True)
def lessons(request):
    cards = lesson_cards.cards_visible(viewer=request.viewer)[:100]
    return _page(
        request,
        "knowledge/lessons.html",
        {"cards": [_card_view(card, request.viewer) for card in cards]},
    )


@learning_space(exchange=True)
def lesson(request, pk):
    card = _or_404(lesson_cards.card_get(viewer=request.viewer, pk=pk))
    return _page(request, "knowledge/lesson.html", _card_view(card, request.viewer))
