"""Guards for pages anyone can reach: rate limits, the personal link, uploads checked by content.

Rate limits count in the database (one row per key and window, raised by one atomic
`INSERT … ON CONFLICT DO UPDATE`), so they hold across worker processes and restarts.
"""

import datetime
import hashlib
import io
import secrets

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from groups.initiatives.models import RateBucket

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
IMAGE_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def rate_hit(key: str, *, limit: int, window: datetime.timedelta) -> bool:
    """Count one attempt for `key`; False when the limit for this window is passed."""
    now = timezone.now()
    seconds = int(window.total_seconds())
    start = datetime.datetime.fromtimestamp(
        (int(now.timestamp()) // seconds) * seconds, tz=datetime.UTC
    )
    table = connection.ops.quote_name(RateBucket._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) VALUES (%s, %s, 1) "  # noqa: S608
            "ON CONFLICT (key, window_start) DO UPDATE SET count = "
            f"{table}.count + 1 RETURNING count",
            [key[:120], start],
        )
        (count,) = cursor.fetchone()
    return count <= limit


def rate_hits(limits: dict[str, int], *, window: datetime.timedelta) -> bool:
    """`rate_hit` for several keys in one statement (one round trip on a hot path): every
    key counts the attempt; False when any of them is past its limit."""
    now = timezone.now()
    seconds = int(window.total_seconds())
    start = datetime.datetime.fromtimestamp(
        (int(now.timestamp()) // seconds) * seconds, tz=datetime.UTC
    )
    keys = sorted(limits)  # a fixed order, so two attempts never lock the rows crosswise
    table = connection.ops.quote_name(RateBucket._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, window_start, count) "  # noqa: S608
            "SELECT k, %s, 1 FROM unnest(%s::text[]) AS t(k) "
            "ON CONFLICT (key, window_start) DO UPDATE SET count = "
            f"{table}.count + 1 RETURNING key, count",
            [start, [key[:120] for key in keys]],
        )
        counts = dict(cursor.fetchall())
    return all(counts[key[:120]] <= limits[key] for key in keys)


def new_token() -> tuple[str, str]:
    """A personal link's token (43 characters, 256 bits) and the hash that is stored."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def checked_upload(upload) -> tuple[bytes, str]:
    """The bytes and true content type of an uploaded photo or PDF, or a Dutch error.

    The type is read from the content, never from the name or the browser's claim: an image
    must open and verify with Pillow, a PDF must start and end like one.
    """
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is te groot (hoogstens 10 MB).") % {"name": upload.name[:80]}
        )
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("%(name)s is te groot (hoogstens 10 MB).") % {"name": upload.name[:80]}
        )
    if data.startswith(b"%PDF-") and b"%%EOF" in data[-1024:]:
        return data, "application/pdf"
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        kind = None
    if kind not in IMAGE_FORMATS or width * height > MAX_IMAGE_PIXELS:
        raise ValidationError(
            _("%(name)s is geen foto (JPEG, PNG, WebP) of PDF. Kies een ander bestand.")
            % {"name": upload.name[:80]}
        )
    return data, IMAGE_FORMATS[kind]
