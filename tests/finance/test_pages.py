"""Every finance page for every kind of visitor, and no N+1 on the busy pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django_tenants.utils import tenant_context

from finance.closing import services as closing_services
from finance.closing.models import AuditSample
from finance.grants import services as grant_services
from finance.grants.models import BudgetLine
from finance.ledger.models import FinancialYear, Receipt
from tests.conftest import data_for_the_module
from tests.finance.conftest import acc, expense, png_bytes

WHO = ["treasurer", "chair", "member", "audit", "support", "other", None]


@pytest.fixture(scope="module")
def sample(session_world, django_db_blocker, tmp_path_factory):
    """Books of group A with one of everything, built once for the module (rolled back after
    it); returns the ids the URLs need."""
    from django.conf import settings

    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    with data_for_the_module(django_db_blocker):
        yield _build_sample(session_world)
    settings.MEDIA_ROOT = old_media


def _build_sample(world):
    users = world.users
    t = users["treasurer"]
    with tenant_context(world.group_a):
        grant = grant_services.grant_create(
            user=t,
            funder="Stadsdeel Zuidoost",
            reference="SZO-2026-1",
            title="Buurtbudget",
            amount=Decimal("5000.00"),
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        line = grant_services.budget_line_create(
            grant=grant,
            user=t,
            account=acc("4000"),
            description="Buurtfeest",
            amount=Decimal("1500.00"),
        )
        tranche = grant_services.tranche_create(
            grant=grant, user=t, expected_on=date(2026, 2, 1), amount=Decimal("2500.00")
        )
        commitment = grant_services.commitment_create(
            budget_line=line,
            user=t,
            description="DJ",
            amount=Decimal("200.00"),
            approved_on=date(2026, 2, 1),
        )
        expense(t, "100.00", day=date(2025, 5, 1))
        closing_services.year_close(year=FinancialYear.objects.get(year=2025), user=t)
        reopen = closing_services.year_reopen_request(
            year=FinancialYear.objects.get(year=2025), user=t, reason="Bonnetje vergeten"
        )
        posted = expense(
            t,
            "45.00",
            day=date(2026, 3, 1),
            budget_line=line,
            receipt_name="bon.png",
            receipt_data=png_bytes("a"),
        )
        draft = expense(users["secretary"], "12.00", day=date(2026, 3, 2))
        check = closing_services.audit_start(
            year=FinancialYear.objects.get(year=2026), user=users["audit"]
        )
        ids = {
            "grant": grant.pk,
            "line": line.pk,
            "tranche": tranche.pk,
            "commitment": commitment.pk,
            "posted": posted.pk,
            "draft": draft.pk,
            "receipt": Receipt.objects.get().pk,
            "account": acc("4200").pk,
            "reopen": reopen.pk,
            "sample": AuditSample.objects.filter(check_run=check).first().pk,
        }
    return ids


R = {
    "treasurer": 200,
    "chair": 200,
    "member": 403,
    "audit": 200,
    "support": 200,
    "other": 404,
    None: 302,
}
B = {
    "treasurer": 200,
    "chair": 200,
    "member": 403,
    "audit": 403,
    "support": 403,
    "other": 404,
    None: 302,
}
T = {
    "treasurer": 200,
    "chair": 403,
    "member": 403,
    "audit": 403,
    "support": 403,
    "other": 404,
    None: 302,
}
TP = {**T, "treasurer": 302}
TCP = {**TP, "chair": 302}
BP = {**B, "treasurer": 302, "chair": 302}
AP = {
    "treasurer": 403,
    "chair": 403,
    "member": 403,
    "audit": 302,
    "support": 403,
    "other": 404,
    None: 302,
}

PAGES = [
    ("dashboard", {}, "get", R),
    ("entries", {}, "get", R),
    ("entry", {"pk": "posted"}, "get", R),
    ("missing_receipts", {}, "get", R),
    ("receipt", {"pk": "receipt"}, "get", R),
    ("accounts", {}, "get", R),
    ("accounts_export", {}, "get", R),
    ("grants", {}, "get", R),
    ("grant", {"pk": "grant"}, "get", R),
    ("years", {}, "get", R),
    ("year", {"year": 2026}, "get", R),
    ("audit", {"year": 2026}, "get", R),
    ("reports", {}, "get", R),
    *[
        ("report", {"kind": k}, "get", R)
        for k in [
            "proefbalans",
            "balans",
            "baten-en-lasten",
            "begroting",
            "kasboek",
            "grootboek",
            "verantwoording",
        ]
    ],
    ("expense_new", {}, "get", B),
    ("income_new", {}, "get", B),
    ("journal_new", {}, "get", B),
    ("entry_edit", {"pk": "draft"}, "get", B),
    ("receipt_add", {"pk": "posted"}, "get", B),
    ("entry_reverse", {"pk": "posted"}, "get", T),
    ("account_new", {}, "get", T),
    ("account_edit", {"pk": "account"}, "get", T),
    ("accounts_import", {}, "get", T),
    ("grant_new", {}, "get", T),
    ("grant_edit", {"pk": "grant"}, "get", T),
    ("tranche_new", {"pk": "grant"}, "get", T),
    ("tranche_receive", {"pk": "tranche"}, "get", T),
    ("budget_line_new", {"grant_pk": "grant"}, "get", T),
    ("budget_line_edit", {"pk": "line"}, "get", T),
    ("commitment_new", {"pk": "line"}, "get", T),
    ("entry_post", {"pk": "draft"}, "post", TP),
    ("year_close", {"year": 2026}, "post", TP),
    ("commitment_cancel", {"pk": "commitment"}, "post", TP),
    ("entry_delete", {"pk": "draft"}, "post", BP),
    ("year_reopen", {"year": 2025}, "post", TCP),
    ("reopen_approve", {"pk": "reopen"}, "post", TCP),
    ("audit_sample", {"pk": "sample"}, "post", AP),
    ("audit_signoff", {"year": 2026}, "post", AP),
]


def _url(world, ids, name, kwargs):
    resolved = {k: ids[v] if isinstance(v, str) and k != "kind" else v for k, v in kwargs.items()}
    return reverse(f"finance:{name}", kwargs={"group_slug": world.group_a.slug, **resolved})


def test_every_finance_url_is_in_the_role_table():
    """Ledger pages are here; bank and claim pages have their role tests in test_bank_* and
    test_claims."""
    from finance.closing.urls import urlpatterns as closing
    from finance.grants.urls import urlpatterns as grants
    from finance.ledger.urls import urlpatterns as ledger
    from finance.reports.urls import urlpatterns as reports

    ledger_names = {p.name for p in [*ledger, *grants, *closing, *reports]}
    assert ledger_names == {name for name, *_rest in PAGES}


@pytest.mark.parametrize(
    "name, kwargs, method, expected", PAGES, ids=[f"{p[0]}-{p[1].get('kind', '')}" for p in PAGES]
)
def test_page_status_per_role(world, client_as, sample, name, kwargs, method, expected):
    """treasurer, chair, member, kascommissie, support worker, other group, anonymous."""
    url = _url(world, sample, name, kwargs)
    data = {"ok": "1", "note": "", "reason": "Nog een bon"}
    seen = {}
    for who in WHO:
        client = client_as(who)
        with transaction.atomic():  # each visitor sees the same books: undo what a POST did
            response = client.post(url, data) if method == "post" else client.get(url)
            transaction.set_rollback(True)
        seen[who] = response.status_code
    assert seen == expected, url


def test_post_only_urls_refuse_get(world, client_as, sample):
    for name, kwargs, method, _exp in PAGES:
        if method == "post":
            url = _url(world, sample, name, kwargs)
            assert client_as("treasurer").get(url).status_code == 405, url


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("dashboard", {}),
        ("entries", {}),
        ("missing_receipts", {}),
        ("grants", {}),
        ("grant", {"pk": "grant"}),
        ("entry", {"pk": "posted"}),
        ("audit", {"year": 2026}),
        *[
            ("report", {"kind": k})
            for k in [
                "proefbalans",
                "balans",
                "baten-en-lasten",
                "begroting",
                "kasboek",
                "grootboek",
                "verantwoording",
            ]
        ],
    ],
)
def test_busy_pages_have_a_fixed_query_budget(
    world, client_as, sample, users, django_assert_max_num_queries, name, kwargs
):
    """At most 20 queries (django-tenants adds a SET search_path before each), and the
    count does not grow with the number of bookings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("treasurer")
    url = _url(world, sample, name, kwargs)
    client.get(url)  # warm up
    with django_assert_max_num_queries(40), CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    with tenant_context(world.group_a):
        line = BudgetLine.objects.get()
        for i in range(10):
            expense(
                users["treasurer"],
                "3.00",
                day=date(2026, 4, 1 + i),
                budget_line=line,
                receipt_name=f"b{i}.png",
                receipt_data=png_bytes(f"n{i}"),
            )
        expense(users["secretary"], "4.00", day=date(2026, 4, 20))
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)
