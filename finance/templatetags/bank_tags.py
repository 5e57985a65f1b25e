"""The bank block on the finance dashboard: one include, its own small query."""

from django import template

from finance import bank_selectors
from finance.bank_models import ExpenseClaim

register = template.Library()


@register.inclusion_tag("finance/bank/_dashboard.html", takes_context=True)
def bank_dashboard(context):
    summary = bank_selectors.unreconciled_summary()
    waiting = ExpenseClaim.objects.filter(
        status__in=[ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.HALF]
    )[:1000].count()
    return {**context.flatten(), **summary, "claims_waiting": waiting}
