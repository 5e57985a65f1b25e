"""Receipts (bonnetjes): checked by content, stored per group, never served directly.

A file is accepted when its magic bytes say jpg, png, pdf or heic, when its name does not
claim another type, and when it is at most 10 MB. Photos (jpg, png) are stored without their
metadata: a phone's EXIF holds the GPS position and the camera, and everyone who may see
receipts would get them. The SHA-256 of the file *as uploaded* names the stored copy and
refuses the same file twice (also when two uploads of it race: see `receipt_add`).
"""

import hashlib
import os
import warnings
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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


# A phone photo has 12-50 megapixels; more from a 10 MB file is a decompression bomb.
MAX_PIXELS = 60_000_000
STRIPPED = {"image/jpeg": "JPEG", "image/png": "PNG"}


@dataclass(frozen=True)
class PreparedReceipt:
    """A checked receipt: its type, the bytes to store, and the original's SHA-256."""

    mime: str
    data: bytes
    sha256: str

    @property
    def extension(self) -> str:
        return EXTENSION_FOR[self.mime]


HEIF = {"image/heic", "image/heif"}


class _HeifError(ValueError):
    pass


def _boxes(data: bytes, start: int, end: int):
    """(type, payload start, box end) of the ISO-BMFF boxes in data[start:end]."""
    while start + 8 <= end:
        size = int.from_bytes(data[start : start + 4], "big")
        kind = data[start + 4 : start + 8]
        header = 8
        if size == 1:
            if start + 16 > end:
                raise _HeifError("box")
            size, header = int.from_bytes(data[start + 8 : start + 16], "big"), 16
        elif size == 0:
            size = end - start
        if size < header or start + size > end:
            raise _HeifError("box")
        yield kind, start + header, start + size
        start += size


def _uint(data: bytes, at: int, size: int) -> tuple[int, int]:
    if at + size > len(data):
        raise _HeifError("short")
    return int.from_bytes(data[at : at + size], "big"), at + size


def _heif_metadata_items(data: bytes, start: int, end: int) -> set[int]:
    """Item ids of EXIF and XMP in an `iinf` box's payload."""
    version = data[start]
    _count, at = _uint(data, start + 4, 2 if version == 0 else 4)
    found = set()
    for kind, payload, box_end in _boxes(data, at, end):
        if kind != b"infe":
            continue
        infe_version = data[payload]
        if infe_version < 2:
            continue
        item_id, at = _uint(data, payload + 4, 2 if infe_version == 2 else 4)
        item_type = data[at + 2 : at + 6]
        rest = data[at + 6 : box_end]
        if item_type == b"Exif" or (item_type == b"mime" and b"rdf+xml" in rest):
            found.add(item_id)
    return found


def _heif_extents(data: bytes, start: int, idat: int | None) -> dict[int, list[tuple[int, int]]]:
    """Item id -> [(file offset, length)] from an `iloc` box's payload."""
    version = data[start]
    at = start + 4
    sizes, at = _uint(data, at, 1)
    offset_size, length_size = sizes >> 4, sizes & 15
    sizes, at = _uint(data, at, 1)
    base_size, index_size = sizes >> 4, (sizes & 15 if version in (1, 2) else 0)
    count, at = _uint(data, at, 2 if version < 2 else 4)
    extents: dict[int, list[tuple[int, int]]] = {}
    for _item in range(count):
        item_id, at = _uint(data, at, 2 if version < 2 else 4)
        method = 0
        if version in (1, 2):
            method, at = _uint(data, at, 2)
            method &= 15
        _ref, at = _uint(data, at, 2)
        base, at = _uint(data, at, base_size)
        extent_count, at = _uint(data, at, 2)
        for _extent in range(extent_count):
            if index_size:
                _index, at = _uint(data, at, index_size)
            offset, at = _uint(data, at, offset_size)
            length, at = _uint(data, at, length_size)
            if method == 1:
                if idat is None:
                    raise _HeifError("idat")
                offset += idat
            elif method != 0:
                raise _HeifError("construction")
            extents.setdefault(item_id, []).append((base + offset, length))
    return extents


def blank_heif_metadata(data: bytes) -> bytes:
    """The HEIC/HEIF file with its EXIF and XMP items' bytes overwritten with zeros: same
    length and layout, so the picture is untouched (Pillow cannot re-encode HEIF here)."""
    out = bytearray(data)
    meta = next((b for b in _boxes(data, 0, len(data)) if b[0] == b"meta"), None)
    if meta is None:
        raise _HeifError("meta")
    children = {kind: (payload, end) for kind, payload, end in _boxes(data, meta[1] + 4, meta[2])}
    if b"iinf" not in children or b"iloc" not in children:
        raise _HeifError("iinf/iloc")
    items = _heif_metadata_items(data, *children[b"iinf"])
    idat = children[b"idat"][0] if b"idat" in children else None
    extents = _heif_extents(data, children[b"iloc"][0], idat)
    for item_id in items:
        for offset, length in extents.get(item_id, []):
            if length == 0 or offset + length > len(data):
                raise _HeifError("extent")
            out[offset : offset + length] = bytes(length)
    return bytes(out)


def strip_metadata(*, data: bytes, mime: str) -> bytes:
    """The photo without EXIF, XMP, comments or text chunks: jpg and png re-encoded upright
    as the EXIF orientation said (that tag goes too), heic with those items blanked. A pdf
    is returned as it is."""
    unreadable = ValidationError(
        {"receipt": _("Deze foto kan niet worden gelezen. Maak een nieuwe foto of een pdf.")}
    )
    if mime in HEIF:
        try:
            return blank_heif_metadata(data)
        except (_HeifError, IndexError) as exc:
            raise unreadable from exc
    image_format = STRIPPED.get(mime)
    if image_format is None:
        return data
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(BytesIO(data)) as original:
                if original.width * original.height > MAX_PIXELS:
                    raise ValidationError(
                        {"receipt": _("De foto heeft te veel pixels. Maak een kleinere foto.")}
                    )
                original.load()
                icc = original.info.get("icc_profile")
                transparency = original.info.get("transparency")
                upright = ImageOps.exif_transpose(original)
                # Pillow copies some of `info` (comment, XMP) when saving: keep none of it.
                upright.info = {}
                options = {"icc_profile": icc} if icc else {}
                if image_format == "JPEG":
                    if upright.mode not in {"RGB", "L", "CMYK"}:
                        upright = upright.convert("RGB")
                    options.update(quality=92, optimize=True)
                elif transparency is not None and upright.mode in {"P", "L", "RGB"}:
                    options["transparency"] = transparency
                out = BytesIO()
                upright.save(out, format=image_format, **options)
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise unreadable from exc
    return out.getvalue()


def receipt_prepare(*, name: str, data: bytes) -> PreparedReceipt:
    """Check a receipt and strip a photo's metadata; a Dutch ValidationError, nothing written."""
    mime = check_receipt_file(name=name, data=data)
    return PreparedReceipt(
        mime=mime,
        data=strip_metadata(data=data, mime=mime),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def read_upload(upload) -> bytes:
    """Read an uploaded file, stopping just past the limit so a huge file is not kept."""
    if getattr(upload, "size", 0) and upload.size > MAX_BYTES:
        raise ValidationError(
            {"receipt": _("Het bestand is groter dan 10 MB. Maak een kleinere foto of scan.")}
        )
    upload.seek(0)
    return upload.read(MAX_BYTES + 1)


def _already_uploaded(existing: Receipt) -> ValidationError:
    return ValidationError(
        {
            "receipt": _("Dit bonnetje is al eerder geüpload, bij boeking %(n)s (%(d)s).")
            % {"n": existing.entry.display_number, "d": existing.entry.description}
        }
    )


def lock_receipt_hash(digest: str) -> None:
    """Serialise everything that checks and then writes a receipt with this SHA-256, until
    the transaction ends: the second of two uploads of one file waits, then sees the first."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"{connection.schema_name}:receipt:{digest}"],
        )


@transaction.atomic
def receipt_add(*, entry: JournalEntry, name: str, data: bytes, user) -> Receipt:
    """Attach a receipt to an entry (also a posted one: receipts are not part of the chain)."""
    require_role(user, *BOARD, message=_("Alleen bestuursleden mogen bonnetjes toevoegen."))
    prepared = receipt_prepare(name=name, data=data)
    return receipt_store(
        entry=entry, prepared=prepared, original_name=os.path.basename(name), user=user
    )


@transaction.atomic
def receipt_store(
    *, entry: JournalEntry, prepared: PreparedReceipt, original_name: str, user, folder="receipts"
) -> Receipt:
    """Write a prepared receipt once: check and insert are one step under the hash's lock."""
    digest = prepared.sha256
    lock_receipt_hash(digest)
    existing = Receipt.objects.filter(sha256=digest).select_related("entry", "entry__year").first()
    if existing is not None:
        raise _already_uploaded(existing)
    path = f"{connection.schema_name}/{folder}/{digest[:2]}/{digest}.{prepared.extension}"
    if not default_storage.exists(path):
        stored = default_storage.save(path, ContentFile(prepared.data))
    else:  # left behind by a rolled-back upload of the same file, or the claim's copy
        stored = path
    receipt = Receipt(
        entry=entry,
        file=stored,
        original_name=original_name[:200] or "bonnetje",
        content_type=prepared.mime,
        size=len(prepared.data),
        sha256=digest,
        uploaded_by_id=user.pk,
    )
    receipt.full_clean(validate_unique=False)
    receipt._history_user = user
    try:
        with transaction.atomic():  # the unique index is the last word, never a server error
            receipt.save()
    except IntegrityError:
        raise _already_uploaded(
            Receipt.objects.select_related("entry").get(sha256=digest)
        ) from None
    return receipt


@transaction.atomic
def receipt_link_stored(
    *, entry: JournalEntry, path: str, original_name: str, content_type: str, sha256: str, user
) -> Receipt | None:
    """Attach a receipt already stored for this group (an expense claim's) to an entry.

    Nothing is added when the entry has it already, or when the same file is the receipt of
    another booking: that booking keeps it, and the duplicate shows there.
    """
    lock_receipt_hash(sha256)
    if Receipt.objects.filter(sha256=sha256).exists():
        return None
    try:
        size = default_storage.size(path)
    except OSError:  # a missing file must not stop paying the claim; the link is kept
        size = 0
    receipt = Receipt(
        entry=entry,
        file=path,
        original_name=original_name[:200] or "bonnetje",
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by_id=user.pk,
    )
    receipt.full_clean(validate_unique=False)
    receipt._history_user = user
    receipt.save()
    return receipt


def receipt_path_belongs_here(receipt: Receipt) -> bool:
    """Receipts live in the group's own folders: uploaded ones, and claims' receipts."""
    return receipt.file.name.startswith(
        (f"{connection.schema_name}/receipts/", f"{connection.schema_name}/claims/")
    )
