"""A round's evaluation: what came in, what was decided, what the money did, who was reached."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum

from backoffice.core.money import ZERO
from groups.initiatives import consultation, money
from groups.initiatives.models import Initiative, Round, Score, Voucher

AWARDED = {"goedgekeurd", "deels", "verantwoord", "afgesloten"}


@dataclass(frozen=True)
class Evaluation:
    round: Round
    submitted: int
    assessed: int
    approved: int
    rejected: int
    completed: int
    awarded: Decimal
    paid: Decimal
    accounted: Decimal
    returned: Decimal
    participants: int
    volunteers: int
    codes_issued: int
    turnout_online: int
    turnout_paper: int
    vouchers_issued: int
    vouchers_used: int
    own_evaluations: list[tuple[str, str]]  # title, text

    def bars(self) -> list[tuple[str, int, int]]:
        """(label key, value, max) for the simple chart of the page."""
        top = max(self.submitted, 1)
        return [
            ("submitted", self.submitted, top),
            ("assessed", self.assessed, top),
            ("approved", self.approved, top),
            ("completed", self.completed, top),
        ]


def evaluate(round_: Round) -> Evaluation:
    initiatives = list(Initiative.objects.filter(round=round_))
    statuses = [i.status for i in initiatives]
    scored = set(
        Score.objects.filter(initiative__round=round_).values_list("initiative_id", flat=True)
    )
    awarded = [i for i in initiatives if i.status in AWARDED]
    per = money.figures_for(awarded)
    reached = Initiative.objects.filter(round=round_).aggregate(
        p=Sum("participants"), v=Sum("volunteers")
    )
    consult = consultation.results(round_)
    vouchers = Voucher.objects.filter(round=round_, voided_at__isnull=True).aggregate(
        issued=Count("id"), used=Count("redeemed_at")
    )
    return Evaluation(
        round=round_,
        submitted=len(initiatives),
        assessed=len(scored | {i.pk for i in initiatives if i.decision_id}),
        approved=len(awarded),
        rejected=statuses.count("afgewezen"),
        completed=statuses.count("afgesloten"),
        awarded=sum((f.awarded for f in per.values()), ZERO),
        paid=sum((f.paid for f in per.values()), ZERO),
        accounted=sum((f.accounted for f in per.values()), ZERO),
        returned=sum((f.returned for f in per.values()), ZERO),
        participants=reached["p"] or 0,
        volunteers=reached["v"] or 0,
        codes_issued=consult.codes_issued,
        turnout_online=consult.online,
        turnout_paper=consult.paper,
        vouchers_issued=vouchers["issued"],
        vouchers_used=vouchers["used"],
        own_evaluations=[(i.title, i.own_evaluation) for i in initiatives if i.own_evaluation],
    )


def evaluation_xlsx(evaluation: Evaluation, labels: dict[str, str]) -> bytes:
    """The figures as a workbook; money stays Decimal (written as numbers with 2 places)."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Evaluatie"
    sheet.append([labels["round"], evaluation.round.name])
    for key in (
        "submitted",
        "assessed",
        "approved",
        "rejected",
        "completed",
        "awarded",
        "paid",
        "accounted",
        "returned",
        "participants",
        "volunteers",
        "codes_issued",
        "turnout_online",
        "turnout_paper",
        "vouchers_issued",
        "vouchers_used",
    ):
        value = getattr(evaluation, key)
        sheet.append([labels[key], value])
        if isinstance(value, Decimal):
            sheet.cell(row=sheet.max_row, column=2).number_format = "#,##0.00"
    notes = book.create_sheet("Eigen evaluaties")
    for title, text in evaluation.own_evaluations:
        notes.append([_safe(title), _safe(text)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _safe(text: str) -> str:
    # A resident's text must not become a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
