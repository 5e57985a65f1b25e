"""Importing bank statement files: all or nothing, idempotent, safe against a double upload.

Flow: parse the file (``finance.bank.formats``: format, encoding, safe XML, balances; the
file is read in pieces, never held whole), find for every account in the file the group's
bank account (by IBAN, or by the old account number when the file gives only that), then in
ONE transaction take an advisory lock on those accounts, skip the lines whose dedup key is
already known, and write one statement per account with its new lines. A bad line refuses
the whole file before anything is written; an account in the file that is not the group's
refuses the whole file too; a failure during the write rolls everything back. Two uploads
of the same file at once: the lock serialises them and the second finds the statements
already there (the unique constraints on the statement and on the dedup key stand behind
it).

Across formats the dedup keys differ (a CAMT.053 and a CSV of the same transactions), so a
second check looks for lines that are already there from a file in another format: same
account, booking date, amount and counterparty. When it finds any, nothing is written and
the treasurer is asked (``OverlapFound``): skip those lines, or add them anyway (two
payments can look alike). See docs/adr/0015-bank-files-from-real-exports.md.

The original file is kept content-addressed under MEDIA_ROOT/<schema>/statements/, with its
SHA-256 on each statement, so the kascommissie can verify it was not altered.

Imported lines get no creation row in the history: the import itself is recorded once, on
the statement (who, when, which file, its hash), and a line's later changes (reconciliation)
are recorded on the line. Ten thousand "+" rows would double the write and say nothing the
statement does not.

Progress for the browser is written on a separate autocommit connection (`ProgressWriter`),
so it is visible while the import transaction is still open.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import IO

import psycopg
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from psycopg import sql

from backoffice.core.iban import normalise_iban
from backoffice.core.money import format_euro
from finance.bank import facts as bank_facts
from finance.bank.formats import (
    AccountStatement,
    ParsedLine,
    ParsedStatement,
    StatementError,
    parse_statement,
    rekeyed,
)
from finance.bank.models import BankAccount, BankLine, BankLinePart, ImportJob, Statement
from finance.roles import require_treasurer

logger = logging.getLogger(__name__)

# Statement imports only (receipts keep their own, smaller limit): a busy account's year as
# CAMT.053 is about 35 MB. Uploads above FILE_UPLOAD_MAX_MEMORY_SIZE go to a temporary file
# and are copied in chunks, so this limit is about disk and time, not memory.
MAX_BYTES = 64 * 1024 * 1024
MAX_LABEL = "64 MB"
CHUNK = 2000
EXTENSIONS = {"camt.053": "xml", "mt940": "sta", "tab-abnamro": "tab"}

Progress = Callable[[int, int], None]
Data = bytes | IO[bytes]

ASK, SKIP, ADD = "ask", ImportJob.Overlap.SKIP.value, ImportJob.Overlap.ADD.value


@dataclass(frozen=True)
class ImportResult:
    statements: tuple[Statement, ...]
    new_count: int
    known_count: int
    already_imported: bool = False
    skipped_count: int = 0
    notices: tuple[str, ...] = ()

    @property
    def statement(self) -> Statement:
        """The (first) statement written; files of one account have just one."""
        return self.statements[0]

    @property
    def message(self) -> str:
        if self.already_imported:
            return _(
                "Dit bestand is al eerder ingelezen (%(date)s). Er is niets dubbel toegevoegd."
            ) % {"date": timezone.localtime(self.statement.imported_at).strftime("%d-%m-%Y %H:%M")}
        parts = [
            _("%(new)s nieuwe regels ingelezen, %(known)s regels waren er al.")
            % {"new": self.new_count, "known": self.known_count}
        ]
        if len(self.statements) > 1:
            parts.append(
                _("Per rekening: %(list)s.")
                % {
                    "list": "; ".join(
                        _("%(iban)s %(n)s nieuw")
                        % {"iban": statement.bank_account.iban, "n": statement.new_count}
                        for statement in self.statements
                    )
                }
            )
        if self.skipped_count:
            parts.append(
                ngettext(
                    "%(n)s regel stond er al uit een bestand in een ander formaat en is "
                    "overgeslagen.",
                    "%(n)s regels stonden er al uit een bestand in een ander formaat en zijn "
                    "overgeslagen.",
                    self.skipped_count,
                )
                % {"n": self.skipped_count}
            )
        parts.extend(self.notices)
        return " ".join(parts)


class OverlapFound(ValidationError):
    """Lines of the file seem to be there already, from a file in another format.

    Nothing has been written. ``details`` (JSON-safe) says how many and shows a few, for
    the question to the treasurer.
    """

    def __init__(self, message: str, *, details: dict) -> None:
        super().__init__(message, code="overlap")
        self.details = details


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


def _size(data: Data) -> int:
    if isinstance(data, bytes | bytearray):
        return len(data)
    position = data.tell()
    data.seek(0, 2)
    size = data.tell()
    data.seek(position)
    return size


def too_big_message() -> str:
    return _(
        "Het bestand is groter dan %(max)s. Exporteer een kortere periode (bijvoorbeeld een "
        "half jaar)."
    ) % {"max": MAX_LABEL}


def parse(data: Data, *, filename: str = "") -> ParsedStatement:
    """Parse or raise a ValidationError whose message names the line."""
    if _size(data) > MAX_BYTES:
        raise ValidationError(too_big_message(), code="too_big")
    try:
        return parse_statement(data, filename=filename)
    except StatementError as exc:
        raise ValidationError(exc.message_nl, code="statement") from None


def _foreign(part: AccountStatement, several: bool) -> ValidationError:
    label = part.account_label or _("(onbekend)")
    if several:
        message = _(
            "Dit bestand bevat ook rekening %(iban)s, en dat is geen bankrekening van deze "
            "groep. Er is niets ingelezen. Voeg de rekening eerst toe, of exporteer alleen de "
            "rekeningen van de groep."
        )
    else:
        message = _(
            "Dit afschrift is van rekening %(iban)s, en dat is geen bankrekening van deze "
            "groep. Kies het bestand van de eigen rekening, of voeg de rekening eerst toe."
        )
    return ValidationError(message % {"iban": label}, code="foreign_iban")


def _by_number(part: AccountStatement, accounts: Sequence[BankAccount]) -> list[BankAccount]:
    """The group's Dutch accounts whose IBAN holds this old account number (and bank)."""
    return [
        account
        for account in accounts
        if account.iban.startswith("NL")
        and account.iban[8:] == part.account_number
        and (not part.bank_code or account.iban[4:8] == part.bank_code)
    ]


def accounts_for(parsed: ParsedStatement) -> list[tuple[AccountStatement, BankAccount]]:
    """Each part of the file with the group's bank account it belongs to.

    A part that names its account only by an old account number is matched with the
    group's account whose IBAN holds that number (and the bank, when the file names it),
    and its dedup keys are made with that IBAN. Refuses the whole file when any part is
    not one of the group's accounts, or not in euro.
    """
    accounts = list(BankAccount.objects.select_related("ledger_account"))
    by_iban = {account.iban: account for account in accounts}
    several = len(parsed.accounts) > 1
    pairs = []
    for part in parsed.accounts:
        if part.account_iban:
            account = by_iban.get(part.account_iban)
        else:
            matches = _by_number(part, accounts)
            if len(matches) > 1:
                raise ValidationError(
                    _(
                        "Het bestand noemt rekeningnummer %(number)s zonder IBAN, en dat past bij "
                        "meer dan één rekening van de groep (%(ibans)s). Exporteer het afschrift "
                        "met IBAN (in de bank: ‘MT940 met IBAN’ of CAMT.053)."
                    )
                    % {
                        "number": part.account_number,
                        "ibans": ", ".join(match.iban for match in matches),
                    },
                    code="ambiguous_account",
                )
            account = matches[0] if matches else None
            if account is not None:
                part = rekeyed(part, account.iban)
        if account is None:
            raise _foreign(part, several)
        if part.currency and part.currency != "EUR":
            raise ValidationError(
                _("Dit afschrift is in %(c)s; alleen euro wordt ingelezen.") % {"c": part.currency}
            )
        pairs.append((part, account))
    if len({account.pk for _part, account in pairs}) != len(pairs):  # pragma: no cover
        raise ValidationError(_("Het bestand noemt dezelfde rekening op twee manieren."))
    return pairs


def account_for(parsed: ParsedStatement) -> BankAccount:
    """The group's account of a file of one account (kept for callers of one account)."""
    return accounts_for(parsed)[0][1]


def store_file(data: Data, *, sha256: str, fmt: str) -> str:
    """Content-addressed path of the original file in this group's storage."""
    ext = EXTENSIONS.get(fmt, "csv")
    path = f"{connection.schema_name}/statements/{sha256[:2]}/{sha256}.{ext}"
    if not default_storage.exists(path):
        if isinstance(data, bytes | bytearray):
            return default_storage.save(path, ContentFile(bytes(data)))
        data.seek(0)
        return default_storage.save(path, File(data))
    return path


# --- overlap with files in another format ---------------------------------------------------

_NAME_CHARS = re.compile(r"[^0-9a-z]+")


def _name_key(name: str) -> str:
    return _NAME_CHARS.sub("", name.casefold())


def same_counterparty(a_iban: str, a_name: str, b_iban: str, b_name: str) -> bool:
    """Whether two bank lines may name the same counterparty.

    Both IBANs known: they decide. Otherwise the names, without case, spaces and
    punctuation, when one contains the other ("ALBERT HEIJN 1234 AMSTERDAM" and "Albert
    Heijn 1234"). When a line has neither, nothing says the parties differ: the treasurer
    is asked rather than told.
    """
    if a_iban and b_iban:
        return a_iban.replace(" ", "").upper() == b_iban.replace(" ", "").upper()
    a, b = _name_key(a_name), _name_key(b_name)
    if not a or not b:
        return True
    return a in b or b in a


def overlaps(
    *, account: BankAccount, fmt: str, lines: Sequence[ParsedLine]
) -> list[tuple[ParsedLine, dict]]:
    """New lines that look like a line already there from a file in another format.

    Each existing line is paired at most once, so three identical coffees against two
    already there give two pairs. Returns (new line, existing line as a dict).
    """
    if not lines:
        return []
    dates = [line.booking_date for line in lines]
    existing = (
        BankLine.objects.filter(bank_account=account, booking_date__range=(min(dates), max(dates)))
        .exclude(statement__format=fmt)
        .order_by("id")
        .values(
            "id",
            "booking_date",
            "amount",
            "counterparty_name",
            "counterparty_iban",
            "statement__format",
            "statement__original_name",
        )
    )
    buckets: dict[tuple, list[dict]] = defaultdict(list)
    for row in existing.iterator(chunk_size=5000):
        buckets[(row["booking_date"], row["amount"])].append(row)
    pairs = []
    for line in lines:
        bucket = buckets.get((line.booking_date, line.amount))
        if not bucket:
            continue
        for index, row in enumerate(bucket):
            if same_counterparty(
                line.counterparty_iban,
                line.counterparty_name,
                row["counterparty_iban"],
                row["counterparty_name"],
            ):
                pairs.append((line, bucket.pop(index)))
                break
    return pairs


def _overlap_question(found: dict[int, list[tuple[ParsedLine, dict]]], accounts) -> OverlapFound:
    count = sum(len(pairs) for pairs in found.values())
    formats = sorted({row["statement__format"] for pairs in found.values() for _l, row in pairs})
    examples = [
        {
            "date": line.booking_date.isoformat(),
            "amount": f"{line.amount:.2f}",
            "amount_nl": format_euro(line.amount),
            "name": line.counterparty_name or row["counterparty_name"],
            "file": row["statement__original_name"],
            "line": line.line_number,
        }
        for pairs in found.values()
        for line, row in pairs[:5]
    ][:5]
    message = ngettext(
        "%(n)s regel in dit bestand staat er waarschijnlijk al: een eerder ingelezen bestand "
        "in een ander formaat (%(formats)s) heeft een regel met dezelfde rekening, datum, "
        "bedrag en tegenpartij. Er is nog niets ingelezen.",
        "%(n)s regels in dit bestand staan er waarschijnlijk al: een eerder ingelezen bestand "
        "in een ander formaat (%(formats)s) heeft regels met dezelfde rekening, datum, bedrag "
        "en tegenpartij. Er is nog niets ingelezen.",
        count,
    ) % {"n": count, "formats": ", ".join(formats)}
    return OverlapFound(
        message,
        details={
            "count": count,
            "formats": formats,
            "examples": examples,
            "accounts": {accounts[pk].iban: len(pairs) for pk, pairs in found.items()},
        },
    )


# --- import --------------------------------------------------------------------------------


def _lock(account: BankAccount) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s), %s)",
            [f"{connection.schema_name}:bank", account.pk],
        )


def import_statement(
    *,
    data: Data,
    filename: str,
    user,
    progress: Progress | None = None,
    overlap: str = ASK,
) -> ImportResult:
    """Import a bank file for the current group; ValidationError names what is wrong.

    ``data`` is the file's bytes or a seekable binary file. ``overlap`` says what to do
    with lines that seem to be there already from a file in another format: ``"ask"``
    raises ``OverlapFound`` (nothing written), ``"skip"`` leaves them out, ``"add"`` adds
    them anyway; the choice is noted on the statement.
    """
    require_treasurer(user)
    if overlap not in (ASK, SKIP, ADD):
        raise ValueError(f"overlap must be ask, skip or add, not {overlap!r}")
    parsed = parse(data, filename=filename)
    total = len(parsed.lines)
    if progress:
        progress(0, total)
    pairs = accounts_for(parsed)
    path = store_file(data, sha256=parsed.sha256, fmt=parsed.format)
    return _write(parsed, pairs, path, filename, user, progress, overlap)


@transaction.atomic
def _write(parsed, pairs, path, filename, user, progress, overlap) -> ImportResult:
    for account in sorted((account for _part, account in pairs), key=lambda a: a.pk):
        _lock(account)
    total = sum(len(part.lines) for part, _account in pairs)
    existing = list(
        Statement.objects.select_related("bank_account").filter(
            sha256=parsed.sha256, bank_account__in=[account for _part, account in pairs]
        )
    )
    if existing:
        if progress:
            progress(total, total)
        return ImportResult(tuple(existing), 0, total, already_imported=True)

    plans = []  # (part, account, new lines, known count)
    found: dict[int, list] = {}
    for part, account in pairs:
        keys = [line.dedup_key for line in part.lines]
        known: set[str] = set()
        for start in range(0, len(keys), 10_000):
            known.update(
                BankLine.objects.filter(
                    bank_account=account, dedup_key__in=keys[start : start + 10_000]
                ).values_list("dedup_key", flat=True)
            )
        new = [line for line in part.lines if line.dedup_key not in known]
        doubles = overlaps(account=account, fmt=parsed.format, lines=new)
        if doubles:
            found[account.pk] = doubles
        plans.append([part, account, new, len(part.lines) - len(new), ""])
    skipped = 0
    if found and overlap == ASK:
        raise _overlap_question(found, {account.pk: account for _p, account in pairs})
    for plan in plans:
        doubles = found.get(plan[1].pk, [])
        if not doubles:
            continue
        # The treasurer's choice is recorded on the statement (which has history).
        if overlap == SKIP:
            ids = {id(line) for line, _row in doubles}
            plan[2] = [line for line in plan[2] if id(line) not in ids]
            skipped += len(doubles)
            plan[4] = _(
                "%(n)s regels zijn overgeslagen: ze stonden er al uit een bestand in een ander "
                "formaat (keuze van de penningmeester)."
            ) % {"n": len(doubles)}
        else:
            plan[4] = _(
                "%(n)s regels zijn toch toegevoegd, hoewel ze leken op regels uit een bestand in "
                "een ander formaat (keuze van de penningmeester)."
            ) % {"n": len(doubles)}

    statements = []
    done = sum(plan[3] for plan in plans)
    new_total = 0
    new_dates = []
    for part, account, new, _known, choice_note in plans:
        statement = Statement(
            bank_account=account,
            format=parsed.format,
            file=path,
            original_name=(filename.rsplit("/", 1)[-1] or "afschrift")[:200],
            size=parsed.size,
            sha256=parsed.sha256,
            opening_balance=part.opening_balance,
            closing_balance=part.closing_balance,
            opening_date=part.opening_date,
            closing_date=part.closing_date,
            line_count=len(part.lines),
            new_count=len(new),
            imported_by_id=user.pk,
            notes="\n".join([*part.notices, *([choice_note] if choice_note else [])]),
        )
        statement.full_clean(exclude=["file"], validate_unique=False, validate_constraints=False)
        statement._history_user = user
        statement.save()
        statements.append(statement)
        for start in range(0, len(new), CHUNK):
            chunk = new[start : start + CHUNK]
            _copy_lines(account, statement, chunk)
            done += len(chunk)
            if progress:
                progress(done, total)
        _write_parts(statement, [line for line in new if line.parts])
        new_total += len(new)
        new_dates.extend(line.booking_date for line in new)
    if progress and not new_total:
        progress(total, total)
    bank_facts.lines_added(new_dates)  # new lines are unreconciled: added up in one UPDATE
    return ImportResult(
        tuple(statements),
        new_total,
        sum(plan[3] for plan in plans),
        skipped_count=skipped,
        notices=parsed.notices,
    )


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
    "is_reversal",
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
                        line.is_reversal,
                    )
                )


def _write_parts(statement: Statement, lines: Sequence[ParsedLine]) -> None:
    """The transactions of the batch entries among the new lines."""
    if not lines:
        return
    ids = dict(
        BankLine.objects.filter(
            statement=statement, dedup_key__in=[line.dedup_key for line in lines]
        ).values_list("dedup_key", "id")
    )
    BankLinePart.objects.bulk_create(
        BankLinePart(
            bank_line_id=ids[line.dedup_key],
            position=position,
            amount=part.amount,
            counterparty_name=part.counterparty_name[:200],
            counterparty_iban=part.counterparty_iban[:40],
            description=part.description,
            reference=part.reference[:100],
        )
        for line in lines
        for position, part in enumerate(line.parts, start=1)
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


def job_create(*, data: Data, filename: str, user) -> ImportJob:
    """Keep the upload and register a job; the file is checked when the job runs.

    ``data`` is the file's bytes or a binary file (a Django upload): it is copied into
    storage in chunks, never read whole.
    """
    require_treasurer(user)
    size = _size(data)
    if not size:
        raise ValidationError({"file": _("Het bestand is leeg.")})
    if size > MAX_BYTES:
        raise ValidationError({"file": too_big_message()})
    path = f"{connection.schema_name}/statements/uploads/{uuid.uuid4().hex}"
    if isinstance(data, bytes | bytearray):
        path = default_storage.save(path, ContentFile(bytes(data)))
    else:
        data.seek(0)
        path = default_storage.save(path, File(data))
    return ImportJob.objects.create(
        file=path, original_name=filename.rsplit("/", 1)[-1][:200], created_by_id=user.pk
    )


def job_run(*, job: ImportJob, user, observer: Progress | None = None) -> ImportJob:
    """Run a job in the current group's schema; the outcome is written on the job row.

    When lines seem to be there already from a file in another format and the job has
    no ``overlap_choice`` yet, the job ends in status ASK with the question in ``message``
    and ``details``; its upload is kept until ``job_answer``.
    """
    writer = ProgressWriter(job.pk, observer=observer)
    keep_upload = False
    try:
        with default_storage.open(job.file, "rb") as handle:
            result = import_statement(
                data=handle,
                filename=job.original_name,
                user=user,
                progress=writer,
                overlap=job.overlap_choice or ASK,
            )
    except OverlapFound as exc:
        job.status, job.message, job.details = ImportJob.Status.ASK, exc.messages[0], exc.details
        keep_upload = True
    except ValidationError as exc:
        job.status, job.message = ImportJob.Status.FAILED, " ".join(exc.messages)
    except Exception:  # noqa: BLE001 - the page must show that it failed, the log has the rest
        logger.exception("bank import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.message = _(
            "Het inlezen is mislukt door een fout in het systeem. Er is niets opgeslagen."
        )
    else:
        job.status, job.message = ImportJob.Status.DONE, result.message
        job.statement = result.statement
        job.total = job.done = sum(statement.line_count for statement in result.statements)
    finally:
        writer.close()
    job.finished_at = None if keep_upload else timezone.now()
    job.save(
        update_fields=["status", "message", "details", "statement", "total", "done", "finished_at"]
    )
    if not keep_upload and default_storage.exists(job.file):
        default_storage.delete(job.file)
    return job


@transaction.atomic
def job_answer(*, job: ImportJob, user, choice: str) -> ImportJob:
    """The treasurer's answer to a job that asks: "skip", "add", or "cancel".

    After "skip" or "add" the job waits to be run again (``job_start``); after "cancel" it
    has failed on purpose and its upload is removed.
    """
    require_treasurer(user)
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.ASK:
        raise ValidationError(_("Dit inlezen wacht niet (meer) op een keuze."))
    if choice == "cancel":
        job.status = ImportJob.Status.FAILED
        job.message = _("Niet ingelezen: je hebt gekozen het bestand niet toe te voegen.")
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        path = job.file
        transaction.on_commit(lambda: default_storage.exists(path) and default_storage.delete(path))
        return job
    if choice not in (SKIP, ADD):
        raise ValidationError(_("Kies een van de mogelijkheden."))
    job.overlap_choice = choice
    job.status = ImportJob.Status.WAITING
    job.message = ""
    job.save(update_fields=["overlap_choice", "status", "message"])
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
