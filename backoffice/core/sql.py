"""Database functions and triggers kept as .sql files next to the code they protect.

A file is named `<name>.<migration number>.sql` and is loaded by that migration (`load`), so
replaying old migrations always runs the SQL they were written with. The current definition
of every function is the one in the highest-numbered file that defines it (`current_functions`);
a test compares those with what a freshly migrated schema holds.
"""

import re
from pathlib import Path

from django.conf import settings

FUNCTION = re.compile(
    r"CREATE OR REPLACE FUNCTION (?P<name>\w+)\(\)[^$]*\$\$(?P<body>.*?)\$\$;", re.S
)


def load(relative_path: str) -> str:
    """The SQL of one file, for `migrations.RunSQL` (path relative to the project root)."""
    return (Path(settings.BASE_DIR) / relative_path).read_text(encoding="utf-8")


def _number(path: Path) -> int:
    return int(path.suffixes[-2].lstrip("."))


def current_functions(root: Path | None = None) -> dict[str, str]:
    """Function name -> body, from the newest file that defines it, across the project."""
    root = root or Path(settings.BASE_DIR)
    bodies: dict[str, tuple[int, str]] = {}
    for path in root.glob("*/**/sql/*.sql"):
        if ".venv" in path.parts:
            continue
        number = _number(path)
        for match in FUNCTION.finditer(path.read_text(encoding="utf-8")):
            name = match["name"]
            if name not in bodies or bodies[name][0] < number:
                bodies[name] = (number, match["body"])
    return {name: body for name, (_n, body) in bodies.items()}
