"""Writes on conflicts, partners and agreements."""

from django.db import transaction

from groups.relations.models import Agreement, Conflict, Partner

CONFLICT_FIELDS = {"occurred_on", "parties", "subject", "steps_taken", "outcome", "status"}


PARTNER_FIELDS = {"kind", "name", "contact_name", "contact_email", "contact_phone", "notes"}


AGREEMENT_FIELDS = {"title", "description", "starts_on", "ends_on"}


def _save_with(obj, fields: dict, allowed: set[str]):
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def conflict_create(**fields) -> Conflict:
    return _save_with(Conflict(), fields, CONFLICT_FIELDS)


@transaction.atomic
def conflict_update(*, conflict: Conflict, **fields) -> Conflict:
    return _save_with(
        Conflict.objects.select_for_update().get(pk=conflict.pk), fields, CONFLICT_FIELDS
    )


@transaction.atomic
def partner_create(**fields) -> Partner:
    return _save_with(Partner(), fields, PARTNER_FIELDS)


@transaction.atomic
def partner_update(*, partner: Partner, **fields) -> Partner:
    return _save_with(
        Partner.objects.select_for_update().get(pk=partner.pk), fields, PARTNER_FIELDS
    )


@transaction.atomic
def agreement_create(*, partner: Partner, **fields) -> Agreement:
    return _save_with(Agreement(partner=partner), fields, AGREEMENT_FIELDS)
