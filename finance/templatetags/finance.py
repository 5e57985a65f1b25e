from decimal import Decimal

from django import template

from backoffice.core.money import format_euro

register = template.Library()


@register.filter
def euro(value):
    """€ 1.234,56; empty for None."""
    if value is None or value == "":
        return ""
    return format_euro(Decimal(value))


@register.filter
def bar_width(percent):
    """The class that gives a bar its width (w-0 … w-100, in buurtkas.css), clamped.

    A class, not a style attribute: the Content-Security-Policy allows no inline styles.
    """
    try:
        return f"w-{max(0, min(int(percent), 100))}"
    except (TypeError, ValueError):
        return "w-0"


@register.filter
def cell(row, key):
    return row.get(key) if isinstance(row, dict) else None


@register.filter
def get_style(row):
    return {"total": "row-total", "heading": "row-heading"}.get(row.get("_style", ""), "")


@register.filter
def euro_or_text(value):
    if isinstance(value, Decimal):
        return format_euro(value)
    return value
