"""Setup status: what a new group still misses; bank account and budget come from finance."""

import datetime

from groups import setup
from groups.organisation import selectors as org_selectors
from groups.organisation import services as org_services


def _states():
    return {item.step: item.state for item in setup.setup_status()}


def test_new_group_misses_everything(in_group_a):
    assert _states() == {
        "profiel": "ontbreekt",
        "rollen": "ontbreekt",
        "regels": "ontbreekt",
        "bank": "ontbreekt",
        "begroting": "ontbreekt",
        "privacy": "ontbreekt",
    }


def test_bank_account_and_budget_steps_follow_the_books(in_group_a, users):
    # given: the treasurer adds a bank account and a budget line
    import datetime as dt
    from decimal import Decimal

    from finance.bank import importing
    from finance.grants import services as grant_services
    from finance.ledger.models import Account

    importing.bank_account_create(
        user=users["treasurer"],
        iban="NL91ABNA0417164300",
        name="Bank",
        holder="Hart voor de K-buurt",
        ledger_account=Account.objects.get(role="bank"),
    )
    grant = grant_services.grant_create(
        user=users["treasurer"],
        funder="Stadsdeel Zuidoost",
        reference="SZO-2026-1",
        title="Buurtbudget",
        amount=Decimal("1000.00"),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 12, 31),
    )
    category = Account.objects.filter(kind=Account.Kind.EXPENSE).first()
    grant_services.budget_line_create(
        grant=grant,
        user=users["treasurer"],
        account=category,
        description="Feest",
        amount=Decimal("500.00"),
    )
    # then: the wizard marks both steps done
    states = _states()
    assert states["bank"] == "klaar" and states["begroting"] == "klaar"


def test_completed_steps_turn_done(board, rules, in_group_a):
    profile = org_selectors.profile_get()
    org_services.profile_update(
        profile=profile, contact_email="info@kbuurt.nl", privacy_statement="Wij bewaren …"
    )
    states = _states()
    assert {k: states[k] for k in ("profiel", "rollen", "regels", "privacy")} == dict.fromkeys(
        ("profiel", "rollen", "regels", "privacy"), "klaar"
    )


def test_foundation_needs_kvk_number(in_group_a):
    profile = org_selectors.profile_get()
    org_services.profile_update(profile=profile, legal_form="stichting", contact_email="a@b.nl")
    item = setup.setup_status()[0]
    assert item.state == "ontbreekt" and "KvK-nummer" in item.detail


def test_missing_roles_are_named(board, group_a):
    from groups.organisation.models import RoleTerm

    org_services.role_end(
        group=group_a,
        term=RoleTerm.objects.get(role="penningmeester"),
        ends_on=datetime.date(2026, 1, 1),
    )
    item = setup.setup_status()[1]
    assert item.state == "ontbreekt" and "penningmeester" in item.detail
