"""CAMT.053 (ISO 20022 bank-to-customer statement), versions camt.053.001.02 and later.

The version is taken from the document's namespace; the differences we meet between
versions are handled by trying both element paths (``Sts`` is text in .02 and ``Sts/Cd``
from .08; a party's name is ``Dbtr/Nm`` in .02 and ``Dbtr/Pty/Nm`` from .08; a
transaction's amount is ``TxDtls/AmtDtls/TxAmt/Amt`` in .02 and ``TxDtls/Amt`` later).

Streaming: the document is parsed a megabyte at a time and every ``<Ntry>`` is read and
thrown away as soon as it ends, so a year of a busy account (50,000 entries, 35 MB) needs
a few megabytes for the XML instead of half a gigabyte for the whole tree.

Safety: the file comes from a user upload. Its prolog (the only place where a DTD, entity
declarations or external references can appear) is checked with ``defusedxml``: entity
declarations (billion laughs) and external entities/DTDs (XXE) are refused before anything
is expanded or fetched. The rest is parsed by the C parser, which can no longer meet an
entity declaration. Nesting deeper than ``MAX_DEPTH`` and more than ``MAX_ELEMENTS``
elements outside entries (or inside one entry) are refused too, so a crafted file cannot
make the parser hold a huge tree either.

What is read:

* per ``Stmt``: the account (``Acct/Id/IBAN``, or an IBAN in ``Acct/Id/Othr/Id``; an old
  ABN AMRO account number there is converted when ``Acct/Svcr`` says the bank is ABN AMRO,
  any other old number is passed on for the import service to match), the currency, the
  ``OPBD`` (or ``PRCD``) and ``CLBD`` balances; when both are present opening + booked
  entries must equal closing, and consecutive statements of one account must chain. When
  a balance is missing the statement gets a notice: nothing could be checked. A file may
  hold the statements of several accounts (Rabobank exports all accounts in one file);
* per ``Ntry`` with status ``BOOK`` (pending ``PDNG`` and informational ``INFO`` entries are
  not bookings and do not count in the booked balance, so they are skipped): amount and
  ``CdtDbtInd`` (``DBIT`` = money out; with ``RvslInd`` the indicator already gives the
  direction of the reversal itself, and the line is marked as a reversal), booking and
  value date, references, counterparty (the debtor for incoming money, the creditor for
  outgoing) and remittance information. An entry with several ``TxDtls`` (a batch,
  "Verzamelboeking") stays one line, as the bank booked it, and keeps its transactions as
  ``parts``.

``bank_reference`` is ``AcctSvcrRef`` (the bank's unique reference) when given, else the
``EndToEndId`` (unless ``NOTPROVIDED``), else ``NtryRef``; only ``AcctSvcrRef`` is trusted as
unique for the dedup key (see ``dedup``). ``line_number`` is the source line of ``<Ntry>``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError, TreeBuilder, XMLPullParser

from defusedxml.common import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from .fields import (
    BANK_NAMES,
    abn_amro_iban,
    account_iban,
    clean_text,
    counterparty_account,
    dutch_bank_code,
    format_euro,
    local_account_number,
    parse_amount,
    parse_date,
)
from .records import BatchPart, ParsedStatement, StatementError
from .source import Source
from .statement import DraftAccount, DraftLine, check_balance, finish

FORMAT = "camt.053"
_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3})\.001\.(\d{2})")
MAX_DEPTH = 64
MAX_ELEMENTS = 200_000


class _RootReached(Exception):
    """Raised by the prolog check when the root element starts: the prolog was clean."""


class _PrologGuard(TreeBuilder):
    """Target for the defusedxml parser that only has to see the prolog.

    Every DTD, entity declaration or external reference sits before the root element, so
    once the root starts, defusedxml has vetted everything dangerous in the document.
    """

    def start(self, tag, attrs):  # noqa: D102 - XMLParser target API
        raise _RootReached()


class _GuardParser(DefusedXMLParser):
    """defusedxml's parser, also refusing a DOCTYPE that points to an external DTD.

    (``forbid_dtd=True`` would refuse every DOCTYPE before its entities are seen; we want
    the more precise "entities" message for billion laughs, so the hook is installed here.)
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.parser.StartDoctypeDeclHandler = self.defused_start_doctype_decl

    def defused_start_doctype_decl(self, name, sysid, pubid, has_internal_subset):
        if sysid or pubid:
            raise _ExternalDtd()


class _ExternalDtd(Exception):
    pass


_XXE = (
    "het XML-bestand verwijst naar een externe entiteit of DTD (een bekende aanvalstechniek, "
    "XXE); zulke bestanden worden geweigerd."
)
_BILLION_LAUGHS = (
    "het XML-bestand definieert eigen entiteiten (een bekende aanvalstechniek, ‘billion "
    "laughs’); zulke bestanden worden geweigerd."
)
_TOO_DEEP = (
    "het XML-bestand is dieper genest dan een bankafschrift ooit is; zulke bestanden worden "
    "geweigerd."
)
_TOO_MANY = (
    "het XML-bestand heeft buiten de boekingen (of in één boeking) meer dan 200.000 "
    "elementen; dat is geen bankafschrift en wordt geweigerd."
)


def _broken(exc: ParseError) -> StatementError:
    line = exc.position[0] if getattr(exc, "position", None) else 1
    reason = str(exc).split(":")[0]  # expat's English reason, e.g. "no element found"
    return StatementError.at(
        line,
        f"het XML-bestand is onvolledig of beschadigd ({reason}). Download het afschrift opnieuw.",
    )


_LINE_BREAK = re.compile(rb"\r*\n|\r")


def xml_chunks(source: Source) -> Iterator[bytes]:
    """The raw bytes with every line break as one LF (CR LF, CR and CR CR LF alike).

    XML treats CR LF and a lone CR as one break each, so a CR CR LF file would count two
    lines per line in the parser's error positions; after this they agree with an editor.
    (UTF-16 documents are passed as they are: their breaks are two bytes wide.)
    """
    if source.encoding == "utf-16":
        yield from source.chunks()
        return
    pending = b""
    for chunk in source.chunks():
        data = pending + chunk
        stripped = data.rstrip(b"\r")
        pending = data[len(stripped) :]  # a CR at the end may be the start of CR LF
        yield _LINE_BREAK.sub(b"\n", stripped) if b"\r" in stripped else stripped
    if pending:
        yield b"\n" * pending.count(b"\r")


def _check_prolog(source: Source) -> None:
    """Run defusedxml over the prolog; refuse DTD entities and external references."""
    guard = _GuardParser(
        target=_PrologGuard(), forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    try:
        for chunk in xml_chunks(source):
            guard.feed(chunk)
        guard.close()  # only reached without a root element: raises "no element found"
    except _RootReached:
        return
    except _ExternalDtd:
        raise StatementError.at(guard.parser.CurrentLineNumber, _XXE) from None
    except (EntitiesForbidden, DTDForbidden) as exc:
        external = getattr(exc, "sysid", None) or getattr(exc, "pubid", None)
        raise StatementError.at(
            guard.parser.CurrentLineNumber, _XXE if external else _BILLION_LAUGHS
        ) from None
    except DefusedXmlException:
        raise StatementError.at(guard.parser.CurrentLineNumber, _XXE) from None
    except ParseError as exc:
        raise _broken(exc) from None


class _StartTagLines:
    """Source lines of the ``<Ntry>`` and ``<Stmt>`` start tags, found in the raw bytes.

    ElementTree's C parser records no positions, so the start tags are found in the bytes
    as they are fed (searching for the bare name and checking what precedes it is several
    times faster than a regex that starts at every "<"). Should a comment or CDATA section
    contain such a tag, the counts no longer match the elements: the entries are then
    numbered 1, 2, 3, … instead (documented fallback, see ``parse``).
    """

    _NAME = re.compile(rb"(Ntry|Stmt)[\s>/]")
    _LOOKBACK = 64

    def __init__(self) -> None:
        self.found: dict[bytes, deque[int]] = {b"Ntry": deque(), b"Stmt": deque()}
        self.counts = {b"Ntry": 0, b"Stmt": 0}
        self.carry = b""  # the end of the previous data, for names cut by a chunk boundary
        self.base = 0  # absolute offset of ``carry``
        self.scanned = 0  # absolute offset before which every match has been handled
        self.ref, self.ref_line = 0, 1  # an absolute offset and its line number

    def feed(self, chunk: bytes) -> None:
        data = self.carry + chunk
        base = self.base
        ref, line = self.ref - base, self.ref_line
        for match in self._NAME.finditer(data, max(0, self.scanned - base)):
            start = match.start()
            before = data[start - 1 : start]
            if before == b":":  # prefixed: "<ns:Ntry" but not "</ns:Ntry"
                tag_start = data.rfind(b"<", max(0, start - self._LOOKBACK), start)
                if tag_start < 0 or data[tag_start + 1 : tag_start + 2] == b"/":
                    continue
            elif before != b"<":
                continue
            line += data.count(b"\n", ref, start)
            ref = start
            name = match.group(1)
            self.found[name].append(line)
            self.counts[name] += 1
        # A name needs five bytes ("Ntry" and what follows): later starts are found next time.
        self.scanned = base + max(len(data) - 4, 0)
        cut = max(0, len(data) - self._LOOKBACK)
        if ref < cut:
            line += data.count(b"\n", ref, cut)
            ref = cut
        self.carry = data[cut:]
        self.base = base + cut
        self.ref, self.ref_line = base + ref, line

    def next(self, name: bytes) -> int:
        queue = self.found[name]
        return queue.popleft() if queue else 0


def namespace_version(root_tag: str) -> tuple[str, str] | None:
    """("camt.053", "02") for a CAMT root tag, None for anything else."""
    match = _NAMESPACE.search(root_tag)
    return (match.group(1), match.group(2)) if match else None


def _drain(pull: XMLPullParser):
    """The events parsed so far. ``read_events`` is a Python generator that costs a third of
    the parse on big files; the queue it reads is taken directly when it is there."""
    queue = getattr(pull, "_events_queue", None)
    if queue is None:  # pragma: no cover - another Python's ElementTree
        return pull.read_events()
    events = list(queue)
    queue.clear()
    if events and isinstance(events[-1], Exception):  # a syntax error ends the events
        raise events[-1]
    return events


def parse(source: Source) -> ParsedStatement:
    """Parse a CAMT.053 file (statements of one or more accounts)."""
    _check_prolog(source)
    reader = _Reader()
    lines = _StartTagLines()
    pull = XMLPullParser(events=("start", "end"))
    try:
        for chunk in xml_chunks(source):
            lines.feed(chunk)
            pull.feed(chunk)
            reader.events(_drain(pull), lines)
        pull.close()
    except ParseError as exc:
        raise _broken(exc) from None
    reader.events(_drain(pull), lines)
    if not reader.statements:
        raise StatementError("Het CAMT.053-bestand bevat geen afschrift (Stmt).")
    if lines.counts[b"Ntry"] != reader.entries:  # see _StartTagLines
        for index, line in enumerate(reader.all_lines(), start=1):
            line.line_number = index
    accounts = list(reader.accounts.values())
    codes = {account.bank_code for account in accounts if account.bank_code}
    code = next(iter(codes)) if len(codes) == 1 else ""
    bank = BANK_NAMES.get(code, "")
    return finish(format=FORMAT, bank=bank, source=source, accounts=accounts)


@dataclass
class _Stmt:
    """One <Stmt> while it is read."""

    line: int
    account: DraftAccount | None = None
    currency: str = ""
    opening: Decimal | None = None
    closing: Decimal | None = None
    opening_date: dt.date | None = None
    closing_date: dt.date | None = None
    lines: list[DraftLine] = field(default_factory=list)


_WANTED = (
    "Amt",
    "AmtDtls",
    "TxAmt",
    "InstdAmt",
    "CdtDbtInd",
    "RvslInd",
    "Sts",
    "BookgDt",
    "ValDt",
    "AcctSvcrRef",
    "NtryRef",
    "AddtlNtryInf",
    "NtryDtls",
    "Btch",
    "NbOfTxs",
    "TxDtls",
    "Refs",
    "EndToEndId",
    "RltdPties",
    "Dbtr",
    "Cdtr",
    "DbtrAcct",
    "CdtrAcct",
    "RmtInf",
    "Ustrd",
    "Strd",
    "AddtlTxInf",
)


def _text(elem: Element | None) -> str:
    return (elem.text or "").strip() if elem is not None else ""


class _Reader:
    """Reads the statements of one document from the parser's events.

    Walks each entry's children once and dispatches on the local name, instead of many
    ``find()`` calls with paths: the difference is about a factor three on 10,000 entries.
    """

    def __init__(self) -> None:
        self.q = ""
        self.local: dict[str, str] = {}
        self.tags: dict[str, str] = {}
        self.stack: list[Element] = []
        self.depth = 0
        self.stmt_depth = 0
        self.stmt: _Stmt | None = None
        self.stmt_elem: Element | None = None
        self.entry_line = 0
        self.elements = 0  # elements since the last entry or statement was thrown away
        self.statements = 0
        self.entries = 0
        self.accounts: dict[str, DraftAccount] = {}
        self.last_stmt: dict[str, _Stmt] = {}

    def all_lines(self) -> Iterator[DraftLine]:
        for account in self.accounts.values():
            yield from account.lines

    def _root(self, tag: str) -> None:
        found = namespace_version(tag)
        if found is None or found[0] != "camt.053":
            kind = found[0].upper() if found else "onbekend XML"
            raise StatementError(
                f"Dit XML-bestand is geen CAMT.053-dagafschrift maar {kind}. Kies in de bank "
                "de export ‘CAMT.053’ (afschrift)."
            )
        q = tag[: tag.index("}") + 1]
        self.q = q
        self.local = {q + name: name for name in _WANTED}
        self.tags = {name: q + name for name in ("Stmt", "Ntry", "Acct", "Bal")}

    def events(self, events, lines: _StartTagLines) -> None:
        """Handle the parser's events; everything read is thrown away as soon as it ends.

        Direct children of a <Stmt> (its account, balances, entries) are read when they
        end and then dropped; anything outside a statement is dropped unread. So the tree
        in memory is never more than one statement child deep in content.

        This loop runs twice for every element of the file, so inside a statement it only
        counts depth (the elements of an entry need nothing until the entry ends); outside
        one it keeps the open elements, to drop them from their parents.
        """
        outer = self.stack  # open elements outside any statement, and the statement
        tags = self.tags
        ntry, stmt_tag = tags.get("Ntry"), tags.get("Stmt")
        stmt_elem = self.stmt_elem
        depth, stmt_depth, elements = self.depth, self.stmt_depth, self.elements
        for event, elem in events:
            if event == "start":
                depth += 1
                elements += 1
                if elements > MAX_ELEMENTS:
                    raise StatementError(_TOO_MANY[0].upper() + _TOO_MANY[1:])
                if depth > MAX_DEPTH:
                    raise StatementError(_TOO_DEEP[0].upper() + _TOO_DEEP[1:])
                if stmt_elem is not None:
                    if depth == stmt_depth + 1 and elem.tag == ntry:
                        self.entry_line = lines.next(b"Ntry")
                    continue
                if depth == 1 and not self.q:
                    self._root(elem.tag)
                    tags = self.tags
                    ntry, stmt_tag = tags["Ntry"], tags["Stmt"]
                outer.append(elem)
                if elem.tag == stmt_tag:
                    self.stmt = _Stmt(line=lines.next(b"Stmt"))
                    self.stmt_elem = stmt_elem = elem
                    self.statements += 1
                    stmt_depth = depth
                continue
            depth -= 1  # now the depth of the element's parent
            if stmt_elem is not None:
                if depth > stmt_depth:
                    if depth == stmt_depth + 1:
                        continue  # inside an entry, account or balance
                    continue
                if depth == stmt_depth:  # a direct child of the statement
                    tag = elem.tag
                    if tag == ntry:
                        self.entries += 1
                        draft = self.entry(elem, self.entry_line)
                        if draft is not None:
                            self.stmt.lines.append(draft)
                    elif tag == tags["Acct"]:
                        self.stmt.account = self.account(elem, self.stmt.line)
                    elif tag == tags["Bal"]:
                        self.balance(elem)
                    elem.clear()
                    del stmt_elem[-1]  # an element that just ended is its parent's last child
                    elements = 0
                    continue
                self._end_stmt()  # the statement itself ended
                stmt_elem = None
            outer.pop()
            if outer:
                elem.clear()
                del outer[-1][-1]
                elements = 0
        self.depth, self.stmt_depth, self.elements = depth, stmt_depth, elements

    # --- statement level ------------------------------------------------------------------

    def account(self, acct: Element, line: int) -> DraftAccount:
        q = self.q
        ident = acct.find(q + "Id")
        raw_iban = _text(ident.find(q + "IBAN")) if ident is not None else ""
        other = _text(ident.find(f"{q}Othr/{q}Id")) if ident is not None else ""
        self.stmt.currency = _text(acct.find(q + "Ccy"))
        servicer = acct.find(f"{q}Svcr/{q}FinInstnId")
        bic = ""
        if servicer is not None:
            bic = _text(servicer.find(q + "BIC")) or _text(servicer.find(q + "BICFI"))
        bank_code = dutch_bank_code(bic)
        iban = number = ""
        if raw_iban:
            iban = account_iban(raw_iban, line)
        elif other:
            compact = other.replace(" ", "").upper()
            digits = local_account_number(other)
            if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{8,30}", compact):
                iban = account_iban(compact, line)
            elif digits is not None and bank_code == "ABNA" and len(digits) >= 9:
                iban = abn_amro_iban(digits)
            elif digits is not None:
                number = digits.zfill(10)
            else:
                raise StatementError.at(
                    line, f"het afschrift noemt geen IBAN voor de rekening maar ‘{other}’."
                )
        else:
            raise StatementError.at(line, "het afschrift noemt geen IBAN voor de rekening.")
        key = iban or f"nr:{number}"
        found = self.accounts.get(key)
        if found is None:
            found = self.accounts[key] = DraftAccount(
                account_iban=iban,
                account_number=number,
                bank_code=iban[4:8] if iban else bank_code,
                line_number=line,
                notice_missing_balances=False,  # the statements say it precisely
            )
        return found

    def balance(self, bal: Element) -> None:
        q, stmt = self.q, self.stmt
        code = _text(bal.find(f"{q}Tp/{q}CdOrPrtry/{q}Cd")) or _text(
            bal.find(f"{q}Tp/{q}CdOrPrtry/{q}Prtry")
        )
        if code not in ("OPBD", "PRCD", "CLBD"):
            return  # available and forward balances are not needed
        amount, ccy = self._amount(
            bal.find(q + "Amt"), _text(bal.find(q + "CdtDbtInd")), stmt.line, "het saldo"
        )
        stmt.currency = stmt.currency or ccy
        dt_elem = bal.find(q + "Dt")
        when = self._date(dt_elem, stmt.line, "de saldodatum") if dt_elem is not None else None
        if code == "CLBD":
            stmt.closing, stmt.closing_date = amount, when
        elif stmt.opening is None or code == "OPBD":
            stmt.opening, stmt.opening_date = amount, when

    def _end_stmt(self) -> None:
        stmt, self.stmt, self.stmt_elem = self.stmt, None, None
        if stmt is None:  # pragma: no cover - a Stmt end always follows its start
            return
        account = stmt.account
        if account is None:
            raise StatementError.at(stmt.line, "het afschrift noemt geen IBAN voor de rekening.")
        currency = stmt.currency or "EUR"
        where = f" in het afschrift op regel {stmt.line}"
        if stmt.opening is not None and stmt.closing is not None:
            check_balance(stmt.opening, stmt.lines, stmt.closing, where=where)
        else:
            missing = (
                "geen beginsaldo (OPBD) en geen eindsaldo (CLBD)"
                if stmt.opening is None and stmt.closing is None
                else "geen eindsaldo (CLBD)"
                if stmt.closing is None
                else "geen beginsaldo (OPBD)"
            )
            account.notices.append(
                f"Het afschrift op regel {stmt.line} (rekening {account.label}) noemt {missing}; "
                "daarom kon niet worden gecontroleerd of alle regels er zijn. Vergelijk het "
                "saldo zelf met de bank."
            )
        previous = self.last_stmt.get(account.key)
        if previous is None:
            account.currency = currency
            account.opening_balance, account.opening_date = stmt.opening, stmt.opening_date
        else:
            if currency != account.currency:
                raise StatementError(
                    f"Het bestand bevat afschriften van rekening {account.label} in "
                    f"verschillende valuta ({account.currency}, {currency})."
                )
            if None not in (previous.closing, stmt.opening) and previous.closing != stmt.opening:
                raise StatementError.at(
                    stmt.line,
                    f"het beginsaldo van dit afschrift ({format_euro(stmt.opening)}) sluit niet "
                    f"aan op het eindsaldo van het vorige van deze rekening "
                    f"({format_euro(previous.closing)}); er ontbreekt een afschrift.",
                )
        account.closing_balance, account.closing_date = stmt.closing, stmt.closing_date
        if previous is not None and (previous.closing is None or stmt.opening is None):
            # the chain cannot be followed: no overall check either
            account.opening_balance = None
        account.lines.extend(stmt.lines)
        stmt.lines = []
        self.last_stmt[account.key] = stmt

    # --- entries --------------------------------------------------------------------------

    def _amount(
        self, amt: Element | None, indicator: str, line: int, what: str
    ) -> tuple[Decimal, str]:
        if amt is None or not (amt.text or "").strip():
            raise StatementError.at(line, f"{what} ontbreekt.")
        amount = parse_amount(amt.text, line, decimal="xml", what=what)
        if indicator == "DBIT":
            amount = -amount
        elif indicator != "CRDT":
            raise StatementError.at(line, f"bij/af (CdtDbtInd) ‘{indicator}’ is niet CRDT of DBIT.")
        return amount, amt.get("Ccy", "")

    def _date(self, holder: Element, line: int, what: str) -> dt.date | None:
        """A <Dt> or <DtTm> child of ``holder`` (BookgDt, ValDt, Bal/Dt)."""
        for child in holder:
            text = (child.text or "").strip()[:10]
            if text:
                if len(text) == 10 and text[4] == "-":  # xs:date; fromisoformat is C-fast
                    try:
                        return dt.date.fromisoformat(text)
                    except ValueError:
                        pass
                return parse_date(text, line, "YYYY-MM-DD", what=what)
        return None

    def entry(self, ntry: Element, line: int) -> DraftLine | None:
        amt = indicator = status = booking_elem = value_elem = None
        acct_svcr_ref = ntry_ref = additional = ""
        reversal = False
        details: list[Element] = []
        batch_count = None
        local = self.local
        for child in ntry:
            name = local.get(child.tag)
            if name == "Amt":
                amt = child
            elif name == "CdtDbtInd":
                indicator = _text(child)
            elif name == "RvslInd":
                reversal = _text(child).lower() in ("true", "1")
            elif name == "Sts":
                status = _text(child) or _text(child.find(self.q + "Cd"))
            elif name == "BookgDt":
                booking_elem = child
            elif name == "ValDt":
                value_elem = child
            elif name == "AcctSvcrRef":
                acct_svcr_ref = _text(child)
            elif name == "NtryRef":
                ntry_ref = _text(child)
            elif name == "AddtlNtryInf":
                additional = _text(child)
            elif name == "NtryDtls":
                for inner in child:  # a plain loop: iterfind goes through ElementPath
                    inner_name = local.get(inner.tag)
                    if inner_name == "TxDtls":
                        details.append(inner)
                    elif inner_name == "Btch":
                        count = _text(inner.find(self.q + "NbOfTxs"))
                        batch_count = int(count) if count.isdigit() else batch_count
        if status and status != "BOOK":
            return None  # pending/informational: not part of the booked balance
        amount, ccy = self._amount(amt, indicator or "", line, "het bedrag")
        currency = self.stmt.currency or "EUR"  # Acct and Bal come before the entries
        if ccy and ccy != currency:
            raise StatementError.at(line, f"het bedrag is in {ccy}, de rekening in {currency}.")
        booking = (
            self._date(booking_elem, line, "de boekdatum") if booking_elem is not None else None
        )
        if booking is None:
            raise StatementError.at(line, "de boekdatum (BookgDt) ontbreekt.")
        value = self._date(value_elem, line, "de valutadatum") if value_elem is not None else None

        name = iban = description = end_to_end = ""
        parts: tuple[BatchPart, ...] = ()
        if len(details) == 1:
            tx = self._transaction(details[0], incoming=amount > 0, line=line)
            name, iban, description, end_to_end = (
                tx["name"],
                tx["iban"],
                tx["description"],
                tx["e2e"],
            )
            acct_svcr_ref = acct_svcr_ref or tx["acct_svcr_ref"]
        elif len(details) > 1:
            parts = self._parts(details, amount, line)
        description = description or additional
        count = batch_count or (len(details) if len(details) > 1 else None)
        if not description and count:
            description = f"Verzamelboeking van {count} transacties"
        return DraftLine(
            line_number=line,
            booking_date=booking,
            value_date=value,
            amount=amount,
            counterparty_name=clean_text(name),
            counterparty_iban=counterparty_account(iban),
            description=clean_text(description),
            bank_reference=acct_svcr_ref or end_to_end or ntry_ref,
            reference_is_unique=bool(acct_svcr_ref),
            is_reversal=reversal,
            parts=parts,
        )

    def _parts(self, details: list[Element], amount: Decimal, line: int) -> tuple[BatchPart, ...]:
        incoming = amount > 0
        parts = []
        for tx_elem in details:
            tx = self._transaction(tx_elem, incoming=incoming, line=line)
            parts.append(
                BatchPart(
                    amount=tx["amount"],
                    counterparty_name=clean_text(tx["name"]),
                    counterparty_iban=counterparty_account(tx["iban"]),
                    description=clean_text(tx["description"]),
                    reference=tx["e2e"] or tx["acct_svcr_ref"],
                )
            )
        amounts = [part.amount for part in parts]
        if None not in amounts and sum(amounts, Decimal("0.00")) != amount:
            raise StatementError.at(
                line,
                f"de transacties van deze verzamelboeking tellen op tot "
                f"{format_euro(sum(amounts, Decimal('0.00')))}, de boeking zelf is "
                f"{format_euro(amount)}. Het bestand is niet consistent.",
            )
        return tuple(parts)

    def _transaction(self, tx: Element, *, incoming: bool, line: int) -> dict:
        # Incoming money: the other party is the debtor; outgoing: the creditor.
        party, account = ("Dbtr", "DbtrAcct") if incoming else ("Cdtr", "CdtrAcct")
        found = {
            "name": "",
            "iban": "",
            "description": "",
            "e2e": "",
            "acct_svcr_ref": "",
            "amount": None,
        }
        ustrd: list[str] = []
        structured = additional = ""
        amount_elem = None
        indicator = ""
        local_names = self.local
        q = self.q
        for child in tx:
            local = local_names.get(child.tag)
            if local == "Refs":
                for ref in child:
                    ref_name = local_names.get(ref.tag)
                    if ref_name == "EndToEndId" and _text(ref).upper() != "NOTPROVIDED":
                        found["e2e"] = _text(ref)
                    elif ref_name == "AcctSvcrRef":
                        found["acct_svcr_ref"] = _text(ref)
            elif local == "Amt":  # camt.053.001.08 and later
                amount_elem = child
            elif local == "AmtDtls" and amount_elem is None:  # .02: AmtDtls/TxAmt/Amt
                amount_elem = child.find(f"{q}TxAmt/{q}Amt")
                if amount_elem is None:
                    amount_elem = child.find(f"{q}InstdAmt/{q}Amt")
            elif local == "CdtDbtInd":
                indicator = _text(child)
            elif local == "RltdPties":
                for related in child:
                    related_name = local_names.get(related.tag)
                    if related_name == party:  # .02: Dbtr/Nm; .08 and later: Dbtr/Pty/Nm
                        nm = related.find(q + "Nm")
                        if nm is None:
                            nm = related.find(f"{q}Pty/{q}Nm")
                        found["name"] = _text(nm)
                    elif related_name == account:
                        ident = related.find(q + "Id")
                        if ident is not None:
                            iban = ident.find(q + "IBAN")
                            if iban is None:
                                iban = ident.find(f"{q}Othr/{q}Id")
                            found["iban"] = _text(iban)
            elif local == "RmtInf":
                for info in child:
                    info_name = local_names.get(info.tag)
                    if info_name == "Ustrd" and info.text:
                        ustrd.append(info.text.strip())
                    elif info_name == "Strd" and not structured:
                        structured = _text(info.find(f"{q}CdtrRefInf/{q}Ref"))
            elif local == "AddtlTxInf":
                additional = _text(child)
        found["description"] = " ".join(ustrd) or structured or additional
        if amount_elem is not None and (amount_elem.text or "").strip():
            value = parse_amount(amount_elem.text, line, decimal="xml", what="het bedrag")
            outgoing = indicator == "DBIT" if indicator else not incoming
            found["amount"] = -value if outgoing else value
        return found
