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

from django.contrib.auth import get_user_model
from django.db import models
from simple_history.models import HistoricalRecords


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


def history_rows(obj, limit: int = 50):
    """An object's history, newest first, with the users attached in one extra query."""
    rows = list(obj.history.all().order_by("-history_date", "-history_id")[: limit + 1])
    user_ids = {r.history_user_id for r in rows if getattr(r, "history_user_id", None)}
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    for index, row in enumerate(rows):
        row.changed_by = users.get(getattr(row, "history_user_id", None))
        previous = rows[index + 1] if index + 1 < len(rows) else None
        row.changes = row.diff_against(previous).changes if previous else []
    return rows[:limit]
