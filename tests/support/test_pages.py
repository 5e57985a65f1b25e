"""The support pages: who sees what, the group's own pages, the overview and its export."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from backoffice.support import coaching
from backoffice.support.models import ActieCheck, Platform, SupportRequest
from tenants.models import AccessLogEntry, Group
from tests.conftest import group_path
from tests.support.conftest import ask
from tests.tenants.test_isolation import ALL, _url

SECRET = "GEHEIM-gesprek-over-ruzie"
SECRET_ACTIE = "GEHEIM-actie-toelichting"


@pytest.fixture
def coached(group_a, users, catalogue, budget):
    request = ask(group_a, users["chair"], catalogue)
    coaching.session_log(
        group=group_a,
        worker=users["support"],
        held_on=dt.date(2026, 5, 1),
        minutes=60,
        notes=SECRET,
        request=request,
        followups=[("Bellen met de voorzitter", dt.date(2026, 5, 8), users["support"])],
    )
    coaching.actie_record(
        group=group_a,
        user=users["support"],
        source=ActieCheck.Source.WORKER,
        scored_on=dt.date(2026, 5, 1),
        scores={"animo": 4, "contacten": 3, "toerusting": 2, "inbedding": 3, "empathie": 4},
        notes={"toerusting": SECRET_ACTIE},
    )
    return request


def test_worker_opens_only_assigned_groups_and_opening_is_logged(world, client_as, coached):
    client = client_as("support")
    page = client.get(reverse("support:case", kwargs={"slug": world.group_a.slug}))
    assert page.status_code == 200
    body = page.content.decode()
    assert SECRET in body  # the support side sees its notes
    assert "<svg" in body and "ACTIE-metingen als tabel" in body
    assert AccessLogEntry.objects.filter(group=world.group_a, username="support").exists()
    other = client.get(reverse("support:case", kwargs={"slug": world.group_b.slug}))
    assert other.status_code == 404
    assert client.get(reverse("support:request", kwargs={"pk": coached.pk})).status_code == 200


def test_caseload_shows_signals_in_a_sentence_with_a_link_into_the_group(world, client_as, coached):
    with time_machine.travel(dt.datetime(2026, 5, 20, 12), tick=False):
        body = client_as("support").get("/ondersteuning/caseload/").content.decode()
    assert "1 vervolgafspraak is over de datum (sinds 8 mei 2026)." in body
    assert "1 ondersteuningsvraag wacht op een afspraak." in body
    assert world.group_b.name not in body


@pytest.mark.parametrize("who", ["chair", "treasurer", "secretary", "member", "audit"])
def test_private_notes_never_appear_on_any_group_page(world, client_as, coached, who):
    client = client_as(who)
    for name, _callback, converters in ALL:
        url = _url(world.group_a, name, converters)
        body = client.get(url).content.decode()
        assert SECRET not in body, url
        assert SECRET_ACTIE not in body, url
    page = client.get(group_path(world.group_a, "ondersteuning/")).content.decode()
    assert "Hulp bij de boekhouding" in page and "<svg" in page


def test_group_sees_only_its_own_requests(world, client_as, catalogue, users):
    from backoffice.support import chosen

    chosen.budget_set(group=world.group_b, year=2026, user=users["coordinator"], hours=30)
    theirs = chosen.request_create(
        group=world.group_b,
        user=users["other"],
        offering=catalogue["chairing"],
        provider=catalogue["staff"],
        year=2026,
        question="ANDERE-GROEP-VRAAG",
    )
    client = client_as("chair")
    page = client.get(group_path(world.group_a, "ondersteuning/")).content.decode()
    assert 'data-status="aangevraagd"' not in page  # group A has no requests of its own
    theirs_page = client_as("other").get(group_path(world.group_b, "ondersteuning/"))
    assert 'data-status="aangevraagd"' in theirs_page.content.decode()
    rate = group_path(world.group_a, f"ondersteuning/vragen/{theirs.pk}/waardering/")
    assert client.post(rate, {"rating": 5}).status_code == 404


def test_board_member_chooses_support_on_the_group_page_a_member_may_not(
    world, client_as, catalogue, budget
):
    url = group_path(world.group_a, "ondersteuning/aanvragen/")
    data = {"offering": catalogue["bookkeeping"].pk, "provider": catalogue["freelancer"].pk}
    with time_machine.travel(dt.datetime(2026, 5, 1, 12), tick=False):
        assert client_as("member").post(url, data).status_code == 403
        response = client_as("chair").post(url, data)
    assert response.status_code == 302
    request = SupportRequest.objects.get(group=world.group_a)
    assert request.provider == catalogue["freelancer"] and request.year == 2026


def test_choosing_a_retired_provider_on_the_page_says_why(world, client_as, catalogue, budget):
    catalogue["freelancer"].status = "gestopt"
    catalogue["freelancer"].save()
    url = group_path(world.group_a, "ondersteuning/aanvragen/")
    data = {"offering": catalogue["bookkeeping"].pk, "provider": catalogue["freelancer"].pk}
    with time_machine.travel(dt.datetime(2026, 5, 1, 12), tick=False):
        response = client_as("chair").post(url, data)
    assert response.status_code == 400
    assert "Boekhoudhulp Jansen is gestopt" in response.content.decode()
    assert not SupportRequest.objects.exists()


def test_group_scores_itself_and_sees_both_lines(world, client_as):
    data = {
        "scored_on": "2026-05-01",
        "animo": 5,
        "contacten": 4,
        "toerusting": 3,
        "inbedding": 2,
        "empathie": 1,
    }
    url = group_path(world.group_a, "ondersteuning/actie/")
    assert client_as("chair").post(url, data).status_code == 302
    assert ActieCheck.objects.get().source == "groep"
    bad = client_as("chair").post(url, {**data, "animo": 7})
    assert bad.status_code == 400
    assert "Geef voor Animo een score van 1 tot en met 5." in bad.content.decode()


def test_worker_moves_a_request_on_through_the_case_page(world, client_as, coached):
    client = client_as("support")
    step = reverse("support:request_step", kwargs={"pk": coached.pk, "step": "afspreken"})
    client.post(step, {"hours": "6", "price": "390,00", "provider": coached.provider_id})
    coached.refresh_from_db()
    assert coached.status == "afgesproken"
    body = client.get(reverse("support:request", kwargs={"pk": coached.pk})).content.decode()
    assert "Geschiedenis" in body and "afgesproken" in body


def test_overview_filters_by_district_and_signal(world, client_as, coached):
    client = client_as("coordinator")
    with time_machine.travel(dt.datetime(2026, 5, 20, 12), tick=False):
        noord = client.get("/ondersteuning/?stadsdeel=nieuw-west").content.decode()
        waiting = client.get("/ondersteuning/?signaal=requests").content.decode()
    assert world.group_b.name in noord and world.group_a.name not in noord
    assert world.group_a.name in waiting and world.group_b.name not in waiting
    assert re.search(r"<td>1[,.]0</td>", waiting)  # the hour of coaching


def test_overview_shows_a_page_at_a_time_sorted_over_all_groups(world, client_as, monkeypatch):
    from backoffice.support import work_views

    monkeypatch.setattr(work_views, "OVERVIEW_PAGE_SIZE", 1)
    client = client_as("coordinator")
    first = client.get("/ondersteuning/?sorteer=naam").content.decode()
    second = client.get("/ondersteuning/?sorteer=naam&pagina=2").content.decode()
    a, b = sorted([world.group_a.name, world.group_b.name])
    assert a in first and b not in first
    assert b in second and a not in second
    # the next page keeps the chosen order
    assert "?sorteer=naam&amp;pagina=2" in first
    assert "Pagina 1 van" in first


def test_overview_queries_do_not_grow_with_the_groups(world, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tenants.services import group_create

    client = client_as("coordinator")
    client.get("/ondersteuning/")
    with CaptureQueriesContext(connection) as before:
        client.get("/ondersteuning/")
    group_create(name="Derde groep", slug="derde-groep", district="oost")
    with CaptureQueriesContext(connection) as after:
        client.get("/ondersteuning/")
    assert len(after) == len(before)


def test_export_has_every_group_and_neutralises_every_cell(world, client_as, coached):
    Group.objects.filter(pk=world.group_b.pk).update(name='=HYPERLINK("https://x","klik")')
    response = client_as("coordinator").get("/ondersteuning/overzicht/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Groep"
    names = {r[0] for r in rows[1:]}
    assert world.group_a.name in names
    assert '\'=HYPERLINK("https://x","klik")' in names
    hours = {r[0]: r[5] for r in rows[1:]}
    assert Decimal(str(hours[world.group_a.name])) == Decimal("1")


def test_export_is_for_coordinators_only(world, client_as):
    assert client_as("support").get("/ondersteuning/overzicht/export/").status_code == 403


def test_platform_page_lists_public_contacts_for_members_and_staff(world, client_as, users):
    from django_tenants.utils import tenant_context

    from groups.organisation import services as org_services
    from groups.organisation.models import Profile

    with tenant_context(world.group_a):
        org_services.profile_update(
            profile=Profile.objects.get(pk=1), contact_email="info@k-buurt.nl"
        )
    platform = Platform.objects.create(name="Zuidoost samen", slug="zuidoost-samen")
    platform.groups.set([world.group_a])
    url = reverse("support:platform", kwargs={"slug": platform.slug})
    assert "info@k-buurt.nl" in client_as("member").get(url).content.decode()
    assert "info@k-buurt.nl" in client_as("support").get(url).content.decode()
    assert client_as("other").get(url).status_code == 404


def test_coordinator_creates_a_platform_with_its_groups_and_history(world, client_as, users):
    url = reverse("support:platforms")
    fields = {"name": "Zuidoost samen", "slug": "zuidoost-samen", "groups": [world.group_a.pk]}
    response = client_as("coordinator").post(url, fields, follow=True)
    platform = Platform.objects.get(slug="zuidoost-samen")
    assert response.redirect_chain == [
        (reverse("support:platform", kwargs={"slug": "zuidoost-samen"}), 302)
    ]
    assert "Platform aangemaakt." in response.content.decode()
    assert list(platform.groups.all()) == [world.group_a]
    assert {h.history_user for h in platform.history.all()} == {users["coordinator"]}
    # the same short name again: the form comes back with its error, nothing is made
    again = client_as("coordinator").post(url, {**fields, "name": "Nog eens"})
    assert again.status_code == 200 and again.context["form"].errors["slug"]
    assert Platform.objects.count() == 1
    assert client_as("support").post(url, {**fields, "slug": "ander"}).status_code == 403
    assert Platform.objects.count() == 1


def test_coordinator_pauses_a_provider_with_history(world, client_as, catalogue):
    client = client_as("coordinator")
    url = reverse("support:provider_status", kwargs={"pk": catalogue["freelancer"].pk})
    client.post(url, {"status": "gepauzeerd"})
    catalogue["freelancer"].refresh_from_db()
    assert catalogue["freelancer"].status == "gepauzeerd"
    page = client.get(reverse("support:provider", kwargs={"pk": catalogue["freelancer"].pk}))
    assert "tijdelijk niet beschikbaar" in page.content.decode()  # history in plain words
    assert client_as("support").post(url, {"status": "actief"}).status_code == 403
