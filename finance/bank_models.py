"""Bank accounts, imported statements and their lines, and expense claims (declaraties).

Imported bank lines are the bank's word: their content never changes after import, and a
line that has been reconciled with the books cannot be removed (PostgreSQL refuses both, see
migrations/0005). Claims need the approvals the group's rules ask for, by people other than
the claimant; the database checks that the approvers are distinct people too.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.history import tenant_history

from .money import MoneyField

__all__ = ["BankAccount", "BankLine", "ClaimEvent", "ExpenseClaim", "ImportJob", "Statement"]


class BankAccount(models.Model):
    """A bank account of the group, linked to the ledger account its money is booked on."""

    iban = models.CharField(_("IBAN"), max_length=34, unique=True)
    name = models.CharField(_("naam"), max_length=120, help_text=_("Bijvoorbeeld: ING zakelijk."))
    holder = models.CharField(
        _("tenaamstelling"), max_length=70, help_text=_("Zoals de bank de rekening noemt.")
    )
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    ledger_account = models.ForeignKey(
        "finance.Account",
        on_delete=models.PROTECT,
        related_name="bank_accounts",
        verbose_name=_("grootboekrekening"),
    )
    is_active = models.BooleanField(_("in gebruik"), default=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("bankrekening")
        verbose_name_plural = _("bankrekeningen")
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.name} ({self.iban})"


class Statement(models.Model):
    """One imported bank file, kept unaltered with its SHA-256."""

    bank_account = models.ForeignKey(
        BankAccount, on_delete=models.PROTECT, related_name="statements"
    )
    format = models.CharField(_("formaat"), max_length=30)
    file = models.FileField(max_length=255)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, unique=True)
    opening_balance = MoneyField(_("beginsaldo"), null=True, blank=True)
    closing_balance = MoneyField(_("eindsaldo"), null=True, blank=True)
    opening_date = models.DateField(null=True, blank=True)
    closing_date = models.DateField(null=True, blank=True)
    line_count = models.PositiveIntegerField(_("regels in het bestand"))
    new_count = models.PositiveIntegerField(_("nieuwe regels"))
    imported_by_id = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        ordering = ["-imported_at", "-id"]

    def __str__(self):
        return self.original_name


class BankLine(models.Model):
    """A transaction on a bank account; reconciled when linked to a posted journal entry."""

    bank_account = models.ForeignKey(BankAccount, on_delete=models.PROTECT, related_name="lines")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    line_number = models.PositiveIntegerField(_("regel in het bestand"))
    booking_date = models.DateField(_("boekdatum"))
    value_date = models.DateField(_("valutadatum"), null=True, blank=True)
    amount = MoneyField(_("bedrag"))  # signed: negative is money out
    counterparty_name = models.CharField(_("tegenpartij"), max_length=200, blank=True)
    counterparty_iban = models.CharField(_("tegenrekening"), max_length=40, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    bank_reference = models.CharField(_("referentie bank"), max_length=100, blank=True)
    dedup_key = models.CharField(max_length=64)
    entry = models.OneToOneField(
        "finance.JournalEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_line",
    )
    claim = models.OneToOneField(
        "finance.ExpenseClaim",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bank_line",
    )
    reconciled_at = models.DateTimeField(null=True, blank=True)
    reconciled_by_id = models.BigIntegerField(null=True, blank=True)
    match_note = models.CharField(max_length=200, blank=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("bankregel")
        verbose_name_plural = _("bankregels")
        ordering = ["-booking_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_account", "dedup_key"], name="bankline_once_per_account"
            ),
            models.CheckConstraint(
                condition=Q(entry__isnull=True, reconciled_at__isnull=True)
                | Q(entry__isnull=False, reconciled_at__isnull=False),
                name="bankline_reconciled_has_entry",
            ),
        ]
        indexes = [
            models.Index(
                fields=["booking_date", "id"],
                condition=Q(reconciled_at__isnull=True),
                name="bankline_open",
            )
        ]

    def __str__(self):
        return f"{self.booking_date} {self.amount} {self.counterparty_name}"

    @property
    def is_reconciled(self) -> bool:
        return self.reconciled_at is not None


class ImportJob(models.Model):
    """An import running in the background; progress is written while it runs."""

    class Status(models.TextChoices):
        WAITING = "wacht", _("wacht")
        RUNNING = "bezig", _("bezig")
        DONE = "klaar", _("klaar")
        FAILED = "mislukt", _("mislukt")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    file = models.CharField(max_length=255)
    original_name = models.CharField(max_length=200)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    statement = models.ForeignKey(
        Statement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.original_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


class ExpenseClaim(models.Model):
    """A declaratie: a member advanced money and is paid back after approval."""

    class Status(models.TextChoices):
        SUBMITTED = "ingediend", _("ingediend, wacht op goedkeuring")
        HALF = "half", _("wacht op tweede goedkeuring")
        APPROVED = "goedgekeurd", _("goedgekeurd, wacht op betaling")
        REJECTED = "afgewezen", _("afgewezen")
        PAID = "betaald", _("betaald")

    number = models.PositiveIntegerField(_("nummer"), unique=True)
    claimant_id = models.BigIntegerField()
    claimant_name = models.CharField(_("naam"), max_length=150)
    iban = models.CharField(_("IBAN"), max_length=34)
    account_holder = models.CharField(_("ten name van"), max_length=70)
    amount = MoneyField(_("bedrag"))
    spent_on = models.DateField(_("datum van de uitgave"))
    description = models.CharField(_("waarvoor"), max_length=200)
    receipt = models.FileField(max_length=255)
    receipt_name = models.CharField(max_length=200)
    receipt_type = models.CharField(max_length=50)
    receipt_sha256 = models.CharField(max_length=64, db_index=True)
    authority = models.CharField(_("goedkeuring door"), max_length=40)
    decision = models.ForeignKey(
        "groups.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="expense_claims",
        verbose_name=_("besluit"),
    )
    category = models.ForeignKey(
        "finance.Account",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("categorie"),
    )
    budget_line = models.ForeignKey(
        "finance.BudgetLine",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("begrotingspost"),
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    first_approver_id = models.BigIntegerField(null=True, blank=True)
    second_approver_id = models.BigIntegerField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_reason = models.CharField(max_length=200, blank=True)
    exported_at = models.DateTimeField(null=True, blank=True)
    paid_entry = models.OneToOneField(
        "finance.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("declaratie")
        verbose_name_plural = _("declaraties")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="claim_amount_positive"),
            models.CheckConstraint(
                condition=(
                    Q(first_approver_id__isnull=True)
                    | ~Q(first_approver_id=models.F("claimant_id"))
                )
                & (
                    Q(second_approver_id__isnull=True)
                    | (
                        ~Q(second_approver_id=models.F("claimant_id"))
                        & ~Q(second_approver_id=models.F("first_approver_id"))
                    )
                ),
                name="claim_four_eyes",
            ),
            models.CheckConstraint(
                # plain ORs: an IN-list check is printed differently in a cloned schema
                condition=Q(status="ingediend")
                | Q(status="afgewezen")
                | Q(first_approver_id__isnull=False),
                name="claim_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=~Q(status="betaald") | Q(paid_entry__isnull=False),
                name="claim_paid_has_entry",
            ),
        ]

    def __str__(self):
        return f"D{self.number} {self.description}"

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.SUBMITTED, self.Status.HALF, self.Status.APPROVED}


class ClaimEvent(models.Model):
    """One step in a claim's life, written in the same transaction as the step."""

    class Kind(models.TextChoices):
        SUBMITTED = "ingediend", _("ingediend")
        APPROVED_FIRST = "goedgekeurd_1", _("goedgekeurd (eerste)")
        APPROVED_SECOND = "goedgekeurd_2", _("goedgekeurd (tweede)")
        REJECTED = "afgewezen", _("afgewezen")
        EXPORTED = "betaalbestand", _("in betaalbestand gezet")
        PAID = "betaald", _("betaald")

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    by_id = models.BigIntegerField(null=True, blank=True)
    role = models.CharField(max_length=30, blank=True)
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"D{self.claim_id} {self.get_kind_display()}"
