"""History for tenant models.

Tenant tables refer to a public user by id, never by a cross-schema foreign key: the history
row keeps `history_user_id` as a plain integer and looks the user up when asked.

History tables in a group's schema carry one index besides their primary key: the original
row's `id`, which every history query the product runs filters on (`history_rows`, the
privacy export, the erasure). django-simple-history would also index `history_date`,
`history_user_id`, every foreign key and every unique column (with a second `_like` index
for text) — six indexes on some history tables, 1,000 times over at 1,000 groups, that no
query uses (ADR 0007). A query that needs one of them asks for it by name,
`tenant_history(keep_indexed=("history_date",))`, with a comment naming the page that runs it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from backoffice.core.money import format_euro


def _get_history_user(historical_instance):
    if historical_instance.history_user_id is None:
        return None
    return get_user_model().objects.filter(pk=historical_instance.history_user_id).first()


def _set_history_user(historical_instance, user):
    historical_instance.history_user_id = getattr(user, "pk", None)


class _TenantHistoricalRecords(HistoricalRecords):
    """History whose table is indexed on the original row's id only (see above)."""

    def __init__(self, *, keep_indexed: tuple[str, ...] = (), **kwargs):
        self.keep_indexed = frozenset(keep_indexed)
        super().__init__(**kwargs)

    @property
    def _date_indexing(self):
        return "history_date" in self.keep_indexed

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        kept = self.keep_indexed | {model._meta.pk.attname, model._meta.pk.name}
        for name, field in fields.items():
            field.db_index = name in kept
        return fields


def tenant_history(*, keep_indexed: tuple[str, ...] = (), **kwargs) -> HistoricalRecords:
    """HistoricalRecords for a model in a group's schema, recording the user by id.

    `keep_indexed` names history fields that a query of the product filters or sorts on
    across objects (the original row's id is always indexed).
    """
    user_indexed = "history_user_id" in keep_indexed
    return _TenantHistoricalRecords(
        keep_indexed=keep_indexed,
        history_user_id_field=models.BigIntegerField(null=True, blank=True, db_index=user_indexed),
        history_user_getter=_get_history_user,
        history_user_setter=_set_history_user,
        **kwargs,
    )


@dataclass(frozen=True)
class Change:
    """One changed field in plain words: its verbose name and the values as a person reads them."""

    field: str
    old: str
    new: str


def history_rows(obj, limit: int = 50):
    """An object's history, newest first, with the users attached in one extra query.

    Each row gets `changed_by` (the user; when the history has none, the person the change
    itself names, such as who posted an entry) and `changes`: the fields in plain words
    (verbose names, choice labels, ja/nee, names instead of ids). Bookkeeping columns without
    a verbose name of their own (counters, hashes) are left out.
    """
    rows = list(obj.history.all().order_by("-history_date", "-history_id")[: limit + 1])
    diffs = []
    for index, row in enumerate(rows[:limit]):
        previous = rows[index + 1] if index + 1 < len(rows) else None
        diffs.append(row.diff_against(previous).changes if previous else [])
    user_ids = {r.history_user_id for r in rows if getattr(r, "history_user_id", None)}
    model = type(obj)
    for changes in diffs:
        for c in changes:
            if _is_user_field(model, c.field):
                user_ids.update(v for v in (c.old, c.new) if isinstance(v, int))
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    for row, changes in zip(rows, diffs, strict=False):
        row.changed_by = users.get(getattr(row, "history_user_id", None))
        if row.changed_by is None:
            named = [c.new for c in changes if _is_user_field(model, c.field) and c.new in users]
            row.changed_by = users[named[0]] if named else None
        row.changes = [
            change for c in changes if (change := _in_words(model, c, users)) is not None
        ]
    return rows[:limit]


_USER_ID_COLUMNS = {"claimant_id", "treasurer_id", "chair_id", "user_id"}


def _is_user_field(model, name: str) -> bool:
    """Tenant tables refer to a person by id in a plain integer column (`posted_by_id`)."""
    if name.endswith(("_by_id", "_approver_id")) or name in _USER_ID_COLUMNS:
        return True
    field = _field(model, name)
    return getattr(field, "related_model", None) is get_user_model()


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


# Plain words for the columns that matter to a reader but have no verbose name of their own;
# a column that is neither here nor named (hashes, counters, search data) is not shown.
_PLAIN_LABELS = {
    "account": gettext_lazy("rekening"),
    "bank_account": gettext_lazy("bankrekening"),
    "budget_line": gettext_lazy("begrotingspost"),
    "cancelled": gettext_lazy("geannuleerd"),
    "chair_id": gettext_lazy("voorzitter"),
    "claimant_id": gettext_lazy("ingediend door"),
    "completed_at": gettext_lazy("afgerond op"),
    "created_by_id": gettext_lazy("ingevoerd door"),
    "entry": gettext_lazy("boeking"),
    "exported_at": gettext_lazy("in een betaalbestand gezet op"),
    "first_approver_id": gettext_lazy("eerste goedkeuring door"),
    "second_approver_id": gettext_lazy("tweede goedkeuring door"),
    "grant": gettext_lazy("subsidie"),
    "imported_by_id": gettext_lazy("ingelezen door"),
    "kind": gettext_lazy("soort"),
    "match_note": gettext_lazy("toelichting bij de koppeling"),
    "meeting": gettext_lazy("vergadering"),
    "member": gettext_lazy("lid"),
    "note": gettext_lazy("opmerking"),
    "number": gettext_lazy("nummer"),
    "ok": gettext_lazy("in orde"),
    "outcome": gettext_lazy("uitkomst"),
    "paid_entry": gettext_lazy("betaalboeking"),
    "posted_at": gettext_lazy("geboekt op"),
    "posted_by_id": gettext_lazy("geboekt door"),
    "published_at": gettext_lazy("openbaar gemaakt op"),
    "received_entry": gettext_lazy("ontvangstboeking"),
    "receipt_name": gettext_lazy("bonnetje"),
    "reconciled_at": gettext_lazy("gekoppeld op"),
    "reconciled_by_id": gettext_lazy("gekoppeld door"),
    "recorded_by_id": gettext_lazy("vastgelegd door"),
    "requested_by_id": gettext_lazy("gevraagd door"),
    "reverses": gettext_lazy("corrigeert boeking"),
    "role": gettext_lazy("rol"),
    "settled_entry": gettext_lazy("betaald met boeking"),
    "status": gettext_lazy("status"),
    "submitted_at": gettext_lazy("ingediend op"),
    "treasurer_id": gettext_lazy("penningmeester"),
    "uploaded_by_id": gettext_lazy("geüpload door"),
    "user": gettext_lazy("persoon"),
    "user_id": gettext_lazy("persoon"),
    "year": gettext_lazy("boekjaar"),
}


def _label(model, name: str) -> str | None:
    field = _field(model, name)
    explicit = getattr(field, "_verbose_name", None) if field is not None else None
    if explicit:
        return capfirst(str(explicit))
    if name in _PLAIN_LABELS:
        return capfirst(str(_PLAIN_LABELS[name]))
    return None


def _in_words(model, change, users) -> Change | None:
    label = _label(model, change.field)
    if label is None:
        return None
    return Change(
        field=label,
        old=_value(model, change.field, change.old, users),
        new=_value(model, change.field, change.new, users),
    )


def _value(model, name: str, value, users) -> str:
    if value is None or value == "":
        return "—"
    field = _field(model, name)
    if _is_user_field(model, name):
        person = users.get(value)
        return str(person) if person is not None else "—"
    if field is not None and getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(gettext_lazy("ja") if value else gettext_lazy("nee"))
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j M Y H:i")
    if isinstance(value, datetime.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, Decimal) and getattr(field, "decimal_places", None) == 2:
        return format_euro(value)
    if field is not None and field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else "—"
    return str(value)
