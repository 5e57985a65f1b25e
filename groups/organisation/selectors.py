"""Reads on the organisation: profile, members and roles, events, the set-up wizard."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finance import facade as finance_facade
from groups.decisions.models import Attendance
from groups.decisions.selectors import rules_current
from groups.organisation.models import BOARD_ROLES, GroupEvent, Member, Profile, Role, RoleTerm


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
    holders: dict[str, list[RoleTerm]] = {role.value: [] for role in Role}
    for term in terms:
        holders[term.role].append(term)
    return holders


def board_gaps(*, on: datetime.date | None = None) -> list[str]:
    """Board roles nobody holds today: labels for the warning (chair, treasurer, secretary)."""
    holders = role_holders(on=on)
    return [str(role.label) for role in BOARD_ROLES if not holders[role.value]]


def member_export_data(*, member: Member) -> dict:
    """Everything the register holds about one person (AVG inzage)."""
    terms = member_terms(member=member)
    meetings = (
        Attendance.objects.filter(member=member)
        .select_related("meeting")
        .order_by("meeting__held_on")
    )
    return {
        "lid": {
            "nummer": member.pk,
            "naam": member.name,
            "e-mail": member.email,
            "telefoon": member.phone,
            "adres": member.address,
            "lid_sinds": member.joined_on.isoformat(),
            "gestopt_op": member.left_on.isoformat() if member.left_on else None,
            "heeft_account": member.user_id is not None,
        },
        "rollen": [
            {
                "rol": t.role,
                "begint_op": t.starts_on.isoformat(),
                "eindigt_op": t.ends_on.isoformat() if t.ends_on else None,
                "overdracht": t.handover_note,
            }
            for t in terms
        ],
        "aanwezig_bij": [
            {"vergadering": a.meeting.get_kind_display(), "datum": a.meeting.held_on.isoformat()}
            for a in meetings
        ],
        "geschiedenis": [
            {
                "datum": h.history_date.isoformat(),
                "soort": h.history_type,
                "naam": h.name,
                "e-mail": h.email,
                "telefoon": h.phone,
                "adres": h.address,
            }
            for h in member.history.order_by("history_date", "history_id")
        ],
    }


def events_recent(*, limit: int = 10) -> list[GroupEvent]:
    from groups.events import describe

    rows = list(GroupEvent.objects.order_by("-at", "-id")[:limit])
    for row in rows:
        row.summary = describe(row)
    return rows


DONE = "klaar"


MISSING = "ontbreekt"


NOT_CHECKED = "niet_gecontroleerd"


@dataclass(frozen=True)
class SetupItem:
    step: str
    label: str
    state: str  # DONE, MISSING or NOT_CHECKED
    detail: str = ""


def _finance_item(step: str, label, done: bool) -> SetupItem:
    return SetupItem(step, str(label), DONE if done else MISSING)


SETUP_LABELS = {
    "profiel": gettext_lazy("Profiel van de groep"),
    "rollen": gettext_lazy("Rollen: voorzitter, penningmeester, secretaris"),
    "regels": gettext_lazy("Beslisregels"),
    "bank": gettext_lazy("Bankrekening"),
    "begroting": gettext_lazy("Begroting"),
    "privacy": gettext_lazy("Privacyverklaring"),
}


SETUP_STEPS = list(SETUP_LABELS)


def setup_status() -> list[SetupItem]:
    """What a new group has set up and what is still missing, in the wizard's order."""
    profile = profile_get()
    items = []
    missing_profile = []
    if profile is None or not profile.name:
        missing_profile.append(_("naam"))
    elif profile.legal_form != Profile.LegalForm.INFORMAL and not profile.kvk_number:
        missing_profile.append(_("KvK-nummer"))
    if profile is not None and not (
        profile.contact_email or profile.contact_phone or profile.contact_note
    ):
        missing_profile.append(_("contactgegevens"))
    items.append(
        SetupItem(
            "profiel",
            str(SETUP_LABELS["profiel"]),
            MISSING if missing_profile else DONE,
            _("Nog nodig: %(list)s.") % {"list": ", ".join(missing_profile)}
            if missing_profile
            else "",
        )
    )
    gaps = board_gaps()
    items.append(
        SetupItem(
            "rollen",
            str(SETUP_LABELS["rollen"]),
            MISSING if gaps else DONE,
            _("Nog niemand als: %(list)s.") % {"list": ", ".join(gaps)} if gaps else "",
        )
    )
    items.append(
        SetupItem("regels", str(SETUP_LABELS["regels"]), DONE if rules_current() else MISSING)
    )
    books = finance_facade.setup_state()
    items.append(_finance_item("bank", SETUP_LABELS["bank"], books.bank_account_present))
    items.append(_finance_item("begroting", SETUP_LABELS["begroting"], books.budget_present))
    items.append(
        SetupItem(
            "privacy",
            str(SETUP_LABELS["privacy"]),
            DONE if profile is not None and profile.privacy_statement.strip() else MISSING,
        )
    )
    return items
