"""The kascommissie's progress and the year's close reach the municipality's report through
the public GroupYearStatus row, written by the closing services in their transaction, and
equal to what the rebuild recomputes."""

from django.db import connection

from finance.closing import services as closing
from tenants import facade as tenants
from tests.finance.closing.test_kascommissie import _book_coffee, _ready, year_with_bank

__all__ = ["year_with_bank"]  # the fixture, used by name below


def _status(group):
    return list(
        tenants.GroupYearStatus.objects.filter(group=group).values_list("year", "closed", "audit")
    )


def test_the_report_status_follows_the_check_the_signatures_and_the_close(
    year_with_bank, users, group_a
):
    assert _status(group_a) == []  # an open year without a check says nothing
    _book_coffee(users)
    check = _ready(year_with_bank, users, findings="Bonnetje van de koffie ontbreekt.")
    assert _status(group_a) == [(2026, False, "inProgress")]
    closing.audit_signoff(check=check, user=users["audit"])
    assert _status(group_a) == [(2026, False, "signedOnce")]
    closing.audit_signoff(check=check, user=users["audit2"])
    assert _status(group_a) == [(2026, True, "discharged")]
    connection.set_schema_to_public()
    computed = tenants.counts_compute(group_a)
    assert computed == tenants.counts_stored(group_a.pk) and computed[1]
