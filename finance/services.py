"""Writes on the books other than the ledger core (see ledger.py and receipts.py).

Every function is keyword-only, checks the caller's role itself, validates before writing
and runs in one transaction: bad input writes nothing.
"""

import random
from datetime import date as Date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ledger
from .ledger import LineInput
from .models import (
    Account,
    AuditCheck,
    AuditSample,
    AuditSignoff,
    BudgetLine,
    Commitment,
    FinancialYear,
    Grant,
    JournalEntry,
    JournalLine,
    PeriodEvent,
    ReopenRequest,
    Tranche,
)
from .money import format_euro, positive_money, to_money
from .receipts import receipt_add
from .roles import (
    AUDIT,
    BOARD,
    CHAIR,
    TREASURER,
    current_access,
    require_independent_auditor,
    require_role,
    require_treasurer,
)


def _save(obj, user, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj._history_user = user
    obj.save()
    return obj


# --- chart of accounts ---------------------------------------------------------------------


@transaction.atomic
def account_create(
    *, user, code: str, name: str, kind: str, rgs_code: str = "", is_cash: bool = False
) -> Account:
    require_treasurer(user)
    return _save(
        Account(),
        user,
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        rgs_code=rgs_code.strip(),
        is_cash=is_cash,
    )


@transaction.atomic
def account_update(*, account: Account, user, **fields) -> Account:
    require_treasurer(user)
    account = Account.objects.select_for_update().get(pk=account.pk)
    used = account.lines.exists()
    if used and (
        fields.get("code", account.code) != account.code
        or fields.get("kind", account.kind) != account.kind
    ):
        raise ValidationError(
            _(
                "Deze rekening is al gebruikt in boekingen: nummer en soort "
                "liggen vast. Maak zo nodig een nieuwe rekening."
            )
        )
    return _save(account, user, **fields)


# --- grants, tranches, budget, commitments --------------------------------------------------


@transaction.atomic
def grant_create(
    *,
    user,
    funder: str,
    reference: str,
    title: str,
    amount: Decimal,
    period_start: Date,
    period_end: Date,
    conditions: str = "",
) -> Grant:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    if period_end < period_start:
        raise ValidationError({"period_end": _("Het einde ligt vóór het begin.")})
    return _save(
        Grant(),
        user,
        funder=funder,
        reference=reference.strip(),
        title=title,
        amount=amount,
        period_start=period_start,
        period_end=period_end,
        conditions=conditions,
    )


@transaction.atomic
def grant_update(*, grant: Grant, user, **fields) -> Grant:
    require_treasurer(user)
    if "amount" in fields:
        fields["amount"] = positive_money(fields["amount"], field="amount")
    return _save(Grant.objects.select_for_update().get(pk=grant.pk), user, **fields)


@transaction.atomic
def tranche_create(*, grant: Grant, user, expected_on: Date, amount: Decimal) -> Tranche:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    return _save(Tranche(grant=grant), user, expected_on=expected_on, amount=amount)


@transaction.atomic
def tranche_receive(
    *, tranche: Tranche, user, date: Date, into: Account | None = None
) -> JournalEntry:
    """Book a tranche that came in: bank up, grant income up, earmarked to the grant."""
    require_treasurer(user)
    tranche = Tranche.objects.select_for_update().select_related("grant").get(pk=tranche.pk)
    if tranche.received_entry_id:
        raise ValidationError(_("Deze termijn is al als ontvangen geboekt."))
    into = into or Account.objects.get(role="bank")
    income = Account.objects.get(role="grant_income")
    entry = ledger.entry_create(
        date=date,
        user=user,
        post=True,
        kind=JournalEntry.Kind.INCOME,
        description=_("Ontvangen termijn %(ref)s") % {"ref": tranche.grant.reference},
        lines=[
            LineInput(account=into, debit=tranche.amount, grant=tranche.grant),
            LineInput(account=income, credit=tranche.amount, grant=tranche.grant),
        ],
    )
    _save(tranche, user, received_entry=entry)
    return entry


@transaction.atomic
def budget_line_create(
    *, grant: Grant, user, account: Account, description: str, amount: Decimal
) -> BudgetLine:
    require_treasurer(user)
    if account.kind != Account.Kind.EXPENSE:
        raise ValidationError({"account": _("Kies een uitgavencategorie.")})
    amount = to_money(amount, field="amount")
    if amount < 0:
        raise ValidationError({"amount": _("Een begroot bedrag kan niet negatief zijn.")})
    return _save(
        BudgetLine(grant=grant), user, account=account, description=description, amount=amount
    )


@transaction.atomic
def budget_line_update(*, budget_line: BudgetLine, user, **fields) -> BudgetLine:
    require_treasurer(user)
    if "amount" in fields:
        fields["amount"] = to_money(fields["amount"], field="amount")
        if fields["amount"] < 0:
            raise ValidationError({"amount": _("Een begroot bedrag kan niet negatief zijn.")})
    return _save(BudgetLine.objects.select_for_update().get(pk=budget_line.pk), user, **fields)


@transaction.atomic
def commitment_create(
    *, budget_line: BudgetLine, user, description: str, amount: Decimal, approved_on: Date
) -> Commitment:
    require_treasurer(user)
    amount = positive_money(amount, field="amount")
    return _save(
        Commitment(budget_line=budget_line, created_by_id=user.pk),
        user,
        description=description,
        amount=amount,
        approved_on=approved_on,
    )


@transaction.atomic
def commitment_cancel(*, commitment: Commitment, user) -> Commitment:
    require_treasurer(user)
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    if not commitment.is_open:
        raise ValidationError(_("Deze verplichting is al betaald of vervallen."))
    return _save(commitment, user, cancelled=True)


# --- simple mode: uitgave and inkomst -------------------------------------------------------


@transaction.atomic
def expense_record(
    *,
    user,
    date: Date,
    amount: Decimal,
    category: Account,
    description: str,
    budget_line: BudgetLine | None = None,
    grant: Grant | None = None,
    paid_from: Account | None = None,
    commitment: Commitment | None = None,
    receipt_name: str = "",
    receipt_data: bytes | None = None,
    decision=None,
) -> JournalEntry:
    """An expense in plain words; the treasurer's is booked at once, others' wait as drafts.

    Above the threshold in the group's decision rules, the expense must cite a valid decision
    whose amount covers it together with everything already spent under that decision.
    """
    access = require_role(user, *BOARD, message=_("Alleen bestuursleden mogen uitgaven invoeren."))
    amount = positive_money(amount, field="amount")
    _check_spending_decision(amount=amount, decision=decision)
    if category.kind != Account.Kind.EXPENSE:
        raise ValidationError({"category": _("Kies een uitgavencategorie.")})
    paid_from = paid_from or Account.objects.get(role="bank")
    if not paid_from.is_cash:
        raise ValidationError({"paid_from": _("Kies de bank of de kas.")})
    if budget_line is not None:
        grant = budget_line.grant
    entry = ledger.entry_create(
        date=date,
        description=description,
        user=user,
        post=access.is_treasurer,
        kind=JournalEntry.Kind.EXPENSE,
        lines=[
            LineInput(
                account=category,
                debit=amount,
                grant=grant,
                budget_line=budget_line,
                description=description,
            ),
            LineInput(account=paid_from, credit=amount, description=description),
        ],
        decision=decision,
    )
    if commitment is not None:
        commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
        if not commitment.is_open:
            raise ValidationError({"commitment": _("Deze verplichting is al betaald.")})
        _save(commitment, user, settled_entry=entry)
    if receipt_data is not None:
        receipt_add(entry=entry, name=receipt_name, data=receipt_data, user=user)
    return entry


def spent_under_decision(decision, *, excluding_claim: int | None = None) -> Decimal:
    """What a decision has already allowed: expenses booked citing it (reversed entries do
    not count) plus expense claims citing it that are not rejected. A paid claim's payment
    entry does not cite the decision itself, so nothing is counted twice."""
    from .bank_models import ExpenseClaim

    decision_id = getattr(decision, "pk", decision)
    booked = JournalLine.objects.filter(
        entry__decision_id=decision_id,
        entry__reversed_by__isnull=True,
        account__kind=Account.Kind.EXPENSE,
    ).aggregate(total=Sum("debit"))["total"] or Decimal("0.00")
    claims = ExpenseClaim.objects.filter(decision_id=decision_id).exclude(
        status=ExpenseClaim.Status.REJECTED
    )
    if excluding_claim is not None:
        claims = claims.exclude(pk=excluding_claim)
    claimed = claims.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    return booked + claimed


def _check_spending_decision(*, amount: Decimal, decision) -> None:
    from groups import selectors as group_selectors

    limit = group_selectors.decision_required_above()
    if decision is None:
        if limit is not None and amount > limit:
            raise ValidationError(
                {
                    "decision": _(
                        "Een uitgave boven %(limit)s mag alleen met een besluit van de groep. "
                        "Kies het besluit dat deze uitgave toestaat."
                    )
                    % {"limit": format_euro(limit)}
                }
            )
        return
    # Lock the decision row so two payments cannot both fit into what is left of it.
    type(decision).objects.select_for_update().filter(pk=decision.pk).first()
    try:
        group_selectors.decision_for_spending(
            decision_id=decision.pk, amount=amount, already_spent=spent_under_decision(decision)
        )
    except ValidationError as exc:
        raise ValidationError({"decision": exc.messages}) from exc


@transaction.atomic
def income_record(
    *,
    user,
    date: Date,
    amount: Decimal,
    category: Account,
    description: str,
    grant: Grant | None = None,
    received_in: Account | None = None,
    receipt_name: str = "",
    receipt_data: bytes | None = None,
) -> JournalEntry:
    access = require_role(user, *BOARD, message=_("Alleen bestuursleden mogen inkomsten invoeren."))
    amount = positive_money(amount, field="amount")
    if category.kind != Account.Kind.INCOME:
        raise ValidationError({"category": _("Kies een soort inkomsten.")})
    received_in = received_in or Account.objects.get(role="bank")
    if not received_in.is_cash:
        raise ValidationError({"received_in": _("Kies de bank of de kas.")})
    entry = ledger.entry_create(
        date=date,
        description=description,
        user=user,
        post=access.is_treasurer,
        kind=JournalEntry.Kind.INCOME,
        lines=[
            LineInput(account=received_in, debit=amount, description=description),
            LineInput(account=category, credit=amount, grant=grant, description=description),
        ],
    )
    if receipt_data is not None:
        receipt_add(entry=entry, name=receipt_name, data=receipt_data, user=user)
    return entry


# --- years ---------------------------------------------------------------------------------


@transaction.atomic
def year_create(*, user, year: int) -> FinancialYear:
    require_treasurer(user)
    if FinancialYear.objects.filter(year=year).exists():
        raise ValidationError({"year": _("Boekjaar %(y)s bestaat al.") % {"y": year}})
    return _save(FinancialYear(), user, year=year, start=Date(year, 1, 1), end=Date(year, 12, 31))


def _close(year: FinancialYear, user, note: str = "") -> FinancialYear:
    drafts = year.entries.filter(status=JournalEntry.Status.DRAFT).count()
    if drafts:
        raise ValidationError(
            _("Er staan nog %(n)s conceptboekingen in %(y)s. Boek of verwijder ze eerst.")
            % {"n": drafts, "y": year.year}
        )
    _save(year, user, status=FinancialYear.Status.CLOSED)
    PeriodEvent.objects.create(year=year, kind=PeriodEvent.Kind.CLOSED, by_id=user.pk, note=note)
    return year


@transaction.atomic
def year_close(*, year: FinancialYear, user) -> FinancialYear:
    require_treasurer(user)
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
    _save(request, user)
    PeriodEvent.objects.create(
        year=year, kind=PeriodEvent.Kind.REOPEN_REQUESTED, by_id=user.pk, note=reason.strip()
    )
    return request


@transaction.atomic
def _refuse_stale_first_approval(request: ReopenRequest) -> None:
    """The first approver must still hold the role they approved in: four eyes means two
    people who are treasurer and chair now, not someone who has since stepped down."""
    from django.contrib.auth import get_user_model

    from .roles import current_access

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
        request.treasurer_id = user.pk
    elif request.chair_id is None and access.is_chair:
        request.chair_id = user.pk
    else:
        raise PermissionDenied(
            _("De tweede goedkeuring moet komen van de %(role)s.")
            % {"role": _("voorzitter") if request.chair_id is None else _("penningmeester")}
        )
    _save(request, user)
    PeriodEvent.objects.create(
        year=request.year, kind=PeriodEvent.Kind.REOPEN_APPROVED, by_id=user.pk
    )
    year = FinancialYear.objects.select_for_update().get(pk=request.year_id)
    _save(year, user, status=FinancialYear.Status.OPEN)  # the database checks both approvals
    request.completed_at = timezone.now()
    _save(request, user)
    PeriodEvent.objects.create(
        year=year, kind=PeriodEvent.Kind.REOPENED, by_id=user.pk, note=request.reason
    )
    return request


# --- kascommissie --------------------------------------------------------------------------

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
    return _save(check, user, **fields)


@transaction.atomic
def audit_sample_mark(*, sample: AuditSample, user, ok: bool, note: str = "") -> AuditSample:
    require_independent_auditor(user)
    return _save(
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
    if check.bank_statement_balance is None:
        raise ValidationError(_("Vul het saldo volgens het bankafschrift in."))
    if check.samples.filter(ok__isnull=True).exists():
        raise ValidationError(_("Beoordeel eerst alle boekingen uit de steekproef."))
    if check.signoffs.filter(user_id=user.pk).exists():
        raise ValidationError(
            _("Je hebt al getekend; het tweede lid van de kascommissie moet nog tekenen.")
        )
    AuditSignoff.objects.create(check_run=check, user_id=user.pk)
    if check.signoffs.count() >= 2:
        year = FinancialYear.objects.select_for_update().get(pk=check.year_id)
        if not year.is_closed:
            _close(year, user, note=_("gesloten door decharge"))
        PeriodEvent.objects.create(
            year=year, kind=PeriodEvent.Kind.DECHARGE, by_id=user.pk, note=check.findings
        )
    return check


def may_read_books(user) -> bool:
    access = current_access(user)
    return access.has_any(*BOARD, AUDIT) or access.is_support
