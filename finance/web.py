"""What finance's pages share: role decorators, URL and render helpers, form widgets."""

from __future__ import annotations

import datetime

from django import forms
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from finance.ledger import selectors as ledger_selectors
from finance.ledger.models import FinancialYear
from finance.roles import AUDIT, BOARD, CHAIR, MEMBER, READERS, TREASURER
from tenants.facade import current_group, group_roles_required
from tenants.templatetags.group_urls import group_reverse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


RECEIPT_ACCEPT = "image/jpeg,image/png,image/heic,image/heif,application/pdf,.heic,.heif"


# A booking date further than this from today, in a year the books do not have yet, is
# probably a typo (2206 for 2026, 0001 from a half-typed field): asked, never opened silently.
PLAUSIBLE_DISTANCE = datetime.timedelta(days=366)


def unlikely_new_year(day: datetime.date, *, today: datetime.date) -> str | None:
    """Why booking on `day` would open an unlikely financial year, or None when it is fine.

    A date inside a year the books already have is always fine (it is checked against that
    year's state by the services). A new year is unlikely when the date lies more than a
    year from today, or before the year the group started in Buurtkas.
    """
    if FinancialYear.objects.filter(start__lte=day, end__gte=day).exists():
        return None
    values = {"date": day.strftime("%d-%m-%Y"), "year": str(day.year)}
    if abs(day - today) > PLAUSIBLE_DISTANCE:
        return (
            gettext(
                "%(date)s ligt meer dan een jaar van vandaag en er is nog geen boekjaar %(year)s. "
                "Klopt de datum? Vink dan ‘Deze datum klopt’ aan; dan wordt boekjaar %(year)s "
                "geopend."
            )
            % values
        )
    # Never later than today: a clock set back (a test, a server's wrong clock) would otherwise
    # make every date of this year "before the group started".
    started = min(timezone.localtime(current_group().created_at).date(), today).year
    if day.year < started:
        return gettext(
            "%(date)s ligt vóór %(started)s, het jaar waarin de groep met Buurtkas begon, en er "
            "is nog geen boekjaar %(year)s. Klopt de datum? Vink dan ‘Deze datum klopt’ aan; "
            "dan wordt boekjaar %(year)s geopend."
        ) % {**values, "started": str(started)}
    return None


class DatedForm(forms.Form):
    """A form whose date may open a new financial year: an unlikely one must be confirmed."""

    date_field = "date"

    confirm_date = forms.BooleanField(
        label=_("Deze datum klopt"), required=False, widget=forms.HiddenInput
    )

    def clean(self):
        data = super().clean()
        day = data.get(self.date_field)
        if day is not None and not data.get("confirm_date"):
            reason = unlikely_new_year(day, today=timezone.localdate())
            if reason:
                self.add_error(self.date_field, reason)
                self.fields["confirm_date"].widget = forms.CheckboxInput()
        return data


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
