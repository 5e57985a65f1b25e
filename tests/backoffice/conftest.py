"""Helpers for tests that run `manage.py` in another process against the test database."""

import os
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection


def subprocess_database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    host = quote(db["HOST"] or db.get("OPTIONS", {}).get("host", ""), safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgresql://{user}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture
def manage_env(tmp_path):
    """Environment for a `manage.py` process on the test database, with its own media."""

    def make(media_root=None, **extra) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "TEST_"))}
        env.update(
            DATABASE_URL=subprocess_database_url(),
            DJANGO_DEBUG="0",
            DJANGO_SECURE="0",
            DJANGO_SECRET_KEY="test-only-secret-key-for-a-second-process-0123456789",
            # the same chain key as this process: the books must verify on both sides
            BUURTKAS_LEDGER_KEY=settings.LEDGER_CHAIN_KEY,
            DJANGO_MEDIA_ROOT=str(media_root or settings.MEDIA_ROOT),
            PYTHONUNBUFFERED="1",
            # the test users' passwords are hashed with the test suite's fast hasher
            DJANGO_PASSWORD_HASHERS=",".join(settings.PASSWORD_HASHERS),
        )
        env.update(extra)
        return env

    return make


def manage(args, env, *, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def manage_popen(args, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
