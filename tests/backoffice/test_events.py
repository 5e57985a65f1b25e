"""One event shape: every app's events share it, and none is written outside a transaction."""

import pytest
from django.db import transaction

from backoffice.core.events import BusinessEvent, record
from finance.claims.models import ClaimEvent
from finance.closing.models import PeriodEvent
from groups.organisation.models import GroupEvent

SHAPE = {"kind", "at", "actor_id", "object_type", "object_id", "old", "new", "note"}


@pytest.mark.parametrize("model", [GroupEvent, PeriodEvent, ClaimEvent])
def test_every_event_table_has_the_one_shape(model):
    assert issubclass(model, BusinessEvent)
    assert SHAPE <= {f.attname for f in model._meta.concrete_fields}


@pytest.mark.django_db(transaction=True)
def test_an_event_is_refused_outside_the_transaction_of_its_change(committed_world):
    from django_tenants.utils import tenant_context

    with tenant_context(committed_world.group_a), pytest.raises(RuntimeError, match="transaction"):
        record(GroupEvent, kind=GroupEvent.Kind.RULES_CHANGED, actor=None)
    with tenant_context(committed_world.group_a):
        assert not GroupEvent.objects.exists()
        with transaction.atomic():
            event = record(
                GroupEvent, kind=GroupEvent.Kind.RULES_CHANGED, actor=7, new={"a": "1.50"}
            )
        event.refresh_from_db()
        assert (event.actor_id, event.new) == (7, {"a": "1.50"})
