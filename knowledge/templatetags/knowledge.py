"""{% load knowledge %}: related lessons on other apps' pages, and labels for themes."""

from django import template
from django.utils.safestring import mark_safe

from knowledge import facade
from knowledge.models import Actie, Theme
from knowledge.rendering import render_markdown

register = template.Library()
_THEMES = dict(Theme.choices)
_ACTIE = dict(Actie.choices)


@register.filter
def theme_label(value: str) -> str:
    return _THEMES.get(value, value)


@register.filter
def actie_label(value: str) -> str:
    return _ACTIE.get(value, value)


@register.filter
def markdown(value: str):
    """Markdown rendered safely (markdown-it-py without HTML, then nh3)."""
    return mark_safe(render_markdown(value or ""))  # noqa: S308 - sanitised by nh3


@register.inclusion_tag("knowledge/related_lessons.html", takes_context=True)
def related_lessons(context, theme: str, limit: int = 3):
    """Up to `limit` published lessons on `theme` the person on this page may read.

    One query: on a group's page the gate has already established that the person is a
    member (or support staff), so no lookup of their groups is needed.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    access = context.get("access")
    group = context.get("group")
    member_of = group.pk if group is not None and access is not None and access.roles else None
    viewer = facade.viewer_for(user, member_of=member_of, levels_only=True)
    return {
        "lessons": facade.related_lessons(theme=theme, viewer=viewer, limit=limit),
        "theme": theme,
        "theme_label": _THEMES.get(theme, theme),
    }
