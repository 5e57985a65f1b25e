"""Attachments of articles: checked by what the bytes are, not by what the name says.

Accepted: PDF, Word, Excel, OpenDocument text and spreadsheets, PNG and JPEG, at most
10 MB. Office files must be readable ZIP archives without macros. Files are stored
content-addressed under MEDIA_ROOT/knowledge/ and only served by an access-checked view
(knowledge.views.attachment_download), always as a download.
"""

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
# detected MIME type -> (extension to store under, extensions a name may carry)
ALLOWED = {
    "application/pdf": ("pdf", {"pdf"}),
    DOCX: ("docx", {"docx"}),
    XLSX: ("xlsx", {"xlsx"}),
    ODT: ("odt", {"odt"}),
    ODS: ("ods", {"ods"}),
    "image/png": ("png", {"png"}),
    "image/jpeg": ("jpg", {"jpg", "jpeg"}),
}
ZIPPED = {DOCX, XLSX, ODT, ODS}
# A ZIP that unpacks to more than this is refused (a "zip bomb" hidden in a template).
MAX_UNPACKED = 100 * 1024 * 1024
_UNSAFE_NAME = re.compile(r"[^\w .()\-]+")


def _error(message: str) -> ValidationError:
    return ValidationError({"file": message})


def clean_name(name: str) -> str:
    """A file name fit to show and to send: no path, no control or odd characters."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = unicodedata.normalize("NFC", base)
    base = _UNSAFE_NAME.sub("_", base).strip(" .")
    return base[:200] or "bijlage"


def check_file(*, name: str, data: bytes) -> tuple[str, str]:
    """(MIME type, extension) of an acceptable file, or a Dutch ValidationError."""
    if not data:
        raise _error(_("Het bestand is leeg."))
    if len(data) > MAX_BYTES:
        raise _error(_("Het bestand is groter dan 10 MB. Kies een kleiner bestand."))
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise _error(
            _(
                "Dit soort bestand kan niet bij een artikel. Kies een pdf, Word- of "
                "Excel-bestand, OpenDocument-bestand, of een foto (png, jpg)."
            )
        )
    stored_extension, extensions = ALLOWED[mime]
    extension = PurePosixPath(name.lower()).suffix.lstrip(".")
    if extension and extension not in extensions:
        raise _error(
            _(
                "De naam zegt .%(ext)s, maar het bestand is een %(real)s. "
                "Controleer of je het goede bestand kiest."
            )
            % {"ext": extension, "real": stored_extension}
        )
    if mime in ZIPPED:
        _check_zip(data)
    return mime, stored_extension


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if archive.testzip() is not None:
                raise zipfile.BadZipFile
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise _error(_("Het bestand is beschadigd en kan niet worden geopend.")) from exc
    if sum(member.file_size for member in members) > MAX_UNPACKED:
        raise _error(_("Het bestand is uitgepakt te groot. Kies een kleiner bestand."))
    if any(member.filename.lower().endswith("vbaproject.bin") for member in members):
        raise _error(
            _(
                "Het bestand bevat macro's. Sla het op zonder macro's (.docx of .xlsx) "
                "en probeer het opnieuw."
            )
        )


def read_upload(upload) -> bytes:
    """Read an uploaded file, stopping just past the limit so a huge file is not kept."""
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:
        raise _error(_("Het bestand is groter dan 10 MB. Kies een kleiner bestand."))
    upload.seek(0)
    return upload.read(MAX_BYTES + 1)


def storage_path(*, data: bytes, extension: str) -> tuple[str, str]:
    """(sha256, path under MEDIA_ROOT) for the file's content."""
    digest = hashlib.sha256(data).hexdigest()
    return digest, f"knowledge/{digest[:2]}/{digest}.{extension}"
