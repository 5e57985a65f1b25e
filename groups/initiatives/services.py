"""Writes on rounds and initiatives: submission, the personal link, the initiator's edits.

Assessment and decisions are in `assessment.py`, money in `money.py`, vouchers in
`vouchers.py`, the neighbourhood consultation in `consultation.py`.
"""

import datetime
import hashlib
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.money import positive_money
from backoffice.core.services import model_update
from finance import facade as finance
from groups.initiatives import events
from groups.initiatives.models import Attachment, BudgetItem, Criterion, Initiative, Round
from groups.initiatives.protection import checked_upload, new_token
from tenants.facade import BOARD_ROLES, require_role

MAX_REQUEST = Decimal("25000.00")


@transaction.atomic
def round_create(
    *,
    user,
    name: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    ends_on: datetime.date,
    budget_line_id: int,
    budget: Decimal,
    conditions: str = "",
    decided_by: str = Round.DecidedBy.BOARD,
    ballot: str = Round.Ballot.ONE_CHOICE,
    voucher_value: Decimal | None = None,
    criteria: list[str] | None = None,
) -> Round:
    require_role(user, *BOARD_ROLES, message=_("Alleen bestuursleden openen een ronde."))
    budget = positive_money(budget, field="budget")
    line = finance.budget_line_info(budget_line_id)
    if line is None:
        raise ValidationError({"budget_line_id": _("Kies een begrotingsregel van een subsidie.")})
    errors = {}
    if budget > line.amount:
        errors["budget"] = _("Het budget is groter dan de begrotingsregel (%(amount)s).") % {
            "amount": line.amount
        }
    if closes_on < opens_on:
        errors["closes_on"] = _("De sluitingsdatum ligt vóór de opening.")
    elif ends_on < closes_on:
        errors["ends_on"] = _("De ronde kan niet eindigen vóór het sluiten van de aanvragen.")
    if decided_by == Round.DecidedBy.VOUCHERS and (voucher_value is None or voucher_value < 5):
        errors["voucher_value"] = _("Een voucher is minstens € 5,00 waard.")
    if errors:
        raise ValidationError(errors)
    round_ = model_update(
        Round(),
        user,
        name=name.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        ends_on=ends_on,
        budget_line_id=budget_line_id,
        budget=budget,
        conditions=conditions,
        decided_by=decided_by,
        ballot=ballot,
        voucher_value=voucher_value if decided_by == Round.DecidedBy.VOUCHERS else None,
    )
    for position, text in enumerate(c.strip() for c in (criteria or []) if c.strip()):
        model_update(Criterion(round=round_), user, name=text[:160], position=position)
    return round_


@dataclass(frozen=True)
class Submitted:
    initiative: Initiative
    token: str  # shown once, on the thank-you page and in the e-mail


def _items_clean(items: list[tuple[str, object]]) -> list[tuple[str, Decimal]]:
    clean = []
    for description, amount in items:
        description = (description or "").strip()
        if not description and not amount:
            continue
        if not description:
            raise ValidationError({"items": _("Geef elke begrotingsregel een omschrijving.")})
        clean.append((description[:120], positive_money(amount, field="items")))
    if not clean:
        raise ValidationError({"items": _("Geef minstens één regel van je begroting.")})
    return clean


@transaction.atomic
def initiative_submit(
    *,
    round_: Round,
    title: str,
    summary: str,
    description: str,
    items: list[tuple[str, object]],
    initiator_name: str,
    initiator_email: str,
    initiator_phone: str = "",
    uploads=(),
    desk_user=None,
    link_base: str = "",
    today: datetime.date | None = None,
) -> Submitted:
    """A resident's application (or one a volunteer enters at the desk on their behalf).

    Everything is checked first; nothing is written when anything is wrong. The initiator
    gets a personal link by e-mail once the transaction has committed.
    """
    today = today or timezone.localdate()
    if not round_.is_open_on(today):
        raise ValidationError(_("Deze ronde is niet open voor aanvragen."))
    clean_items = _items_clean(items)
    requested = sum((a for _d, a in clean_items), Decimal("0.00"))
    if requested > min(MAX_REQUEST, round_.budget):
        raise ValidationError(
            {
                "items": _("Je vraagt %(asked)s; in deze ronde kan hoogstens %(max)s.")
                % {"asked": requested, "max": min(MAX_REQUEST, round_.budget)}
            }
        )
    files = [(upload.name, *checked_upload(upload)) for upload in uploads]
    if len(files) > 5:
        raise ValidationError({"uploads": _("Voeg hoogstens vijf bestanden toe.")})
    token, token_hash = new_token()
    initiative = model_update(
        Initiative(round=round_),
        desk_user,
        title=title.strip(),
        summary=summary.strip(),
        description=description.strip(),
        requested_amount=requested,
        initiator_name=initiator_name.strip(),
        initiator_email=initiator_email.strip().lower(),
        initiator_phone=initiator_phone.strip(),
        submitted_via=Initiative.Via.DESK if desk_user else Initiative.Via.ONLINE,
        desk_user_id=desk_user.pk if desk_user else None,
        token_hash=token_hash,
    )
    for item_description, amount in clean_items:
        model_update(
            BudgetItem(initiative=initiative),
            desk_user,
            description=item_description,
            amount=amount,
        )
    for name, data, content_type in files:
        attachment_add(
            initiative=initiative,
            kind=Attachment.Kind.APPLICATION,
            name=name,
            data=data,
            content_type=content_type,
        )
    events.initiative_event(
        events.Kind.SUBMITTED,
        obj=initiative,
        actor=desk_user,
        new={"amount": str(requested), "via": initiative.submitted_via, "round": round_.pk},
    )
    _mail_link(initiative, token, link_base)
    return Submitted(initiative, token)


def attachment_add(
    *,
    initiative: Initiative,
    kind: str,
    name: str,
    data: bytes,
    content_type: str,
    amount: Decimal | None = None,
) -> Attachment:
    digest = hashlib.sha256(data).hexdigest()
    if initiative.attachments.filter(sha256=digest).exists():
        raise ValidationError({"uploads": _("Dit bestand is al toegevoegd.")})
    extension = {"application/pdf": "pdf", "image/png": "png", "image/webp": "webp"}.get(
        content_type, "jpg"
    )
    attachment = Attachment(
        initiative=initiative,
        kind=kind,
        original_name=name[:200],
        content_type=content_type,
        size=len(data),
        sha256=digest,
        amount=amount,
    )
    # Files are stored by their hash, never by the resident's own file name.
    attachment.file.save(f"initiatives/{digest}.{extension}", ContentFile(data), save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


def _mail_link(initiative: Initiative, token: str, link_base: str) -> None:
    if not link_base:
        return
    link = f"{link_base}{token}/"
    subject = _("Je aanvraag %(ref)s is binnen") % {"ref": initiative.reference}
    body = _(
        'Beste %(name)s,\n\nWe hebben je aanvraag "%(title)s" ontvangen. Met deze persoonlijke '
        "link volg je je aanvraag, pas je hem aan en leg je later verantwoording "
        "af:\n\n%(link)s\n\n"
        "Bewaar deze link goed en deel hem niet: wie de link heeft, kan je aanvraag aanpassen."
    ) % {"name": initiative.initiator_name, "title": initiative.title, "link": link}
    to = initiative.initiator_email
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to]))


@transaction.atomic
def link_renew(*, initiative: Initiative, user, link_base: str = "") -> str:
    """A new personal link; the old one stops working at once (a lost or shared link)."""
    require_role(user, *BOARD_ROLES, message=_("Alleen bestuursleden maken een nieuwe link."))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    token, token_hash = new_token()
    Initiative.objects.filter(pk=initiative.pk).update(
        token_hash=token_hash, token_issued_at=timezone.now()
    )
    events.initiative_event(events.Kind.LINK_RENEWED, obj=initiative, actor=user)
    _mail_link(initiative, token, link_base)
    return token


EDITABLE = {Initiative.Status.SUBMITTED, Initiative.Status.MORE_INFO}


@transaction.atomic
def initiative_edit_by_initiator(
    *,
    initiative: Initiative,
    title: str,
    summary: str,
    description: str,
    items: list[tuple[str, object]],
) -> Initiative:
    """The initiator changes their application while it waits for a decision."""
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if initiative.status not in EDITABLE:
        raise ValidationError(_("Over deze aanvraag is al besloten; aanpassen kan niet meer."))
    clean_items = _items_clean(items)
    requested = sum((a for _d, a in clean_items), Decimal("0.00"))
    if requested > min(MAX_REQUEST, initiative.round.budget):
        raise ValidationError({"items": _("Dit bedrag past niet in de ronde.")})
    old = {"amount": str(initiative.requested_amount)}
    model_update(
        initiative,
        title=title.strip(),
        summary=summary.strip(),
        description=description.strip(),
        requested_amount=requested,
        status=Initiative.Status.SUBMITTED,
    )
    initiative.items.all().delete()
    for item_description, amount in clean_items:
        model_update(BudgetItem(initiative=initiative), description=item_description, amount=amount)
    events.initiative_event(
        events.Kind.EDITED, obj=initiative, old=old, new={"amount": str(requested)}
    )
    return initiative
