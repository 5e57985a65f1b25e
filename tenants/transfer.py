"""Moving one group between databases: its schema, its registry rows and its files, as one tar.

`group_export` writes a bundle; `group_import` restores it into a database that does not
have the group (an empty installation, or the original one after the group was lost). See
docs/adr/0009-group-export-import.md for the choices; in short:

- **The schema, whole.** `pg_dump --schema` of the group's schema (DDL and rows, every name
  kept, as ADR 0002 does for the template), so tables that apps add later come along with no
  change here. The dump and the registry rows are read in one snapshot
  (`pg_export_snapshot`), so they agree with each other.
- **The registry rows.** The group's row, its memberships, assignments, access log and
  domains, the history of those rows, and the users all of them refer to. Users keep their
  id: a group's schema refers to users by id only (tenants.models), so the ids must mean the
  same people after the move. Users keep their password hashes, so members can sign in after
  a restore; a bundle is therefore as sensitive as a database backup.
- **The files.** Everything under MEDIA_ROOT/<schema>/ (receipts, bank statements, claims).

An import refuses, before writing anything, when the group, its schema or one of its user
ids or usernames is already taken by someone else, when the bundle is damaged, or when it
comes from a newer version; then it writes the registry rows and the schema in one
transaction, and migrates the schema if this installation is newer.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import posixpath
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from tenants.facts import facts_rebuild
from tenants.models import AccessLogEntry, Assignment, Domain, Group, Membership
from tenants.schemas import _libpq_env, _pg_dump_binary

FORMAT = "buurtkas-group-bundle"
VERSION = 1
MANIFEST, REGISTRY, SCHEMA = "manifest.json", "registry.json", "schema.sql"
MEDIA = "media/"
CHUNK = 1024 * 1024


class BundleError(Exception):
    """A bundle that cannot be written or restored; the message says why, in Dutch."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    users: int
    memberships: int
    files: int


@dataclass(frozen=True)
class ImportResult:
    group: Group
    users_created: int
    users_kept: int
    files: int
    migrated: bool


# --- export ------------------------------------------------------------------------------


def _sha256_file(handle) -> str:
    digest = hashlib.sha256()
    for block in iter(lambda: handle.read(CHUNK), b""):
        digest.update(block)
    return digest.hexdigest()


def _registry(group: Group) -> dict:
    """The group's public-schema rows and the users they refer to, serialised."""
    memberships = Membership.objects.filter(group=group).order_by("pk")
    assignments = Assignment.objects.filter(group=group).order_by("pk")
    access_log = AccessLogEntry.objects.filter(group=group).order_by("pk")
    history = {
        "group": Group.history.filter(id=group.pk).order_by("history_id"),
        "memberships": Membership.history.filter(group_id=group.pk).order_by("history_id"),
        "assignments": Assignment.history.filter(group_id=group.pk).order_by("history_id"),
    }
    user_ids = set()
    for rows in (memberships, assignments, history["memberships"], history["assignments"]):
        user_ids.update(rows.values_list("user_id", flat=True))
    user_ids.update(access_log.exclude(user_id=None).values_list("user_id", flat=True))
    for rows in history.values():
        user_ids.update(
            rows.exclude(history_user_id=None).values_list("history_user_id", flat=True)
        )
    User = get_user_model()
    # Every concrete field, password hash included; not the admin's groups and permissions.
    user_fields = [f.name for f in User._meta.concrete_fields if f.name != "id"]
    users = User.objects.filter(pk__in=user_ids).order_by("pk")

    def rows(queryset, fields=None):
        return json.loads(serializers.serialize("json", queryset, fields=fields))

    def history_rows(queryset):
        fields = queryset.model._meta.concrete_fields
        return [
            {
                f.attname: None if f.value_from_object(row) is None else f.value_to_string(row)
                for f in fields
            }
            for row in queryset
        ]

    return {
        "group": rows([group])[0],
        "domains": rows(Domain.objects.filter(tenant=group).order_by("pk")),
        "users": rows(users, user_fields),
        "memberships": rows(memberships),
        "assignments": rows(assignments),
        "access_log": rows(access_log),
        "history": {name: history_rows(queryset) for name, queryset in history.items()},
    }


def _media_files(prefix: str) -> Iterator[str]:
    """Every stored file under `prefix` (a directory of default_storage), recursively."""
    if not default_storage.exists(prefix):
        return
    directories, files = default_storage.listdir(prefix)
    for name in sorted(files):
        yield posixpath.join(prefix, name)
    for name in sorted(directories):
        yield from _media_files(posixpath.join(prefix, name))


def _add(tar: tarfile.TarFile, name: str, handle, size: int) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = size, 0o600, int(datetime.now(UTC).timestamp())
    tar.addfile(info, handle)


def group_export(*, group: Group, path: Path) -> ExportResult:
    """Write `group` as a bundle to `path` (.tar, or .tar.gz to compress)."""
    if group.is_template:
        raise BundleError("Het sjabloon is geen groep en wordt niet geëxporteerd.")
    if connection.in_atomic_block:
        raise BundleError("Exporteren kan niet binnen een lopende transactie.")
    path = Path(path)
    # The search path is set now, in autocommit: inside the snapshot transaction below,
    # SET TRANSACTION must come before any other statement.
    connection.set_schema_to_public()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    with tempfile.TemporaryDirectory(prefix="buurtkas-export-") as work:
        dump = Path(work) / SCHEMA
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                (snapshot,) = cursor.fetchone()
                cursor.execute(
                    f'SELECT app, name FROM "{group.schema_name}".django_migrations ORDER BY id'
                )
                migrations = [list(row) for row in cursor.fetchall()]
            registry = _registry(group)
            with dump.open("wb") as out:
                done = subprocess.run(
                    [
                        _pg_dump_binary(),
                        f"--schema={group.schema_name}",
                        f"--snapshot={snapshot}",
                        "--no-owner",
                        "--no-privileges",
                        "--quote-all-identifiers",
                    ],
                    env=_libpq_env(),
                    stdout=out,
                    stderr=subprocess.PIPE,
                    timeout=3600,
                )
            if done.returncode != 0:
                raise BundleError(
                    "pg_dump is mislukt: " + done.stderr.decode(errors="replace").strip()
                )
        registry_bytes = json.dumps(registry, ensure_ascii=False, indent=1).encode()
        files = list(_media_files(group.schema_name))
        checksums = {REGISTRY: hashlib.sha256(registry_bytes).hexdigest()}
        with dump.open("rb") as handle:
            checksums[SCHEMA] = _sha256_file(handle)
        for name in files:
            with default_storage.open(name, "rb") as handle:
                checksums[MEDIA + name] = _sha256_file(handle)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "exported_at": datetime.now(UTC).isoformat(),
            "group": {"slug": group.slug, "schema_name": group.schema_name, "name": group.name},
            "migrations": migrations,
            "password_hashes": True,
            "sha256": checksums,
        }
        manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        mode = "w:gz" if path.name.endswith((".gz", ".tgz")) else "w"
        partial = path.with_name(path.name + ".deel")
        # Readable by its owner only from the first byte: it holds password hashes.
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with (
                os.fdopen(descriptor, "wb") as out,
                tarfile.open(path.name, mode, fileobj=out) as tar,
            ):
                _add(tar, MANIFEST, io.BytesIO(manifest_bytes), len(manifest_bytes))
                _add(tar, REGISTRY, io.BytesIO(registry_bytes), len(registry_bytes))
                with dump.open("rb") as handle:
                    _add(tar, SCHEMA, handle, dump.stat().st_size)
                for name in files:
                    with default_storage.open(name, "rb") as handle:
                        _add(tar, MEDIA + name, handle, default_storage.size(name))
            partial.replace(path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return ExportResult(
        path=path,
        users=len(registry["users"]),
        memberships=len(registry["memberships"]),
        files=len(files),
    )


# --- import ------------------------------------------------------------------------------


def _read_bundle(tar: tarfile.TarFile) -> tuple[dict, dict, dict[str, tarfile.TarInfo]]:
    members = {}
    for info in tar.getmembers():
        name = info.name
        if not info.isfile() or name.startswith("/") or ".." in name.split("/"):
            raise BundleError(f"Onverwacht onderdeel in de export: {name!r}.")
        members[name] = info
    for required in (MANIFEST, REGISTRY, SCHEMA):
        if required not in members:
            raise BundleError(f"Dit is geen groepsexport van Buurtkas ({required} ontbreekt).")
    manifest = json.loads(tar.extractfile(members[MANIFEST]).read())
    if manifest.get("format") != FORMAT:
        raise BundleError("Dit is geen groepsexport van Buurtkas.")
    if manifest.get("version") != VERSION:
        raise BundleError(
            f"Deze export heeft versie {manifest.get('version')}; deze Buurtkas leest versie "
            f"{VERSION}."
        )
    checksums = manifest.get("sha256", {})
    schema_name = manifest["group"]["schema_name"]
    for name in members:
        if name == MANIFEST:
            continue
        if name.startswith(MEDIA) and not name.startswith(f"{MEDIA}{schema_name}/"):
            raise BundleError(f"Bestand buiten de map van de groep: {name!r}.")
        if name not in checksums:
            raise BundleError(f"Onverwacht onderdeel in de export: {name!r}.")
        if _sha256_file(tar.extractfile(members[name])) != checksums[name]:
            raise BundleError(f"De export is beschadigd: {name} klopt niet met zijn controlegetal.")
    missing = set(checksums) - set(members)
    if missing:
        raise BundleError(f"De export is onvolledig: {', '.join(sorted(missing))} ontbreekt.")
    registry = json.loads(tar.extractfile(members[REGISTRY]).read())
    return manifest, registry, members


def _check_target(manifest: dict, registry: dict) -> None:
    slug = manifest["group"]["slug"]
    schema_name = manifest["group"]["schema_name"]
    if (
        Group.objects.filter(slug=slug).exists()
        or Group.objects.filter(schema_name=schema_name).exists()
    ):
        raise BundleError(
            f"Er is hier al een groep ‘{slug}’. Een export wordt alleen teruggezet in een "
            "database zonder die groep."
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        if cursor.fetchone():
            raise BundleError(f"Het schema {schema_name} bestaat hier al.")
    on_disk = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in on_disk
    ]
    if unknown:
        raise BundleError(
            "Deze export komt uit een nieuwere versie van Buurtkas (onbekende migraties: "
            + ", ".join(unknown[:5])
            + "). Werk deze installatie eerst bij."
        )


def _plan_users(registry: dict) -> tuple[list, int]:
    """The users to create; refuses when an id or username means someone else here."""
    User = get_user_model()
    wanted = {row["pk"]: row["fields"] for row in registry["users"]}
    here_by_id = dict(User.objects.filter(pk__in=wanted).values_list("pk", "username"))
    here_by_name = dict(
        User.objects.filter(username__in=[f["username"] for f in wanted.values()]).values_list(
            "username", "pk"
        )
    )
    conflicts, create, kept = [], [], 0
    for pk, fields in wanted.items():
        name = fields["username"]
        if pk in here_by_id:
            if here_by_id[pk] != name:
                conflicts.append(f"nummer {pk} is hier ‘{here_by_id[pk]}’, in de export ‘{name}’")
            else:
                kept += 1
        elif name in here_by_name:
            conflicts.append(f"‘{name}’ heeft hier nummer {here_by_name[name]}, in de export {pk}")
        else:
            create.append((pk, fields))
    if conflicts:
        raise BundleError(
            "Gebruikers in de export botsen met gebruikers hier (de gegevens van de groep "
            "verwijzen naar gebruikers op nummer): " + "; ".join(conflicts) + "."
        )
    return create, kept


def _deserialize(rows: list[dict]):
    return [item.object for item in serializers.deserialize("json", json.dumps(rows))]


def _write_registry(registry: dict, users: list) -> Group:
    User = get_user_model()
    new_users = _deserialize([{"model": "tenants.user", "pk": pk, "fields": f} for pk, f in users])
    User.objects.bulk_create(new_users)
    with connection.cursor() as cursor:
        table = User._meta.db_table
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            f'GREATEST((SELECT max(id) FROM "{table}"), 1))',
            [table],
        )
    (group,) = _deserialize([{**registry["group"], "pk": None}])
    Group.objects.bulk_create([group])
    remap = {"group": {registry["group"]["pk"]: group.pk}}
    for key, model, link in (
        ("memberships", Membership, "group"),
        ("assignments", Assignment, "group"),
        ("access_log", AccessLogEntry, "group"),
        ("domains", Domain, "tenant"),
    ):
        rows = [
            {**row, "pk": None, "fields": {**row["fields"], link: group.pk}}
            for row in registry[key]
        ]
        objects = _deserialize(rows)
        model.objects.bulk_create(objects)
        remap[key] = {old["pk"]: new.pk for old, new in zip(registry[key], objects, strict=True)}
    _write_history(registry["history"], remap)
    # The restore itself is a change to the group, with its own line in the history.
    group._change_reason = "Teruggezet uit een export"
    group.save()
    return group


def _write_history(history: dict, remap: dict) -> None:
    """The rows' own history, pointing at their new ids; rows deleted long ago get new ids."""
    for key, model in (("group", Group), ("memberships", Membership), ("assignments", Assignment)):
        historical = model.history.model
        fields = {f.attname: f for f in historical._meta.concrete_fields}
        ids = remap[key]
        objects = []
        for row in history[key]:
            values = {
                name: None if value is None else fields[name].to_python(value)
                for name, value in row.items()
            }
            values.pop("history_id")
            old = values["id"]
            if old not in ids:  # a row that no longer existed when exported
                ids[old] = _next_id(model)
            values["id"] = ids[old]
            if "group_id" in values:
                values["group_id"] = remap["group"][values["group_id"]]
            objects.append(historical(**values))
        historical.objects.bulk_create(objects)


def _next_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        return cursor.fetchone()[0]


def _statements(lines: Iterable[str], *, server_version: int) -> Iterator[tuple[str, list]]:
    """The dump as ("sql", [text]) and ("copy", [statement, rows…]) steps.

    Session settings become transaction-local (`SET LOCAL`), so nothing of the restore
    lingers on the connection; settings this server does not know (pg_dump 17's
    transaction_timeout on PostgreSQL 15/16) and psql meta-commands are left out.
    """
    sql: list[str] = []
    lines = iter(lines)
    for line in lines:
        if line.startswith("COPY ") and line.rstrip().endswith("FROM stdin;"):
            if sql:
                yield "sql", sql
                sql = []
            rows = [line.rstrip()[:-1]]
            for data in lines:
                if data.rstrip("\r\n") == "\\.":
                    break
                rows.append(data)
            yield "copy", rows
            continue
        if line.startswith("\\"):
            continue
        if line.startswith("SET "):
            if line.startswith("SET transaction_timeout") and server_version < 170000:
                continue
            line = "SET LOCAL " + line[4:]
        elif line.startswith("SELECT pg_catalog.set_config('search_path'"):
            line = line.replace(", false);", ", true);")
        sql.append(line)
    if sql:
        yield "sql", sql


def _replay(handle) -> None:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    with connection.cursor() as cursor:
        for kind, body in _statements(text, server_version=connection.pg_version):
            if kind == "sql":
                cursor.execute("".join(body))
            else:
                with cursor.cursor.copy(body[0]) as copy:
                    for row in body[1:]:
                        copy.write(row)


def _restore_files(tar, members: dict[str, tarfile.TarInfo]) -> list[str]:
    """Put the bundle's files in place; returns the ones written (to undo on failure)."""
    written = []
    try:
        for name, info in members.items():
            if not name.startswith(MEDIA):
                continue
            target = name[len(MEDIA) :]
            if default_storage.exists(target):
                with default_storage.open(target, "rb") as here:
                    same = _sha256_file(here) == _sha256_file(tar.extractfile(info))
                if not same:
                    raise BundleError(f"Het bestand {target} bestaat hier al met andere inhoud.")
                continue
            stored = default_storage.save(target, File(tar.extractfile(info), name=target))
            if stored != target:
                default_storage.delete(stored)
                raise BundleError(
                    f"Het bestand {target} kon niet onder zijn eigen naam worden bewaard."
                )
            written.append(stored)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return written


def group_import(*, path: Path) -> ImportResult:
    """Restore the bundle at `path`; nothing is written when anything is refused."""
    if connection.in_atomic_block:
        raise BundleError("Terugzetten kan niet binnen een lopende transactie.")
    connection.set_schema_to_public()
    try:
        tar = tarfile.open(path, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BundleError(f"Het bestand is geen leesbare export: {exc}.") from None
    with tar:
        manifest, registry, members = _read_bundle(tar)
        _check_target(manifest, registry)
        users, kept = _plan_users(registry)
        written = _restore_files(tar, members)
        try:
            with transaction.atomic():
                group = _write_registry(registry, users)
                _replay(tar.extractfile(members[SCHEMA]))
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        finally:
            connection.set_schema_to_public()
    migrated = _migrate_if_newer(group, manifest)
    # The row of facts is not carried in the bundle: it is read afresh (ADR 0013).
    facts_rebuild(group)
    return ImportResult(
        group=group,
        users_created=len(users),
        users_kept=kept,
        files=sum(1 for name in members if name.startswith(MEDIA)),
        migrated=migrated,
    )


def _migrate_if_newer(group: Group, manifest: dict) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{group.schema_name}".django_migrations')
        applied = set(cursor.fetchall())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    tenant_apps = {app for app, _name in manifest["migrations"]}
    missing = [
        key for key in loader.disk_migrations if key[0] in tenant_apps and key not in applied
    ]
    if missing:
        call_command(
            "migrate_schemas", schema_name=group.schema_name, interactive=False, verbosity=0
        )
        connection.set_schema_to_public()
    return bool(missing)
