"""Who sees what in the learning space. The one place that decides it.

- Support organisation staff (ondersteuner, coördinator) see every published article and the
  whole exchange; coordinators are also the moderators.
- Members of any resident group see articles for all groups and for officials, and the
  exchange.
- Municipal officials (User.OrgRole.OFFICIAL) see only articles meant for them; the exchange
  is between groups and the support organisation.
- Anyone else who is logged in sees nothing (403).

Drafts are never shown to readers: only the live copy of an approved article is.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from tenants import facade as tenants

from .models import Visibility

ALL_LEVELS = (Visibility.SUPPORT, Visibility.GROUPS, Visibility.OFFICIALS)


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    is_support: bool = False
    is_moderator: bool = False
    is_official: bool = False
    is_member: bool = False
    group_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def levels(self) -> tuple[str, ...]:
        """The article visibilities this person may read."""
        if self.is_support:
            return tuple(str(level) for level in ALL_LEVELS)
        if self.is_member:
            return (str(Visibility.GROUPS), str(Visibility.OFFICIALS))
        if self.is_official:
            return (str(Visibility.OFFICIALS),)
        return ()

    @property
    def may_enter(self) -> bool:
        return bool(self.levels)

    @property
    def may_exchange(self) -> bool:
        return self.is_support or self.is_member

    @property
    def may_write_articles(self) -> bool:
        return self.is_support

    def may_read(self, visibility: str) -> bool:
        return visibility in self.levels


NOBODY = Viewer(user_id=None)


def viewer_for(user, *, member_of: int | None = None, levels_only: bool = False) -> Viewer:
    """The viewer for a person: at most one query (their groups).

    No query when `member_of` names a group they are known to be a member of (a page inside
    that group), nor for support staff with `levels_only` (what they may read does not depend
    on their groups; only the author lines of anonymous posts do).
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    if member_of is not None:
        group_ids = frozenset({member_of})
    elif levels_only and user.is_support_staff:
        group_ids = frozenset()
    else:
        group_ids = frozenset(tenants.groups_of_member(user=user).values_list("id", flat=True))
    return Viewer(
        user_id=user.pk,
        is_support=user.is_support_staff,
        is_moderator=user.is_coordinator,
        is_official=user.is_official,
        is_member=bool(group_ids),
        group_ids=group_ids,
    )


@dataclass(frozen=True)
class ShownAuthor:
    """The author line of a post or reply as this viewer may see it."""

    text: str
    anonymous: bool = False  # posted without the group's name
    note: str = ""  # for moderators and the own group: that others do not see the name


def _first_name(user) -> str:
    if user is None:
        return _("onbekend")
    return user.first_name or user.get_username()


def shown_author(
    *, author, group_id: int | None, group_name: str, anonymous: bool, viewer: Viewer
) -> ShownAuthor:
    """What a viewer may know of who wrote something; the group's name only when allowed.

    The group's name reaches another group never for an anonymous post: not the person's
    name either, since a name gives the group away.
    """
    if group_id is None:
        return ShownAuthor(_("%(name)s, ondersteuningsorganisatie") % {"name": _first_name(author)})
    if not anonymous:
        return ShownAuthor(
            _("%(name)s, %(group)s") % {"name": _first_name(author), "group": group_name}
        )
    if viewer.is_moderator or group_id in viewer.group_ids:
        return ShownAuthor(
            _("%(name)s, %(group)s") % {"name": _first_name(author), "group": group_name},
            anonymous=True,
            note=_("zonder naam geplaatst: andere groepen zien de naam van de groep niet"),
        )
    return ShownAuthor(_("Een bewonersgroep"), anonymous=True)
