"""Platforms: groups linked together with a shared page and a contact list of the groups'
public contacts (what each group's public page shows, kept in its row of facts)."""

from backoffice.support.models import Platform
from tenants.facts import GroupFacts
from tenants.models import Membership


def may_see(user, platform: Platform) -> bool:
    """Support staff, and members of a group in the platform."""
    if user.is_support_staff:
        return True
    return Membership.objects.filter(user=user, group__in=platform.groups.all()).exists()


def contacts(platform: Platform) -> list[dict]:
    groups = list(platform.groups.filter(is_active=True).order_by("name"))
    facts = {f.pk: f for f in GroupFacts.objects.filter(group__in=groups)}
    return [
        {
            "group": g,
            "email": getattr(facts.get(g.pk), "contact_email", ""),
            "phone": getattr(facts.get(g.pk), "contact_phone", ""),
        }
        for g in groups
    ]


def platforms_of_group(group) -> list[Platform]:
    return list(Platform.objects.filter(groups=group))
