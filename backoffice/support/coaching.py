"""Coaching: sessions with follow-ups, ACTIE checks, and the time spent rolled up.

The session notes belong to the support organisation; they are read only through
`sessions_for_staff` and never through anything a group's own pages use.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from backoffice.core.services import model_update
from backoffice.support.models import (
    ActieCheck,
    ActieDimension,
    CoachingSession,
    FollowUp,
    SupportRequest,
)
from tenants.facade import Role
from tenants.models import Assignment

MAX_MINUTES = 12 * 60


def may_coach(user, group) -> bool:
    return user.is_coordinator or (
        user.is_support_staff and Assignment.objects.filter(user=user, group=group).exists()
    )


def _require_coach(user, group) -> None:
    if not may_coach(user, group):
        raise PermissionDenied(_("Je bent niet gekoppeld aan deze groep."))


@transaction.atomic
def session_log(
    *,
    group,
    worker,
    held_on: dt.date,
    minutes,
    attendee_roles: list[str] = (),
    topics: list[str] = (),
    notes: str = "",
    request: SupportRequest | None = None,
    followups: list[tuple[str, dt.date, object]] = (),
) -> CoachingSession:
    """Log a session, with its follow-ups (description, due date, owner)."""
    _require_coach(worker, group)
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 0 < minutes <= MAX_MINUTES:
        raise ValidationError(
            {"minutes": _("Een gesprek duurt minstens 1 minuut en hoogstens 12 uur.")}
        )
    unknown_roles = set(attendee_roles) - set(Role.values)
    unknown_topics = set(topics) - set(ActieDimension.values)
    if unknown_roles or unknown_topics:
        raise ValidationError(_("Kies rollen en onderwerpen uit de lijst."))
    if request is not None and request.group_id != group.pk:
        raise ValidationError({"request": _("Deze ondersteuningsvraag is van een andere groep.")})
    session = model_update(
        CoachingSession(),
        worker,
        group=group,
        worker=worker,
        held_on=held_on,
        minutes=minutes,
        attendee_roles=sorted(set(attendee_roles)),
        topics=[t for t in ActieDimension.values if t in set(topics)],
        notes=notes.strip(),
        request=request,
    )
    for description, due_on, owner in followups:
        if not description.strip():
            continue
        if due_on is None:
            raise ValidationError({"followup_due": _("Geef de vervolgafspraak een datum.")})
        model_update(
            FollowUp(),
            worker,
            session=session,
            group=group,
            description=description.strip()[:300],
            due_on=due_on,
            owner=owner,
        )
    return session


@transaction.atomic
def followup_done(*, followup: FollowUp, user, on: dt.date) -> FollowUp:
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    _require_coach(user, followup.group)
    return model_update(followup, user, done_on=on)


@transaction.atomic
def actie_record(
    *, group, user, source: str, scored_on: dt.date, scores: dict, notes: dict | None = None
) -> ActieCheck:
    """Scores 1–5 on all five dimensions, each with an optional note."""
    if source == ActieCheck.Source.WORKER:
        _require_coach(user, group)
    errors = {}
    clean = {}
    for dimension in ActieDimension.values:
        try:
            value = int(scores.get(dimension))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            errors[dimension] = _("Geef voor %(d)s een score van 1 tot en met 5.") % {
                "d": ActieDimension(dimension).label
            }
        clean[dimension] = value
    if errors:
        raise ValidationError(errors)
    notes = {d: str(v).strip()[:500] for d, v in (notes or {}).items() if d in clean and v}
    return model_update(
        ActieCheck(),
        user,
        group=group,
        source=source,
        scored_on=scored_on,
        scored_by=user,
        notes=notes,
        **clean,
    )


def sessions_for_staff(*, group) -> list[CoachingSession]:
    """Sessions with their notes: for the support organisation's pages only."""
    return list(
        CoachingSession.objects.filter(group=group)
        .select_related("worker", "request__offering")
        .prefetch_related("followups__owner")
    )


def open_followups(*, group) -> list[FollowUp]:
    return list(FollowUp.objects.filter(group=group, done_on__isnull=True).select_related("owner"))


def actie_series(*, group) -> dict[str, list[ActieCheck]]:
    checks = list(ActieCheck.objects.filter(group=group).order_by("scored_on", "pk"))
    return {
        ActieCheck.Source.WORKER: [c for c in checks if c.source == ActieCheck.Source.WORKER],
        ActieCheck.Source.GROUP: [c for c in checks if c.source == ActieCheck.Source.GROUP],
    }


def hours(minutes) -> Decimal:
    return (Decimal(minutes or 0) / 60).quantize(Decimal("0.1"))


def time_rollup(*, by: str, groups=None, since: dt.date | None = None) -> list[dict]:
    """Hours of coaching per group, worker, offering or provider (one query)."""
    field = {
        "group": "group__name",
        "worker": "worker__username",
        "offering": "request__offering__title",
        "provider": "request__provider__name",
    }[by]
    sessions = CoachingSession.objects.all()
    if groups is not None:
        sessions = sessions.filter(group__in=groups)
    if since is not None:
        sessions = sessions.filter(held_on__gte=since)
    rows = (
        sessions.values(field)
        .annotate(minutes=Sum("minutes"), sessions=Count("pk"))
        .order_by("-minutes", field)
    )
    return [
        {
            "name": row[field] or _("(zonder ondersteuningsvraag)"),
            "hours": hours(row["minutes"]),
            "sessions": row["sessions"],
        }
        for row in rows
    ]
