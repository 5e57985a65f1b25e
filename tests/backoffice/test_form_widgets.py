"""Every form of the product, walked: date inputs carry ISO values, lists speak plain words."""

import importlib
import pkgutil
from datetime import date

import pytest
from django import forms
from django.utils import translation

PACKAGES = ["backoffice", "tenants", "groups", "finance", "knowledge", "api"]


def _all_forms() -> list[type[forms.BaseForm]]:
    for package in PACKAGES:
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, f"{package}."):
            if info.name.rsplit(".", 1)[-1] == "forms":
                importlib.import_module(info.name)
    found, todo = set(), [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.split(".")[0] in PACKAGES:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORMS = _all_forms()


def test_the_walk_finds_the_forms_that_have_dates():
    names = {f.__name__ for f in FORMS}
    assert {"ClaimForm", "ExportForm", "ExpenseForm", "MeetingForm", "ArticleForm"} <= names


@pytest.mark.parametrize("form_class", FORMS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_date_input_gets_an_iso_value(form_class):
    # A localised value ("02-12-2026") in <input type="date"> shows an empty field, so a
    # default such as the SEPA execution date was lost and the first submit failed.
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField) and not isinstance(field.widget, forms.HiddenInput):
            for language in ("nl", "en"):
                with translation.override(language):
                    html = field.widget.render(name, date(2026, 12, 2))
                assert 'type="date"' in html and 'value="2026-12-02"' in html, (name, html)


def test_no_list_offers_djangos_developer_placeholder():
    from django.db import models

    field = models.CharField(max_length=5, choices=[("a", "A")]).formfield()
    with translation.override("nl"):
        assert str(field.choices[0][1]) == "Kies…"
    with translation.override("en"):
        assert str(field.choices[0][1]) == "Choose…"
    assert "Select an option" not in field.widget.render("x", "")
