"""Role checks inside a group (entering the group is checked by the middleware)."""

from functools import wraps

from django.core.exceptions import PermissionDenied


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


BOARD = ("voorzitter", "penningmeester", "secretaris")


def is_self_or_board(request, member) -> bool:
    """Personal data: the board sees everyone's, a member sees their own."""
    access = request.group_access
    if access.is_board:
        return True
    return member.user_id is not None and member.user_id == request.user.pk
