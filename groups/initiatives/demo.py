"""Demo initiatives for the first demo group, placed relative to today.

A round decided by the board with initiatives in every state (submitted, more information,
approved and paid, partly approved, rejected, accounted for, closed), a finished
neighbourhood consultation with paper and online ballots, an open one, and a voucher round
with pooled initiatives. Everything goes through the real services. Idempotent: the rounds
are made once; every run prints one unused voucher code and one voting code (codes are
never stored, so each run makes a fresh one: a reissued voucher, a new demo address).
"""

import datetime
import io
import sys
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from finance import facade as finance
from groups.decisions import services as decision_services
from groups.decisions.models import Meeting
from groups.initiatives import assessment, consultation, money, services, vouchers
from groups.initiatives.models import Household, Initiative, Round, Voucher
from groups.organisation.models import Member, RoleTerm
from tenants import facade as tenants

DEMO_SLUG = "hart-voor-de-k-buurt"
BOARD_ROUND = "Bewonersinitiatieven (demo)"
STREETS = ["Kraaiennest", "Gooioord", "Kikkenstein"]


def _photo(tag: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (60 + len(tag) * 7 % 190, 140, 90)).save(buffer, "PNG")
    return SimpleUploadedFile(f"{tag}.png", buffer.getvalue(), "image/png")


def _person(group, role):
    return tenants.users_with_role(group=group, role=role).first()


def _meeting(day: datetime.date) -> Meeting:
    meeting = Meeting.objects.filter(held_on=day, place="Buurthuis (initiatieven)").first()
    if meeting:
        return meeting
    meeting = decision_services.meeting_create(
        kind=Meeting.Kind.BOARD,
        held_on=day,
        place="Buurthuis (initiatieven)",
        agenda="Aanvragen bewonersinitiatieven",
    )
    board = RoleTerm.objects.filter(
        role__in=["voorzitter", "penningmeester", "secretaris"], ends_on__isnull=True
    ).values_list("member_id", flat=True)
    decision_services.meeting_set_attendance(
        meeting=meeting, present=list(Member.objects.filter(pk__in=board))
    )
    return meeting


def _submit(round_, title, summary, amount, who, today, **kw):
    return services.initiative_submit(
        round_=round_,
        title=title,
        summary=summary,
        description=f"{summary} Met buren uit de straat, in overleg met het buurthuis.",
        items=[("Materiaal en boodschappen", amount)],
        initiator_name=who,
        initiator_email=f"{who.split()[0].lower()}@voorbeeld.nl",
        initiator_phone="06-" + str(10000000 + len(title) * 7919)[:8],
        today=today,
        **kw,
    ).initiative


def _decide(initiative, chair, secretary, meeting, outcome, amount=None, reason=""):
    assessment.declare(initiative=initiative, user=secretary, has_conflict=False)
    assessment.score(
        initiative=initiative,
        user=secretary,
        scores={c.pk: (4, "Past bij de voorwaarden") for c in initiative.round.criteria.all()},
    )
    assessment.decide(
        initiative=initiative,
        user=chair,
        outcome=outcome,
        amount=amount,
        reason=reason or "Het bestuur vindt dit een goed plan voor de buurt.",
        meeting_id=meeting.pk,
        votes_for=3,
        votes_against=0,
        notify=False,
    )
    initiative.refresh_from_db()
    return initiative


def load_for_group(group, people, roster=None) -> None:
    if group.slug != DEMO_SLUG:
        return
    chair = _person(group, tenants.Role.CHAIR)
    treasurer = _person(group, tenants.Role.TREASURER)
    secretary = _person(group, tenants.Role.SECRETARY)
    lines = finance.budget_line_options()
    if not (chair and treasurer and secretary and lines):
        return
    today = timezone.localdate()
    if not Round.objects.filter(name=BOARD_ROUND).exists():
        with transaction.atomic():
            _load(chair, treasurer, secretary, lines[0].id, today)
    _print_codes(chair, today)


def _load(chair, treasurer, secretary, line_id, today) -> None:
    day = datetime.timedelta(days=1)
    criteria = ["Goed voor de buurt", "Buren doen mee", "Haalbaar met dit geld"]
    board = services.round_create(
        user=chair,
        name=BOARD_ROUND,
        opens_on=today - 60 * day,
        closes_on=today + 30 * day,
        ends_on=today + 120 * day,
        budget_line_id=line_id,
        budget=Decimal("3500.00"),
        conditions="Voor en door bewoners van de K-buurt; open voor iedereen.",
        criteria=criteria,
    )
    meeting = _meeting(today - 20 * day)
    _submit(
        board,
        "Buurtmoestuin",
        "Vier bakken met groenten op het pleintje.",
        "450,00",
        "Amina Bakker",
        today,
        uploads=[_photo("moestuin")],
    )
    more = _submit(
        board,
        "Schaakclub",
        "Elke woensdag schaken in het buurthuis.",
        "300,00",
        "Ferdi Tahir",
        today,
    )
    _decide(
        more,
        chair,
        secretary,
        meeting,
        "meer_info",
        reason="Graag een begroting per maand en wie de sleutel beheert.",
    )
    paid = _decide(
        _submit(
            board,
            "Buurtfeest Kraaiennest",
            "Een feest voor de hele flat.",
            "900,00",
            "Sandra Kwakman",
            today,
        ),
        chair,
        secretary,
        meeting,
        "goedgekeurd",
    )
    money.advance_pay(
        initiative=paid, user=treasurer, amount=Decimal("600.00"), date=today - 15 * day
    )
    mural = _decide(
        _submit(
            board,
            "Muurschildering",
            "Een schildering op de blinde muur.",
            "1200,00",
            "Joost Lie",
            today,
        ),
        chair,
        secretary,
        meeting,
        "deels",
        amount=Decimal("800.00"),
        reason="Goed plan; de steiger betaalt de woningcorporatie.",
    )
    # Paid against receipts, without an advance: the initiator sent two through the link,
    # the treasurer accepted one and paid it by transfer (it waits for the payment file).
    paint = money.receipt_submit(
        initiative=mural,
        upload=_photo("bon-verf"),
        amount=Decimal("310.40"),
        iban="NL91ABNA0417164300",
        account_holder="J. Lie",
    )
    money.receipt_submit(initiative=mural, upload=_photo("bon-kwasten"), amount=Decimal("42.00"))
    money.receipt_review(receipt=paint, user=treasurer, accept=True)
    money.receipts_pay(initiative=mural, user=treasurer, date=today - 3 * day, by_transfer=True)
    _decide(
        _submit(
            board,
            "Reis naar de Efteling",
            "Een dagje uit voor tien gezinnen.",
            "1000,00",
            "Peter Wong",
            today,
        ),
        chair,
        secretary,
        meeting,
        "afgewezen",
        reason="Een uitje buiten de buurt past niet bij de voorwaarden van de ronde.",
    )
    accounted = _decide(
        _submit(board, "Repair Café", "Samen spullen repareren.", "250,00", "Noor Haddou", today),
        chair,
        secretary,
        meeting,
        "goedgekeurd",
    )
    money.advance_pay(
        initiative=accounted, user=treasurer, amount=Decimal("250.00"), date=today - 14 * day
    )
    money.accountability_submit(
        initiative=accounted,
        report="Drie middagen, 45 spullen gerepareerd.",
        participants=38,
        volunteers=6,
        own_evaluation="Volgende keer meer reclame in de flat.",
        receipts=[(_photo("bon-repair"), Decimal("235.50"))],
    )
    closed = _decide(
        _submit(
            board,
            "Plantjes voor de geveltuinen",
            "Geveltuinen in de straat.",
            "200,00",
            "Gerda Vos",
            today,
        ),
        chair,
        secretary,
        meeting,
        "goedgekeurd",
    )
    money.advance_pay(
        initiative=closed, user=treasurer, amount=Decimal("200.00"), date=today - 13 * day
    )
    money.accountability_submit(
        initiative=closed,
        report="Twintig geveltuinen beplant.",
        participants=25,
        volunteers=4,
        receipts=[(_photo("bon-plantjes"), Decimal("180.00"))],
    )
    money.advance_return(
        initiative=closed, user=treasurer, amount=Decimal("20.00"), date=today - 5 * day
    )
    money.close(initiative=closed, user=chair)

    households = Household.objects.bulk_create(
        [
            Household(street=STREETS[i % 3], house_number=10 + i, postcode="1104 CA")
            for i in range(24)
        ]
    )
    del households
    # A finished consultation: votes cast while it ran, paper ballots entered twice.
    finished = services.round_create(
        user=chair,
        name="Wijkraadpleging voorjaar (demo)",
        opens_on=today - 90 * day,
        closes_on=today - 60 * day,
        ends_on=today - 30 * day,
        budget_line_id=line_id,
        budget=Decimal("1000.00"),
        decided_by=Round.DecidedBy.CONSULTATION,
    )
    plans = [
        _submit(finished, title, title + " voor de buurt.", amount, who, today - 70 * day)
        for title, amount, who in (
            ("Speelplek opknappen", "600,00", "Rachid Amrani"),
            ("Bankjes op het plein", "350,00", "Wilma de Boer"),
            ("Kerstmarkt", "500,00", "Tom Verhoef"),
        )
    ]
    printed = _issue_codes(finished, chair, today - 50 * day)
    for index, (item, plan) in enumerate(zip(printed[:5], [0, 0, 1, 0, 2], strict=True)):
        choice = {plans[plan].pk: 1}
        if index < 3:
            consultation.vote_online(
                round_=finished,
                code=item.code,
                choices=choice,
                address="demo",
                today=today - 45 * day,
            )
        else:
            for volunteer in (chair, secretary):
                consultation.paper_enter(
                    round_=finished,
                    user=volunteer,
                    code=item.code,
                    choices=choice,
                    today=today - 40 * day,
                )
    consultation.results_record(round_=finished, user=chair, meeting_id=meeting.pk, notify=False)
    # An open consultation, to try the voting page.
    open_round = services.round_create(
        user=chair,
        name="Wijkraadpleging najaar (demo)",
        opens_on=today - 10 * day,
        closes_on=today - 1 * day,
        ends_on=today + 30 * day,
        budget_line_id=line_id,
        budget=Decimal("800.00"),
        decided_by=Round.DecidedBy.CONSULTATION,
    )
    for title, who in (("Buurtbibliotheek", "Ilse Groen"), ("Kookavond", "Mo Bakr")):
        _submit(open_round, title, title + " in de flat.", "400,00", who, today - 5 * day)
    _issue_codes(open_round, chair, today)
    # A voucher round with pooled initiatives.
    voucher_round = services.round_create(
        user=chair,
        name="Buurtvouchers (demo)",
        opens_on=today - 30 * day,
        closes_on=today + 30 * day,
        ends_on=today + 60 * day,
        budget_line_id=line_id,
        budget=Decimal("600.00"),
        decided_by=Round.DecidedBy.VOUCHERS,
        voucher_value=Decimal("25.00"),
    )
    pooled = [
        _submit(
            voucher_round,
            "Zomerkamp voor kinderen",
            "Een week spelen in de buurt.",
            "150,00",
            "Esra Kaya",
            today,
        ),
        _submit(
            voucher_round,
            "Voetbaltoernooi",
            "Straatvoetbal op het Kraaiennestplein.",
            "100,00",
            "Kevin Mensah",
            today,
        ),
    ]
    issued = vouchers.vouchers_issue(round_=voucher_round, user=chair)
    for index, item in enumerate(issued[:7]):
        vouchers.voucher_redeem(code=item.code, initiative=pooled[index % 2], address="demo")


def _issue_codes(round_, chair, on):
    return consultation.codes_issue(round_=round_, user=chair)


def _print_codes(chair, today) -> None:
    out = sys.stdout
    voucher_round = Round.objects.filter(name="Buurtvouchers (demo)").first()
    if voucher_round is not None and voucher_round.ends_on >= today:
        unused = (
            Voucher.objects.filter(
                round=voucher_round, redeemed_at__isnull=True, voided_at__isnull=True
            )
            .select_related("household")
            .order_by("-id")
            .first()
        )
        if unused is not None:
            with transaction.atomic():
                printed = vouchers.voucher_reissue(
                    round_=voucher_round,
                    household=unused.household,
                    user=chair,
                    reason="Demo: een nieuwe code om de voucherpagina te proberen",
                )
            out.write(f"  vouchercode om te proberen (Hart voor de K-buurt): {printed.code}\n")
    open_round = Round.objects.filter(name="Wijkraadpleging najaar (demo)").first()
    if open_round is not None and open_round.ends_on >= today:
        with transaction.atomic():
            number = 100 + Household.objects.count()
            Household.objects.create(street="Kraaiennest", house_number=number, postcode="1104 CB")
            (printed,) = consultation.codes_issue(round_=open_round, user=chair)
        out.write(f"  stemcode om te proberen (Hart voor de K-buurt): {printed.code}\n")


__all__ = ["Initiative"]
