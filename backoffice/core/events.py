"""One shape for every business event in the product: who did what to which object, when.

A business event ("claim approved", "year closed", "decision recorded") is worth its own row,
next to the field-level history that django-simple-history keeps. Each app has its own event
table (a group's events live in the group's schema, the support organisation's in the public
schema) built on `BusinessEvent`, and one writer function per event in the app's `events`
module. `record` refuses to run outside a transaction: an event is written together with the
change it describes, or not at all.

Events never hold personal data in `note`, `old` or `new` (names, e-mail addresses): they
outlive an erasure request unchanged. People are referred to by user id (`actor_id`).
"""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BusinessEvent(models.Model):
    kind = models.CharField(_("gebeurtenis"), max_length=40)
    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("door (gebruikersnummer)"), null=True, blank=True)
    object_type = models.CharField(_("soort onderwerp"), max_length=40, blank=True)
    object_id = models.BigIntegerField(_("nummer onderwerp"), null=True, blank=True)
    old = models.JSONField(_("was"), null=True, blank=True, encoder=DjangoJSONEncoder)
    new = models.JSONField(_("werd"), null=True, blank=True, encoder=DjangoJSONEncoder)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}"


def record[E: BusinessEvent](
    model: type[E],
    *,
    kind: str,
    actor,
    obj: models.Model | None = None,
    old: dict | None = None,
    new: dict | None = None,
    note: str = "",
    save: bool = True,
    **fields,
) -> E:
    """Write one event of `model` inside the caller's transaction.

    `actor` is a user (or a user id, or None for the system); `obj` the row the event is about.
    With `save=False` the event is returned unsaved, for writers that bulk-create many.
    """
    if save and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A business event is written in the transaction of its change.")
    event = model(
        kind=kind,
        actor_id=getattr(actor, "pk", actor),
        object_type=obj._meta.model_name if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        old=old,
        new=new,
        note=note,
        **fields,
    )
    if save:
        event.save()
    return event
