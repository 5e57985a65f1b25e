"""What the other apps may use of the registry: roles, who may do what, and access grants.

This module (with `tenants.history` and the `group_urls` template tags) is all that groups,
finance, knowledge and the API import from tenants; import-linter checks it.

- `Role` is the one enumeration of roles in a group; `BOARD_ROLES` and `TERM_ROLES` are its
  subsets (the board; the roles that are held for a term in the member register).
- `current_access(user)` / `require_role(user, *roles)` answer "may this person do this here"
  for the group whose schema is active; `group_roles_required` is the same check for views.
- `memberships_set(...)` is the only writer of access grants. The group's member register
  (groups.organisation) decides who holds which role and calls it; nothing else writes them.
"""

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils.translation import gettext as _

from tenants.access import (
    NO_ACCESS,
    GroupAccess,
    coordinator_required,
    forget_request_access,
    group_access,
    group_roles_required,
    support_staff_required,
)
from tenants.facts import (
    board_facts_record,
    facts_adjust,
    facts_lock,
    facts_record,
    facts_refresh,
)
from tenants.figures import (
    BALLOTS_ONLINE,
    BALLOTS_PAPER,
    COUNT_MEASURES,
    HOUSEHOLDS_REACHED,
    INITIATIVES_APPROVED,
    INITIATIVES_COMPLETED,
    INITIATIVES_SUBMITTED,
    VOUCHERS_USED,
    CountDelta,
    GrantFacts,
    GroupGrantFigure,
    GroupMonthCount,
    GroupMonthFigure,
    GroupYearStatus,
    MonthDelta,
    YearStatus,
    count_add,
    counts_compute,
    counts_replace,
    counts_stored,
    figures_replace,
    grant_figure_set,
    month_figures_add,
    year_statuses_set,
)
from tenants.models import District, Group, Membership, MunicipalDistrict, Municipality, User

Role = Membership.Role
BOARD_ROLES: tuple[str, ...] = (Role.CHAIR, Role.TREASURER, Role.SECRETARY)
TERM_ROLES: tuple[str, ...] = (Role.CHAIR, Role.TREASURER, Role.SECRETARY, Role.AUDIT)

__all__ = [
    "District",
    "Group",
    "BOARD_ROLES",
    "NO_ACCESS",
    "access_of",
    "TERM_ROLES",
    "GroupAccess",
    "group_access",
    "Role",
    "current_access",
    "current_group",
    "group_roles_required",
    "coordinator_required",
    "support_staff_required",
    "group_facts_adjust",
    "group_facts_lock",
    "group_facts_record",
    "group_facts_refresh",
    "groups_list",
    "groups_of_member",
    "users_with_role",
    "memberships_set",
    "require_role",
    "roles_of",
    "user_get",
    # Municipalities, districts and the per-group figures reports read (tenants/figures.py).
    "GrantFacts",
    "GroupGrantFigure",
    "GroupMonthFigure",
    "MonthDelta",
    "MunicipalDistrict",
    "Municipality",
    "district_of",
    "districts_list",
    "figures_replace",
    "grant_figure_set",
    "month_figures_add",
    "people_counts",
    # Counts and year statuses per group for the reports (tenants/figures.py): the owning
    # services call `count_add` / `year_statuses_set`; the rebuild uses the rest.
    "BALLOTS_ONLINE",
    "BALLOTS_PAPER",
    "COUNT_MEASURES",
    "HOUSEHOLDS_REACHED",
    "INITIATIVES_APPROVED",
    "INITIATIVES_COMPLETED",
    "INITIATIVES_SUBMITTED",
    "VOUCHERS_USED",
    "CountDelta",
    "GroupMonthCount",
    "GroupYearStatus",
    "YearStatus",
    "count_add",
    "counts_compute",
    "counts_replace",
    "counts_stored",
    "year_statuses_set",
    "chain_heads",
]


def current_group() -> Group:
    """The group whose schema the connection is on."""
    return connection.tenant


def current_access(user) -> GroupAccess:
    """The user's roles in the group whose schema is active (reused within one request)."""
    return group_access(user=user, group=connection.tenant)


def require_role(user, *roles: str, message: str | None = None) -> GroupAccess:
    access = current_access(user)
    if not access.has_any(*roles):
        raise PermissionDenied(message or _("Je hebt niet de juiste rol voor deze handeling."))
    return access


def access_of(*, user_id: int) -> GroupAccess:
    """Another person's roles in the current group (e.g. a claimant's, to find a stand-in)."""
    user = User.objects.filter(pk=user_id).first()
    return NO_ACCESS if user is None else group_access(user=user, group=connection.tenant)


def roles_of(*, user_ids) -> dict[int, frozenset[str]]:
    """The roles of several people in the current group, in one query (no roles: absent)."""
    roles: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        group=connection.tenant, user_id__in=set(user_ids), user__is_active=True
    ).values_list("user_id", "role"):
        roles.setdefault(user_id, set()).add(role)
    return {user_id: frozenset(r) for user_id, r in roles.items()}


def groups_list(*, slug: str | None = None, active_only: bool = True):
    """Real groups (never the template), by slug; optionally only one slug."""
    groups = Group.objects.filter(is_template=False).order_by("slug")
    if active_only:
        groups = groups.filter(is_active=True)
    if slug is not None:
        groups = groups.filter(slug=slug)
    return groups


def groups_of_member(*, user: User):
    """The active groups where `user` holds any role."""
    return (
        Group.objects.filter(is_template=False, is_active=True, memberships__user=user)
        .distinct()
        .order_by("name")
    )


def users_with_role(*, group: Group, role: str, only: bool = False):
    """People with `role` in `group`, oldest grant first; with `only`, people who hold no
    other role there (e.g. plain members)."""
    users = User.objects.filter(memberships__group=group, memberships__role=role)
    if only:
        users = users.exclude(
            memberships__group=group, memberships__role__in=set(Role.values) - {role}
        )
    return users.order_by("memberships__id").distinct()


def user_get(user_id: int | None) -> User | None:
    if user_id is None:
        return None
    return User.objects.filter(pk=user_id).first()


@transaction.atomic
def memberships_set(*, group: Group, user_id: int, roles: set[str]) -> tuple[int, int]:
    """Make the person's access grants in `group` exactly `roles`; returns (added, removed).

    Each grant added or removed is a history row of its own (who, when). Called by the group's
    member register whenever a member joins, leaves, or a role term starts or ends.
    """
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"Unknown roles: {sorted(unknown)}")
    current = {
        m.role: m
        for m in Membership.objects.select_for_update().filter(group=group, user_id=user_id)
    }
    removed = 0
    for role, membership in current.items():
        if role not in roles:
            membership.delete()
            removed += 1
    added = 0
    for role in sorted(set(roles) - set(current)):
        membership = Membership(group=group, user_id=user_id, role=role)
        membership.full_clean(validate_unique=False)
        membership.save()
        added += 1
    if added or removed:
        forget_request_access()
        board_facts_record(group.pk)
    return added, removed


def group_facts_record(**values) -> None:
    """Record facts of the current group in its row (tenants/facts.py, docs/adr/0013): the
    owning app's service calls this inside its own transaction, with values it computed."""
    facts_record(**values)


def group_facts_refresh(compute) -> None:
    """Lock the current group's row, then store what `compute()` returns (same transaction):
    for changes that cannot be added up. See tenants/facts.py."""
    facts_refresh(compute)


def group_facts_adjust(*, add=None, at_least=None, at_most=None, becomes=None) -> None:
    """Change the current group's facts by what one write changed, in one UPDATE (same
    transaction): counts added to, dates moved forward or back, values set. See
    tenants/facts.py."""
    facts_adjust(add=add, at_least=at_least, at_most=at_most, becomes=becomes)


def group_facts_lock() -> None:
    """Lock the current group's row until the transaction ends (before reading what an
    adjustment depends on)."""
    facts_lock()


def chain_heads(*, group_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Per group: the head of its books' keyed hash chain (sequence, HMAC of the last posted
    entry), kept in the group's facts by the posting path (one query)."""
    from tenants.facts import GroupFacts

    heads = dict.fromkeys(group_ids, (0, ""))
    for group_id, sequence, head in GroupFacts.objects.filter(group_id__in=group_ids).values_list(
        "group_id", "chain_sequence", "chain_head"
    ):
        heads[group_id] = (sequence, head)
    return heads


def districts_list(*, municipality: Municipality | None = None):
    """Districts (with their municipality), optionally of one municipality."""
    districts = MunicipalDistrict.objects.select_related("municipality")
    if municipality is not None:
        districts = districts.filter(municipality=municipality)
    return districts.order_by("municipality__name", "name")


def district_of(group: Group) -> MunicipalDistrict | None:
    """The district a group belongs to (by its `district` code)."""
    return (
        MunicipalDistrict.objects.select_related("municipality").filter(code=group.district).first()
    )


def people_counts(*, group_ids: list[int]) -> dict[int, dict[str, int]]:
    """Per group: how many distinct people hold a board role and any role (counts only)."""
    counts: dict[int, dict[str, int]] = {gid: {"board": 0, "volunteers": 0} for gid in group_ids}
    rows = Membership.objects.filter(group_id__in=group_ids).values_list(
        "group_id", "user_id", "role"
    )
    board: dict[int, set] = {}
    anyone: dict[int, set] = {}
    for group_id, user_id, role in rows:
        anyone.setdefault(group_id, set()).add(user_id)
        if role in BOARD_ROLES:
            board.setdefault(group_id, set()).add(user_id)
    for gid in group_ids:
        counts[gid] = {"board": len(board.get(gid, ())), "volunteers": len(anyone.get(gid, ()))}
    return counts
