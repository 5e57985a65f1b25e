from django import template

from backoffice.core.money import format_euro

register = template.Library()


@register.filter
def euro(value):
    return "" if value is None else format_euro(value)
