"""Deterministic sample bank files of any size, for tests and ``benchmarks/bank_parse.py``.

``build_camt053(n)`` and ``build_csv(n)`` give a realistic file of ``n`` transactions for a
resident group's account; the same ``seed`` always gives the same bytes. The lower-level
``sample_lines`` / ``camt053_document`` / ``ing_csv_document`` let property tests build
files from lines they control. All IBANs are valid (made with schwifty from bank codes).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from schwifty import IBAN


def nl_iban(bank_code: str, account: int) -> str:
    """A valid Dutch IBAN for a bank code ("INGB") and an account number."""
    return IBAN.generate("NL", bank_code=bank_code, account_code=f"{account:010d}").compact


ACCOUNT_IBAN = nl_iban("INGB", 6543210)  # "Hart voor de K-buurt"

COUNTERPARTIES: tuple[tuple[str, str], ...] = (
    ("Gemeente Amsterdam", nl_iban("BNGH", 285177779)),
    ("Hornbach Bouwmarkt Amsterdam", nl_iban("ABNA", 417164300)),
    ("Albert Heijn 1234", nl_iban("ABNA", 433180220)),
    ("Stichting !WOON", nl_iban("TRIO", 198702245)),
    ("Ymere", nl_iban("RABO", 118431250)),
    ("Gamma Amsterdam Noord", nl_iban("INGB", 4155231)),
    ("Drukkerij De Buurt", nl_iban("RABO", 303612475)),
    ("Bakkerij Van Dam", nl_iban("SNSB", 938479561)),
    ("J. de Vries", nl_iban("BUNQ", 2017432188)),
    ("Café De Meeuw", nl_iban("ASNB", 707531255)),
)
DESCRIPTIONS = (
    "Subsidie buurtbudget 2024 eerste termijn",
    "Factuur 2024-{n:04d} materiaal buurttuin",
    "Boodschappen buurtmaaltijd",
    "Declaratie {n} bonnetjes straatfeest",
    "Huur buurtkamer {n}",
    "Drukwerk flyers wijkraadpleging",
    "Koffie en thee bewonersavond — €{n} vrijwillige bijdrage",
    "Terugbetaling voorschot activiteit {n}",
)


@dataclass(frozen=True, slots=True)
class SampleLine:
    """One generated transaction; ``amount`` is signed (negative = money out)."""

    booking_date: dt.date
    value_date: dt.date
    amount: Decimal
    name: str
    iban: str
    description: str
    reference: str


def sample_lines(
    n: int, *, seed: int = 0, start: dt.date = dt.date(2024, 1, 2)
) -> list[SampleLine]:
    """``n`` plausible transactions in chronological order, about five per day."""
    rng = random.Random(seed)
    lines = []
    for index in range(n):
        name, iban = COUNTERPARTIES[rng.randrange(len(COUNTERPARTIES))]
        cents = rng.randint(1, 250_000)
        amount = Decimal(cents if name == "Gemeente Amsterdam" else -cents) / 100
        booking = start + dt.timedelta(days=index // 5)
        lines.append(
            SampleLine(
                booking_date=booking,
                value_date=booking,
                amount=amount.quantize(Decimal("0.01")),
                name=name,
                iban=iban,
                description=DESCRIPTIONS[rng.randrange(len(DESCRIPTIONS))].format(n=index % 97),
                reference=f"{seed:04d}{index:012d}",
            )
        )
    return lines


def camt053_document(
    lines: Sequence[SampleLine],
    *,
    account_iban: str = ACCOUNT_IBAN,
    opening_balance: Decimal = Decimal("1000.00"),
    version: str = "02",
    with_references: bool = True,
    rich: bool = False,
) -> bytes:
    """A camt.053.001.<version> file with one statement holding ``lines``.

    Version "02" uses the 2009 shapes (``<Sts>BOOK</Sts>``, ``Dbtr/Nm``), later versions the
    newer ones (``<Sts><Cd>BOOK</Cd></Sts>``, ``Dbtr/Pty/Nm``). ``rich`` adds what real
    exports carry besides (references, the bank's own text, the counterparty's bank), about
    700 bytes per entry as in a bank's own download: 50,000 entries are then 35 MB.
    """
    old = version == "02"
    closing = opening_balance + sum((line.amount for line in lines), Decimal("0.00"))
    first = min((line.booking_date for line in lines), default=dt.date(2024, 1, 1))
    last = max((line.booking_date for line in lines), default=first)

    def balance(code: str, amount: Decimal, when: dt.date) -> str:
        indicator = "CRDT" if amount >= 0 else "DBIT"
        return (
            f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp>"
            f'<Amt Ccy="EUR">{abs(amount):.2f}</Amt><CdtDbtInd>{indicator}</CdtDbtInd>'
            f"<Dt><Dt>{when.isoformat()}</Dt></Dt></Bal>\n"
        )

    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}">\n',
        "<BkToCstmrStmt>\n<GrpHdr><MsgId>BUURTKAS-SAMPLE</MsgId>"
        "<CreDtTm>2024-12-31T23:00:00</CreDtTm></GrpHdr>\n",
        f"<Stmt>\n<Id>STMT-{first:%Y%m%d}</Id><CreDtTm>2024-12-31T23:00:00</CreDtTm>\n",
        f"<Acct><Id><IBAN>{account_iban}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n",
        balance("OPBD", opening_balance, first),
        balance("CLBD", closing, last),
    ]
    status = "<Sts>BOOK</Sts>" if old else "<Sts><Cd>BOOK</Cd></Sts>"
    for line in lines:
        credit = line.amount >= 0
        side, account = ("Dbtr", "DbtrAcct") if credit else ("Cdtr", "CdtrAcct")
        name = escape(line.name)
        party = (
            f"<{side}><Nm>{name}</Nm></{side}>"
            if old
            else f"<{side}><Pty><Nm>{name}</Nm></Pty></{side}>"
        )
        reference = f"<AcctSvcrRef>{line.reference}</AcctSvcrRef>" if with_references else ""
        extra = agents = ""
        if rich:
            extra = (
                f"<AddtlNtryInf>{'Ontvangen' if credit else 'Betaald'}: "
                f"{escape(line.description)}</AddtlNtryInf>\n"
            )
            agent = "DbtrAgt" if credit else "CdtrAgt"
            agents = (
                f"<RltdAgts><{agent}><FinInstnId><BIC>{line.iban[4:8]}NL2A</BIC></FinInstnId>"
                f"</{agent}></RltdAgts>"
            )
        parts.append(
            f'<Ntry>\n<Amt Ccy="EUR">{abs(line.amount):.2f}</Amt>'
            f"<CdtDbtInd>{'CRDT' if credit else 'DBIT'}</CdtDbtInd>{status}"
            f"<BookgDt><Dt>{line.booking_date.isoformat()}</Dt></BookgDt>"
            f"<ValDt><Dt>{line.value_date.isoformat()}</Dt></ValDt>{reference}"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>\n"
            "<NtryDtls><TxDtls><Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs>"
            f"<RltdPties>{party}<{account}><Id><IBAN>{line.iban}</IBAN></Id></{account}></RltdPties>"
            f"{agents}"
            f"<RmtInf><Ustrd>{escape(line.description)}</Ustrd></RmtInf></TxDtls></NtryDtls>\n"
            f"{extra}</Ntry>\n"
        )
    parts.append("</Stmt>\n</BkToCstmrStmt>\n</Document>\n")
    return "".join(parts).encode("utf-8")


def _ing_amount(amount: Decimal) -> str:
    return f"{amount:.2f}".replace(".", ",")


def ing_csv_document(
    lines: Sequence[SampleLine],
    *,
    account_iban: str = ACCOUNT_IBAN,
    opening_balance: Decimal = Decimal("1000.00"),
    encoding: str = "utf-8",
) -> bytes:
    """An ING semicolon CSV (with "Saldo na mutatie"), newest line first as ING exports it."""
    header = (
        '"Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";'
        '"Bedrag (EUR)";"Mutatiesoort";"Mededelingen";"Saldo na mutatie";"Tag"'
    )
    rows = []
    balance = opening_balance
    for line in lines:
        balance += line.amount
        cells = (
            f"{line.booking_date:%Y%m%d}",
            line.name,
            account_iban,
            line.iban,
            "OV",
            "Bij" if line.amount >= 0 else "Af",
            _ing_amount(abs(line.amount)),
            "Overschrijving",
            f"Naam: {line.name} Omschrijving: {line.description} IBAN: {line.iban}",
            _ing_amount(balance),
            "",
        )
        rows.append(";".join('"' + cell.replace('"', '""') + '"' for cell in cells))
    rows.reverse()
    return ("\r\n".join([header, *rows]) + "\r\n").encode(encoding)


def build_camt053(n: int, *, seed: int = 0, rich: bool = False) -> bytes:
    """A CAMT.053 file of ``n`` booked entries, each with a bank reference."""
    return camt053_document(sample_lines(n, seed=seed), rich=rich)


def build_csv(n: int, *, seed: int = 0) -> bytes:
    """An ING CSV of ``n`` lines with running balances (no bank references)."""
    return ing_csv_document(sample_lines(n, seed=seed))
