"""Expense claims (declaraties): submit, approve in steps, reject, export for payment.

Who approves follows the group's one spending rule (groups.facade.spending_rule):

* "penningmeester": one step, by the treasurer;
* "penningmeester_en_voorzitter": the treasurer first, then the chair (steps in that order);
* "besluit": the claim must cite a valid decision that covers it; the treasurer approves.

Nobody approves their own claim. When the claimant holds the role of a step, another board
member stands in: the chair for the treasurer's step, the secretary for the chair's. Each
approver is a different person (the database checks this too). Every step writes a ClaimEvent
in the same transaction. A claim becomes paid when its bank line is reconciled (see
reconciliation.py); approved claims can be exported as a SEPA pain.001 file first.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backoffice.core.iban import normalise_iban
from backoffice.core.money import positive_money
from backoffice.core.services import model_update
from finance import notify
from finance.claims import events
from finance.claims import facts as claim_facts
from finance.claims import selectors as claim_selectors
from finance.claims.models import ClaimEvent, ExpenseClaim
from finance.grants.models import BudgetLine
from finance.ledger.models import Account
from finance.ledger.receipts import receipt_link_stored, receipt_prepare
from finance.roles import AUDIT, BOARD, CHAIR, MEMBER, SECRETARY, TREASURER, current_access
from groups import facade as groups
from tenants import facade as tenants

# The role each step needs, and who stands in when the claimant holds that role.
STEPS = {
    groups.TREASURER: [TREASURER],
    groups.TREASURER_AND_CHAIR: [TREASURER, CHAIR],
    groups.DECISION: [TREASURER],
}
STAND_IN = {TREASURER: CHAIR, CHAIR: SECRETARY}
ROLE_LABEL = {
    TREASURER: gettext_lazy("penningmeester"),
    CHAIR: gettext_lazy("voorzitter"),
    SECRETARY: gettext_lazy("secretaris"),
}


def _spent_on_decision(decision_id: int, *, excluding: int | None = None) -> Decimal:
    """Claims and direct expenses together: a decision's amount is one budget."""
    return claim_selectors.spent_under_decision(decision_id, excluding_claim=excluding)


def _next_number() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:claims"]
        )
    return (ExpenseClaim.objects.aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def claim_submit(
    *,
    user,
    amount: Decimal,
    spent_on: dt.date,
    description: str,
    iban: str,
    account_holder: str,
    receipt_name: str,
    receipt_data: bytes,
    decision_id: int | None = None,
) -> ExpenseClaim:
    """A member asks to be paid back; the receipt is checked like a bookkeeping receipt."""
    access = current_access(user)
    if not access.has_any(*BOARD, MEMBER, AUDIT):
        raise PermissionDenied(_("Alleen leden van de groep kunnen een declaratie indienen."))
    amount = positive_money(amount, field="amount")
    errors = {}
    if not description.strip():
        errors["description"] = _("Schrijf kort waarvoor je het geld hebt uitgegeven.")
    if spent_on > timezone.localdate():
        errors["spent_on"] = _("De datum ligt in de toekomst.")
    if not account_holder.strip():
        errors["account_holder"] = _("Vul de naam in waarop de rekening staat.")
    try:
        iban = normalise_iban(iban)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    receipt = receipt_prepare(name=receipt_name, data=receipt_data)
    authority = groups.spending_rule().authority(amount)
    decision = None
    if authority == groups.DECISION and decision_id is None:
        errors["decision"] = _(
            "Voor dit bedrag is een besluit nodig. Kies het besluit waarin dit is goedgekeurd."
        )
    if decision_id is not None and "decision" not in errors:
        try:
            decision = groups.decision_for_spending(
                decision_id=decision_id,
                amount=amount,
                already_spent=_spent_on_decision(decision_id),
            )
        except ValidationError as exc:
            errors["decision"] = exc.messages
    if errors:
        raise ValidationError(errors)
    digest = receipt.sha256  # of the file as uploaded: the same photo twice is one receipt
    path = f"{connection.schema_name}/claims/{digest[:2]}/{digest}.{receipt.extension}"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(receipt.data))
    claim = ExpenseClaim(
        number=_next_number(),
        claimant_id=user.pk,
        claimant_name=(user.get_full_name() or user.get_username())[:150],
        iban=iban,
        account_holder=account_holder.strip()[:70],
        amount=amount,
        spent_on=spent_on,
        description=description.strip()[:200],
        receipt=path,
        receipt_name=os.path.basename(receipt_name)[:200] or "bonnetje",
        receipt_type=receipt.mime,
        receipt_sha256=digest,
        authority=authority,
        decision=decision,
    )
    twin = (
        ExpenseClaim.objects.exclude(status=ExpenseClaim.Status.REJECTED)
        .filter(Q(claimant_id=user.pk, amount=amount, spent_on=spent_on) | Q(receipt_sha256=digest))
        .order_by("number")
        .first()
    )
    if twin is not None:
        claim.duplicate_of = twin
        claim.duplicate_reason = (
            _("hetzelfde bonnetje als D%(n)s") % {"n": twin.number}
            if twin.receipt_sha256 == digest
            else _("zelfde persoon, bedrag en datum als D%(n)s") % {"n": twin.number}
        )
    model_update(claim, user, validate_constraints=False)
    events.claim_submitted(claim=claim, actor=user, duplicate_reason=claim.duplicate_reason)
    _tell_approvers(claim, actor=user)
    claim_facts.refresh()
    return claim


def required_steps(claim: ExpenseClaim) -> list[str]:
    return STEPS.get(claim.authority, [TREASURER])


def next_step_role(claim: ExpenseClaim) -> str | None:
    """The role of the step that is due, or None when nothing is to approve."""
    steps = required_steps(claim)
    if claim.status == ExpenseClaim.Status.SUBMITTED:
        return steps[0]
    if claim.status == ExpenseClaim.Status.HALF and len(steps) > 1:
        return steps[1]
    return None


def _claimant_roles(claim: ExpenseClaim) -> frozenset[str]:
    return tenants.access_of(user_id=claim.claimant_id).roles


def may_approve(
    claim: ExpenseClaim,
    user,
    access=None,
    *,
    claimant_roles: frozenset[str] | None = None,
    first_was_chair: bool | None = None,
) -> tuple[bool, str]:
    """(allowed, reason in Dutch) for `user` taking the due step of `claim` now.

    `claimant_roles` and `first_was_chair` can be given when known already (a list of many
    claims reads them in bulk); otherwise they are looked up.
    """
    role = next_step_role(claim)
    if role is None:
        return False, _("Deze declaratie hoeft niet (meer) te worden goedgekeurd.")
    if user.pk == claim.claimant_id:
        return False, _("Je kunt je eigen declaratie niet goedkeuren.")
    if user.pk == claim.first_approver_id:
        return False, _("Je hebt de eerste goedkeuring al gegeven; iemand anders moet nu.")
    access = access or current_access(user)
    allowed = {role}
    stand_in = STAND_IN.get(role)
    if stand_in:
        if claimant_roles is None:
            claimant_roles = _claimant_roles(claim)
        if role in claimant_roles:
            allowed.add(stand_in)
        elif role == CHAIR:
            if first_was_chair is None:
                first_was_chair = _first_approver_was_chair(claim)
            if first_was_chair:
                allowed.add(stand_in)
    if not access.has_any(*allowed):
        return False, _("Deze stap is voor de %(role)s.") % {
            "role": " / ".join(str(ROLE_LABEL[r]) for r in sorted(allowed))
        }
    return True, ""


def _first_approver_was_chair(claim: ExpenseClaim) -> bool:
    event = claim.events.filter(kind=ClaimEvent.Kind.APPROVED_FIRST).order_by("-id").first()
    return event is not None and event.role == CHAIR


@transaction.atomic
def claim_approve(
    *,
    claim: ExpenseClaim,
    user,
    category: Account | None = None,
    budget_line: BudgetLine | None = None,
    note: str = "",
) -> ExpenseClaim:
    """Take the step that is due. The first step also sets the category for the books."""
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    access = current_access(user)
    allowed, reason = may_approve(claim, user, access)
    if not allowed:
        raise PermissionDenied(reason)
    role = next_step_role(claim)
    acting_role = role if access.has_any(role) else STAND_IN[role]
    if claim.status == ExpenseClaim.Status.SUBMITTED:
        category = category or claim.category
        if category is None or category.kind != Account.Kind.EXPENSE:
            raise ValidationError({"category": _("Kies de uitgavencategorie voor de boeking.")})
        if budget_line is not None and category.pk != budget_line.account_id:
            category = budget_line.account
        if budget_line is not None:
            grant = budget_line.grant
            if not grant.period_start <= claim.spent_on <= grant.period_end:
                raise ValidationError(
                    {
                        "budget_line": _(
                            "Deze uitgave van %(day)s valt buiten de periode van subsidie "
                            "%(ref)s (%(start)s t/m %(end)s). Kies een andere begrotingspost."
                        )
                        % {
                            "day": claim.spent_on.strftime("%d-%m-%Y"),
                            "ref": grant.reference,
                            "start": grant.period_start.strftime("%d-%m-%Y"),
                            "end": grant.period_end.strftime("%d-%m-%Y"),
                        }
                    }
                )
        if claim.decision_id is not None:
            groups.decision_for_spending(
                decision_id=claim.decision_id,
                amount=claim.amount,
                already_spent=_spent_on_decision(claim.decision_id, excluding=claim.pk),
            )
        two_steps = len(required_steps(claim)) > 1
        changes = {
            "category": category,
            "budget_line": budget_line,
            "first_approver_id": user.pk,
            "status": ExpenseClaim.Status.HALF if two_steps else ExpenseClaim.Status.APPROVED,
        }
        second = False
    else:
        changes = {"second_approver_id": user.pk, "status": ExpenseClaim.Status.APPROVED}
        second = True
    was = claim.status
    model_update(claim, user, validate_constraints=False, **changes)
    events.claim_approved(
        claim=claim, actor=user, second=second, role=acting_role, note=note.strip(), was=was
    )
    if claim.status == ExpenseClaim.Status.HALF:
        _tell_approvers(claim, actor=user)
    return claim


def approvers_due(claim: ExpenseClaim) -> list:
    """The people who may take the claim's due step now (the board members `may_approve`
    lets through), for telling them it waits."""
    group = tenants.current_group()
    candidates: dict[int, object] = {}
    for role in (TREASURER, CHAIR, SECRETARY):
        for person in tenants.users_with_role(group=group, role=role):
            candidates.setdefault(person.pk, person)
    roles = tenants.roles_of(user_ids={claim.claimant_id})
    first_was_chair = _first_approver_was_chair(claim) if claim.first_approver_id else False
    return [
        person
        for person in candidates.values()
        if may_approve(
            claim,
            person,
            tenants.access_of(user_id=person.pk),
            claimant_roles=roles.get(claim.claimant_id, frozenset()),
            first_was_chair=first_was_chair,
        )[0]
    ]


def _tell_approvers(claim: ExpenseClaim, *, actor) -> None:
    """An e-mail to whoever the claim now waits for, sent when the step is committed."""
    from django.conf import settings
    from django.utils import translation

    from backoffice.core.money import format_euro

    with translation.override(settings.LANGUAGE_CODE):
        second = claim.status == ExpenseClaim.Status.HALF
        values = {
            "n": claim.number,
            "who": claim.claimant_name,
            "d": claim.description,
            "amount": format_euro(claim.amount),
        }
        what = (
            _("Declaratie D%(n)s van %(who)s: %(d)s, %(amount)s (de tweede goedkeuring).")
            if second
            else _("Declaratie D%(n)s van %(who)s: %(d)s, %(amount)s.")
        ) % values
        subject = _("declaratie D%(n)s wacht op je goedkeuring") % values
    notify.approval_waiting(
        recipients=approvers_due(claim),
        what=what,
        subject=subject,
        view="finance:claim",
        actor=actor,
        pk=claim.pk,
    )


@transaction.atomic
def claim_reject(*, claim: ExpenseClaim, user, reason: str) -> ExpenseClaim:
    claim = ExpenseClaim.objects.select_for_update().get(pk=claim.pk)
    access = current_access(user)
    if not access.has_any(TREASURER, CHAIR):
        raise PermissionDenied(_("Alleen de penningmeester of de voorzitter kan afwijzen."))
    if user.pk == claim.claimant_id:
        raise PermissionDenied(_("Je kunt je eigen declaratie niet afwijzen of goedkeuren."))
    if claim.status in {ExpenseClaim.Status.PAID, ExpenseClaim.Status.REJECTED}:
        raise ValidationError(_("Deze declaratie is al afgehandeld."))
    if not reason.strip():
        raise ValidationError({"reason": _("Schrijf kort waarom, zodat de indiener het weet.")})
    was = claim.status
    model_update(claim, user, validate_constraints=False, status=ExpenseClaim.Status.REJECTED)
    events.claim_rejected(claim=claim, actor=user, reason=reason.strip(), was=was)
    claim_facts.refresh()
    return claim


def claims_paid_receipts(*, claims: list[ExpenseClaim], user) -> int:
    """The receipts of paid claims reach their bookings, so the booking has its receipt and
    does not count as missing one. Called in the transaction that pays the claims."""
    added = 0
    for claim in claims:
        if claim.paid_entry_id is None or not claim.receipt:
            continue
        added += (
            receipt_link_stored(
                entry=claim.paid_entry,
                path=claim.receipt.name,
                original_name=claim.receipt_name,
                content_type=claim.receipt_type,
                sha256=claim.receipt_sha256,
                user=user,
            )
            is not None
        )
    return added
