from datetime import date
from decimal import Decimal

from django import template

from backoffice.core.money import format_euro
from tenants.templatetags.group_urls import group_reverse

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


_ROW_CLASS = {"total": "row-total", "heading": "row-heading"}


@register.simple_tag(takes_context=True)
def report_table(context, report):
    """A report's rows as ready cells: {"class", "cells": [{"num", "text", "href"}]}.

    Formatting here, once per cell in Python, keeps a hundred-line ledger page's table
    cheap to render (filters per cell in the template cost more than the queries).
    """
    group = context.get("group") or getattr(context.get("request"), "group", None)
    entry_url = None
    columns = [(c.key, c.kind) for c in report.columns]
    table = []
    for row in report.rows:
        cells = []
        for key, kind in columns:
            value = row.get(key)
            href = None
            if value is None:
                text = ""
            elif kind == "money":
                text = format_euro(value) if isinstance(value, Decimal) else str(value)
            elif kind == "date" and isinstance(value, date):
                text = value.strftime("%d-%m-%Y")
            else:
                text = str(value)
            if key == "number" and row.get("_entry_id"):
                if entry_url is None:  # one reverse() per table, not per row
                    entry_url = group_reverse(group, "finance:entry", pk=0)[:-2]
                href = f"{entry_url}{row['_entry_id']}/"
            cells.append({"num": kind == "money", "text": text, "href": href})
        table.append({"class": _ROW_CLASS.get(row.get("_style", ""), ""), "cells": cells})
    return table
