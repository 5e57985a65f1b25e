"""Closing and reopening financial years, and the kascommissie's check and sign-off."""

import random

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backoffice.core.money import format_euro, to_money
from backoffice.core.services import model_update
from finance import notify
from finance.closing import events, report_status
from finance.closing import selectors as closing_selectors
from finance.closing.models import AuditCheck, AuditSample, AuditSignoff, ReopenRequest
from finance.ledger import facts as ledger_facts
from finance.ledger import services as ledger_services
from finance.ledger.models import ChainAnchor, FinancialYear, JournalEntry
from finance.roles import (
    CHAIR,
    TREASURER,
    current_access,
    require_independent_auditor,
    require_role,
    require_treasurer,
)


def _refuse_blocking(check: closing_selectors.YearCheck) -> None:
    """What would be stranded by closing (drafts, bank lines not yet in the books) stops
    the close, and every kascommissie signature, the first as much as the second."""
    if check.blocking:
        raise ValidationError(
            _("Het jaar kan zo niet worden afgesloten. %(r)s") % {"r": " ".join(check.blocking)}
        )


def _close(year: FinancialYear, user, note: str = "") -> FinancialYear:
    _refuse_blocking(closing_selectors.year_check(year=year))
    model_update(year, user, status=FinancialYear.Status.CLOSED)
    anchor = ledger_services.chain_anchor(kind=ChainAnchor.Kind.CLOSE, year=year, user=user)
    events.year_closed(year=year, actor=user, note=note, anchor=anchor)
    report_status.record()  # the municipality's report shows the year as closed
    return year


@transaction.atomic
def year_close(*, year: FinancialYear, user) -> FinancialYear:
    require_treasurer(user)
    ledger_services.posting_lock()
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if year.is_closed:
        raise ValidationError(_("Boekjaar %(y)s is al afgesloten.") % {"y": year.year})
    return _close(year, user)


@transaction.atomic
def year_reopen_request(*, year: FinancialYear, user, reason: str) -> ReopenRequest:
    """Ask to reopen a closed year; the asker's own approval (as treasurer or chair) counts."""
    access = require_role(
        user,
        TREASURER,
        CHAIR,
        message=_("Alleen de penningmeester of de voorzitter kan dit vragen."),
    )
    year = FinancialYear.objects.select_for_update().get(pk=year.pk)
    if not year.is_closed:
        raise ValidationError(_("Boekjaar %(y)s is niet afgesloten.") % {"y": year.year})
    if not reason.strip():
        raise ValidationError({"reason": _("Leg uit waarom het jaar weer open moet.")})
    if year.reopen_requests.filter(completed_at__isnull=True).exists():
        raise ValidationError(_("Er loopt al een verzoek om dit jaar te heropenen."))
    request = ReopenRequest(year=year, reason=reason.strip(), requested_by_id=user.pk)
    if access.is_treasurer:
        request.treasurer_id = user.pk
    else:
        request.chair_id = user.pk
    model_update(request, user)
    events.reopen_requested(year=year, actor=user, reason=reason.strip())
    notify.reopen_waiting(request=request, actor=user)
    return request


def _refuse_stale_first_approval(request: ReopenRequest) -> None:
    """The first approver must still hold the role they approved in: four eyes means two
    people who are treasurer and chair now, not someone who has since stepped down."""
    from django.contrib.auth import get_user_model

    for user_id, role, label in (
        (request.treasurer_id, "penningmeester", _("penningmeester")),
        (request.chair_id, "voorzitter", _("voorzitter")),
    ):
        if user_id is None:
            continue
        first = get_user_model().objects.filter(pk=user_id).first()
        if first is None or not current_access(first).has_any(role):
            raise ValidationError(
                _(
                    "Wie dit verzoek eerst goedkeurde is geen %(role)s meer. "
                    "Dien een nieuw verzoek in."
                )
                % {"role": label}
            )


@transaction.atomic
def year_reopen_approve(*, request: ReopenRequest, user) -> ReopenRequest:
    """The second approval, by the other role and another person, reopens the year."""
    access = require_role(
        user,
        TREASURER,
        CHAIR,
        message=_("Alleen de penningmeester of de voorzitter kan goedkeuren."),
    )
    request = ReopenRequest.objects.select_for_update().get(pk=request.pk)
    if request.completed_at:
        raise ValidationError(_("Dit verzoek is al afgehandeld."))
    if user.pk in {request.treasurer_id, request.chair_id}:
        raise ValidationError(
            _(
                "Je hebt dit verzoek al goedgekeurd. Een tweede persoon "
                "(penningmeester of voorzitter) moet ook goedkeuren."
            )
        )
    _refuse_stale_first_approval(request)
    if request.treasurer_id is None and access.is_treasurer:
        approval = {"treasurer_id": user.pk}
    elif request.chair_id is None and access.is_chair:
        approval = {"chair_id": user.pk}
    else:
        raise PermissionDenied(
            _("De tweede goedkeuring moet komen van de %(role)s.")
            % {"role": _("voorzitter") if request.chair_id is None else _("penningmeester")}
        )
    model_update(request, user, **approval)
    events.reopen_approved(year=request.year, actor=user)
    year = FinancialYear.objects.select_for_update().get(pk=request.year_id)
    model_update(year, user, status=FinancialYear.Status.OPEN)  # the database checks both approvals
    model_update(request, user, completed_at=timezone.now())
    events.year_reopened(year=year, actor=user, reason=request.reason)
    report_status.record()
    return request


SAMPLE_SIZE = 10


@transaction.atomic
def audit_start(*, year: FinancialYear, user) -> AuditCheck:
    """Open the check of a year with a reproducible sample of its posted entries."""
    require_independent_auditor(user)
    check, created = AuditCheck.objects.get_or_create(year=year)
    if created:
        ids = list(
            year.entries.filter(status=JournalEntry.Status.POSTED)
            .order_by("id")
            .values_list("id", flat=True)
        )
        chosen = random.Random(f"kascontrole-{year.year}").sample(ids, min(SAMPLE_SIZE, len(ids)))
        for entry_id in sorted(chosen):
            sample = AuditSample(check_run=check, entry_id=entry_id)
            sample._history_user = user
            sample.save()
        report_status.record()  # the kascommissie's check has started
    return check


@transaction.atomic
def audit_update(*, check: AuditCheck, user, **fields) -> AuditCheck:
    require_independent_auditor(user)
    check = AuditCheck.objects.select_for_update().get(pk=check.pk)
    if check.signoffs.exists():
        raise ValidationError(_("Er is al getekend; de controle kan niet meer worden gewijzigd."))
    if fields.get("bank_statement_balance") is not None:
        fields["bank_statement_balance"] = to_money(
            fields["bank_statement_balance"], field="bank_statement_balance"
        )
    return model_update(check, user, **fields)


@transaction.atomic
def audit_sample_mark(*, sample: AuditSample, user, ok: bool, note: str = "") -> AuditSample:
    require_independent_auditor(user)
    return model_update(
        AuditSample.objects.select_for_update().get(pk=sample.pk), user, ok=ok, note=note[:200]
    )


@transaction.atomic
def audit_signoff(*, check: AuditCheck, user) -> AuditCheck:
    """A member signs; with two different members the year gets decharge and is closed."""
    require_independent_auditor(user)
    check = AuditCheck.objects.select_for_update().select_related("year").get(pk=check.pk)
    missing = [
        field.verbose_name
        for field in AuditCheck._meta.fields
        if field.name.startswith("checked_") and not getattr(check, field.name)
    ]
    if missing:
        raise ValidationError(
            _("Vink eerst alle controlepunten af: %(m)s.")
            % {"m": ", ".join(str(m) for m in missing)}
        )
    if check.samples.filter(ok__isnull=True).exists():
        raise ValidationError(_("Beoordeel eerst alle boekingen uit de steekproef."))
    if check.signoffs.filter(user_id=user.pk).exists():
        raise ValidationError(
            _("Je hebt al getekend; het tweede lid van de kascommissie moet nog tekenen.")
        )
    # Lock the books, then the year, before looking at them: nothing is posted, closed or
    # reopened between the look and the signature.
    ledger_services.posting_lock()
    FinancialYear.objects.select_for_update().get(pk=check.year_id)
    figures = closing_selectors.year_check(year=check.year, check=check)
    _refuse_blocking(figures)
    open_items = figures.open_items
    if check.bank_statement_balance is not None and (
        not figures.banks or any(b.statement_balance is None for b in figures.banks)
    ):
        if check.bank_statement_balance != figures.books_bank_balance:
            open_items.append(
                _("Het papieren afschrift zegt %(s)s, de boeken %(b)s.")
                % {
                    "s": format_euro(check.bank_statement_balance),
                    "b": format_euro(figures.books_bank_balance),
                }
            )
    if open_items and not check.findings.strip():
        raise ValidationError(
            _(
                "Er staan nog open punten: %(items)s Schrijf bij de bevindingen wat de "
                "kascommissie daarvan vindt; dan kun je tekenen."
            )
            % {"items": " ".join(open_items)}
        )
    AuditSignoff.objects.create(
        check_run=check,
        user_id=user.pk,
        statement_balance=figures.statement_total,
        books_balance=figures.books_bank_balance,
        open_items="\n".join(open_items),
        anchor=ledger_services.chain_anchor(
            kind=ChainAnchor.Kind.SIGNOFF, year=check.year, user=user
        ),
    )
    if check.signoffs.count() >= 2:
        year = FinancialYear.objects.select_for_update().get(pk=check.year_id)
        if not year.is_closed:
            _close(year, user, note=_("gesloten door decharge"))
        events.decharge_granted(year=year, actor=user, findings=check.findings)
        ledger_facts.refresh(ledger_facts.AUDIT)
    report_status.record()  # signed once, or discharged
    return check
