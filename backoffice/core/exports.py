"""Making exported text safe to open in a spreadsheet (CSV/formula injection).

A cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is run
as a formula by Excel, LibreOffice and Google Sheets: a member who calls themselves
`=HYPERLINK("https://…", "klik")` would put a live link, or worse, into the treasurer's
sheet. `neutralise` prefixes such text with an apostrophe, which every spreadsheet shows as
plain text. It is the one function every CSV and XLSX export goes through:

- django-import-export (admin exports, the chart of accounts): `NeutralisingResource`;
- hand-written CSV and openpyxl exports call `neutralise` on each text cell.

Numbers, dates and None pass unchanged, and so does text that is only a number ("-12,50",
"+3"): a spreadsheet reads that as a number, and a negative amount must stay one.
"""

import re

from import_export import resources

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")


def neutralise(value):
    """The value, with text a spreadsheet would run as a formula made inert."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_row(values) -> list:
    return [neutralise(value) for value in values]


class NeutralisingResource(resources.ModelResource):
    """A ModelResource whose every exported value goes through `neutralise`.

    Every import-export resource in the product derives from this (checked by
    tests/backoffice/test_exports.py over the admin's registry).
    """

    def export_resource(self, instance, selected_fields=None, **kwargs):
        return neutralise_row(super().export_resource(instance, selected_fields, **kwargs))


def neutralising_resource_for(model) -> type[NeutralisingResource]:
    """A plain resource for `model` (all fields) that neutralises its export."""
    meta = type("Meta", (), {"model": model})
    return type(f"{model.__name__}Resource", (NeutralisingResource,), {"Meta": meta})
