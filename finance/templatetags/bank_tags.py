"""The bank block on the finance dashboard.

The dashboard only renders a placeholder that htmx fills from its own URL, so the block adds
no query to the dashboard itself (its query budget belongs to the ledger).
"""

from django import template

register = template.Library()


@register.inclusion_tag("finance/bank/_dashboard_slot.html", takes_context=True)
def bank_dashboard(context):
    return context.flatten()
