"""The group's business events: one writer per event, called inside the change's transaction.

Events store what happened as data (`new`: reference numbers, dates, outcomes — never names),
and say it in words when shown, in the reader's language (`describe`).
"""

import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.events import record
from groups.organisation.models import GroupEvent, Member, RoleTerm

Kind = GroupEvent.Kind

# The words for a decision's outcome (the labels of groups.decisions.models.Decision.Outcome;
# events are the lower layer and do not import decisions).
OUTCOMES = {
    "aangenomen": gettext_lazy("aangenomen"),
    "geen_meerderheid": gettext_lazy("ongeldig: geen meerderheid"),
    "geen_quorum": gettext_lazy("ongeldig: geen quorum"),
}


def decision_recorded(*, decision, actor_id: int | None) -> GroupEvent:
    return record(
        GroupEvent,
        kind=Kind.DECISION_RECORDED,
        actor=actor_id,
        obj=decision,
        new={"reference": decision.reference, "outcome": decision.outcome},
    )


def decision_published(*, decision, actor_id: int | None) -> GroupEvent:
    return record(
        GroupEvent,
        kind=Kind.DECISION_PUBLISHED,
        actor=actor_id,
        obj=decision,
        old={"is_published": False},
        new={"is_published": True, "reference": decision.reference},
    )


def rules_changed(*, decision, actor_id: int | None) -> GroupEvent:
    return record(
        GroupEvent,
        kind=Kind.RULES_CHANGED,
        actor=actor_id,
        obj=decision,
        new={"reference": decision.reference},
    )


def role_handed_over(
    *, ended: RoleTerm, started: RoleTerm, on: datetime.date, actor_id: int | None
) -> GroupEvent:
    return record(
        GroupEvent,
        kind=Kind.ROLE_HANDED_OVER,
        actor=actor_id,
        obj=started,
        old={"member": ended.member_id},
        new={"member": started.member_id, "role": started.role, "on": on.isoformat()},
    )


def member_anonymised(*, member: Member, actor_id: int | None) -> GroupEvent:
    return record(GroupEvent, kind=Kind.MEMBER_ANONYMISED, actor=actor_id, obj=member)


def describe(event: GroupEvent) -> str:
    """The event in one plain sentence, in the active language."""
    new = event.new or {}
    if event.kind == Kind.DECISION_RECORDED:
        outcome = OUTCOMES.get(new.get("outcome"), new.get("outcome"))
        return _("Besluit %(ref)s vastgelegd: %(outcome)s.") % {
            "ref": new.get("reference", ""),
            "outcome": outcome,
        }
    if event.kind == Kind.DECISION_PUBLISHED:
        return _("Besluit %(ref)s staat op de openbare pagina.") % {"ref": new.get("reference")}
    if event.kind == Kind.RULES_CHANGED:
        return _("Beslisregels gewijzigd door besluit %(ref)s.") % {"ref": new.get("reference")}
    if event.kind == Kind.ROLE_HANDED_OVER:
        role = dict(RoleTerm._meta.get_field("role").choices).get(new.get("role"), "")
        on = datetime.date.fromisoformat(new["on"]) if new.get("on") else None
        return _("Rol %(role)s overgedragen per %(date)s.") % {
            "role": role,
            "date": on.strftime("%d-%m-%Y") if on else "",
        }
    if event.kind == Kind.MEMBER_ANONYMISED:
        return _("Lid nr. %(id)s geanonimiseerd op verzoek (AVG).") % {"id": event.object_id}
    return event.note or event.get_kind_display()
