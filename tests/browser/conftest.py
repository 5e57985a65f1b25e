"""Browser tests: Playwright for Python driving Debian's chromium against a live server.

They run in the same pytest invocation as the rest (one test database per worker). The live
server needs committed data (transactional_db): each test gets fresh groups with unique
slugs and people with unique usernames (`login(page, "treasurer")` finds this test's
treasurer), and removes them afterwards, so the session's own world is never touched.
"""

import os
import uuid

import pytest
from django.db import connection

from tenants.facade import memberships_set
from tenants.models import Assignment, Group, Membership, User
from tenants.services import group_create
from tests.conftest import PEOPLE_A, World

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "test-password-123"

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_world(transactional_db, live_server):
    suffix = uuid.uuid4().hex[:6]
    group_a = group_create(
        name="Hart voor de K-buurt", slug=f"k-buurt-{suffix}", district="zuidoost"
    )
    group_b = group_create(
        name="Buurtgroep Slotermeer", slug=f"slotermeer-{suffix}", district="nieuw-west"
    )
    users = {}
    for key, role in PEOPLE_A.items():
        users[key] = User.objects.create_user(
            username=f"{key}-{suffix}", password=PASSWORD, first_name=key.title(), last_name="Test"
        )
        memberships_set(group=group_a, user_id=users[key].pk, roles={role})
    users["other"] = User.objects.create_user(username=f"other-{suffix}", password=PASSWORD)
    memberships_set(group=group_b, user_id=users["other"].pk, roles={"penningmeester"})
    users["support"] = User.objects.create_user(
        username=f"support-{suffix}", password=PASSWORD, org_role=User.OrgRole.SUPPORT_WORKER
    )
    Assignment.objects.create(user=users["support"], group=group_a)
    users["coordinator"] = User.objects.create_user(
        username=f"coordinator-{suffix}",
        password=PASSWORD,
        org_role=User.OrgRole.COORDINATOR,
        is_staff=True,
        is_superuser=True,
    )
    world = World(group_a=group_a, group_b=group_b, users=users)
    yield world
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [f"g\\_%{suffix}%"]
        )
        for (schema,) in cursor.fetchall():
            cursor.execute(f'DROP SCHEMA "{schema}" CASCADE')
    # Transactional tests are not flushed any more (tests/conftest.py keeps the session's
    # world), so the people and groups made here are removed here.
    groups = Group.objects.filter(slug__endswith=suffix)
    Assignment.objects.filter(group__in=groups).delete()
    Membership.objects.filter(group__in=groups).delete()
    Membership.objects.filter(user__in=users.values()).delete()
    groups.delete()
    User.objects.filter(pk__in=[user.pk for user in users.values()]).delete()


@pytest.fixture
def background_worker(browser_world):
    """The real worker (database queue) running beside the live server, as `make run` does."""
    import threading
    import time

    from django.db import connections

    from backoffice.jobs import worker

    stop = threading.Event()

    def loop():
        try:
            while not stop.is_set():
                worker.run(batch=True)
                time.sleep(0.2)
        finally:
            connections["default"].close()

    thread = threading.Thread(target=loop, name="test-worker", daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(30)


@pytest.fixture
def live_url(live_server):
    def make(path: str = "/") -> str:
        return live_server.url + path

    return make


@pytest.fixture
def page(browser):
    """A phone-sized page; the test fails if the Content-Security-Policy blocked anything."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(15_000)
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()
    assert not violations, violations


@pytest.fixture
def login(live_url, request):
    """login(page, "treasurer"): sign in through the real login form, as this test's person
    of that role (browser_world), or as any other username or e-mail address given."""

    def do(page, username: str, password: str = PASSWORD):
        if "browser_world" in request.fixturenames:
            people = request.getfixturevalue("browser_world").users
            username = people[username].username if username in people else username
        page.goto(live_url("/account/login/"))
        page.get_by_label("Gebruikersnaam of e-mailadres").fill(username)
        page.get_by_label("Wachtwoord").fill(password)
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_load_state()

    return do
