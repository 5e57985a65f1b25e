"""The money of an initiative: advances, the initiator's accountability, returns, closing.

Every payout is a booking made by the ledger's posting module through finance.facade; the
Payout row is written first so the booking's origin can name it. Figures per initiative:
awarded, paid (advances less returns), accounted for (receipts), and what is to be returned.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.money import ZERO, format_euro, positive_money
from backoffice.core.services import model_update
from finance import facade as finance
from groups.initiatives import events
from groups.initiatives.models import Attachment, Initiative, Payout
from groups.initiatives.protection import checked_upload
from groups.initiatives.services import attachment_add
from tenants.facade import BOARD_ROLES, require_role

PAYABLE = {Initiative.Status.APPROVED, Initiative.Status.PARTLY}


@dataclass(frozen=True)
class Figures:
    awarded: Decimal
    advanced: Decimal
    returned: Decimal
    accounted: Decimal

    @property
    def paid(self) -> Decimal:
        return self.advanced - self.returned

    @property
    def to_return(self) -> Decimal:
        return max(ZERO, self.paid - self.accounted)

    @property
    def to_pay(self) -> Decimal:
        return max(ZERO, self.awarded - self.paid)


def figures_for(initiatives) -> dict[int, Figures]:
    """Figures for many initiatives in two queries."""
    ids = [i.pk for i in initiatives]
    payouts = (
        Payout.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(
            advanced=Sum("amount", filter=Q(kind=Payout.Kind.ADVANCE)),
            returned=Sum("amount", filter=Q(kind=Payout.Kind.RETURN)),
        )
    )
    paid = {row["initiative_id"]: row for row in payouts}
    receipts = dict(
        Attachment.objects.filter(initiative_id__in=ids, kind=Attachment.Kind.RECEIPT)
        .values("initiative_id")
        .annotate(total=Sum("amount"))
        .values_list("initiative_id", "total")
    )
    result = {}
    for initiative in initiatives:
        row = paid.get(initiative.pk, {})
        result[initiative.pk] = Figures(
            awarded=initiative.awarded_amount or ZERO,
            advanced=row.get("advanced") or ZERO,
            returned=row.get("returned") or ZERO,
            accounted=receipts.get(initiative.pk) or ZERO,
        )
    return result


def figures(initiative: Initiative) -> Figures:
    return figures_for([initiative])[initiative.pk]


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().select_related("round").get(pk=initiative.pk)


@transaction.atomic
def advance_pay(*, initiative: Initiative, user, amount: Decimal, date: datetime.date) -> Payout:
    """The treasurer pays (part of) the award in advance, booked on the round's budget line."""
    amount = positive_money(amount, field="amount")
    initiative = _lock(initiative)
    if initiative.status not in PAYABLE:
        raise ValidationError(_("Alleen aan een goedgekeurd initiatief wordt betaald."))
    current = figures(initiative)
    if amount > current.to_pay:
        raise ValidationError(
            {
                "amount": _("Er kan nog hoogstens %(left)s worden betaald.")
                % {"left": format_euro(current.to_pay)}
            }
        )
    payout = model_update(
        Payout(initiative=initiative, kind=Payout.Kind.ADVANCE, created_by_id=user.pk),
        user,
        amount=amount,
        date=date,
    )
    entry = finance.initiative_advance_pay(
        user=user,
        payout_id=payout.pk,
        budget_line_id=initiative.round.budget_line_id,
        amount=amount,
        date=date,
        description=_("Voorschot initiatief %(ref)s %(title)s")
        % {"ref": initiative.reference, "title": initiative.title},
        decision_id=initiative.decision_id,
        paid_before=current.paid,
    )
    model_update(payout, user, entry_id=entry.id, entry_number=entry.number)
    events.initiative_event(
        events.Kind.PAID,
        obj=initiative,
        actor=user,
        new={"amount": str(amount), "entry": entry.number},
    )
    return payout


@transaction.atomic
def advance_return(*, initiative: Initiative, user, amount: Decimal, date: datetime.date) -> Payout:
    """The unspent part of an advance came back; booked against the same budget line."""
    amount = positive_money(amount, field="amount")
    initiative = _lock(initiative)
    current = figures(initiative)
    if amount > current.paid:
        raise ValidationError(
            {"amount": _("Er is maar %(paid)s betaald.") % {"paid": format_euro(current.paid)}}
        )
    payout = model_update(
        Payout(initiative=initiative, kind=Payout.Kind.RETURN, created_by_id=user.pk),
        user,
        amount=amount,
        date=date,
    )
    entry = finance.initiative_advance_return(
        user=user,
        payout_id=payout.pk,
        budget_line_id=initiative.round.budget_line_id,
        amount=amount,
        date=date,
        description=_("Terugbetaald voorschot initiatief %(ref)s") % {"ref": initiative.reference},
    )
    model_update(payout, user, entry_id=entry.id, entry_number=entry.number)
    events.initiative_event(
        events.Kind.RETURNED,
        obj=initiative,
        actor=user,
        new={"amount": str(amount), "entry": entry.number},
    )
    return payout


@transaction.atomic
def accountability_submit(
    *,
    initiative: Initiative,
    report: str,
    participants: int | None,
    volunteers: int | None,
    own_evaluation: str = "",
    receipts=(),  # [(upload, amount)]
    photos=(),
) -> Initiative:
    """The initiator accounts for the money through the personal link (from a phone)."""
    initiative = _lock(initiative)
    if initiative.status not in {*PAYABLE, Initiative.Status.ACCOUNTED}:
        raise ValidationError(_("Verantwoorden kan als je aanvraag is goedgekeurd."))
    if not report.strip():
        raise ValidationError({"report": _("Schrijf een kort verslag: wat is er gebeurd?")})
    for value, field in ((participants, "participants"), (volunteers, "volunteers")):
        if value is not None and not 0 <= value <= 100000:
            raise ValidationError({field: _("Vul een aantal tussen 0 en 100.000 in.")})
    checked = []
    for upload, amount in receipts:
        data, content_type = checked_upload(upload)
        checked.append(
            (
                upload.name,
                data,
                content_type,
                positive_money(amount, field="receipts"),
                Attachment.Kind.RECEIPT,
            )
        )
    for upload in photos:
        data, content_type = checked_upload(upload)
        checked.append((upload.name, data, content_type, None, Attachment.Kind.PHOTO))
    has_receipts = initiative.attachments.filter(kind=Attachment.Kind.RECEIPT).exists()
    if not checked and not has_receipts:
        raise ValidationError({"receipts": _("Voeg minstens één bonnetje toe.")})
    for name, data, content_type, amount, kind in checked:
        attachment_add(
            initiative=initiative,
            kind=kind,
            name=name,
            data=data,
            content_type=content_type,
            amount=amount,
        )
    old = {"status": initiative.status}
    model_update(
        initiative,
        report=report.strip(),
        participants=participants,
        volunteers=volunteers,
        own_evaluation=own_evaluation.strip(),
        status=Initiative.Status.ACCOUNTED,
        accounted_at=timezone.now(),
    )
    events.initiative_event(
        events.Kind.ACCOUNTED,
        obj=initiative,
        old=old,
        new={"accounted": str(figures(initiative).accounted)},
    )
    return initiative


@transaction.atomic
def close(*, initiative: Initiative, user) -> Initiative:
    """The group accepts the accountability and closes the initiative; its commitment ends."""
    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur rondt een initiatief af."))
    initiative = _lock(initiative)
    if initiative.status != Initiative.Status.ACCOUNTED:
        raise ValidationError(_("Er is nog geen verantwoording ingeleverd."))
    current = figures(initiative)
    if current.to_return > 0:
        raise ValidationError(
            _("Er moet nog %(amount)s terugbetaald worden voordat het initiatief rond is.")
            % {"amount": format_euro(current.to_return)}
        )
    if initiative.commitment_id:
        last = initiative.payouts.filter(kind=Payout.Kind.ADVANCE).order_by("-id").first()
        finance.initiative_commitment_end(
            user=user,
            commitment_id=initiative.commitment_id,
            entry_id=last.entry_id if last else None,
        )
    model_update(initiative, user, status=Initiative.Status.CLOSED, closed_at=timezone.now())
    events.initiative_event(events.Kind.CLOSED, obj=initiative, actor=user)
    return initiative
