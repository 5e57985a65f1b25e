"""Start-up of a management command (docs/scaling.md): the admin's modules, and with them
django-import-export's spreadsheet formats (openpyxl, numpy), are loaded with the URLconf,
not at start-up; the admin is complete wherever it is used, and its check still sees it."""

import subprocess
import sys

from django.conf import settings

PROBE = (
    "import sys, django; django.setup(); from django.contrib import admin; "
    "before = len(admin.site._registry); "
    "heavy = [m for m in ('import_export.admin', 'openpyxl') if m in sys.modules]; "
    "{then}; print(before, heavy, len(admin.site._registry))"
)


def _probe(manage_env, then: str) -> tuple[int, list, int]:
    env = manage_env(DJANGO_SETTINGS_MODULE="backoffice.settings")
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(then=then)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    line = done.stdout.strip().splitlines()[-1]
    before, rest = line.split(" ", 1)
    heavy, after = rest.rsplit(" ", 1)
    return int(before), heavy, int(after)


def test_start_up_loads_no_admin_and_the_urlconf_loads_all_of_it(manage_env):
    before, heavy, after = _probe(manage_env, "import backoffice.urls")
    assert before == 0 and heavy == "[]"
    assert after >= 10  # every app's admin.py registered its models


def test_the_admin_check_discovers_the_admin_first(manage_env):
    then = (
        "from django.core import checks; "
        "errors = checks.run_checks(tags=[checks.Tags.admin]); assert errors == [], errors"
    )
    before, _heavy, after = _probe(manage_env, then)
    assert before == 0 and after >= 10
