"""Reads on the registry."""

from django.db.models import Count, QuerySet

from tenants.models import AccessLogEntry, Assignment, Group, Membership, User


def groups_visible() -> QuerySet[Group]:
    """Real groups, never the template."""
    return Group.objects.filter(is_template=False)


def groups_of_member(*, user: User) -> QuerySet[Group]:
    return groups_visible().filter(memberships__user=user, is_active=True).distinct()


def caseload(*, user: User) -> QuerySet[Group]:
    """The groups a support worker coaches."""
    return (
        groups_visible()
        .filter(assignments__user=user)
        .annotate(member_count=Count("memberships__user", distinct=True))
        .order_by("name")
    )


def coordinator_overview() -> QuerySet[Group]:
    return groups_visible().annotate(
        member_count=Count("memberships__user", distinct=True),
        coach_count=Count("assignments", distinct=True),
    )


def group_people(*, group: Group) -> list[Membership]:
    return list(
        Membership.objects.filter(group=group)
        .select_related("user")
        .order_by("role", "user__last_name")
    )


def group_coaches(*, group: Group) -> list[Assignment]:
    return list(Assignment.objects.filter(group=group).select_related("user"))


def access_log(*, group: Group, limit: int = 100) -> list[AccessLogEntry]:
    return list(AccessLogEntry.objects.filter(group=group).order_by("-at")[:limit])
