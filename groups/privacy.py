"""What the group holds about one person (AVG inzage): register, roles, meetings, history."""

from groups.decisions.models import Attendance
from groups.organisation.models import Member
from groups.organisation.selectors import member_terms


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
