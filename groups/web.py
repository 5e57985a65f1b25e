"""What the group's pages share: render helpers, role checks on personal data, form fields."""

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import MoneyFormField
from tenants.facade import BOARD_ROLES
from tenants.templatetags.group_urls import group_reverse

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def _page(request, template: str, context: dict, form=None):
    status = 400 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _form_page(request, form, *, title: str, submit: str, back: str, intro: str = ""):
    return _page(
        request,
        "groups/form.html",
        {"form": form, "title": title, "submit": submit, "back": back, "intro": intro},
        form,
    )


def _url(request, name: str, **kwargs) -> str:
    return group_reverse(request.group, name, **kwargs)


def _or_404(obj):
    if obj is None:
        raise Http404(_("Niet gevonden."))
    return obj


def amount_field(**kwargs) -> MoneyFormField:
    """Euro amount, read like every amount (Dutch or English notation, ambiguity asked)."""
    return MoneyFormField(positive=False, **kwargs)


BOARD = BOARD_ROLES


def is_self_or_board(request, member) -> bool:
    """Personal data: the board sees everyone's, a member sees their own."""
    access = request.group_access
    if access.is_board:
        return True
    return member.user_id is not None and member.user_id == request.user.pk
