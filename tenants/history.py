"""History for tenant models.

Tenant tables refer to a public user by id, never by a cross-schema foreign key: the history
row keeps `history_user_id` as a plain integer and looks the user up when asked.
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


def tenant_history(**kwargs) -> HistoricalRecords:
    """HistoricalRecords for a model in a group's schema, recording the user by id."""
    return HistoricalRecords(
        history_user_id_field=models.BigIntegerField(null=True, blank=True, db_index=True),
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
