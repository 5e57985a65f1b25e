"""Attachments: checked by content, stored under MEDIA_ROOT/knowledge/, served after an
access check, always as a download."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from knowledge import services
from knowledge.attachments import DOCX, XLSX
from knowledge.models import Attachment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def office_file(*, part: str = "word/document.xml", macros: bool = False) -> bytes:
    """A minimal OOXML package, laid out as the format's description says: the content
    types first, then the document part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr(part, "<document>Huishoudelijk reglement</document>")
        if macros:
            archive.writestr("word/vbaProject.bin", b"\x00" * 64)
    return buffer.getvalue()


def odt_file() -> bytes:
    """OpenDocument: an uncompressed `mimetype` entry comes first."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, mime",
    [
        ("begroting.pdf", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("reglement.docx", office_file(), DOCX),
        ("begroting.xlsx", office_file(part="xl/workbook.xml"), XLSX),
        ("verslag.odt", odt_file(), "application/vnd.oasis.opendocument.text"),
        ("zonder-extensie", PDF, "application/pdf"),
    ],
)  # fmt: skip
def test_accepted_files_are_stored_under_media_knowledge(
    publish, users, settings, name, data, mime
):
    article = publish()
    attachment = services.attachment_add(
        article=article, name=name, data=data, user=users["support"]
    )
    assert attachment.content_type == mime
    assert attachment.file.name.startswith("knowledge/")
    assert (settings.MEDIA_ROOT / attachment.file.name).read_bytes() == data
    assert attachment.history.first().history_user == users["support"]


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("leeg.pdf", b"", "leeg"),
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n", "Dit soort bestand"),
        ("pagina.html", b"<html><script>alert(1)</script></html>", "Dit soort bestand"),
        ("programma.exe", b"MZ\x90\x00" + b"\x00" * 200, "Dit soort bestand"),
        ("foto.pdf", PNG, "De naam zegt .pdf, maar het bestand is een png"),
        ("macro.docx", office_file(macros=True), "macro"),
        ("kapot.docx", office_file()[:-30], "beschadigd"),
        ("groot.pdf", PDF + b"0" * (10 * 1024 * 1024), "groter dan 10 MB"),
    ],
)
def test_refused_files_get_a_dutch_message_and_nothing_is_stored(
    publish, users, settings, name, data, message
):
    article = publish()
    with pytest.raises(ValidationError, match=message):
        services.attachment_add(article=article, name=name, data=data, user=users["support"])
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "knowledge").exists()


def test_the_same_file_twice_is_refused(publish, users):
    article = publish()
    services.attachment_add(article=article, name="a.pdf", data=PDF, user=users["support"])
    with pytest.raises(ValidationError, match="hangt al bij dit artikel"):
        services.attachment_add(article=article, name="b.pdf", data=PDF, user=users["support"])


def test_download_is_access_checked_and_never_inline(publish, users, client_for):
    public = publish(title="Voor groepen")
    internal = publish(title="Intern", visibility="ondersteuning")
    shared = services.attachment_add(article=public, name="a.pdf", data=PDF, user=users["support"])
    secret = services.attachment_add(
        article=internal, name="b.pdf", data=PDF + b"x", user=users["support"]
    )
    response = client_for("treasurer").get(f"/kennis/bijlagen/{shared.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF
    assert client_for("treasurer").get(f"/kennis/bijlagen/{secret.pk}/").status_code == 404
    assert client_for("official").get(f"/kennis/bijlagen/{shared.pk}/").status_code == 404
    assert client_for("outsider").get(f"/kennis/bijlagen/{shared.pk}/").status_code == 403
    assert client_for("support").get(f"/kennis/bijlagen/{secret.pk}/").status_code == 200


def test_upload_through_the_page(publish, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    article = publish()
    client = client_as("support")
    response = client.post(
        f"/kennis/artikelen/{article.pk}/bijlagen/",
        {"file": SimpleUploadedFile("reglement.docx", office_file())},
    )
    assert response.status_code == 302
    assert Attachment.objects.get().original_name == "reglement.docx"
    response = client.post(
        f"/kennis/artikelen/{article.pk}/bijlagen/",
        {"file": SimpleUploadedFile("virus.exe", b"MZ" + b"\x00" * 100)},
    )
    assert response.status_code == 400
    assert "Dit soort bestand kan niet bij een artikel" in response.content.decode()
    assert (
        client_as("treasurer")
        .post(
            f"/kennis/artikelen/{article.pk}/bijlagen/",
            {"file": SimpleUploadedFile("a.pdf", PDF)},
        )
        .status_code
        == 403
    )
