"""Who may do what in the books. Services check it themselves, so no caller can skip it.

Roles come from the one enumeration in tenants (`tenants.facade.Role`); this module only
names the combinations the books need.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tenants.facade import BOARD_ROLES, GroupAccess, Role, current_access, require_role

TREASURER = Role.TREASURER
CHAIR = Role.CHAIR
SECRETARY = Role.SECRETARY
MEMBER = Role.MEMBER
AUDIT = Role.AUDIT
BOARD = BOARD_ROLES
READERS = (*BOARD, AUDIT)  # plus assigned support workers, read-only

__all__ = [
    "AUDIT",
    "BOARD",
    "CHAIR",
    "MEMBER",
    "READERS",
    "SECRETARY",
    "TREASURER",
    "current_access",
    "may_read_books",
    "require_independent_auditor",
    "require_role",
    "require_treasurer",
]


def require_treasurer(user) -> GroupAccess:
    return require_role(user, TREASURER, message=_("Alleen de penningmeester mag boeken."))


def require_independent_auditor(user) -> GroupAccess:
    """Kascommissie members who are not on the board themselves."""
    access = current_access(user)
    if not access.is_audit or access.is_board:
        raise PermissionDenied(
            _("Alleen leden van de kascommissie die niet in het bestuur zitten mogen dit doen.")
        )
    return access


def may_read_books(user) -> bool:
    access = current_access(user)
    return access.has_any(*BOARD, AUDIT) or access.is_support
