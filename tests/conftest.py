"""Test setup: the real PostgreSQL (embedded or DATABASE_URL), two groups made once.

Groups are created once per session through the real service (schema cloned from the
template); each test runs in a transaction that is rolled back. `group_a` is where things
happen, `group_b` is the other group for isolation tests.
"""

from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django_tenants.utils import tenant_context

from tenants.facade import memberships_set
from tenants.models import Assignment, Group, Membership, User
from tenants.services import group_create


@dataclass
class World:
    group_a: Group
    group_b: Group
    users: dict[str, User]


PEOPLE_A = {
    "chair": "voorzitter",
    "treasurer": "penningmeester",
    "secretary": "secretaris",
    "member": "lid",
    "audit": "kascommissie",
    "audit2": "kascommissie",
}


def _make_world() -> World:
    group_a = group_create(name="Hart voor de K-buurt", slug="k-buurt", district="zuidoost")
    group_b = group_create(name="Buurtgroep Slotermeer", slug="slotermeer", district="nieuw-west")
    users = {}
    for key, role in PEOPLE_A.items():
        users[key] = User.objects.create_user(
            username=key, password="test-password-123", first_name=key.title(), last_name="A"
        )
        memberships_set(group=group_a, user_id=users[key].pk, roles={role})
    users["other"] = User.objects.create_user(username="other", password="test-password-123")
    memberships_set(group=group_b, user_id=users["other"].pk, roles={"penningmeester"})
    users["support"] = User.objects.create_user(
        username="support", password="test-password-123", org_role=User.OrgRole.SUPPORT_WORKER
    )
    Assignment.objects.create(user=users["support"], group=group_a)
    users["coordinator"] = User.objects.create_user(
        username="coordinator",
        password="test-password-123",
        org_role=User.OrgRole.COORDINATOR,
        is_staff=True,
        is_superuser=True,
    )
    users["outsider"] = User.objects.create_user(username="outsider", password="test-password-123")
    return World(group_a=group_a, group_b=group_b, users=users)


@pytest.fixture(scope="session", autouse=True)
def _transactional_tests_keep_the_session_world():
    """`django_db(transaction=True)` tests commit for real; Django would then flush every
    public table after each one, taking the session's groups and people with it. Instead,
    such tests work in a `committed_world` of their own, which removes itself afterwards."""
    from django.test import TransactionTestCase

    original = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = lambda self: None
    yield
    TransactionTestCase._fixture_teardown = original


@pytest.fixture
def committed_world(django_db_blocker, request):
    """A group of its own with the usual people, committed (for tests with real transactions,
    locks and several connections), removed with its schema after the test."""
    import uuid

    suffix = uuid.uuid4().hex[:8]
    with django_db_blocker.unblock():
        group = group_create(name=f"Vast {suffix}", slug=f"vast-{suffix}", district="noord")
        users = {}
        for key, role in PEOPLE_A.items():
            users[key] = User.objects.create_user(
                username=f"{key}-{suffix}", password="test-password-123", first_name=key.title()
            )
            memberships_set(group=group, user_id=users[key].pk, roles={role})
        world = World(group_a=group, group_b=group, users=users)
    yield world
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{group.schema_name}" CASCADE')
        Membership.objects.filter(group=group).delete()
        Group.objects.filter(pk=group.pk).delete()
        User.objects.filter(pk__in=[u.pk for u in users.values()]).delete()


def pytest_collection_modifyitems(items):
    """A test whose fixtures work on committed data (they ask for `django_db_setup` and unblock
    the database themselves) is a database test too: mark it, so the test database is set up
    even when it runs alone (pytest-django sets it up only when a collected test asks)."""
    wrapped = {
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
    }
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if (
            "django_db_setup" in names
            and not names & wrapped
            and not item.get_closest_marker("django_db")
        ):
            item.add_marker(pytest.mark.django_db(transaction=True))


@contextmanager
def data_for_the_module(django_db_blocker):
    """Rows built once for all tests of a module (Django's setUpTestData): they live in an
    outer transaction that every test's own transaction nests into as a savepoint, and that
    is rolled back when the module is done, so no other module ever sees them."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            connection.set_schema_to_public()


PRISTINE_SUFFIX = "_pristine"
NEEDS_A_PRISTINE_COPY = ("tests/tenants/test_group_transfer.py",)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, request):
    """pytest-django's test database, migrated; then, when a test of this session restores a
    group into an empty installation, a copy of the database as `migrate_schemas` left it
    (before any group or person), so that test need not migrate a second database itself."""
    wanted = any(
        str(item.fspath).replace("\\", "/").endswith(NEEDS_A_PRISTINE_COPY)
        for item in request.session.items
    )
    copy = connection.settings_dict["NAME"] + PRISTINE_SUFFIX
    if wanted:
        with django_db_blocker.unblock():
            _admin_execute(
                f'DROP DATABASE IF EXISTS "{copy}"',
                f'CREATE DATABASE "{copy}" TEMPLATE "{connection.settings_dict["NAME"]}"',
            )
    yield
    with django_db_blocker.unblock():
        # The live server's request threads keep their connections (CONN_MAX_AGE): end
        # them, so pytest-django can drop the test database after us.
        name = connection.settings_dict["NAME"].replace("'", "''")
        _admin_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
            *([f'DROP DATABASE IF EXISTS "{copy}"'] if wanted else []),
        )


def pristine_database_name() -> str:
    """The copy of the freshly migrated test database (see `django_db_setup`)."""
    return connection.settings_dict["NAME"] + PRISTINE_SUFFIX


def _admin_execute(*statements: str) -> None:
    """Run statements on the server's maintenance database, with every Django connection
    to the test database closed first (CREATE DATABASE … TEMPLATE needs it unused)."""
    import psycopg
    from django.db import connections

    connections.close_all()
    db = connection.settings_dict
    params = dict(
        dbname="postgres",
        user=db["USER"],
        host=db["HOST"] or db["OPTIONS"].get("host"),
        port=db["PORT"] or None,
        password=db["PASSWORD"] or None,
    )
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def session_world(django_db_setup, django_db_blocker) -> World:
    with django_db_blocker.unblock():
        return _make_world()


@pytest.fixture
def world(session_world, db) -> World:
    return session_world


@pytest.fixture(autouse=True)
def _public_schema_between_tests():
    """Every test starts in the public schema and in Dutch: a request in English (the test
    client runs the locale middleware in this thread) must not carry over to the next test."""
    from django.utils import translation

    yield
    connection.set_schema_to_public()
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def group_a(world) -> Group:
    return world.group_a


@pytest.fixture
def group_b(world) -> Group:
    return world.group_b


@pytest.fixture
def users(world) -> dict[str, User]:
    return world.users


@pytest.fixture
def in_group_a(group_a):
    """Run the test body inside group A's schema."""
    with tenant_context(group_a):
        yield group_a


@pytest.fixture
def client_as(users):
    """client_as("treasurer") -> a Client logged in as that test user."""

    def make(key: str | None) -> Client:
        client = Client()
        if key is not None:
            client.force_login(users[key])
        return client

    return make


def group_path(group: Group, rest: str = "") -> str:
    return f"/g/{group.slug}/{rest}"
