"""Who may do what in the books. Services check it themselves, so no caller can skip it."""

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext as _

from tenants.access import GroupAccess, group_access

TREASURER = "penningmeester"
CHAIR = "voorzitter"
SECRETARY = "secretaris"
MEMBER = "lid"
AUDIT = "kascommissie"
BOARD = (CHAIR, TREASURER, SECRETARY)
READERS = (*BOARD, AUDIT)  # plus assigned support workers, read-only


def current_access(user) -> GroupAccess:
    """The user's roles in the group whose schema is active."""
    return group_access(user=user, group=connection.tenant)


def require_role(user, *roles: str, message: str | None = None) -> GroupAccess:
    access = current_access(user)
    if not access.has_any(*roles):
        raise PermissionDenied(message or _("Je hebt niet de juiste rol voor deze handeling."))
    return access


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
