"""Setup status: what a new group still misses; bank account and budget come from finance."""

import datetime

import pytest

from groups import selectors, services


def _states():
    return {item.step: item.state for item in selectors.setup_status()}


def test_new_group_misses_everything_and_finance_steps_are_not_checked(in_group_a):
    assert _states() == {
        "profiel": "ontbreekt",
        "rollen": "ontbreekt",
        "regels": "ontbreekt",
        "bank": "niet_gecontroleerd",
        "begroting": "niet_gecontroleerd",
        "privacy": "ontbreekt",
    }


def test_completed_steps_turn_done(board, rules, in_group_a):
    profile = selectors.profile_get()
    services.profile_update(
        profile=profile, contact_email="info@kbuurt.nl", privacy_statement="Wij bewaren …"
    )
    states = _states()
    assert {k: states[k] for k in ("profiel", "rollen", "regels", "privacy")} == dict.fromkeys(
        ("profiel", "rollen", "regels", "privacy"), "klaar"
    )


def test_foundation_needs_kvk_number(in_group_a):
    profile = selectors.profile_get()
    services.profile_update(profile=profile, legal_form="stichting", contact_email="a@b.nl")
    item = selectors.setup_status()[0]
    assert item.state == "ontbreekt" and "KvK-nummer" in item.detail


def test_missing_roles_are_named(board, group_a):
    from groups.models import RoleTerm

    services.role_end(
        group=group_a,
        term=RoleTerm.objects.get(role="penningmeester"),
        ends_on=datetime.date(2026, 1, 1),
    )
    item = selectors.setup_status()[1]
    assert item.state == "ontbreekt" and "penningmeester" in item.detail


@pytest.mark.parametrize("answer, state", [(True, "klaar"), (False, "ontbreekt")])
def test_finance_answers_are_used_once_finance_exposes_them(in_group_a, monkeypatch, answer, state):
    import finance.selectors

    monkeypatch.setattr(finance.selectors, "bank_account_present", lambda: answer, raising=False)
    monkeypatch.setattr(finance.selectors, "budget_present", lambda: answer, raising=False)
    states = _states()
    assert states["bank"] == state and states["begroting"] == state
