"""What the support organisation's pages do across the registry and a group's own space."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from groups import facade as groups
from tenants import services as tenant_services
from tenants.facade import Role
from tenants.models import Group, User


@dataclass(frozen=True)
class PersonAdded:
    user: User
    role_label: str
    password_link: str | None


@transaction.atomic
def person_add_to_group(
    *, group: Group, email: str, first_name: str, last_name: str, role: str, request=None
) -> PersonAdded:
    """Give a person a role in a group: their account (created if needed, with a link to
    choose a password) and their place in the group's member register, from which their
    access follows. One source of truth: the register."""
    if role not in Role.values:
        raise ValidationError({"role": _("Kies een rol uit de lijst.")})
    user, link = tenant_services.user_for_email(
        email=email,
        first_name=first_name,
        last_name=last_name,
        welcome_to=group.name,
        request=request,
    )
    name = f"{first_name} {last_name}".strip() or user.get_full_name() or user.email
    with tenant_context(group):
        groups.person_join(
            user_id=user.pk, name=name, email=user.email, role=role, on=timezone.localdate()
        )
    return PersonAdded(user=user, role_label=str(Role(role).label), password_link=link)
