import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists, tenant_context

from groups.organisation.models import Profile
from tenants.models import Group
from tenants.schemas import schema_signature, template_schema_name
from tenants.services import group_create
from tests.tenants.conftest import SHARES_THE_FRESH_SCHEMA


def test_group_create_clones_schema_with_profile(world):
    # when
    group = group_create(name="Bewonersplatform G-buurt", slug="g-buurt", district="zuidoost")
    # then
    assert schema_exists("g_g_buurt")
    with tenant_context(group):
        assert Profile.objects.get().name == "Bewonersplatform G-buurt"
    assert group.history.count() == 1


@SHARES_THE_FRESH_SCHEMA
def test_cloned_schema_equals_freshly_migrated_schema(world, fresh_migrated_schema):
    # given: a schema built by running every migration (tests/tenants/conftest.py)
    # then: the clone of the template has the same tables, columns, constraints, indexes, triggers
    fresh = schema_signature(fresh_migrated_schema)
    cloned = schema_signature(world.group_a.schema_name)
    assert fresh["columns"], "the migrated schema has tables"
    for part in ("columns", "constraints", "indexes", "triggers", "functions"):
        assert cloned[part] == fresh[part], part
    assert schema_signature(template_schema_name()) == fresh


@pytest.mark.parametrize(
    "slug, message",
    [
        ("k-buurt", "al een groep"),
        ("admin", "gereserveerd"),
        ("Hoofd Letters", "kleine letters"),
        ("-streep", "kleine letters"),
        ("ab", "kleine letters"),
    ],
)
def test_bad_slug_is_refused_and_nothing_is_created(world, slug, message):
    before = Group.objects.count()
    with pytest.raises(ValidationError) as exc:
        group_create(name="Nieuw", slug=slug, district="noord")
    assert message in str(exc.value)
    assert Group.objects.count() == before


def test_failed_creation_leaves_no_schema_and_no_row(world, monkeypatch):
    import tenants.services as services

    real_clone = services.clone_template

    def broken_clone(schema):
        real_clone(schema)
        raise RuntimeError("disk full halfway")

    monkeypatch.setattr(services, "clone_template", broken_clone)
    with pytest.raises(RuntimeError):
        group_create(name="Half", slug="half-gemaakt", district="noord")
    assert not Group.objects.filter(slug="half-gemaakt").exists()
    assert not schema_exists("g_half_gemaakt")


def test_create_group_command_refuses_taken_slug(world):
    with pytest.raises(CommandError, match="al een groep"):
        call_command("create_group", name="Dubbel", slug="k-buurt", district="noord")
    assert Group.objects.filter(slug="k-buurt").count() == 1


def test_create_group_command_creates_group(world, capsys):
    call_command("create_group", name="Nieuwendam", slug="nieuwendam", district="noord")
    assert "aangemaakt" in capsys.readouterr().out
    assert schema_exists("g_nieuwendam")


def test_noop_migrate_schemas_skips_current_schemas(world, capsys):
    call_command("migrate_schemas", interactive=False, verbosity=1)
    out = capsys.readouterr().out
    assert "already up to date" in out
    assert "Applying" not in out


def test_no_foreign_key_leaves_a_group_schema(world):
    """Schemas must stay movable to other database nodes: no FK from a group's tables to the
    public schema (users, registry) or to another group."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT con.conname, src.nspname, dst.nspname
            FROM pg_constraint con
            JOIN pg_class srel ON srel.oid = con.conrelid
            JOIN pg_namespace src ON src.oid = srel.relnamespace
            JOIN pg_class drel ON drel.oid = con.confrelid
            JOIN pg_namespace dst ON dst.oid = drel.relnamespace
            WHERE con.contype = 'f' AND src.nspname = %s AND dst.nspname <> src.nspname
            """,
            [world.group_a.schema_name],
        )
        crossing = cursor.fetchall()
        cursor.execute(
            "SELECT count(*) FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace"
            " WHERE con.contype = 'f' AND n.nspname = %s",
            [world.group_a.schema_name],
        )
        assert cursor.fetchone()[0] > 10  # the group's own foreign keys are there
    assert crossing == []
