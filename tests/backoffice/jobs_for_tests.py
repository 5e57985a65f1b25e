"""A task for the worker tests: the first attempt hangs (to be killed), later ones finish."""

import time
from pathlib import Path

from django.tasks import task


@task()
def hang_on_first_attempt(directory: str) -> int:
    folder = Path(directory)
    attempt = len(list(folder.glob("attempt-*"))) + 1
    (folder / f"attempt-{attempt}").write_text("")
    if attempt == 1:
        time.sleep(120)
    return attempt
