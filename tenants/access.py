"""Who may enter a group, and with which roles. The one place that decides it."""

from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import wraps

from django.core.exceptions import PermissionDenied

from tenants.models import Assignment, Group, Membership, User

Role = Membership.Role


@dataclass(frozen=True)
class GroupAccess:
    """What the current person may do in the current group."""

    roles: frozenset[str] = field(default_factory=frozenset)
    assigned: bool = False  # coaching this group for the support organisation

    @property
    def can_enter(self) -> bool:
        return bool(self.roles) or self.assigned

    @property
    def is_board(self) -> bool:
        return bool(self.roles & Membership.BOARD_ROLES)

    @property
    def is_treasurer(self) -> bool:
        return Role.TREASURER in self.roles

    @property
    def is_chair(self) -> bool:
        return Role.CHAIR in self.roles

    @property
    def is_secretary(self) -> bool:
        return Role.SECRETARY in self.roles

    @property
    def is_audit(self) -> bool:
        return Role.AUDIT in self.roles

    @property
    def is_support(self) -> bool:
        return self.assigned

    def has_any(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


NO_ACCESS = GroupAccess()


# The access the gate computed for the current request: services that check roles again
# (finance's require_role) reuse it instead of querying twice. Set and cleared by
# GroupAccessMiddleware around each request, and cleared whenever grants change.
_request_access: ContextVar[tuple[int, int, "GroupAccess"] | None] = ContextVar(
    "request_access", default=None
)


def remember_for_request(*, user, group: Group, access: "GroupAccess") -> None:
    _request_access.set((user.pk, group.pk, access))


def forget_request_access() -> None:
    _request_access.set(None)


def group_access(*, user: User, group: Group) -> GroupAccess:
    """Roles of `user` in `group`; at most two small indexed queries (none when the gate
    already answered for this request)."""
    if not user.is_authenticated or not user.is_active or group.is_template:
        return NO_ACCESS
    remembered = _request_access.get()
    if remembered is not None and remembered[0] == user.pk and remembered[1] == group.pk:
        return remembered[2]
    roles = frozenset(
        Membership.objects.filter(user=user, group=group).values_list("role", flat=True)
    )
    assigned = Assignment.objects.filter(user=user, group=group).exists()
    return GroupAccess(roles=roles, assigned=assigned)


def group_roles_required(*roles: str, allow_support: bool = False):
    """Allow the view only to people with one of `roles` in the current group."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            access = request.group_access
            if not (access.has_any(*roles) or (allow_support and access.is_support)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def org_role_required(check: str):
    """Allow the view only to people of the support organisation for whom the user property
    `check` holds (`is_coordinator`, `is_support_staff`): the pages outside any group."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not getattr(request.user, check, False):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


coordinator_required = org_role_required("is_coordinator")
support_staff_required = org_role_required("is_support_staff")
