"""Demo books for each demo group: last year and this year up to today, each with a grant,
its budget and bookings with receipts.

Placed relative to today (`demo_today()`), so the demo never looks a year old: last year is
complete, this year runs until a few days ago, the bank lines are recent. Deterministic for a
given day (seeded by the group's slug) and idempotent (skips a group whose demo grant for last
year exists). Everything goes through the real services, so the books are posted, numbered
and hash-chained like real ones.
"""

import random
import struct
import zlib
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from finance import bookings
from finance.grants import services as grant_services
from finance.grants.models import Grant
from finance.ledger import postings
from finance.ledger import services as ledger_services
from finance.ledger.models import Account
from tenants import facade as tenants


def demo_today() -> date:
    """The day the demo is built around (tests set it with time-machine)."""
    return timezone.localdate()


def demo_years(today: date | None = None) -> tuple[int, int]:
    """(last year, this year): the demo books cover both."""
    today = today or demo_today()
    return today.year - 1, today.year


# This year's bookings stop this many days before today, so the bank lines that come after
# them (and the statement a newcomer tries) are recent but never in the future.
BOOKED_UNTIL = timedelta(days=14)

BUDGET = [  # account code, description, amount
    ("4000", "Buurtfeest en activiteiten", Decimal("4200.00")),
    ("4100", "Materialen (verf, plantjes, gereedschap)", Decimal("1800.00")),
    ("4200", "Flyers, posters en website", Decimal("900.00")),
    ("4300", "Huur buurthuis", Decimal("1600.00")),
    ("4400", "Vrijwilligersvergoedingen", Decimal("1000.00")),
    ("4500", "Ondersteuning en cursus penningmeester", Decimal("500.00")),
]

EXPENSES = {
    "4000": [
        "Boodschappen buurtfeest",
        "Springkussen huur",
        "Koffie en thee",
        "Prijzen kinderspelen",
        "Muziek buurtfeest",
        "Catering iftar-maaltijd",
    ],
    "4100": ["Plantjes geveltuinen", "Verf bankjes", "Vuilniszakken en grijpers", "Gereedschap"],
    "4200": ["Drukwerk flyers", "Posters activiteiten", "Domeinnaam website"],
    "4300": ["Zaalhuur buurthuis", "Zaalhuur vergadering"],
    "4400": ["Vrijwilligersvergoeding", "Attentie vrijwilligers"],
    "4500": ["Cursus boekhouden voor vrijwilligers"],
}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def receipt_png(text: str, rgb: tuple[int, int, int]) -> bytes:
    """A valid 8x8 PNG in one colour, with the receipt text as a tEXt chunk (unique bytes)."""
    raw = b"".join(b"\x00" + bytes(rgb) * 8 for _row in range(8))
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
        + _chunk(b"tEXt", b"Comment\x00" + text.encode("latin-1", "replace"))
        + _chunk(b"IDAT", zlib.compress(raw))
        + _chunk(b"IEND", b"")
    )


def receipt_pdf(text: str) -> bytes:
    """A minimal one-page PDF with the receipt text."""
    stream = f"BT /F1 12 Tf 40 100 Td ({text.replace('(', '[').replace(')', ']')}) Tj ET".encode(
        "latin-1", "replace"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 150] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _person(group, role):
    return tenants.users_with_role(group=group, role=role).first()


def load_for_group(group, people, roster=None) -> None:
    today = demo_today()
    last, _current = demo_years(today)
    if Grant.objects.filter(reference=_reference(group, last)).exists():
        return
    treasurer = _person(group, tenants.Role.TREASURER)
    secretary = _person(group, tenants.Role.SECRETARY) or treasurer
    if treasurer is None:
        return
    with transaction.atomic():
        _load(group, treasurer, secretary, today)


def _reference(group, year: int) -> str:
    return f"DEMO-{group.slug[:20].upper()}-{year}"


def _load(group, treasurer, secretary, today: date) -> None:
    rng = random.Random(group.slug)
    account = {a.code: a for a in Account.objects.all()}
    last, current = demo_years(today)
    counter = [0]
    lines = _load_year(group, treasurer, rng, account, counter, year=last, until=date(last, 12, 20))
    wrong = bookings.expense_record(
        user=treasurer,
        date=date(last, 10, 2),
        amount=Decimal("75.00"),
        category=account["4300"],
        description="Zaalhuur (dubbel geboekt)",
        budget_line=lines["4300"],
        paid_from=account["1100"],
    )
    ledger_services.entry_reverse(
        entry=wrong, user=treasurer, date=date(last, 10, 9), reason="dubbel geboekt"
    )
    until = today - BOOKED_UNTIL
    lines = _load_year(group, treasurer, rng, account, counter, year=current, until=until)
    bookings.expense_record(
        user=secretary,
        date=max(date(current, 1, 2), today - timedelta(days=2)),
        amount=Decimal("42.10"),
        category=account["4000"],
        description="Versiering buurtavond (concept)",
        budget_line=lines["4000"],
        paid_from=account["1000"],
    )


def _load_year(group, treasurer, rng, account, counter, *, year: int, until: date) -> dict:
    """One year's grant, budget and bookings up to `until` (the whole year for last year)."""
    district = group.get_district_display()
    grant = grant_services.grant_create(
        user=treasurer,
        funder=f"Gemeente Amsterdam, stadsdeel {district}",
        reference=_reference(group, year),
        title=f"Buurtbudget {group.neighbourhood or group.name} {year}",
        amount=Decimal("10000.00"),
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        conditions="Besteding volgens begroting; verantwoording met bonnetjes vóór 1 april "
        "van het volgende jaar; niet bestede middelen worden terugbetaald.",
    )
    lines = {
        code: grant_services.budget_line_create(
            grant=grant, user=treasurer, account=account[code], description=text, amount=amount
        )
        for code, text, amount in BUDGET
    }
    tranches = [
        (date(year, 1, 15), date(year, 1, 20), Decimal("6000.00")),
        (date(year, 7, 1), date(year, 7, 3), Decimal("4000.00")),
    ]
    for expected, received, amount in tranches:
        tranche = grant_services.tranche_create(
            grant=grant, user=treasurer, expected_on=expected, amount=amount
        )
        if received <= until:
            grant_services.tranche_receive(tranche=tranche, user=treasurer, date=received)
    approved = min(date(year, 11, 20), until)
    if approved >= date(year, 1, 1):
        grant_services.commitment_create(
            budget_line=lines["4000"],
            user=treasurer,
            description="Decemberfeest: toezegging aan de muziekschool",
            amount=Decimal("350.00"),
            approved_on=approved,
        )
    day = date(year, 1, 8)
    # Spending follows the budget: bigger lines get more bookings, and a line is not spent
    # past ~95% of its budget, as a careful treasurer would do.
    budget = {code: amount for code, _text, amount in BUDGET}
    spent = {code: Decimal("0.00") for code in EXPENSES}
    codes = list(EXPENSES)
    while day < until:
        code = rng.choices(codes, weights=[int(budget[c]) for c in codes])[0]
        text = rng.choice(EXPENSES[code])
        room = budget[code] * Decimal("0.95") - spent[code]
        amount = min(Decimal(rng.randint(450, 32000)) / 100, (room / 2).quantize(Decimal("0.01")))
        if amount < Decimal("4.50"):
            day += timedelta(days=rng.randint(5, 10))
            continue
        spent[code] += amount
        counter[0] += 1
        n = counter[0]
        receipt = None
        if n % 11 != 0:  # a few receipts are missing, as in real life
            label = f"{group.slug} {n} {text} EUR {amount}"
            receipt = (
                receipt_pdf(label)
                if n % 3 == 0
                else receipt_png(label, (rng.randint(0, 255), rng.randint(0, 255), 200))
            )
        bookings.expense_record(
            user=treasurer,
            date=day,
            amount=amount,
            category=account[code],
            description=text,
            budget_line=lines[code],
            paid_from=account["1000" if amount < 20 else "1100"],
            receipt_name=(f"bon-{n:03d}.{'pdf' if n % 3 == 0 else 'png'}" if receipt else ""),
            receipt_data=receipt,
        )
        if day.day < 8 and day.month in (3, 6, 9, 12):
            bookings.income_record(
                user=treasurer,
                date=day,
                amount=Decimal(rng.randint(5, 40) * 5),
                category=account["8100"],
                description="Donatie buurtbewoners",
                received_in=account["1100"],
            )
        day += timedelta(days=rng.randint(5, 10))
    for month in range(1, 13):
        if date(year, month, 28) <= until:
            bookings.expense_record(
                user=treasurer,
                date=date(year, month, 28),
                amount=Decimal("9.50"),
                category=account["4900"],
                description="Bankkosten",
                paid_from=account["1100"],
            )
    if date(year, 2, 1) <= until:
        ledger_services.entry_book(
            spec=postings.journal(
                date=date(year, 2, 1),
                description="Kas opgenomen bij de bank",
                lines=[
                    postings.LineInput(account=account["1000"], debit=Decimal("200.00")),
                    postings.LineInput(account=account["1100"], credit=Decimal("200.00")),
                ],
            ),
            user=treasurer,
            post=True,
        )
    return lines
