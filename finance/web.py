"""What finance's pages share: role decorators, URL and render helpers, form widgets."""

from __future__ import annotations

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import FinancialYear
from finance.roles import AUDIT, BOARD, CHAIR, MEMBER, READERS, TREASURER
from tenants.facade import group_roles_required
from tenants.templatetags.group_urls import group_reverse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


RECEIPT_ACCEPT = "image/jpeg,image/png,image/heic,image/heif,application/pdf,.heic,.heif"


class BudgetLineChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.grant.reference} — {obj.description} ({obj.account.name})"


readers = group_roles_required(*READERS, allow_support=True)


board = group_roles_required(*BOARD)


treasurer = group_roles_required(TREASURER)


treasurer_or_chair = group_roles_required(TREASURER, CHAIR)


auditor = group_roles_required(AUDIT)


def page_url(request, name, **kwargs):
    return group_reverse(request.group, f"finance:{name}", **kwargs)


def render_page(request, template, context, form=None):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def year_from(request) -> FinancialYear | None:
    value = request.GET.get("jaar")
    if value and value.isdigit():
        return get_object_or_404(FinancialYear, year=int(value))
    return ledger_selectors.year_current()


# A to-do count stops at this many: "999+" is as useful as the exact figure, and cheaper.
COUNT_CAP = 999


members = group_roles_required(*BOARD, MEMBER, AUDIT)


members_or_support = group_roles_required(*BOARD, MEMBER, AUDIT, allow_support=True)


def file_response(field, *, name: str, content_type: str, prefix: str):
    if not field.name.startswith(prefix):
        raise Http404
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response
