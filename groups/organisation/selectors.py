"""Reads on the organisation: profile, members and roles, events, the set-up wizard."""

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from groups.organisation.models import GroupEvent, Member, Profile, RoleTerm
from tenants.facade import BOARD_ROLES, TERM_ROLES, Role


def profile_get() -> Profile | None:
    return Profile.objects.filter(id=1).first()


def members_list(*, include_former: bool = False) -> QuerySet[Member]:
    today = timezone.localdate()
    current_terms = RoleTerm.objects.filter(starts_on__lte=today).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )
    qs = Member.objects.prefetch_related(
        Prefetch("terms", queryset=current_terms, to_attr="current_terms")
    ).order_by("name", "id")
    if not include_former:
        qs = qs.filter(left_on__isnull=True, anonymised_at__isnull=True)
    return qs


def member_get(*, pk: int) -> Member | None:
    return Member.objects.filter(pk=pk).first()


def member_for_user(*, user_id: int) -> Member | None:
    return Member.objects.filter(user_id=user_id, anonymised_at__isnull=True).first()


def member_terms(*, member: Member) -> QuerySet[RoleTerm]:
    return member.terms.select_related("handed_over_from__member").order_by("-starts_on")


def term_get(*, pk: int) -> RoleTerm | None:
    return RoleTerm.objects.select_related("member").filter(pk=pk).first()


def role_holders(*, on: datetime.date | None = None) -> dict[str, list[RoleTerm]]:
    on = on or timezone.localdate()
    terms = (
        RoleTerm.objects.filter(starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .select_related("member")
        .order_by("role", "starts_on")
    )
    holders: dict[str, list[RoleTerm]] = {role: [] for role in TERM_ROLES}
    for term in terms:
        holders[term.role].append(term)
    return holders


def board_gaps(*, on: datetime.date | None = None) -> list[str]:
    """Board roles nobody holds today: labels for the warning (chair, treasurer, secretary)."""
    holders = role_holders(on=on)
    return [str(Role(role).label) for role in BOARD_ROLES if not holders[role]]


def events_recent(*, limit: int = 10) -> list[GroupEvent]:
    from groups.organisation.events import describe

    rows = list(GroupEvent.objects.order_by("-at", "-id")[:limit])
    for row in rows:
        row.summary = describe(row)
    return rows
