"""Writes on the ledger: journal entries (create, post, reverse), the chart of accounts,
financial years, and the simple "uitgave"/"inkomst" bookings.

Posting serialises on the LedgerState row (then the year row, pk order) and hands out the next
gap-free number of the year. Every function is keyword-only, checks the caller's role itself,
validates before writing and runs in one transaction: bad input writes nothing.
"""

from datetime import date as Date

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from backoffice.core.money import ZERO, to_money
from backoffice.core.services import model_update
from finance.ledger import facts as ledger_facts
from finance.ledger import postings
from finance.ledger.chain import GENESIS, LINE_FIELDS, anchor_mac, entry_digest, entry_payload
from finance.ledger.models import (
    Account,
    ChainAnchor,
    FinancialYear,
    JournalEntry,
    JournalLine,
    LedgerState,
)
from finance.ledger.postings import EntryInput, LineInput, Origin
from finance.roles import (
    BOARD,
    require_role,
    require_treasurer,
)


def year_for_date(day: Date, *, create: bool = True) -> FinancialYear:
    """The financial year containing `day`; calendar years are created when first needed."""
    year = FinancialYear.objects.filter(start__lte=day, end__gte=day).first()
    if year is None and create:
        year, created = FinancialYear.objects.get_or_create(
            year=day.year, defaults={"start": Date(day.year, 1, 1), "end": Date(day.year, 12, 31)}
        )
        if created:
            ledger_facts.refresh(ledger_facts.AUDIT)
    if year is None:
        raise ValidationError({"date": _("Er is geen boekjaar voor %(date)s.") % {"date": day}})
    return year


def _refuse_closed(year: FinancialYear, day: Date) -> None:
    if year.is_closed:
        raise ValidationError(
            {
                "date": _("Boekjaar %(year)s is afgesloten: je kunt niet meer boeken op %(date)s.")
                % {"year": year.year, "date": day.strftime("%d-%m-%Y")}
            }
        )


def validate_lines(lines: list[LineInput]) -> list[LineInput]:
    """Amounts with two decimals, one side per line, at least two lines, debits = credits."""
    if len(lines) < 2:
        raise ValidationError(_("Een boeking heeft minstens twee regels nodig."))
    clean = []
    for index, line in enumerate(lines, start=1):
        debit = to_money(line.debit or ZERO)
        credit = to_money(line.credit or ZERO)
        if debit < 0 or credit < 0:
            raise ValidationError(
                _("Regel %(n)s: bedragen mogen niet negatief zijn.") % {"n": index}
            )
        if (debit > 0) == (credit > 0):
            raise ValidationError(
                _("Regel %(n)s: vul óf een debetbedrag óf een creditbedrag in, groter dan nul.")
                % {"n": index}
            )
        if not line.account.is_active:
            raise ValidationError(
                _("Regel %(n)s: rekening %(a)s is niet meer in gebruik.")
                % {"n": index, "a": line.account}
            )
        grant = line.grant
        if line.budget_line is not None:
            if grant is not None and line.budget_line.grant_id != grant.pk:
                raise ValidationError(
                    _("Regel %(n)s: de begrotingsregel hoort niet bij deze subsidie.")
                    % {"n": index}
                )
            grant = line.budget_line.grant
        clean.append(
            LineInput(
                account=line.account,
                debit=debit,
                credit=credit,
                description=line.description,
                grant=grant,
                budget_line=line.budget_line,
            )
        )
    total_debit = sum((line.debit for line in clean), ZERO)
    total_credit = sum((line.credit for line in clean), ZERO)
    if total_debit != total_credit:
        raise ValidationError(
            _("De boeking is niet in evenwicht: debet %(d)s en credit %(c)s moeten gelijk zijn.")
            % {"d": total_debit, "c": total_credit}
        )
    return clean


def refuse_outside_grant_period(
    *, spent_on: Date, lines: list[LineInput], period_exception: str = ""
) -> None:
    """Spending earmarked to a grant must fall inside the grant's period (the municipality
    is told it was spent on the grant), unless the entry records why it is an exception.
    PostgreSQL checks the same when an entry is posted (sql/grant_period.0016.sql)."""
    if period_exception.strip():
        return
    for line in lines:
        grant = line.grant or (line.budget_line.grant if line.budget_line is not None else None)
        if grant is None or not line.debit or line.account.kind != Account.Kind.EXPENSE:
            continue
        if not grant.period_start <= spent_on <= grant.period_end:
            raise ValidationError(
                {
                    "period_exception": _(
                        "Deze uitgave van %(day)s valt buiten de periode van subsidie "
                        "%(ref)s (%(start)s t/m %(end)s). Kies een andere subsidie, of schrijf "
                        "op waarom deze uitgave toch ten laste van deze subsidie komt."
                    )
                    % {
                        "day": spent_on.strftime("%d-%m-%Y"),
                        "ref": grant.reference,
                        "start": grant.period_start.strftime("%d-%m-%Y"),
                        "end": grant.period_end.strftime("%d-%m-%Y"),
                    }
                }
            )


@transaction.atomic
def entry_create(
    *,
    date: Date,
    description: str,
    lines: list[LineInput],
    user,
    kind: str = JournalEntry.Kind.JOURNAL,
    post: bool = False,
    decision=None,
    origin: Origin | None = None,
    spent_on: Date | None = None,
    period_exception: str = "",
) -> JournalEntry:
    """Create a draft entry (any board member); with `post=True` the treasurer books it at once.

    Other modules do not build `lines` themselves: they take an `EntryInput` from
    `finance.ledger.postings` and hand it to `entry_book` (or `entries_create` for many).
    `period_exception` is the recorded reason to earmark spending to a grant outside its
    period; without one such spending is refused.
    """
    if post:
        require_treasurer(user)
    else:
        require_role(user, *BOARD, message=_("Alleen bestuursleden mogen boekingen invoeren."))
    if not description.strip():
        raise ValidationError({"description": _("Geef een korte omschrijving.")})
    clean = validate_lines(lines)
    period_exception = period_exception.strip()
    if kind != JournalEntry.Kind.REVERSAL:
        refuse_outside_grant_period(
            spent_on=spent_on or date, lines=clean, period_exception=period_exception
        )
    year = year_for_date(date)
    _refuse_closed(year, date)
    entry = JournalEntry(
        year=year,
        date=date,
        description=description.strip(),
        kind=kind,
        created_by_id=user.pk,
        decision=decision,
        period_exception=period_exception,
        origin_kind=origin.kind if origin else "",
        origin_id=origin.id if origin else None,
    )
    # Uniqueness and check constraints are the database's job here (a draft has no number
    # yet); Django's pre-check would cost a query per constraint on every booking.
    entry.full_clean(validate_unique=False, validate_constraints=False)
    entry._history_user = user
    entry.save()
    _write_lines(entry, clean, user)
    if post:
        _post_many([entry], user)
    return entry


def entry_book(*, spec: EntryInput, user, post: bool = False, decision=None) -> JournalEntry:
    """Write one booking prepared by `finance.ledger.postings` (a draft, or posted at once)."""
    return entry_create(
        date=spec.date,
        description=spec.description,
        lines=spec.lines,
        kind=spec.kind,
        origin=spec.origin,
        user=user,
        post=post,
        decision=decision,
        spent_on=spec.spent_on,
        period_exception=spec.period_exception,
    )


@transaction.atomic
def entries_create(*, entries: list[EntryInput], user, post: bool = False) -> list[JournalEntry]:
    """Create (and with `post=True` book) many entries at once, e.g. from a bank import.

    Same checks as `entry_create`, all before anything is written: one bad entry refuses
    the whole batch. Rows and history are written in bulk.
    """
    if post:
        require_treasurer(user)
    else:
        require_role(user, *BOARD, message=_("Alleen bestuursleden mogen boekingen invoeren."))
    years: dict[int, FinancialYear] = {}
    prepared = []
    for index, spec in enumerate(entries, start=1):
        if not spec.description.strip():
            raise ValidationError(_("Boeking %(n)s heeft geen omschrijving.") % {"n": index})
        clean = validate_lines(spec.lines)
        if spec.kind != JournalEntry.Kind.REVERSAL:
            refuse_outside_grant_period(
                spent_on=spec.spent_on or spec.date,
                lines=clean,
                period_exception=spec.period_exception,
            )
        year = years.get(spec.date.year)
        if year is None or not (year.start <= spec.date <= year.end):
            year = years[spec.date.year] = year_for_date(spec.date)
        _refuse_closed(year, spec.date)
        prepared.append(
            (
                JournalEntry(
                    year=year,
                    date=spec.date,
                    kind=spec.kind,
                    description=spec.description.strip()[:200],
                    created_by_id=user.pk,
                    origin_kind=spec.origin.kind if spec.origin else "",
                    origin_id=spec.origin.id if spec.origin else None,
                    period_exception=spec.period_exception.strip(),
                ),
                clean,
            )
        )
    created = JournalEntry.objects.bulk_create([e for e, _lines in prepared], batch_size=2000)
    ids = _int_array(e.pk for e in created)
    _history_of_rows(
        JournalEntry, where="id = ANY(%s::bigint[])", params=[ids], kind="+", user=user
    )
    # The lines go in as columns of arrays, one INSERT per batch: no model object per line.
    rows = [
        (
            entry.pk,
            n,
            line.account.pk,
            line.debit,
            line.credit,
            line.description[:200],
            line.grant.pk if line.grant else None,
            line.budget_line.pk if line.budget_line else None,
        )
        for entry, (_e, clean) in zip(created, prepared, strict=True)
        for n, line in enumerate(clean, start=1)
    ]
    table = connection.ops.quote_name(JournalLine._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 10_000):
            columns = list(zip(*rows[start : start + 10_000], strict=True))
            cursor.execute(
                f"INSERT INTO {table} (entry_id, line_no, account_id, debit, credit, "
                "description, grant_id, budget_line_id) SELECT * FROM unnest(%s::bigint[], "
                "%s::smallint[], %s::bigint[], %s::numeric[], %s::numeric[], %s::text[], "
                "%s::bigint[], %s::bigint[])",
                [
                    _int_array(columns[0]),
                    _int_array(columns[1]),
                    _int_array(columns[2]),
                    _decimal_array(columns[3]),
                    _decimal_array(columns[4]),
                    _text_array(columns[5]),
                    _int_array(columns[6]),
                    _int_array(columns[7]),
                ],
            )
    _history_of_rows(
        JournalLine, where="entry_id = ANY(%s::bigint[])", params=[ids], kind="+", user=user
    )
    if post:
        _post_many(created, user)
    return created


def _int_array(values) -> str:
    """A PostgreSQL array literal of integers (or NULL): cheaper to send than a list psycopg
    adapts element by element (seconds for a batch of 10,000 entries)."""
    return "{" + ",".join("NULL" if v is None else str(int(v)) for v in values) + "}"


def _decimal_array(values) -> str:
    """An array literal of amounts, written from the Decimals' own digits."""
    return "{" + ",".join(f"{v:f}" for v in values) + "}"


def _text_array(values) -> str:
    """A PostgreSQL array literal of strings, each quoted."""
    quoted = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in quoted) + "}"


def _history_of_rows(model, *, where: str, params: list, kind: str, user) -> None:
    """History rows for many rows of `model`, as the table holds them now, in one INSERT …
    SELECT: the rows `bulk_history_create` writes (same columns, type, user and date),
    without a Python object per row. `kind` is simple_history's history_type (+ or ~)."""
    table = connection.ops.quote_name(model._meta.db_table)
    history_table = connection.ops.quote_name(model.history.model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {history_table} ({columns}, history_date, history_change_reason, "
            f"history_type, history_user_id) SELECT {columns}, %s, NULL, %s, %s FROM {table} "
            f"WHERE {where} ORDER BY id",
            [timezone.now(), kind, user.pk, *params],
        )


def _write_lines(entry: JournalEntry, lines: list[LineInput], user) -> None:
    objs = [
        JournalLine(
            entry=entry,
            line_no=n,
            account=line.account,
            debit=line.debit,
            credit=line.credit,
            description=line.description[:200],
            grant=line.grant,
            budget_line=line.budget_line,
        )
        for n, line in enumerate(lines, start=1)
    ]
    bulk_create_with_history(objs, JournalLine, default_user=user)


@transaction.atomic
def entry_update_draft(
    *, entry: JournalEntry, date: Date, description: str, lines: list[LineInput], user
) -> JournalEntry:
    """Replace a draft's content. Posted entries are refused (and the database refuses too)."""
    require_role(user, *BOARD, message=_("Alleen bestuursleden mogen boekingen wijzigen."))
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_posted:
        raise ValidationError(
            _(
                "Deze boeking is al geboekt en kan niet meer worden gewijzigd. "
                "Maak een correctieboeking."
            )
        )
    clean = validate_lines(lines)
    refuse_outside_grant_period(spent_on=date, lines=clean, period_exception=entry.period_exception)
    year = year_for_date(date)
    _refuse_closed(year, date)
    for line in entry.lines.all():
        line._history_user = user
        line.delete()
    entry.year, entry.date, entry.description = year, date, description.strip()
    entry.full_clean()
    entry._history_user = user
    entry.save()
    _write_lines(entry, clean, user)
    return entry


@transaction.atomic
def entry_delete_draft(*, entry: JournalEntry, user) -> None:
    require_role(user, *BOARD, message=_("Alleen bestuursleden mogen concepten verwijderen."))
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.is_posted:
        raise ValidationError(_("Een geboekte boeking kan niet worden verwijderd."))
    if entry.receipts.exists():
        raise ValidationError(_("Verwijder eerst de bonnetjes van dit concept."))
    for line in entry.lines.all():
        line._history_user = user
        line.delete()
    entry._history_user = user
    entry.delete()


@transaction.atomic
def entry_post(*, entry: JournalEntry, user) -> JournalEntry:
    """Book a draft: number it, chain it, and freeze it. Only the treasurer posts."""
    require_treasurer(user)
    return _post_many([entry], user)[0]


@transaction.atomic
def entries_post(*, entries: list[JournalEntry], user) -> list[JournalEntry]:
    """Book many drafts in one transaction (bank import, benchmarks): same checks, fewer trips."""
    require_treasurer(user)
    return _post_many(entries, user)


def _post_many(entries: list[JournalEntry], user) -> list[JournalEntry]:
    state = LedgerState.objects.select_for_update().get(pk=1)
    ids = sorted(e.pk for e in entries)
    locked = {
        e.pk: e for e in JournalEntry.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    year_ids = sorted({e.year_id for e in locked.values()})
    years = {
        y.pk: y
        for y in FinancialYear.objects.select_for_update().filter(pk__in=year_ids).order_by("pk")
    }
    lines_by_entry: dict[int, list[dict]] = {}
    for row in (
        JournalLine.objects.filter(entry_id__in=ids)
        .order_by("entry_id", "line_no")
        .values(*LINE_FIELDS)
    ):
        lines_by_entry.setdefault(row["entry_id"], []).append(row)
    now = timezone.now()
    sequence, prev = state.last_sequence, state.last_hash
    numbers = {pk: y.last_number for pk, y in years.items()}
    posted = []
    for original in entries:  # in the caller's order: that is the booking order
        entry = locked[original.pk]
        year = years[entry.year_id]
        if entry.is_posted:
            raise ValidationError(_("Boeking %(n)s is al geboekt.") % {"n": entry.display_number})
        _refuse_closed(year, entry.date)
        if not (year.start <= entry.date <= year.end):
            raise ValidationError(
                {"date": _("De datum valt niet in boekjaar %(y)s.") % {"y": year.year}}
            )
        rows = lines_by_entry.get(entry.pk, [])
        debit = sum((r["debit"] for r in rows), ZERO)
        credit = sum((r["credit"] for r in rows), ZERO)
        if len(rows) < 2 or debit != credit or debit == ZERO:
            raise ValidationError(
                _(
                    "Boeking ‘%(d)s’ is niet in evenwicht (debet %(deb)s, credit %(cred)s) "
                    "en kan niet worden geboekt."
                )
                % {"d": entry.description, "deb": debit, "cred": credit}
            )
        numbers[year.pk] += 1
        sequence += 1
        entry.number = numbers[year.pk]
        entry.sequence = sequence
        entry.status = JournalEntry.Status.POSTED
        entry.posted_at = now
        entry.posted_by_id = user.pk
        entry.prev_hash = prev
        entry.hash = entry_digest(prev, entry_payload(entry, year.year, rows))
        prev = entry.hash
        posted.append(entry)
        original.__dict__.update(
            {
                k: getattr(entry, k)
                for k in (
                    "number",
                    "sequence",
                    "status",
                    "posted_at",
                    "posted_by_id",
                    "prev_hash",
                    "hash",
                )
            }
        )
    fields = ["number", "sequence", "status", "posted_at", "posted_by_id", "prev_hash", "hash"]
    if len(posted) == 1:
        posted[0]._history_user = user
        posted[0].save(update_fields=fields)
    else:
        # One UPDATE for the whole batch, from arrays: the day totals' statement trigger then
        # adds the batch in one INSERT (a statement per entry would run it per entry), and
        # Django's bulk_update would build a CASE per field and row. What all entries share
        # (status, time, treasurer) goes as one value.
        table = JournalEntry._meta.db_table
        ids = _int_array(e.pk for e in posted)
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS e SET number = v.number, sequence = v.sequence, '
                "status = %s, posted_at = %s, posted_by_id = %s, "
                "prev_hash = v.prev_hash, hash = v.hash "
                "FROM unnest(%s::bigint[], %s::integer[], %s::integer[], %s::varchar[], "
                "%s::varchar[]) AS v(id, number, sequence, prev_hash, hash) "
                "WHERE e.id = v.id",
                [
                    JournalEntry.Status.POSTED.value,
                    now,
                    user.pk,
                    ids,
                    _int_array(e.number for e in posted),
                    _int_array(e.sequence for e in posted),
                    _text_array(e.prev_hash for e in posted),
                    _text_array(e.hash for e in posted),
                ],
            )
        _history_of_rows(
            JournalEntry, where="id = ANY(%s::bigint[])", params=[ids], kind="~", user=user
        )
    # Counters, not a person's change: plain updates keep the history to real edits.
    for pk, number in numbers.items():
        FinancialYear.objects.filter(pk=pk).update(last_number=number)
    LedgerState.objects.filter(pk=1).update(last_sequence=sequence, last_hash=prev)
    ledger_facts.entries_posted(entries=posted, lines_by_entry=lines_by_entry)
    postings.figures_record(entries=posted, lines_by_entry=lines_by_entry)
    return posted


@transaction.atomic
def entry_reverse(
    *, entry: JournalEntry, user, date: Date | None = None, reason: str = ""
) -> JournalEntry:
    """Correct a posted entry with its mirror image: the only way to undo a booking."""
    require_treasurer(user)
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.is_posted:
        raise ValidationError(
            _(
                "Alleen een geboekte boeking kan worden gecorrigeerd; "
                "een concept kun je gewoon wijzigen."
            )
        )
    if JournalEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("Deze boeking is al gecorrigeerd."))
    day = date or timezone.localdate()
    spec = postings.reversal(entry=entry, date=day, reason=reason)
    clean = validate_lines(spec.lines)
    year = year_for_date(day)
    _refuse_closed(year, day)
    reversal = JournalEntry(
        year=year,
        date=day,
        description=spec.description,
        kind=spec.kind,
        reverses=entry,
        created_by_id=user.pk,
        origin_kind=spec.origin.kind,
        origin_id=spec.origin.id,
    )
    reversal.full_clean(exclude=["reverses"])
    reversal._history_user = user
    reversal.save()
    _write_lines(reversal, clean, user)
    _post_many([reversal], user)
    return reversal


@transaction.atomic
def account_create(
    *, user, code: str, name: str, kind: str, rgs_code: str = "", is_cash: bool = False
) -> Account:
    require_treasurer(user)
    return model_update(
        Account(),
        user,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        rgs_code=rgs_code.strip(),
        is_cash=is_cash,
    )


@transaction.atomic
def account_update(*, account: Account, user, **fields) -> Account:
    require_treasurer(user)
    account = Account.objects.select_for_update().get(pk=account.pk)
    used = account.lines.exists()
    if used and (
        fields.get("code", account.code) != account.code
        or fields.get("kind", account.kind) != account.kind
    ):
        raise ValidationError(
            _(
                "Deze rekening is al gebruikt in boekingen: nummer en soort "
                "liggen vast. Maak zo nodig een nieuwe rekening."
            )
        )
    return model_update(account, user, **fields)


@transaction.atomic
def year_create(*, user, year: int) -> FinancialYear:
    require_treasurer(user)
    if FinancialYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("Boekjaar %(y)s bestaat al.") % {"y": year}})
    created = model_update(
        FinancialYear(), user, year=year, start=Date(year, 1, 1), end=Date(year, 12, 31)
    )
    ledger_facts.refresh(ledger_facts.AUDIT)
    return created


def posting_lock() -> LedgerState:
    """The lock every posting takes first; whoever also locks a year takes this one before
    it (the same order as posting), so closing or signing never deadlocks with a posting."""
    return LedgerState.objects.select_for_update().get(pk=1)


@transaction.atomic
def chain_anchor(*, kind: str, year: FinancialYear, user) -> ChainAnchor:
    """Write down the chain's head now, holding the posting lock until the caller's
    transaction ends: nothing is posted between reading the head and recording it."""
    state = LedgerState.objects.select_for_update().get(pk=1)
    previous = ChainAnchor.objects.order_by("-id").first()
    anchor = ChainAnchor(
        kind=kind,
        year=year.year,
        sequence=state.last_sequence,
        head_hash=state.last_hash,
        actor_id=user.pk,
        at=timezone.now(),
        prev_mac=previous.mac if previous else GENESIS,
    )
    anchor.mac = anchor_mac(anchor)
    anchor.save()
    return anchor
