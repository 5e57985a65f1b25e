"""What waits for one person in the current group: their own to-do.

* expense claims whose due step this person may take (never their own: four eyes, the same
  rule as `finance.claims.services.may_approve`);
* requests to reopen a closed year that wait for this person's approval (the other role of
  treasurer and chair, another person than the first approver);
* the kascommissie's check of a year that waits for this person's signature;
* their own posted expenses that still miss a receipt.

A handful of queries whatever the number of claims, requests or bookings: claimants' roles
and first approvals are read in bulk, not per claim.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from backoffice.core.money import format_euro
from finance.claims import services as claim_services
from finance.claims.models import ClaimEvent, ExpenseClaim
from finance.closing.models import AuditCheck, ReopenRequest
from finance.ledger.models import ReceiptNeed
from finance.roles import CHAIR, SECRETARY, TREASURER, current_access
from tenants import facade as tenants
from tenants.templatetags.group_urls import group_reverse

RECEIPTS_SHOWN = 5


@dataclass(frozen=True)
class ToDoItem:
    """One thing that waits for the person: a sentence in plain words and where to do it."""

    kind: str  # declaratie, heropenen, kascontrole, bonnetje
    text: str
    url: str


@dataclass(frozen=True)
class ToDo:
    items: tuple[ToDoItem, ...]
    receipts_missing: int  # all of their own bookings without a receipt (items show a few)

    @property
    def count(self) -> int:
        return len([i for i in self.items if i.kind != "bonnetje"]) + self.receipts_missing

    def __bool__(self) -> bool:
        return bool(self.items)


def _url(name: str, **kwargs) -> str:
    return group_reverse(tenants.current_group(), f"finance:{name}", **kwargs)


def claims_to_approve(user, access=None) -> list[ExpenseClaim]:
    """Claims whose due step `user` may take now, oldest first, in at most three queries."""
    access = access or current_access(user)
    if not access.has_any(TREASURER, CHAIR, SECRETARY):
        return []
    waiting = list(
        ExpenseClaim.objects.filter(
            status__in=[ExpenseClaim.Status.SUBMITTED, ExpenseClaim.Status.HALF]
        )
        .exclude(claimant_id=user.pk)
        .order_by("submitted_at", "id")
    )
    if not waiting:
        return []
    roles = tenants.roles_of(user_ids={c.claimant_id for c in waiting})
    half = [c.pk for c in waiting if c.status == ExpenseClaim.Status.HALF]
    chair_first = set()
    if half:
        latest: dict[int, str] = {}
        for claim_id, role in (
            ClaimEvent.objects.filter(claim_id__in=half, kind=ClaimEvent.Kind.APPROVED_FIRST)
            .order_by("claim_id", "id")
            .values_list("claim_id", "role")
        ):
            latest[claim_id] = role  # the last first approval counts, as in may_approve
        chair_first = {claim_id for claim_id, role in latest.items() if role == CHAIR}
    return [
        c
        for c in waiting
        if claim_services.may_approve(
            c,
            user,
            access,
            claimant_roles=roles.get(c.claimant_id, frozenset()),
            first_was_chair=c.pk in chair_first,
        )[0]
    ]


def _reopen_requests(user, access) -> list[ReopenRequest]:
    if not access.has_any(TREASURER, CHAIR):
        return []
    waiting = []
    for request in (
        ReopenRequest.objects.filter(completed_at__isnull=True)
        .select_related("year")
        .order_by("requested_at", "id")
    ):
        if user.pk in {request.treasurer_id, request.chair_id}:
            continue
        if (request.treasurer_id is None and access.is_treasurer) or (
            request.chair_id is None and access.is_chair
        ):
            waiting.append(request)
    return waiting


def _signoffs(user, access) -> list[AuditCheck]:
    # only independent members of the kascommissie sign (finance.roles.require_independent_auditor)
    if not access.is_audit or access.is_board:
        return []
    return list(
        AuditCheck.objects.select_related("year")
        .annotate(signed=Count("signoffs"))
        .filter(signed__lt=2)
        .exclude(signoffs__user_id=user.pk)
        .order_by("year__year")
    )


def todo_for(user) -> ToDo:
    """Everything that waits for `user` in the current group."""
    access = current_access(user)
    items: list[ToDoItem] = []
    for claim in claims_to_approve(user, access):
        second = claim.status == ExpenseClaim.Status.HALF
        text = (
            _("Declaratie D%(n)s van %(who)s (%(amount)s) wacht op jouw tweede goedkeuring.")
            if second
            else _("Declaratie D%(n)s van %(who)s (%(amount)s) wacht op jouw goedkeuring.")
        ) % {"n": claim.number, "who": claim.claimant_name, "amount": format_euro(claim.amount)}
        items.append(ToDoItem("declaratie", text, _url("claim", pk=claim.pk)))
    for request in _reopen_requests(user, access):
        items.append(
            ToDoItem(
                "heropenen",
                _("Het verzoek om boekjaar %(y)s weer te openen wacht op jouw goedkeuring.")
                % {"y": str(request.year.year)},
                _url("year", year=request.year.year),
            )
        )
    for check in _signoffs(user, access):
        text = (
            _("De kascontrole van %(y)s wacht op jouw handtekening (de tweede).")
            if check.signed
            else _("De kascontrole van %(y)s wacht op jouw handtekening.")
        ) % {"y": str(check.year.year)}
        items.append(ToDoItem("kascontrole", text, _url("audit", year=check.year.year)))
    missing = 0
    if access.is_board:
        needs = ReceiptNeed.objects.filter(
            has_receipt=False, reversed=False, entry__created_by_id=user.pk
        )
        first = list(
            needs.select_related("entry", "entry__year").order_by("date", "entry_id")[
                : RECEIPTS_SHOWN + 1
            ]
        )
        missing = len(first) if len(first) <= RECEIPTS_SHOWN else needs.count()
        for need in first[:RECEIPTS_SHOWN]:
            entry = need.entry
            items.append(
                ToDoItem(
                    "bonnetje",
                    _("Bonnetje ontbreekt bij je boeking %(n)s: %(d)s")
                    % {"n": entry.display_number, "d": entry.description},
                    _url("entry", pk=entry.pk),
                )
            )
    return ToDo(items=tuple(items), receipts_missing=missing)
