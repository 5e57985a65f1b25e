"""The money of an initiative: advances, payouts against receipts, the initiator's
accountability, the group's acceptance, pay-back requests, returns and closing.

Every payout is a booking made by the ledger's posting module through finance.facade; the
Payout row is written first so the booking's origin can name it. A payout the treasurer pays
by transfer also becomes a payment order in the group's SEPA payment file (the same batch as
expense claims), to the IBAN the initiator gave through the personal link.

Figures per initiative: awarded; paid (advances and payouts against receipts, less returns);
accounted for (receipts not rejected); to return (paid beyond what was accounted for); and
receipts due (accepted receipts beyond what was paid, within the award). What is paid never
exceeds the award: checked here with a Dutch message, and in PostgreSQL
(sql/payout_limit.0004.sql) behind it.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from backoffice.core.iban import normalise_iban
from backoffice.core.money import ZERO, format_euro, positive_money
from backoffice.core.services import model_update
from finance import facade as finance
from groups.initiatives import events
from groups.initiatives.models import Attachment, Initiative, PaybackRequest, Payout
from groups.initiatives.protection import checked_upload
from groups.initiatives.services import attachment_add
from tenants.facade import BOARD_ROLES, Role, current_group, require_role

PAYABLE = {Initiative.Status.APPROVED, Initiative.Status.PARTLY}
# Receipts can come in, and be paid out, until the group has accepted the accountability.
RECEIPTS_OPEN = {*PAYABLE, Initiative.Status.ACCOUNTED}


@dataclass(frozen=True)
class Figures:
    awarded: Decimal
    advanced: Decimal
    returned: Decimal
    accounted: Decimal
    reimbursed: Decimal = ZERO  # paid against receipts
    accepted: Decimal = ZERO  # receipts the treasurer accepted

    @property
    def paid(self) -> Decimal:
        return self.advanced + self.reimbursed - self.returned

    @property
    def to_return(self) -> Decimal:
        return max(ZERO, self.paid - self.accounted)

    @property
    def to_pay(self) -> Decimal:
        return max(ZERO, self.awarded - self.paid)

    @property
    def receipts_due(self) -> Decimal:
        """Accepted receipts not covered by what was paid yet, within the award."""
        return max(ZERO, min(self.accepted - self.paid, self.to_pay))


def figures_for(initiatives) -> dict[int, Figures]:
    """Figures for many initiatives in two queries."""
    ids = [i.pk for i in initiatives]
    payouts = (
        Payout.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(
            advanced=Sum("amount", filter=Q(kind=Payout.Kind.ADVANCE)),
            reimbursed=Sum("amount", filter=Q(kind=Payout.Kind.RECEIPTS)),
            returned=Sum("amount", filter=Q(kind=Payout.Kind.RETURN)),
        )
    )
    paid = {row["initiative_id"]: row for row in payouts}
    receipts = {
        row["initiative_id"]: row
        for row in Attachment.objects.filter(initiative_id__in=ids, kind=Attachment.Kind.RECEIPT)
        .exclude(review=Attachment.Review.REJECTED)
        .values("initiative_id")
        .annotate(
            total=Sum("amount"),
            accepted=Sum("amount", filter=Q(review=Attachment.Review.ACCEPTED)),
        )
    }
    result = {}
    for initiative in initiatives:
        row = paid.get(initiative.pk, {})
        receipt_row = receipts.get(initiative.pk, {})
        result[initiative.pk] = Figures(
            awarded=initiative.awarded_amount or ZERO,
            advanced=row.get("advanced") or ZERO,
            reimbursed=row.get("reimbursed") or ZERO,
            returned=row.get("returned") or ZERO,
            accounted=receipt_row.get("total") or ZERO,
            accepted=receipt_row.get("accepted") or ZERO,
        )
    return result


def figures(initiative: Initiative) -> Figures:
    return figures_for([initiative])[initiative.pk]


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().select_related("round").get(pk=initiative.pk)


def _pay_out(
    *,
    initiative: Initiative,
    user,
    kind: str,
    amount: Decimal,
    date: datetime.date,
    current: Figures,
    by_transfer: bool,
    description: str,
) -> Payout:
    """One outgoing payout: its row, its booking, and (by transfer) its payment order."""
    if by_transfer and not initiative.initiator_iban:
        raise ValidationError(
            {
                "by_transfer": _(
                    "De initiatiefnemer heeft nog geen IBAN opgegeven. Vraag het via de "
                    "persoonlijke link, of betaal op een andere manier."
                )
            }
        )
    payout = model_update(
        Payout(initiative=initiative, kind=kind, created_by_id=user.pk),
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
        description=description,
        decision_id=initiative.decision_id,
        paid_before=current.paid,
        against_receipts=kind == Payout.Kind.RECEIPTS,
    )
    changes = {"entry_id": entry.id, "entry_number": entry.number}
    if by_transfer:
        order = finance.initiative_payment_order(
            user=user,
            entry_id=entry.id,
            payout_id=payout.pk,
            kind=entry.origin_kind,
            name=initiative.account_holder or initiative.initiator_name,
            iban=initiative.initiator_iban,
            amount=amount,
            description=_("Initiatief %(ref)s %(title)s")
            % {"ref": initiative.reference, "title": initiative.title},
        )
        changes["payment_order_id"] = order.id
    return model_update(payout, user, **changes)


@transaction.atomic
def advance_pay(
    *,
    initiative: Initiative,
    user,
    amount: Decimal,
    date: datetime.date,
    by_transfer: bool = False,
) -> Payout:
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
    payout = _pay_out(
        initiative=initiative,
        user=user,
        kind=Payout.Kind.ADVANCE,
        amount=amount,
        date=date,
        current=current,
        by_transfer=by_transfer,
        description=_("Voorschot initiatief %(ref)s %(title)s")
        % {"ref": initiative.reference, "title": initiative.title},
    )
    events.initiative_event(
        events.Kind.PAID,
        obj=initiative,
        actor=user,
        new={"amount": str(amount), "entry": payout.entry_number, "transfer": by_transfer},
    )
    return payout


@transaction.atomic
def receipt_submit(
    *,
    initiative: Initiative,
    upload,
    amount,
    iban: str = "",
    account_holder: str = "",
) -> Attachment:
    """The initiator sends in a receipt through the personal link, to be paid back against
    it (without an advance) or to account for an advance. The IBAN is asked once."""
    initiative = _lock(initiative)
    if initiative.status not in RECEIPTS_OPEN or initiative.accepted_at is not None:
        raise ValidationError(
            _("Bonnetjes insturen kan als je aanvraag is goedgekeurd en nog niet is afgerond.")
        )
    errors = {}
    try:
        amount = positive_money(amount, field="amount")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    changes = {}
    if iban.strip():
        try:
            changes["initiator_iban"] = normalise_iban(iban)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        changes["account_holder"] = (account_holder.strip() or initiative.initiator_name)[:70]
    elif not initiative.initiator_iban:
        errors["iban"] = _("Vul je IBAN in, dan kunnen we het geld naar je overmaken.")
    try:
        data, content_type = checked_upload(upload)
    except ValidationError as exc:
        errors["upload"] = exc.messages
    if errors:
        raise ValidationError(errors)
    receipt = attachment_add(
        initiative=initiative,
        kind=Attachment.Kind.RECEIPT,
        name=upload.name,
        data=data,
        content_type=content_type,
        amount=amount,
    )
    if changes:
        model_update(initiative, **changes)
    events.initiative_event(
        events.Kind.RECEIPT_SENT,
        obj=initiative,
        new={"receipt": receipt.pk, "amount": str(amount)},
    )
    return receipt


@transaction.atomic
def receipt_review(*, receipt: Attachment, user, accept: bool, note: str = "") -> Attachment:
    """The treasurer accepts a receipt (it counts and can be paid out) or rejects it, with a
    reason the initiator can read."""
    require_role(user, Role.TREASURER, message=_("Alleen de penningmeester keurt bonnetjes."))
    initiative = _lock(receipt.initiative)
    receipt = Attachment.objects.select_for_update().get(pk=receipt.pk)
    if receipt.kind != Attachment.Kind.RECEIPT:
        raise ValidationError(_("Dit is geen bonnetje."))
    if receipt.payout_id is not None:
        raise ValidationError(_("Dit bonnetje is al uitbetaald."))
    if initiative.status not in RECEIPTS_OPEN or initiative.accepted_at is not None:
        raise ValidationError(_("De verantwoording is al goedgekeurd."))
    note = note.strip()
    if not accept and not note:
        raise ValidationError(
            {"note": _("Schrijf kort waarom, zodat de initiatiefnemer het weet.")}
        )
    old = {"review": receipt.review}
    review = Attachment.Review.ACCEPTED if accept else Attachment.Review.REJECTED
    model_update(receipt, user, review=review, review_note=note[:300], reviewed_by_id=user.pk)
    events.initiative_event(
        events.Kind.RECEIPT_REVIEWED,
        obj=initiative,
        actor=user,
        old=old,
        new={"receipt": receipt.pk, "review": review, "amount": str(receipt.amount)},
        note=note[:300],
    )
    return receipt


@transaction.atomic
def receipts_pay(
    *, initiative: Initiative, user, date: datetime.date, by_transfer: bool = False
) -> Payout:
    """The treasurer pays out the accepted receipts not paid yet (never beyond the award)."""
    initiative = _lock(initiative)
    if initiative.status not in RECEIPTS_OPEN:
        raise ValidationError(_("Alleen aan een goedgekeurd initiatief wordt betaald."))
    current = figures(initiative)
    amount = current.receipts_due
    if amount <= ZERO:
        raise ValidationError(
            _("Er zijn geen goedgekeurde bonnetjes die nog betaald moeten worden.")
        )
    payout = _pay_out(
        initiative=initiative,
        user=user,
        kind=Payout.Kind.RECEIPTS,
        amount=amount,
        date=date,
        current=current,
        by_transfer=by_transfer,
        description=_("Bonnetjes initiatief %(ref)s %(title)s")
        % {"ref": initiative.reference, "title": initiative.title},
    )
    covered = list(
        Attachment.objects.select_for_update()
        .filter(
            initiative=initiative,
            kind=Attachment.Kind.RECEIPT,
            review=Attachment.Review.ACCEPTED,
            payout__isnull=True,
        )
        .order_by("pk")
    )
    for receipt in covered:
        model_update(receipt, user, payout=payout)
    events.initiative_event(
        events.Kind.PAID_RECEIPTS,
        obj=initiative,
        actor=user,
        new={
            "amount": str(amount),
            "entry": payout.entry_number,
            "receipts": [r.pk for r in covered],
            "transfer": by_transfer,
        },
    )
    return payout


def _request_for_return(initiative: Initiative) -> PaybackRequest | None:
    return initiative.payback_requests.order_by("-sent_at", "-id").first()


@transaction.atomic
def advance_return(*, initiative: Initiative, user, amount: Decimal, date: datetime.date) -> Payout:
    """The unspent part of an advance came back; booked against the same budget line, and
    linked to the pay-back request it answers. When the group had accepted the accountability
    and nothing is left to return, the initiative is closed."""
    amount = positive_money(amount, field="amount")
    initiative = _lock(initiative)
    current = figures(initiative)
    if amount > current.paid:
        raise ValidationError(
            {"amount": _("Er is maar %(paid)s betaald.") % {"paid": format_euro(current.paid)}}
        )
    request = _request_for_return(initiative)
    payout = model_update(
        Payout(
            initiative=initiative, kind=Payout.Kind.RETURN, created_by_id=user.pk, request=request
        ),
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
        new={
            "amount": str(amount),
            "entry": entry.number,
            "request": request.reference if request else "",
        },
    )
    if (
        initiative.accepted_at is not None
        and initiative.status == Initiative.Status.ACCOUNTED
        and figures(initiative).to_return == ZERO
    ):
        close(initiative=initiative, user=user)
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
    if initiative.status not in RECEIPTS_OPEN:
        raise ValidationError(_("Verantwoorden kan als je aanvraag is goedgekeurd."))
    if initiative.accepted_at is not None:
        raise ValidationError(_("Je verantwoording is al goedgekeurd."))
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


def _accept(initiative: Initiative, user) -> None:
    """Record the group's acceptance; receipts nobody looked at yet are accepted with it."""
    pending = list(
        Attachment.objects.select_for_update()
        .filter(initiative=initiative, kind=Attachment.Kind.RECEIPT, review=Attachment.Review.NEW)
        .order_by("pk")
    )
    for receipt in pending:
        model_update(receipt, user, review=Attachment.Review.ACCEPTED, reviewed_by_id=user.pk)
    model_update(initiative, user, accepted_at=timezone.now(), accepted_by_id=user.pk)
    current = figures(initiative)
    events.initiative_event(
        events.Kind.ACCEPTED,
        obj=initiative,
        actor=user,
        new={
            "paid": str(current.paid),
            "accounted": str(current.accounted),
            "to_return": str(current.to_return),
        },
    )


@transaction.atomic
def accountability_accept(*, initiative: Initiative, user) -> Initiative:
    """The group accepts the accountability. With nothing left to return the initiative is
    closed at once; otherwise the treasurer asks the unspent advance back."""
    require_role(user, *BOARD_ROLES, message=_("Alleen het bestuur keurt een verantwoording goed."))
    initiative = _lock(initiative)
    if initiative.status != Initiative.Status.ACCOUNTED:
        raise ValidationError(_("Er is nog geen verantwoording ingeleverd."))
    if initiative.accepted_at is not None:
        raise ValidationError(_("Deze verantwoording is al goedgekeurd."))
    _accept(initiative, user)
    if figures(initiative).to_return == ZERO:
        return close(initiative=initiative, user=user)
    return initiative


@transaction.atomic
def payback_request(*, initiative: Initiative, user) -> PaybackRequest:
    """The treasurer asks the initiator, by e-mail in plain Dutch, to pay back the unspent
    advance: the amount, the group's IBAN and a payment reference. Sent on commit; recorded
    in the initiative's history. The return is booked when it arrives (`advance_return`)."""
    require_role(user, Role.TREASURER, message=_("Alleen de penningmeester vraagt geld terug."))
    initiative = _lock(initiative)
    if initiative.status != Initiative.Status.ACCOUNTED or initiative.accepted_at is None:
        raise ValidationError(_("Vraag geld terug nadat de verantwoording is goedgekeurd."))
    amount = figures(initiative).to_return
    if amount <= ZERO:
        raise ValidationError(_("Er hoeft niets terugbetaald te worden."))
    account = finance.receiving_account()
    if account is None:
        raise ValidationError(
            _("De groep heeft nog geen bankrekening in Buurtkas. Voeg die eerst toe.")
        )
    number = initiative.payback_requests.count() + 1
    request = model_update(
        PaybackRequest(initiative=initiative, requested_by_id=user.pk),
        user,
        amount=amount,
        reference=f"TERUG {initiative.reference}-{number}",
        iban=account.iban,
        account_holder=account.holder[:70],
    )
    events.initiative_event(
        events.Kind.RETURN_REQUESTED,
        obj=initiative,
        actor=user,
        new={"amount": str(amount), "reference": request.reference},
    )
    _mail_payback(initiative, request)
    return request


def payback_mail(initiative: Initiative, request: PaybackRequest) -> tuple[str, str]:
    """Subject and body of the pay-back request, in plain Dutch (B1)."""
    paid = figures(initiative)
    with translation.override(settings.LANGUAGE_CODE):
        values = {
            "name": initiative.initiator_name,
            "title": initiative.title,
            "ref": initiative.reference,
            "paid": format_euro(paid.paid),
            "spent": format_euro(paid.accounted),
            "amount": format_euro(request.amount),
            "iban": _spaced_iban(request.iban),
            "holder": request.account_holder,
            "reference": request.reference,
            "group": current_group().name,
        }
        subject = _("Wil je %(amount)s terugbetalen? (initiatief %(ref)s)") % values
        body = (
            _(
                "Beste %(name)s,\n\n"
                'Dank je wel voor je verantwoording van "%(title)s". We hebben hem '
                "goedgekeurd.\n\n"
                "Je hebt %(paid)s van ons gekregen. Je hebt %(spent)s uitgegeven. Er is dus "
                "%(amount)s over. Dat geld is voor de buurt. Wil je het terugbetalen?\n\n"
                "Maak %(amount)s over naar:\n"
                "IBAN: %(iban)s\n"
                "Ten name van: %(holder)s\n"
                "Omschrijving: %(reference)s\n\n"
                "Zet de omschrijving er precies zo bij. Dan zien we dat het geld van jou komt.\n"
                "Heb je een vraag? Stuur dan een antwoord op deze e-mail.\n\n"
                "Met vriendelijke groet,\n%(group)s"
            )
            % values
        )
    return subject, body


def _spaced_iban(iban: str) -> str:
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def _mail_payback(initiative: Initiative, request: PaybackRequest) -> None:
    subject, body = payback_mail(initiative, request)
    to = initiative.initiator_email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


@transaction.atomic
def close(*, initiative: Initiative, user) -> Initiative:
    """The group accepts the accountability (if it had not yet) and closes the initiative;
    its commitment ends."""
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
    if initiative.accepted_at is None:
        _accept(initiative, user)
    if initiative.commitment_id:
        last = initiative.payouts.exclude(kind=Payout.Kind.RETURN).order_by("-id").first()
        finance.initiative_commitment_end(
            user=user,
            commitment_id=initiative.commitment_id,
            entry_id=last.entry_id if last else None,
        )
    model_update(initiative, user, status=Initiative.Status.CLOSED, closed_at=timezone.now())
    events.initiative_event(events.Kind.CLOSED, obj=initiative, actor=user)
    return initiative
