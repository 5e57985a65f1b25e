"""CAMT.053 (ISO 20022 bank-to-customer statement), versions camt.053.001.02 and later.

The version is taken from the document's namespace; the differences we meet between
versions are handled by trying both element paths (``Sts`` is text in .02 and ``Sts/Cd``
from .08; a party's name is ``Dbtr/Nm`` in .02 and ``Dbtr/Pty/Nm`` from .08).

Safety: the file comes from a user upload, so it is parsed with ``defusedxml``: entity
declarations (billion laughs) and external entities/DTDs (XXE) are refused before anything
is expanded or fetched.

What is read:

* per ``Stmt``: the account (``Acct/Id/IBAN``, must be valid and the same for all statements
  in the file), the currency, the ``OPBD`` (or ``PRCD``) and ``CLBD`` balances; when both
  are present opening + booked entries must equal closing, and consecutive statements must
  chain;
* per ``Ntry`` with status ``BOOK`` (pending ``PDNG`` and informational ``INFO`` entries are
  not bookings and do not count in the booked balance, so they are skipped): amount and
  ``CdtDbtInd`` (``DBIT`` = money out; with ``RvslInd`` the indicator already gives the
  direction of the reversal itself), booking and value date, references, counterparty
  (the debtor for incoming money, the creditor for outgoing) and remittance information.
  An entry with several ``TxDtls`` (a batch) stays one line, as the bank booked it.

``bank_reference`` is ``AcctSvcrRef`` (the bank's unique reference) when given, else the
``EndToEndId`` (unless ``NOTPROVIDED``), else ``NtryRef``; only ``AcctSvcrRef`` is trusted as
unique for the dedup key (see ``dedup``). ``line_number`` is the source line of ``<Ntry>``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml.common import DefusedXmlException, DTDForbidden, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser

from .fields import account_iban, clean_text, counterparty_account, format_euro, parse_amount, parse_date
from .records import ParsedStatement, StatementError
from .statement import DraftLine, assemble, check_balance, single_account

FORMAT = "camt.053"
_NAMESPACE = re.compile(r"urn:iso:std:iso:20022:tech:xsd:(camt\.\d{3})\.001\.(\d{2})")


class _LineRecordingBuilder(TreeBuilder):
    """Tree builder that remembers the source line of every <Ntry> and <Stmt>.

    ElementTree elements carry no line numbers; expat knows the current line while it
    reports a start tag, so we note it then (in document order).
    """

    parser: DefusedXMLParser

    def __init__(self) -> None:
        super().__init__()
        self.entry_lines: list[int] = []
        self.statement_lines: list[int] = []

    def start(self, tag, attrs):  # noqa: D102 - TreeBuilder API
        if tag.endswith("}Ntry"):
            self.entry_lines.append(self.parser.parser.CurrentLineNumber)
        elif tag.endswith("}Stmt"):
            self.statement_lines.append(self.parser.parser.CurrentLineNumber)
        return super().start(tag, attrs)


def read_xml(data: bytes) -> tuple[Element, _LineRecordingBuilder]:
    """Parse untrusted XML safely; refuse entities, DTD tricks and broken XML in Dutch."""
    builder = _LineRecordingBuilder()
    parser = DefusedXMLParser(target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except (EntitiesForbidden, DTDForbidden) as exc:
        line = parser.parser.CurrentLineNumber
        if getattr(exc, "sysid", None) or getattr(exc, "pubid", None):
            reason = (
                "het XML-bestand verwijst naar een externe entiteit (een bekende aanvalstechniek, "
                "XXE); zulke bestanden worden geweigerd."
            )
        else:
            reason = (
                "het XML-bestand definieert eigen entiteiten (een bekende aanvalstechniek, "
                "‘billion laughs’); zulke bestanden worden geweigerd."
            )
        raise StatementError.at(line, reason) from None
    except DefusedXmlException:  # external reference or other refused construct
        line = parser.parser.CurrentLineNumber
        raise StatementError.at(
            line,
            "het XML-bestand verwijst naar een externe entiteit of DTD (XXE); zulke bestanden "
            "worden geweigerd.",
        ) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise StatementError.at(
            line,
            f"het XML-bestand is onvolledig of beschadigd ({exc.msg if hasattr(exc, 'msg') else exc}). "
            "Download het afschrift opnieuw.",
        ) from None
    return root, builder


def namespace_version(root_tag: str) -> tuple[str, str] | None:
    """("camt.053", "02") for a CAMT root tag, None for anything else."""
    match = _NAMESPACE.search(root_tag)
    return (match.group(1), match.group(2)) if match else None


def parse(data: bytes) -> ParsedStatement:
    """Parse a CAMT.053 file (one or more statements of one account)."""
    root, builder = read_xml(data)
    found = namespace_version(root.tag)
    if found is None or found[0] != "camt.053":
        kind = found[0].upper() if found else "onbekend XML"
        raise StatementError(
            f"Dit XML-bestand is geen CAMT.053-dagafschrift maar {kind}. Kies in de bank de "
            "export ‘CAMT.053’ (afschrift)."
        )
    reader = _Reader(root.tag[1 : root.tag.index("}")], builder.entry_lines)
    statements = root.findall(f"{reader.q}BkToCstmrStmt/{reader.q}Stmt")
    if not statements:
        raise StatementError("Het CAMT.053-bestand bevat geen afschrift (Stmt).")
    parts = [reader.statement(stmt, line) for stmt, line in zip(statements, builder.statement_lines, strict=False)]

    accounts: dict[str, int] = {}
    for part in parts:
        accounts.setdefault(part["iban"], part["line"])
    iban = single_account(accounts)
    currencies = {part["currency"] for part in parts}
    if len(currencies) > 1:
        raise StatementError(f"Het bestand bevat afschriften in verschillende valuta ({', '.join(sorted(currencies))}).")
    for previous, current in zip(parts, parts[1:], strict=False):
        if None not in (previous["closing"], current["opening"]) and previous["closing"] != current["opening"]:
            raise StatementError.at(
                current["line"],
                f"het beginsaldo van dit afschrift ({format_euro(current['opening'])}) sluit niet aan "
                f"op het eindsaldo van het vorige ({format_euro(previous['closing'])}); er ontbreekt "
                "een afschrift.",
            )
    return assemble(
        format=FORMAT,
        data=data,
        account_iban=iban,
        currency=parts[0]["currency"],
        lines=[line for part in parts for line in part["lines"]],
        opening_balance=parts[0]["opening"],
        closing_balance=parts[-1]["closing"],
        opening_date=parts[0]["opening_date"],
        closing_date=parts[-1]["closing_date"],
    )


class _Reader:
    """Reads statements of one document; ``q`` is the namespace prefix "{uri}"."""

    def __init__(self, namespace: str, entry_lines: list[int]) -> None:
        self.q = q = f"{{{namespace}}}"
        self.entry_lines = entry_lines
        self.entry_index = 0
        # Pre-built paths: find() with a literal "{uri}Tag/{uri}Tag" path is the fast path.
        self.p = {
            name: "/".join(q + part for part in path.split("/"))
            for name, path in {
                "iban": "Acct/Id/IBAN",
                "other_id": "Acct/Id/Othr/Id",
                "acct_ccy": "Acct/Ccy",
                "bal": "Bal",
                "bal_code": "Tp/CdOrPrtry/Cd",
                "bal_prtry": "Tp/CdOrPrtry/Prtry",
                "amt": "Amt",
                "cdi": "CdtDbtInd",
                "dt": "Dt/Dt",
                "dttm": "Dt/DtTm",
                "ntry": "Ntry",
                "sts": "Sts",
                "sts_cd": "Sts/Cd",
                "bookg": "BookgDt/Dt",
                "bookg_tm": "BookgDt/DtTm",
                "val": "ValDt/Dt",
                "val_tm": "ValDt/DtTm",
                "ntry_ref": "NtryRef",
                "acct_svcr_ref": "AcctSvcrRef",
                "addtl_ntry": "AddtlNtryInf",
                "tx": "NtryDtls/TxDtls",
                "tx_acct_svcr_ref": "Refs/AcctSvcrRef",
                "e2e": "Refs/EndToEndId",
                "ustrd": "RmtInf/Ustrd",
                "strd_ref": "RmtInf/Strd/CdtrRefInf/Ref",
                "addtl_tx": "AddtlTxInf",
                "dbtr_nm": "RltdPties/Dbtr/Nm",
                "dbtr_pty_nm": "RltdPties/Dbtr/Pty/Nm",
                "dbtr_iban": "RltdPties/DbtrAcct/Id/IBAN",
                "dbtr_othr": "RltdPties/DbtrAcct/Id/Othr/Id",
                "cdtr_nm": "RltdPties/Cdtr/Nm",
                "cdtr_pty_nm": "RltdPties/Cdtr/Pty/Nm",
                "cdtr_iban": "RltdPties/CdtrAcct/Id/IBAN",
                "cdtr_othr": "RltdPties/CdtrAcct/Id/Othr/Id",
            }.items()
        }

    def _text(self, elem: Element, name: str) -> str:
        return (elem.findtext(self.p[name]) or "").strip()

    def statement(self, stmt: Element, line: int) -> dict:
        raw_iban = self._text(stmt, "iban")
        if not raw_iban:
            other = self._text(stmt, "other_id")
            raise StatementError.at(
                line, f"het afschrift noemt geen IBAN voor de rekening{f' maar ‘{other}’' if other else ''}."
            )
        iban = account_iban(raw_iban, line)
        currency = self._text(stmt, "acct_ccy")
        opening = closing = opening_date = closing_date = None
        for bal in stmt.findall(self.p["bal"]):
            code = self._text(bal, "bal_code") or self._text(bal, "bal_prtry")
            if code not in ("OPBD", "PRCD", "CLBD"):
                continue  # available balances, forward balances: not needed
            amount, ccy = self._amount(bal, line, "het saldo")
            currency = currency or ccy
            when = self._date(bal, "dt", "dttm", line, "de saldodatum")
            if code == "CLBD":
                closing, closing_date = amount, when
            elif opening is None or code == "OPBD":
                opening, opening_date = amount, when
        lines: list[DraftLine] = []
        for ntry in stmt.findall(self.p["ntry"]):
            entry_line = self.entry_lines[self.entry_index] if self.entry_index < len(self.entry_lines) else line
            self.entry_index += 1
            draft = self.entry(ntry, entry_line, currency)
            if draft is not None:
                lines.append(draft)
        currency = currency or "EUR"
        if opening is not None and closing is not None:
            check_balance(opening, lines, closing, where=f" in het afschrift op regel {line}")
        return {
            "iban": iban,
            "line": line,
            "currency": currency,
            "opening": opening,
            "closing": closing,
            "opening_date": opening_date,
            "closing_date": closing_date,
            "lines": lines,
        }

    def _amount(self, elem: Element, line: int, what: str) -> tuple[Decimal, str]:
        amt = elem.find(self.p["amt"])
        if amt is None or not (amt.text or "").strip():
            raise StatementError.at(line, f"{what} ontbreekt.")
        amount = parse_amount(amt.text, line, decimal="xml", what=what)
        indicator = self._text(elem, "cdi")
        if indicator == "DBIT":
            amount = -amount
        elif indicator != "CRDT":
            raise StatementError.at(line, f"bij/af (CdtDbtInd) ‘{indicator}’ is niet CRDT of DBIT.")
        return amount, amt.get("Ccy", "")

    def _date(self, elem: Element, date_path: str, datetime_path: str, line: int, what: str):
        text = self._text(elem, date_path) or self._text(elem, datetime_path)[:10]
        if not text:
            return None
        return parse_date(text, line, "YYYY-MM-DD", what=what)

    def entry(self, ntry: Element, line: int, currency: str) -> DraftLine | None:
        status = self._text(ntry, "sts_cd") or self._text(ntry, "sts")
        if status and status != "BOOK":
            return None
        amount, ccy = self._amount(ntry, line, "het bedrag")
        if currency and ccy and ccy != currency:
            raise StatementError.at(line, f"het bedrag is in {ccy}, de rekening in {currency}.")
        booking = self._date(ntry, "bookg", "bookg_tm", line, "de boekdatum")
        if booking is None:
            raise StatementError.at(line, "de boekdatum (BookgDt) ontbreekt.")
        value = self._date(ntry, "val", "val_tm", line, "de valutadatum")

        details = ntry.findall(self.p["tx"])
        single = details[0] if len(details) == 1 else None
        acct_svcr_ref = self._text(ntry, "acct_svcr_ref") or (
            self._text(single, "tx_acct_svcr_ref") if single is not None else ""
        )
        end_to_end = self._text(single, "e2e") if single is not None else ""
        if end_to_end.upper() == "NOTPROVIDED":
            end_to_end = ""
        name = iban = ""
        if single is not None:
            side = "dbtr" if amount > 0 else "cdtr"
            name = self._text(single, f"{side}_nm") or self._text(single, f"{side}_pty_nm")
            iban = self._text(single, f"{side}_iban") or self._text(single, f"{side}_othr")
            description = " ".join(t.text.strip() for t in single.findall(self.p["ustrd"]) if t.text) or (
                self._text(single, "strd_ref") or self._text(single, "addtl_tx")
            )
        else:
            description = ""
        description = description or self._text(ntry, "addtl_ntry")
        if not description and len(details) > 1:
            description = f"Verzamelboeking van {len(details)} transacties"
        return DraftLine(
            line_number=line,
            booking_date=booking,
            value_date=value,
            amount=amount,
            counterparty_name=clean_text(name),
            counterparty_iban=counterparty_account(iban),
            description=clean_text(description),
            bank_reference=acct_svcr_ref or end_to_end or self._text(ntry, "ntry_ref"),
            reference_is_unique=bool(acct_svcr_ref),
        )
