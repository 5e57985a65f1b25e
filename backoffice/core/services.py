"""The one way services write a changed row: clean it, save what changed, record who did it."""

from collections.abc import Iterable

from django.db import models


def model_update[M: models.Model](
    instance: M,
    user=None,
    /,
    *,
    allowed: Iterable[str] | None = None,
    validate_constraints: bool = True,
    **data,
) -> M:
    """Set `data` on `instance`, run `full_clean()`, save, and record `user` in its history.

    A new row is inserted. An existing row is saved with only the fields whose value changed;
    when nothing changed, nothing is written (and no history row appears). `allowed` names the
    fields a caller may set: anything else is a programming error (TypeError), not input.
    `validate_constraints=False` leaves CHECK/UNIQUE constraints to the database where Django's
    pre-check would cost a query each on a hot path.
    """
    if allowed is not None:
        unknown = set(data) - set(allowed)
        if unknown:
            raise TypeError(f"Unknown fields for {type(instance).__name__}: {sorted(unknown)}")
    changed = []
    for name, value in data.items():
        field = instance._meta.get_field(name)
        attname = getattr(field, "attname", name)
        before = getattr(instance, attname)
        setattr(instance, name, value)
        if getattr(instance, attname) != before:
            changed.append(field.name)
    adding = instance._state.adding
    if not adding and not changed:
        return instance
    instance.full_clean(validate_constraints=validate_constraints)
    if user is not None:
        instance._history_user = user
    if adding:
        instance.save()
    else:
        instance.save(update_fields=changed)
    return instance
