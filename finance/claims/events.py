"""Steps of an expense claim, one writer each, written in the transaction of the step."""

from backoffice.core.events import record
from finance.claims.models import ClaimEvent, ExpenseClaim

Kind = ClaimEvent.Kind


def _claim_event(kind, claim: ExpenseClaim, actor, *, role="", note="", save=True, **values):
    return record(
        ClaimEvent,
        kind=kind,
        actor=actor,
        obj=claim,
        claim=claim,
        role=role,
        note=note,
        save=save,
        **values,
    )


def claim_submitted(*, claim: ExpenseClaim, actor, duplicate_reason: str = "") -> ClaimEvent:
    return _claim_event(
        Kind.SUBMITTED, claim, actor, note=duplicate_reason, new={"status": claim.status}
    )


def claim_approved(*, claim: ExpenseClaim, actor, second: bool, role: str, note: str, was: str):
    kind = Kind.APPROVED_SECOND if second else Kind.APPROVED_FIRST
    return _claim_event(
        kind, claim, actor, role=role, note=note, old={"status": was}, new={"status": claim.status}
    )


def claim_rejected(*, claim: ExpenseClaim, actor, reason: str, was: str) -> ClaimEvent:
    return _claim_event(
        Kind.REJECTED, claim, actor, note=reason, old={"status": was}, new={"status": claim.status}
    )


def claim_exported(*, claim: ExpenseClaim, actor, execution_date) -> ClaimEvent:
    return _claim_event(Kind.EXPORTED, claim, actor, note=execution_date.isoformat())


def claims_paid(*, claims_and_lines: list, actor) -> list[ClaimEvent]:
    """Many claims paid at once (bank reconciliation): one event each, bulk-written."""
    from django.utils.translation import gettext as _

    events = [
        _claim_event(
            Kind.PAID,
            claim,
            actor,
            note=_("bankregel van %(d)s") % {"d": line.booking_date.strftime("%d-%m-%Y")},
            old={"status": "goedgekeurd"},
            new={"status": "betaald", "bank_line": line.pk},
            save=False,
        )
        for claim, line in claims_and_lines
    ]
    return ClaimEvent.objects.bulk_create(events)


def claim_unpaid(*, claim: ExpenseClaim, actor, reason: str, reversal_id: int) -> ClaimEvent:
    """The payment's link with the bank was undone: the claim waits for payment again."""
    return _claim_event(
        Kind.UNPAID,
        claim,
        actor,
        note=reason,
        old={"status": "betaald"},
        new={"status": claim.status, "reversal": reversal_id},
    )
