"""A row of facts per group in the public schema: the dates and counts signals follow from.

The caseload and the coordinator overview read many groups at once; reading every group's
schema inside a request costs seconds at 1,000 groups (docs/adr/0013). So each group keeps
one row here, written in the same transaction as the group's own write, by the service of
the app that owns the fact (finance for bookings, bank lines, claims, budgets and the
kascommissie; groups for meetings; the registry itself for board roles). Each owning app
computes its facts from its own tables (`GROUP_FACT_SOURCES` in the settings, e.g.
`finance.facade.group_facts`) and hands them over with `facts_record`; `rebuild_group_facts`
asks the same functions for everything, so a rebuilt row equals a maintained one.

The group's public contact (what its public page shows) is kept here too, for the contact
list of a platform of groups. Facts are plain values, never judgements: "the oldest
unreconciled bank line is from 3 March", not "bank needs attention". What counts as a
signal (and from which day) is the support organisation's rule and is computed when read
(backoffice/support/signals.py), so a rule can change without rewriting a thousand rows.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import connection, models
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import ZERO, MoneyField

# Every fact a source may report, with the value it has when there is nothing to report.
EMPTY: dict[str, object] = {
    "last_booking_on": None,
    "chain_sequence": 0,
    "chain_head": "",
    "oldest_unreconciled_on": None,
    "unreconciled_lines": 0,
    "open_claims": 0,
    "audit_due_year_end": None,
    "grant_period_ends": [],
    "budget_start": None,
    "budget_end": None,
    "budget_total": ZERO,
    "budget_spent": ZERO,
    "last_meeting_on": None,
    "contact_email": "",
    "contact_phone": "",
    "missing_board_roles": [],
}

BOARD_ROLES = ("voorzitter", "penningmeester", "secretaris")


class GroupFacts(models.Model):
    """Facts about one group, kept by the owning apps' services (never typed by a person)."""

    group = models.OneToOneField(
        "tenants.Group", on_delete=models.CASCADE, primary_key=True, related_name="facts"
    )
    # finance
    last_booking_on = models.DateField(_("laatste boeking"), null=True)
    # the head of the keyed hash chain of the books (ADR 0010), for the reports (ADR 0022)
    chain_sequence = models.PositiveIntegerField(_("volgnummer van de laatste boeking"), default=0)
    chain_head = models.CharField(
        _("vingerafdruk van de laatste boeking"), max_length=64, blank=True, default=""
    )
    oldest_unreconciled_on = models.DateField(_("oudste niet-afgeletterde bankregel"), null=True)
    unreconciled_lines = models.PositiveIntegerField(_("niet-afgeletterde bankregels"), default=0)
    open_claims = models.PositiveIntegerField(_("openstaande declaraties"), default=0)
    audit_due_year_end = models.DateField(
        _("einde van het oudste boekjaar zonder decharge"), null=True
    )
    grant_period_ends = ArrayField(models.DateField(), default=list, blank=True)
    budget_start = models.DateField(_("begroting vanaf"), null=True)
    budget_end = models.DateField(_("begroting tot en met"), null=True)
    budget_total = MoneyField(_("begroot"), default=ZERO)
    budget_spent = MoneyField(_("uitgegeven"), default=ZERO)
    # groups
    last_meeting_on = models.DateField(_("laatste vergadering"), null=True)
    # what the group publishes on its public page (for platforms' contact lists)
    contact_email = models.EmailField(_("e-mailadres van de groep"), blank=True, default="")
    contact_phone = models.CharField(_("telefoon van de groep"), max_length=30, blank=True)
    # registry
    missing_board_roles = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        app_label = "tenants"
        verbose_name = _("feiten van een groep")
        verbose_name_plural = _("feiten van groepen")

    def __str__(self):
        return f"feiten {self.group_id}"

    def as_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in EMPTY}


def _upsert(group_id: int, values: dict[str, object]) -> None:
    """One statement, in the caller's transaction: insert the row or update only `values`.

    Written against the public table by name so it works whichever group schema is active."""
    unknown = set(values) - set(EMPTY)
    if unknown:
        raise ValueError(f"Unknown group facts: {sorted(unknown)}")
    row = {**EMPTY, **values}
    columns = list(EMPTY)
    assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in values) or "group_id = EXCLUDED.group_id"
    sql = (
        f"INSERT INTO public.tenants_groupfacts (group_id, {', '.join(columns)}, updated_at) "
        f"VALUES (%s, {', '.join(['%s'] * len(columns))}, now()) "
        f"ON CONFLICT (group_id) DO UPDATE SET {assignments}, updated_at = now()"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [group_id, *(row[c] for c in columns)])


def _current_group_id() -> int | None:
    group = connection.tenant
    if getattr(group, "pk", None) is None or getattr(group, "is_template", False):
        return None  # the public schema or the template: no group to keep facts for
    return group.pk


def _lock(group_id: int) -> bool:
    """Lock the group's row until the caller's transaction ends; False when it has none."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM public.tenants_groupfacts WHERE group_id = %s FOR UPDATE", [group_id]
        )
        return cursor.fetchone() is not None


def _rebuild_current(group_id: int) -> None:
    """A group without its row yet (made before the row existed): write all of it afresh."""
    _upsert(group_id, facts_compute(connection.tenant))


def facts_lock() -> None:
    """Lock the current group's row before reading what an adjustment depends on (for example
    which grant is the newest), so a concurrent recompute cannot slip in between."""
    group_id = _current_group_id()
    if group_id is not None and not _lock(group_id):
        _rebuild_current(group_id)
        _lock(group_id)


def facts_refresh(compute) -> None:
    """Recompute facts of the current group with `compute()` and store them (owning services
    call this inside their own transaction, for changes that cannot be added up).

    The row is locked *before* `compute` reads the group's tables: a second writer waits here
    until the first has committed, and then (read committed: each statement sees what was
    committed before it began) computes from data that includes the first writer's change.
    Without the lock, two writers could each compute without the other's rows and the later
    upsert would drop the earlier change.
    """
    group_id = _current_group_id()
    if group_id is None:
        return
    if not _lock(group_id):
        _rebuild_current(group_id)
        return
    _upsert(group_id, compute())


def facts_record(**values) -> None:
    """Record facts of the group whose schema is active, computed by the caller. Prefer
    `facts_refresh` (which locks before computing) or `facts_adjust`."""
    group_id = _current_group_id()
    if group_id is not None:
        _upsert(group_id, values)


def facts_adjust(*, add=None, at_least=None, at_most=None, becomes=None) -> None:
    """Change the current group's facts by what one write changed, in one UPDATE.

    `add`: counts and amounts to add to (`unreconciled_lines=+3`, `budget_spent=+12.50`);
    `at_least` / `at_most`: dates the fact becomes at least / at most (a new booking's date, a
    new bank line's date; a fact that is still empty takes the value); `becomes`: values
    the write sets outright (the head of the books' chain after a posting). Adding is exact under
    concurrency (each UPDATE adds to the row as the previous writer committed it) and rolls
    back with the write. Changes that cannot be added up (the oldest open line was
    reconciled, a meeting was removed) use `facts_refresh` instead.
    """
    group_id = _current_group_id()
    if group_id is None:
        return
    parts, params = [], []
    operations = (("add", add), ("greatest", at_least), ("least", at_most), ("set", becomes))
    for operation, values in operations:
        for column, value in (values or {}).items():
            if column not in EMPTY:
                raise ValueError(f"Unknown group fact: {column}")
            if value is None or (operation == "add" and not value):
                continue
            if operation == "add":
                parts.append(f"{column} = {column} + %s")
            elif operation == "set":
                parts.append(f"{column} = %s")
            else:
                parts.append(f"{column} = {operation.upper()}({column}, %s)")
            params.append(value)
    if not parts:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE public.tenants_groupfacts SET {', '.join(parts)}, updated_at = now() "
            "WHERE group_id = %s",
            [*params, group_id],
        )
        missing = cursor.rowcount == 0
    if missing:
        _rebuild_current(group_id)  # the write is already in the tables it reads


def board_facts(group_id: int) -> dict[str, object]:
    """The registry's own fact: which board roles nobody holds in the group."""
    # By name: tenants.models imports this module to register GroupFacts.
    membership = apps.get_model("tenants", "Membership")
    held = set(
        membership.objects.filter(group_id=group_id, role__in=BOARD_ROLES).values_list(
            "role", flat=True
        )
    )
    return {"missing_board_roles": [role for role in BOARD_ROLES if role not in held]}


def board_facts_record(group_id: int) -> None:
    _lock(group_id)  # before reading the memberships, as in facts_refresh
    _upsert(group_id, board_facts(group_id))


def _sources():
    return [import_string(path) for path in getattr(settings, "GROUP_FACT_SOURCES", [])]


def facts_compute(group) -> dict[str, object]:
    """Every fact of `group`, read afresh from its own schema and the registry."""
    from django_tenants.utils import tenant_context

    values: dict[str, object] = {}
    with tenant_context(group):
        for source in _sources():
            values.update(source())
    values.update(board_facts(group.pk))
    return {**EMPTY, **values}


def facts_rebuild(group) -> GroupFacts:
    """Replace the group's row with facts read afresh (the repair for any drift)."""
    _upsert(group.pk, facts_compute(group))
    return GroupFacts.objects.get(pk=group.pk)
