"""One group out of one database and into another: its books, its people and its files.

The round trip goes through the real commands in other processes, into a database made
empty for it: the books still verify, members still sign in, files still open. The refusals
are checked in this process: a refused import writes nothing.
"""

import hashlib
import io
import json
import os
import tarfile
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.test import override_settings
from django_tenants.utils import tenant_context

from finance import bookings
from finance.bank import importing as bank_import
from finance.bank.formats import samples
from finance.ledger.chain import verify_chain
from finance.ledger.models import Account, JournalEntry, Receipt
from groups.organisation import services as group_services
from tenants.models import AccessLogEntry, Assignment, Group, Membership, User
from tenants.schemas import schema_signature
from tenants.services import group_create
from tenants.transfer import BundleError, _media_files, group_export, group_import
from tests.backoffice import conftest as subprocess_helpers
from tests.backoffice.conftest import manage, subprocess_database_url
from tests.conftest import pristine_database_name
from tests.finance.conftest import png_bytes

PASSWORD = "verhuis-wachtwoord-2026"
manage_env = subprocess_helpers.manage_env  # the fixture, shared with tests/backoffice


@pytest.fixture(scope="module")
def source(django_db_setup, django_db_blocker, tmp_path_factory):
    """A committed group with books, a receipt, a bank statement, people and their history."""
    # override_settings, not assignment: it also points default_storage at the new folder
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media-source"))
    media.enable()
    sfx = uuid.uuid4().hex[:6]
    with django_db_blocker.unblock():
        group = group_create(name="Verhuisgroep", slug=f"verhuis-{sfx}", district="west")
        people = {
            role: User.objects.create_user(
                username=f"verhuis-{role}-{sfx}", password=PASSWORD, first_name=role.title()
            )
            for role in ("voorzitter", "penningmeester", "lid")
        }
        for role, user in people.items():
            Membership.objects.create(user=user, group=group, role=role)
        coach = User.objects.create_user(
            username=f"verhuis-coach-{sfx}", password=PASSWORD, org_role="ondersteuner"
        )
        Assignment.objects.create(user=coach, group=group, note="coach")
        AccessLogEntry.objects.create(
            user=coach, username=coach.username, group=group, method="GET", path="/g/x/"
        )
        # someone who left: the role is gone, their history and their bookings stay
        former = User.objects.create_user(username=f"verhuis-oud-{sfx}", password=PASSWORD)
        gone = Membership.objects.create(user=former, group=group, role="secretaris")
        gone.delete()
        treasurer = people["penningmeester"]
        with tenant_context(group):
            # the register decides the roles: the treasurer holds a term there
            kees = group_services.member_create(
                name="Kees Penning", joined_on=date(2025, 1, 1), user_id=treasurer.pk
            )
            group_services.role_assign(
                group=group, member=kees, role="penningmeester", starts_on=date(2025, 1, 1)
            )
            entry = bookings.expense_record(
                user=treasurer,
                date=date(2026, 2, 3),
                amount=Decimal("42.50"),
                category=Account.objects.get(code="4000"),
                description="Koffie buurtavond",
                receipt_name="bon.png",
                receipt_data=png_bytes(f"verhuis-{sfx}"),
            )
            bookings.expense_record(
                user=treasurer,
                date=date(2026, 2, 9),
                amount=Decimal("7.10"),
                category=Account.objects.get(code="4900"),
                description="Bankkosten",
            )
            bank_import.bank_account_create(
                user=treasurer,
                iban=samples.ACCOUNT_IBAN,
                name="ING",
                holder="Verhuisgroep",
                ledger_account=Account.objects.get(role="bank"),
            )
            bank_import.import_statement(
                data=samples.build_camt053(5, seed=40), filename="feb.xml", user=treasurer
            )
            assert verify_chain() is None
            receipt = entry.receipts.get()
        yield {
            "group": group,
            "people": people,
            "former": former,
            "coach": coach,
            "receipt": (receipt.pk, receipt.file.name),
            "media": Path(settings.MEDIA_ROOT),
            "entries": 2,
        }
        connection.set_schema_to_public()
        _remove(group.slug, group.schema_name)
        User.objects.filter(username__startswith="verhuis-").filter(username__endswith=sfx).delete()
    media.disable()


def _remove(slug, schema_name):
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
    for group in Group.objects.filter(slug=slug):
        Membership.history.filter(group_id=group.pk).delete()
        Assignment.history.filter(group_id=group.pk).delete()
        group.history.all().delete()
        group.delete()


@pytest.fixture
def unblocked(source, django_db_blocker):
    with django_db_blocker.unblock():
        yield source
        connection.set_schema_to_public()


@pytest.fixture(scope="module")
def bundle(source, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock():
        path = tmp_path_factory.mktemp("bundle") / "groep.tar"
        result = group_export(group=source["group"], path=path)
    # members, the coach, the one who left, and nobody else; the treasurer in the register
    # also has the "lid" grant that follows from it
    assert result.users == 5 and result.memberships == 4 and result.files == 2
    return path


def _empty_database(name):
    db = connection.settings_dict
    params = dict(
        dbname="postgres",
        user=db["USER"],
        host=db["HOST"] or db["OPTIONS"].get("host"),
        port=db["PORT"] or None,
        password=db["PASSWORD"] or None,
    )
    return psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True)


def test_round_trip_into_an_empty_database(source, bundle, manage_env, tmp_path):
    group = source["group"]
    name = f"test_restore_{uuid.uuid4().hex[:8]}"
    # given: an empty installation of this version: a copy of the test database as
    # `migrate_schemas` left it, before any group or person (see tests/conftest.py)
    with _empty_database(name) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{pristine_database_name()}"')
    try:
        url = subprocess_database_url().rsplit("/", 1)[0] + f"/{name}"
        target_media = tmp_path / "media-target"
        env = manage_env(media_root=target_media, DATABASE_URL=url)
        empty = manage(
            [
                "shell",
                "--no-imports",
                "-c",
                "from tenants.models import Group, User; "
                "print(list(Group.objects.values_list('schema_name', flat=True)), "
                "User.objects.count())",
            ],
            env,
        )
        # only the template every group is cloned from, and nobody
        assert empty.stdout.split() == ["['group_template']", "0"], empty.stdout + empty.stderr

        # when: the group's export is restored into it
        restored = manage(["import_group", str(bundle)], env)
        assert restored.returncode == 0, restored.stdout + restored.stderr
        assert "5 gebruikers aangemaakt" in restored.stdout

        # then: the books verify, as they did at home
        verified = manage(["verify_ledger", "--group", group.slug], env)
        assert verified.returncode == 0, verified.stdout + verified.stderr
        assert f"in orde: {group.slug}" in verified.stdout

        # and members sign in with their own password and find their group and files
        treasurer = source["people"]["penningmeester"]
        receipt_pk, receipt_path = source["receipt"]
        check = f"""
import hashlib, json
from django.test import Client
from django_tenants.utils import tenant_context
from tenants.models import Group, Membership, User
from tenants.schemas import schema_signature
from finance.ledger.models import JournalEntry
from finance.bank.models import BankLine
client = Client(HTTP_HOST="127.0.0.1")
credentials = {{"username": "{treasurer.username}", "password": "{PASSWORD}"}}
login = client.post("/account/login/", credentials)
home = client.get("/g/{group.slug}/financien/")
receipt = client.get("/g/{group.slug}/financien/bonnetjes/{receipt_pk}/")
body = b"".join(receipt.streaming_content) if receipt.streaming else receipt.content
group = Group.objects.get(slug="{group.slug}")
with tenant_context(group):
    entries = JournalEntry.objects.count()
    lines = BankLine.objects.count()
print(json.dumps({{
    "login": login.status_code,
    "home": home.status_code,
    "receipt": receipt.status_code,
    "receipt_sha": hashlib.sha256(body).hexdigest(),
    "entries": entries,
    "bank_lines": lines,
    "roles": sorted(Membership.objects.filter(group=group).values_list("role", flat=True)),
    "user_ids": sorted(
        User.objects.filter(username__startswith="verhuis-").values_list("id", flat=True)
    ),
    "signature": schema_signature(group.schema_name),
}}))
"""
        result = manage(["shell", "-v", "0", "-c", check], env)
        assert result.returncode == 0, result.stderr
        seen = json.loads(result.stdout.strip().splitlines()[-1])
        assert (seen["login"], seen["home"], seen["receipt"]) == (302, 200, 200)
        original = (source["media"] / receipt_path).read_bytes()
        assert seen["receipt_sha"] == hashlib.sha256(original).hexdigest()
        assert (seen["entries"], seen["bank_lines"]) == (source["entries"], 5)
        assert seen["roles"] == ["lid", "lid", "penningmeester", "voorzitter"]
        # the same ids: the group's own tables refer to people by id
        expected_ids = sorted(
            [u.pk for u in source["people"].values()] + [source["coach"].pk, source["former"].pk]
        )
        assert seen["user_ids"] == expected_ids
        # the whole schema came along: tables, constraints, indexes, triggers, functions
        assert seen["signature"] == json.loads(json.dumps(schema_signature(group.schema_name)))

        # and a second import into the same database is refused
        again = manage(["import_group", str(bundle)], env)
        assert again.returncode != 0 and "al een groep" in again.stderr
    finally:
        with _empty_database(name) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rewrite(bundle: Path, out: Path, *, registry=None, schema=None, extra=None, rename=None):
    """A copy of `bundle` with parts changed, checksums made to match again."""
    with tarfile.open(bundle) as tar:
        parts = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(parts.pop("manifest.json"))
    if rename:
        new_slug = rename
        old_schema, new_schema = manifest["group"]["schema_name"], "g_" + rename.replace("-", "_")
        manifest["group"].update(slug=new_slug, schema_name=new_schema)
        # the schema name, also inside stored file paths
        parts["schema.sql"] = parts["schema.sql"].replace(old_schema.encode(), new_schema.encode())
        data = json.loads(parts["registry.json"])
        data["group"]["fields"].update(slug=new_slug, schema_name=new_schema)
        parts["registry.json"] = json.dumps(data).encode()
        parts = {
            k.replace(f"media/{old_schema}/", f"media/{new_schema}/"): v for k, v in parts.items()
        }
    if registry:
        data = json.loads(parts["registry.json"])
        registry(data)
        parts["registry.json"] = json.dumps(data).encode()
    if schema:
        parts["schema.sql"] = schema(parts["schema.sql"])
    parts.update(extra or {})
    manifest["sha256"] = {k: hashlib.sha256(v).hexdigest() for k, v in parts.items()}
    with tarfile.open(out, "w") as tar:
        for name, body in [("manifest.json", json.dumps(manifest).encode()), *parts.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return out


def _nothing_written(slug):
    schema = "g_" + slug.replace("-", "_")
    assert not Group.objects.filter(slug=slug).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema])
        assert cursor.fetchone() is None
    assert list(_media_files(schema)) == []  # (empty folders may stay behind)


def test_import_refuses_a_group_that_is_already_here(unblocked, bundle):
    groups = Group.objects.count()
    with pytest.raises(BundleError, match="al een groep"):
        group_import(path=bundle)
    assert Group.objects.count() == groups


def test_import_refuses_a_damaged_bundle(unblocked, bundle, tmp_path):
    with tarfile.open(bundle) as tar:
        parts = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    parts["schema.sql"] = parts["schema.sql"].replace(b"42.50", b"4.25")
    damaged = tmp_path / "kapot.tar"
    with tarfile.open(damaged, "w") as tar:
        for name, body in parts.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    with pytest.raises(BundleError, match="beschadigd: schema.sql"):
        group_import(path=damaged)


def test_import_refuses_users_whose_ids_mean_someone_else_here(unblocked, bundle, tmp_path):
    slug = f"botsing-{uuid.uuid4().hex[:6]}"

    def other_person(data):
        data["users"][0]["fields"]["username"] = "iemand-anders"

    clash = _rewrite(bundle, tmp_path / "botsing.tar", rename=slug, registry=other_person)
    with pytest.raises(BundleError, match="botsen met gebruikers hier"):
        group_import(path=clash)
    _nothing_written(slug)


def test_import_refuses_files_outside_the_groups_folder(unblocked, bundle, tmp_path):
    slug = f"pad-{uuid.uuid4().hex[:6]}"
    sneaky = _rewrite(
        bundle, tmp_path / "pad.tar", rename=slug, extra={"media/g_ander/x.png": b"x"}
    )
    with pytest.raises(BundleError, match="buiten de map"):
        group_import(path=sneaky)
    _nothing_written(slug)


def test_import_refuses_a_bundle_from_a_newer_version(unblocked, bundle, tmp_path):
    slug = f"nieuw-{uuid.uuid4().hex[:6]}"
    newer = _rewrite(bundle, tmp_path / "nieuw.tar", rename=slug)
    with tarfile.open(newer) as tar:
        parts = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    manifest = json.loads(parts["manifest.json"])
    manifest["migrations"].append(["finance", "9999_from_the_future"])
    parts["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(newer, "w") as tar:
        for name, body in parts.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    with pytest.raises(BundleError, match="nieuwere versie"):
        group_import(path=newer)
    _nothing_written(slug)


def test_a_failing_restore_writes_nothing_not_even_files(unblocked, bundle, tmp_path):
    slug = f"half-{uuid.uuid4().hex[:6]}"
    broken = _rewrite(
        bundle,
        tmp_path / "half.tar",
        rename=slug,
        schema=lambda sql: sql + b"\nSELECT this_function_does_not_exist();\n",
    )
    users = User.objects.count()
    with pytest.raises(Exception, match="this_function_does_not_exist"):
        group_import(path=broken)
    _nothing_written(slug)
    assert User.objects.count() == users


def test_restore_into_the_original_installation_after_the_group_was_lost(
    unblocked, bundle, tmp_path
):
    # given: a copy of the group under another name, as if it were the lost original
    slug = f"terug-{uuid.uuid4().hex[:6]}"
    copy = _rewrite(bundle, tmp_path / "terug.tar", rename=slug)
    try:
        # when: it is restored here, where its people still exist
        result = group_import(path=copy)
        # then: the people are found again, not doubled, and the books verify
        assert (result.users_created, result.users_kept) == (0, 5)
        group = Group.objects.get(slug=slug)
        memberships = Membership.objects.filter(group=group)
        assert sorted({m.user_id for m in memberships}) == sorted(
            u.pk for u in unblocked["people"].values()
        )
        assert Membership.history.filter(group_id=group.pk, user=unblocked["former"]).count() == 2
        assert group.history.first().history_change_reason == "Teruggezet uit een export"
        with tenant_context(group):
            assert verify_chain() is None
            assert JournalEntry.objects.count() == unblocked["entries"]
            receipt = Receipt.objects.get()
            assert receipt.file.name.startswith(f"{group.schema_name}/receipts/")
            assert default_storage.exists(receipt.file.name)
    finally:
        connection.set_schema_to_public()
        _remove(slug, "g_" + slug.replace("-", "_"))
        folder = Path(settings.MEDIA_ROOT) / ("g_" + slug.replace("-", "_"))
        for path in sorted(folder.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        if folder.exists():
            folder.rmdir()


def test_the_bundle_is_readable_only_by_its_owner(bundle):
    assert oct(os.stat(bundle).st_mode & 0o777) == "0o600"
