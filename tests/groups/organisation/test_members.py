"""The member register: roles with terms, handover, access grants, AVG export and erasure."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from groups import privacy
from groups.organisation import selectors as org_selectors
from groups.organisation import services as org_services
from groups.organisation.models import GroupEvent, Member, RoleTerm
from tenants.models import Membership
from tests.groups.conftest import DAY


def test_overlapping_terms_for_one_board_role_are_refused(board, make_member, group_a):
    # given: Priscilla is treasurer since 2025 with an open term
    other = make_member("Ahmed Ouali")
    # when / then
    with pytest.raises(ValidationError) as exc:
        org_services.role_assign(group=group_a, member=other, role="penningmeester", starts_on=DAY)
    assert "al iemand penningmeester" in str(exc.value)
    assert RoleTerm.objects.filter(role="penningmeester").count() == 1


def test_database_refuses_overlapping_board_terms(board, make_member):
    other = make_member("Ahmed Ouali")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleTerm.objects.create(member=other, role="voorzitter", starts_on=DAY)


def test_audit_committee_has_two_seats_but_one_person_cannot_overlap_itself(make_member, group_a):
    a, b = make_member("Hanneke Visser"), make_member("Orlando Pinas")
    org_services.role_assign(group=group_a, member=a, role="kascommissie", starts_on=DAY)
    org_services.role_assign(group=group_a, member=b, role="kascommissie", starts_on=DAY)
    with pytest.raises(ValidationError, match="mogen niet overlappen"):
        org_services.role_assign(
            group=group_a, member=a, role="kascommissie", starts_on=DAY.replace(day=20)
        )


def test_term_cannot_start_before_joining_or_end_before_start(make_member, group_a):
    m = make_member("Ryan Sedney", joined_on=DAY)
    with pytest.raises(ValidationError, match="voordat iemand lid werd"):
        org_services.role_assign(
            group=group_a, member=m, role="secretaris", starts_on=DAY.replace(day=1)
        )
    with pytest.raises(ValidationError):
        org_services.role_assign(
            group=group_a, member=m, role="secretaris", starts_on=DAY, ends_on=DAY.replace(day=1)
        )
    assert not RoleTerm.objects.exists()


def test_assigning_a_current_role_to_a_member_with_account_grants_access(
    make_member, users, group_a
):
    # given: an outsider's account becomes a register member: that alone lets them in as "lid"
    m = make_member("Buitenstaander", user=users["outsider"])
    grants = Membership.objects.filter(user=users["outsider"], group=group_a)
    assert set(grants.values_list("role", flat=True)) == {"lid"}
    # when
    org_services.role_assign(
        group=group_a, member=m, role="secretaris", starts_on=datetime.date(2025, 6, 1)
    )
    # then
    assert set(grants.values_list("role", flat=True)) == {"lid", "secretaris"}


def test_handover_ends_old_term_starts_new_and_moves_access(board, make_member, users, group_a):
    # given
    new_treasurer = make_member("Ahmed Ouali", user=users["outsider"])
    old_term = RoleTerm.objects.get(role="penningmeester")
    on = datetime.date(2026, 2, 1)
    # when
    result = org_services.role_handover(
        group=group_a,
        term=old_term,
        to_member=new_treasurer,
        on=on,
        note="Bankpas en archief overgedragen.",
        by_user_id=users["chair"].pk,
    )
    # then
    assert result.ended.ends_on == datetime.date(2026, 1, 31)
    assert result.started.starts_on == on and result.started.handed_over_from == old_term
    assert not Membership.objects.filter(
        user=users["treasurer"], group=group_a, role="penningmeester"
    ).exists()
    assert Membership.objects.filter(
        user=users["outsider"], group=group_a, role="penningmeester"
    ).exists()
    assert GroupEvent.objects.filter(kind=GroupEvent.Kind.ROLE_HANDED_OVER).count() == 1
    assert old_term.history.count() == 2  # created, then ended
    assert org_selectors.board_gaps() == []


def test_handover_needs_a_note_and_another_person(board, group_a):
    term = RoleTerm.objects.get(role="voorzitter")
    with pytest.raises(ValidationError, match="wat er is overgedragen"):
        org_services.role_handover(
            group=group_a,
            term=term,
            to_member=board["secretary"],
            on=DAY,
            note=" ",
            by_user_id=None,
        )
    with pytest.raises(ValidationError, match="iemand anders"):
        org_services.role_handover(
            group=group_a, term=term, to_member=board["chair"], on=DAY, note="x", by_user_id=None
        )
    term.refresh_from_db()
    assert term.ends_on is None


def test_board_gaps_warn_for_missing_roles(board, group_a):
    assert org_selectors.board_gaps() == []
    org_services.role_end(
        group=group_a,
        term=RoleTerm.objects.get(role="secretaris"),
        ends_on=datetime.date(2026, 1, 1),
    )
    assert org_selectors.board_gaps() == ["secretaris"]


def test_board_gaps_when_nobody_is_registered(in_group_a):
    assert org_selectors.board_gaps() == ["voorzitter", "penningmeester", "secretaris"]


def test_one_register_entry_per_account(make_member, users):
    make_member("Eerste", user=users["member"])
    with pytest.raises(ValidationError, match="hoort al bij iemand anders"):
        make_member("Tweede", user=users["member"])


def test_export_holds_everything_about_the_person(board_meeting, board):
    data = privacy.member_export_data(member=board["chair"])
    assert data["lid"]["naam"] == "Kwame Mensah" and data["lid"]["e-mail"] == "kwame@example.nl"
    assert data["rollen"][0]["rol"] == "voorzitter"
    assert data["aanwezig_bij"] == [{"vergadering": "bestuursvergadering", "datum": "2026-03-10"}]
    assert len(data["geschiedenis"]) == 1
    json.dumps(data)  # serialisable as is


def test_anonymise_refused_while_holding_a_role(board, group_a):
    with pytest.raises(ValidationError, match="Draag die eerst over"):
        org_services.member_anonymise(member=board["chair"], group=group_a, by_user_id=None)
    assert Member.objects.get(pk=board["chair"].pk).name == "Kwame Mensah"


def test_anonymise_scrubs_row_and_history_keeps_links_and_ends_access(
    record, board, users, group_a
):
    # given: the treasurer was present at a meeting with a decision, then handed over and left
    decision = record()
    treasurer = board["treasurer"]
    org_services.member_update(member=treasurer, address="Kruitberg 1, Amsterdam")
    term = RoleTerm.objects.get(role="penningmeester")
    org_services.role_handover(
        group=group_a,
        term=term,
        to_member=board["secretary"],
        on=DAY + datetime.timedelta(days=1),
        note="Alles over.",
        by_user_id=None,
    )
    # when
    org_services.member_anonymise(member=treasurer, group=group_a, by_user_id=users["chair"].pk)
    # then: the row keeps its id and links, personal data is gone everywhere
    treasurer.refresh_from_db()
    assert treasurer.name == Member.ANONYMOUS_NAME and treasurer.is_anonymised
    assert (treasurer.email, treasurer.phone, treasurer.address, treasurer.user_id) == (
        "",
        "",
        "",
        None,
    )
    for row in treasurer.history.all():
        assert row.name == Member.ANONYMOUS_NAME
        assert (row.email, row.phone, row.address, row.user_id) == ("", "", "", None)
    assert decision.meeting.attendance.filter(member=treasurer).exists()
    assert RoleTerm.objects.filter(member=treasurer).count() == 1
    assert not Membership.objects.filter(user=users["treasurer"], group=group_a).exists()
    event = GroupEvent.objects.get(kind=GroupEvent.Kind.MEMBER_ANONYMISED)
    from groups.organisation.events import describe

    assert "Priscilla" not in describe(event) and "Priscilla" not in str(event.new)
    assert event.object_type == "member" and event.object_id == treasurer.pk
    # and no longer editable
    with pytest.raises(ValidationError, match="geanonimiseerd"):
        org_services.member_update(member=treasurer, name="Terug")


def test_ending_a_term_ends_access_after_its_last_day(board, users, group_a):
    from django.utils import timezone

    # the end date is the last day in office, as everywhere in the register
    today = timezone.localdate()
    grants = Membership.objects.filter(user=users["secretary"], group=group_a, role="secretaris")
    term = RoleTerm.objects.get(role="secretaris")
    org_services.role_end(group=group_a, term=term, ends_on=today)
    assert grants.exists()  # still in office today; the daily sync ends it tomorrow
    assert org_services.access_sync(group=group_a, on=today + datetime.timedelta(days=1))[1] == 1
    assert not grants.exists()
    assert "secretaris" in org_selectors.board_gaps(on=today + datetime.timedelta(days=1))


def test_ending_a_term_yesterday_ends_access_now(board, users, group_a):
    from django.utils import timezone

    grants = Membership.objects.filter(user=users["secretary"], group=group_a, role="secretaris")
    term = RoleTerm.objects.get(role="secretaris")
    org_services.role_end(
        group=group_a, term=term, ends_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    assert not grants.exists()
    # still a member of the group: "lid" stays
    assert Membership.objects.filter(user=users["secretary"], group=group_a, role="lid").exists()
