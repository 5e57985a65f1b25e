"""Receipts (bonnetjes): checked by content, stored per group, never served directly.

A file is accepted when its magic bytes say jpg, png, pdf or heic, when its name does not
claim another type, and when it is at most 10 MB. Files are stored content-addressed under
MEDIA_ROOT/<schema>/receipts/, and the SHA-256 refuses the same file twice.
"""

import hashlib
import os
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.translation import gettext as _

from finance.ledger.models import JournalEntry, Receipt
from finance.roles import BOARD, require_role

MAX_BYTES = 10 * 1024 * 1024
# detected MIME type -> extensions a file of that type may carry
ALLOWED = {
    "image/jpeg": {"jpg", "jpeg", "jpe", "jfif"},
    "image/png": {"png"},
    "application/pdf": {"pdf"},
    "image/heic": {"heic", "heif"},
    "image/heif": {"heic", "heif"},
}
EXTENSION_FOR = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "application/pdf": "pdf",
    "image/heic": "heic",
    "image/heif": "heic",
}


def check_receipt_file(*, name: str, data: bytes) -> str:
    """The detected content type, or a Dutch ValidationError; writes nothing."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            {"receipt": _("Het bestand is groter dan 10 MB. Maak een kleinere foto of scan.")}
        )
    if not data:
        raise ValidationError({"receipt": _("Het bestand is leeg.")})
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime not in ALLOWED:
        raise ValidationError(
            {
                "receipt": _(
                    "Dit bestand is geen foto (jpg, png, heic) of pdf. "
                    "Upload het bonnetje als foto of pdf."
                )
            }
        )
    extension = PurePosixPath(name.lower()).suffix.lstrip(".")
    if extension and extension not in ALLOWED[mime]:
        raise ValidationError(
            {
                "receipt": _(
                    "De naam zegt .%(ext)s, maar het bestand is een "
                    "%(real)s. Controleer of je het goede bestand kiest."
                )
                % {"ext": extension, "real": EXTENSION_FOR[mime]}
            }
        )
    return mime


def read_upload(upload) -> bytes:
    """Read an uploaded file, stopping just past the limit so a huge file is not kept."""
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:
        raise ValidationError(
            {"receipt": _("Het bestand is groter dan 10 MB. Maak een kleinere foto of scan.")}
        )
    upload.seek(0)
    return upload.read(MAX_BYTES + 1)


@transaction.atomic
def receipt_add(*, entry: JournalEntry, name: str, data: bytes, user) -> Receipt:
    """Attach a receipt to an entry (also a posted one: receipts are not part of the chain)."""
    require_role(user, *BOARD, message=_("Alleen bestuursleden mogen bonnetjes toevoegen."))
    mime = check_receipt_file(name=name, data=data)
    digest = hashlib.sha256(data).hexdigest()
    existing = Receipt.objects.filter(sha256=digest).select_related("entry", "entry__year").first()
    if existing is not None:
        raise ValidationError(
            {
                "receipt": _("Dit bonnetje is al eerder geüpload, bij boeking %(n)s (%(d)s).")
                % {"n": existing.entry.display_number, "d": existing.entry.description}
            }
        )
    path = f"{connection.schema_name}/receipts/{digest[:2]}/{digest}.{EXTENSION_FOR[mime]}"
    if not default_storage.exists(path):
        stored = default_storage.save(path, ContentFile(data))
    else:  # left behind by a rolled-back upload of the same file
        stored = path
    receipt = Receipt(
        entry=entry,
        file=stored,
        original_name=os.path.basename(name)[:200] or "bonnetje",
        content_type=mime,
        size=len(data),
        sha256=digest,
        uploaded_by_id=user.pk,
    )
    receipt.full_clean()
    receipt._history_user = user
    receipt.save()
    return receipt


def receipt_path_belongs_here(receipt: Receipt) -> bool:
    return receipt.file.name.startswith(f"{connection.schema_name}/receipts/")
