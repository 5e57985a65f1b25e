"""Every table of a group's organisation, by subdomain; Django loads the app's models from here.

Code imports models from their subdomain (`groups.organisation.models`, `groups.decisions.models`,
`groups.relations.models`); this package only tells Django where they are. The app label stays
`groups`, so the migrations are unchanged.
"""

from groups.decisions.models import Attendance, Decision, DecisionRules, DecisionSequence, Meeting

# DateRange is named here because migration 0002 refers to it as groups.models.DateRange.
from groups.organisation.models import DateRange, GroupEvent, Member, Profile, RoleTerm
from groups.relations.models import Agreement, Conflict, Partner

__all__ = [
    "Agreement",
    "Attendance",
    "Conflict",
    "DateRange",
    "Decision",
    "DecisionRules",
    "DecisionSequence",
    "GroupEvent",
    "Meeting",
    "Member",
    "Partner",
    "Profile",
    "RoleTerm",
]
