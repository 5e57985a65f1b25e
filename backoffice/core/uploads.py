"""A file chosen on a form survives a failed submit: it is kept aside and carried as a token.

Browsers never re-fill a file input, so a validation error (a wrong amount, a missing
decision) used to drop the receipt photo someone had just taken; on a phone that means taking
it again. `KeptFileInput` stores the upload under `kept-uploads/<schema>/` when the form is
shown again and renders a signed token next to the file input; the next submit without a new
file reads the kept one back. The token is signed (no path can be forged), bound to the
group's schema, and valid for a day; kept files older than that are removed whenever a new
one is kept. The file itself is checked like any upload by the service that receives it.
"""

import datetime
import secrets

from django import forms
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

KEPT_DIR = "kept-uploads"
MAX_AGE = datetime.timedelta(days=1)
_SALT = "backoffice.core.uploads.kept"
_MAX_BYTES = 20 * 1024 * 1024


def keep(upload) -> str:
    """Store `upload` aside and return the token that brings it back."""
    _sweep()
    upload.seek(0)
    data = upload.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        return ""
    path = f"{KEPT_DIR}/{connection.schema_name}/{secrets.token_hex(16)}"
    stored = default_storage.save(path, ContentFile(data))
    upload.seek(0)
    return signing.dumps(
        {
            "path": stored,
            "name": upload.name,
            "type": getattr(upload, "content_type", "") or "application/octet-stream",
            "schema": connection.schema_name,
        },
        salt=_SALT,
        compress=True,
    )


def take(token: str):
    """The kept upload for `token` (an UploadedFile), or None when it is unknown or expired."""
    try:
        info = signing.loads(token, salt=_SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if info.get("schema") != connection.schema_name:
        return None
    path = info.get("path", "")
    if not path.startswith(f"{KEPT_DIR}/{connection.schema_name}/"):
        return None
    try:
        with default_storage.open(path, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        return None
    upload = SimpleUploadedFile(info["name"], data, content_type=info["type"])
    upload.kept_token = token
    return upload


def _sweep() -> None:
    """Remove kept files older than a day (of this schema: the folder is per group)."""
    folder = f"{KEPT_DIR}/{connection.schema_name}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, OSError):
        return
    limit = timezone.now() - MAX_AGE
    for name in files:
        path = f"{folder}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, OSError):
            continue


class KeptFileInput(forms.FileInput):
    """A file input that keeps what was chosen when the form comes back with an error."""

    template_name = "backoffice/widgets/kept_file.html"

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        if upload:
            return upload
        token = data.get(f"{name}_kept")
        return take(token) if token else None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if value is not None and hasattr(value, "read") and not hasattr(value, "url"):
            token = getattr(value, "kept_token", None) or keep(value)
            value.kept_token = token
            if token:
                context["widget"]["kept"] = {"token": token, "name": value.name}
        return context


class KeptFileField(forms.FileField):
    """A file field whose choice survives a failed submit (see `KeptFileInput`)."""

    widget = KeptFileInput

    def bound_data(self, data, initial):
        # Django hands the widget only the initial value of a file field; the kept-file
        # widget needs the upload itself to keep it aside.
        if data is not None and hasattr(data, "read"):
            return data
        return initial
