"""{% gurl "finance:dashboard" pk=3 %}: a URL inside the current group (/g/<slug>/…)."""

from django import template
from django.urls import reverse

register = template.Library()


def group_reverse(group, viewname: str, **kwargs) -> str:
    return reverse(viewname, kwargs={"group_slug": group.slug, **kwargs})


@register.simple_tag(takes_context=True)
def gurl(context, viewname, **kwargs):
    group = context.get("group") or getattr(context.get("request"), "group", None)
    return group_reverse(group, viewname, **kwargs)
