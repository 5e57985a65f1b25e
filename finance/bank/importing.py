"""Importing bank statement files: all or nothing, idempotent, safe against a double upload.

Flow: parse the file (finance.bank_formats: format, encoding, safe XML, balances), find the
group's bank account by the file's IBAN, then in ONE transaction take an advisory lock on
that account, skip the lines whose dedup key is already known, and write the statement and
its new lines. A bad line refuses the whole file before anything is written; a failure during
the write rolls everything back. Two uploads of the same file at once: the lock serialises
them and the second finds the statement already there (the unique constraint on the dedup
key stands behind it).

The original file is kept content-addressed under MEDIA_ROOT/<schema>/statements/, with its
SHA-256 on the statement, so the kascommissie can verify it was not altered.

Imported lines get no creation row in the history: the import itself is recorded once, on
the statement (who, when, which file, its hash), and a line's later changes (reconciliation)
are recorded on the line. Ten thousand "+" rows would double the write and say nothing the
statement does not.

Progress for the browser is written on a separate autocommit connection (`ProgressWriter`),
so it is visible while the import transaction is still open.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from psycopg import sql

from backoffice.core.iban import normalise_iban
from finance.bank.formats import ParsedStatement, StatementError, parse_statement
from finance.bank.models import BankAccount, BankLine, ImportJob, Statement
from finance.roles import require_treasurer

MAX_BYTES = 20 * 1024 * 1024
CHUNK = 2000
EXTENSIONS = {"camt053": "xml", "mt940": "sta"}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportResult:
    statement: Statement
    new_count: int
    known_count: int
    already_imported: bool = False

    @property
    def message(self) -> str:
        if self.already_imported:
            return _(
                "Dit bestand is al eerder ingelezen (%(date)s). Er is niets dubbel toegevoegd."
            ) % {"date": timezone.localtime(self.statement.imported_at).strftime("%d-%m-%Y %H:%M")}
        return _("%(new)s nieuwe regels ingelezen, %(known)s regels waren er al.") % {
            "new": self.new_count,
            "known": self.known_count,
        }


# --- bank accounts -------------------------------------------------------------------------


@transaction.atomic
def bank_account_create(
    *, user, iban: str, name: str, holder: str, ledger_account, bic: str = ""
) -> BankAccount:
    require_treasurer(user)
    iban = normalise_iban(iban)
    if BankAccount.objects.filter(iban=iban).exists():
        raise ValidationError({"iban": _("Deze rekening staat er al.")})
    if not ledger_account.is_cash:
        raise ValidationError(
            {"ledger_account": _("Kies een geldrekening uit het rekeningschema (bijv. Bank).")}
        )
    account = BankAccount(
        iban=iban,
        name=name.strip(),
        holder=holder.strip(),
        bic=bic.strip().upper(),
        ledger_account=ledger_account,
    )
    account.full_clean()
    account._history_user = user
    account.save()
    return account


# --- parsing -------------------------------------------------------------------------------


def parse(data: bytes, *, filename: str = "") -> ParsedStatement:
    """Parse or raise a ValidationError whose message names the line."""
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Het bestand is groter dan 20 MB. Exporteer een kortere periode."))
    try:
        return parse_statement(data, filename=filename)
    except StatementError as exc:
        raise ValidationError(exc.message_nl, code="statement") from None


def account_for(parsed: ParsedStatement) -> BankAccount:
    account = (
        BankAccount.objects.select_related("ledger_account")
        .filter(iban=parsed.account_iban)
        .first()
    )
    if account is None:
        raise ValidationError(
            _(
                "Dit afschrift is van rekening %(iban)s, en dat is geen bankrekening van deze "
                "groep. Kies het bestand van de eigen rekening, of voeg de rekening eerst toe."
            )
            % {"iban": parsed.account_iban or _("(onbekend)")},
            code="foreign_iban",
        )
    if parsed.currency and parsed.currency != "EUR":
        raise ValidationError(
            _("Dit afschrift is in %(c)s; alleen euro wordt ingelezen.") % {"c": parsed.currency}
        )
    return account


def store_file(data: bytes, *, sha256: str, fmt: str) -> str:
    """Content-addressed path of the original file in this group's storage."""
    ext = EXTENSIONS.get(fmt, "csv" if fmt != "abnamro_tab" else "tab")
    path = f"{connection.schema_name}/statements/{sha256[:2]}/{sha256}.{ext}"
    if not default_storage.exists(path):
        return default_storage.save(path, ContentFile(data))
    return path


# --- import --------------------------------------------------------------------------------


def _lock(account: BankAccount) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
            [f"{connection.schema_name}:bank", account.pk],
        )


def import_statement(
    *, data: bytes, filename: str, user, progress: Progress | None = None
) -> ImportResult:
    """Import a bank file for the current group; ValidationError names what is wrong."""
    require_treasurer(user)
    parsed = parse(data, filename=filename)
    total = len(parsed.lines)
    if progress:
        progress(0, total)
    account = account_for(parsed)
    path = store_file(data, sha256=parsed.sha256, fmt=parsed.format)
    return _write(parsed, account, path, filename, len(data), user, progress)


@transaction.atomic
def _write(parsed, account, path, filename, size, user, progress) -> ImportResult:
    _lock(account)
    existing = Statement.objects.filter(sha256=parsed.sha256).first()
    total = len(parsed.lines)
    if existing is not None:
        if progress:
            progress(total, total)
        return ImportResult(existing, 0, total, already_imported=True)
    keys = [line.dedup_key for line in parsed.lines]
    known: set[str] = set()
    for start in range(0, len(keys), 10_000):
        known.update(
            BankLine.objects.filter(
                bank_account=account, dedup_key__in=keys[start : start + 10_000]
            ).values_list("dedup_key", flat=True)
        )
    statement = Statement(
        bank_account=account,
        format=parsed.format,
        file=path,
        original_name=(filename.rsplit("/", 1)[-1] or "afschrift")[:200],
        size=size,
        sha256=parsed.sha256,
        opening_balance=parsed.opening_balance,
        closing_balance=parsed.closing_balance,
        opening_date=parsed.opening_date,
        closing_date=parsed.closing_date,
        line_count=total,
        new_count=total - len(known),
        imported_by_id=user.pk,
    )
    statement._history_user = user
    statement.save()
    new = [line for line in parsed.lines if line.dedup_key not in known]
    done = len(known)
    for start in range(0, len(new), CHUNK):
        chunk = new[start : start + CHUNK]
        _copy_lines(account, statement, chunk)
        done += len(chunk)
        if progress:
            progress(done, total)
    if progress and not new:
        progress(total, total)
    return ImportResult(statement, len(new), len(known))


COPY_COLUMNS = (
    "bank_account_id",
    "statement_id",
    "line_number",
    "booking_date",
    "value_date",
    "amount",
    "counterparty_name",
    "counterparty_iban",
    "description",
    "bank_reference",
    "dedup_key",
    "match_note",
)


def _copy_lines(account: BankAccount, statement: Statement, lines) -> None:
    """COPY is several times faster than a multi-row INSERT for thousands of lines."""
    columns = sql.SQL(", ").join(sql.Identifier(c) for c in COPY_COLUMNS)
    statement_sql = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(BankLine._meta.db_table), columns
    )
    with connection.cursor() as cursor:
        with cursor.cursor.copy(statement_sql) as copy:
            for line in lines:
                copy.write_row(
                    (
                        account.pk,
                        statement.pk,
                        line.line_number,
                        line.booking_date,
                        line.value_date,
                        line.amount,
                        line.counterparty_name[:200],
                        line.counterparty_iban[:40],
                        line.description,
                        line.bank_reference[:100],
                        line.dedup_key,
                        "",
                    )
                )


# --- background jobs -----------------------------------------------------------------------


class ProgressWriter:
    """Writes a job's progress on its own autocommit connection, visible at once."""

    def __init__(self, job_id: int, *, observer: Progress | None = None):
        self.job_id = job_id
        self.observer = observer
        self.table = sql.Identifier(connection.schema_name, ImportJob._meta.db_table)
        self.conn: psycopg.Connection | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.conn is None:
            params = connection.get_connection_params()
            params.pop("cursor_factory", None)
            params.pop("context", None)
            self.conn = psycopg.connect(**params, autocommit=True)
        self.conn.execute(
            sql.SQL("UPDATE {} SET done = %s, total = %s, status = %s WHERE id = %s").format(
                self.table
            ),
            [done, total, ImportJob.Status.RUNNING, self.job_id],
        )
        if self.observer:
            self.observer(done, total)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def job_create(*, data: bytes, filename: str, user) -> ImportJob:
    """Keep the upload and register a job; the file is checked when the job runs."""
    require_treasurer(user)
    if not data:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": _("Het bestand is groter dan 20 MB.")})
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    path = f"{connection.schema_name}/statements/uploads/{digest}"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(data))
    return ImportJob.objects.create(
        file=path, original_name=filename.rsplit("/", 1)[-1][:200], created_by_id=user.pk
    )


def job_run(*, job: ImportJob, user, observer: Progress | None = None) -> ImportJob:
    """Run a job in the current group's schema; the outcome is written on the job row."""
    writer = ProgressWriter(job.pk, observer=observer)
    try:
        with default_storage.open(job.file, "rb") as handle:
            data = handle.read()
        result = import_statement(data=data, filename=job.original_name, user=user, progress=writer)
    except ValidationError as exc:
        job.status, job.message = ImportJob.Status.FAILED, " ".join(exc.messages)
    except Exception:  # noqa: BLE001 - the page must show that it failed, the log has the rest
        import logging

        logging.getLogger(__name__).exception("bank import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.message = _(
            "Het inlezen is mislukt door een fout in het systeem. Er is niets opgeslagen."
        )
    else:
        job.status, job.message = ImportJob.Status.DONE, result.message
        job.statement = result.statement
        job.total = job.done = result.statement.line_count
    finally:
        writer.close()
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "message", "statement", "total", "done", "finished_at"])
    if default_storage.exists(job.file):
        default_storage.delete(job.file)
    return job


def job_start(*, job: ImportJob, user, group, inline: bool = False) -> None:
    """Queue the job as a background task once the caller's transaction commits.

    The task waits in PostgreSQL until a worker (`manage.py worker`) runs it, so a restart
    of the web process (or of the worker, see backoffice/jobs/worker.py) loses nothing.
    `inline` runs it now, in this process, for the command line.
    """
    if inline:
        job_run(job=job, user=user)
        return
    transaction.on_commit(
        lambda: run_import_job.enqueue(
            schema_name=group.schema_name, job_id=job.pk, user_id=user.pk
        )
    )


@task()
def run_import_job(*, schema_name: str, job_id: int, user_id: int) -> str:
    """The background task: run one import job in its group's schema.

    Safe to run again after a stopped worker: a finished job is left alone, and a job that
    was cut off halfway wrote nothing (the import is one transaction) or, if it had just
    committed, finds its file already imported.
    """
    from django.contrib.auth import get_user_model
    from django_tenants.utils import get_tenant_model, tenant_context

    group = get_tenant_model().objects.get(schema_name=schema_name)
    user = get_user_model().objects.get(pk=user_id)
    with tenant_context(group):
        job = ImportJob.objects.get(pk=job_id)
        if not job.is_finished:
            job = job_run(job=job, user=user)
        return job.status
