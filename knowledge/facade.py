"""What other apps may use of the learning space. Nothing else in knowledge/ is theirs.

    from knowledge import facade
    facade.related_lessons(theme="geld", viewer=facade.viewer_for(request.user))

Templates use the tag instead: {% load knowledge %}{% related_lessons "geld" %}.
"""

from dataclasses import dataclass

from django.urls import reverse

from .audience import Viewer, viewer_for
from .lessons import LessonFigures, cards_of_source, lesson_card_share, lesson_card_withdraw
from .models import Article, Theme

__all__ = [
    "Lesson",
    "LessonFigures",
    "THEMES",
    "THEME_CHOICES",
    "Viewer",
    "cards_of_source",
    "lesson_card_share",
    "lesson_card_withdraw",
    "related_lessons",
    "viewer_for",
]

THEMES = tuple(Theme.values)
THEME_CHOICES = tuple(Theme.choices)


@dataclass(frozen=True)
class Lesson:
    id: int
    title: str
    summary: str
    kind: str
    url: str


def related_lessons(*, theme: str, viewer: Viewer, limit: int = 3) -> list[Lesson]:
    """The newest published articles on `theme` that `viewer` may read; one query."""
    if theme not in THEMES or not viewer.levels or limit < 1:
        return []
    rows = (
        Article.objects.filter(
            live_revision__isnull=False,
            visibility__in=viewer.levels,
            themes__contains=[theme],
        )
        .order_by("-published_at", "-id")
        .values_list("id", "title", "summary", "kind")[: min(limit, 10)]
    )
    return [
        Lesson(
            id=pk,
            title=title,
            summary=summary,
            kind=kind,
            url=reverse("knowledge:article", kwargs={"pk": pk}),
        )
        for pk, title, summary, kind in rows
    ]
