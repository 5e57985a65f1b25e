"""Bookkeeping of one resident group, stored in the group's schema.

Posted journal entries are immutable, balanced and hash-chained; PostgreSQL enforces the
first two and closed years itself (see migrations/0002_ledger_guards.py), so a bug or a
stray `UPDATE` cannot quietly change the books. People are referred to by user id only.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.history import tenant_history

from .money import MoneyField


class Account(models.Model):
    """A ledger account of the group's chart (rekeningschema)."""

    class Kind(models.TextChoices):
        ASSET = "activa", _("bezitting (activa)")
        LIABILITY = "schuld", _("schuld (passiva)")
        EQUITY = "vermogen", _("eigen vermogen / fonds")
        INCOME = "baten", _("inkomsten (baten)")
        EXPENSE = "lasten", _("uitgaven (lasten)")

    code = models.CharField(_("nummer"), max_length=10, unique=True)
    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    rgs_code = models.CharField(
        _("RGS-code"),
        max_length=30,
        blank=True,
        help_text=_("Code uit het Referentie Grootboekschema, als die er is."),
    )
    is_cash = models.BooleanField(
        _("geldrekening (bank of kas)"),
        default=False,
        help_text=_("Uitgaven en inkomsten in de eenvoudige invoer lopen via deze rekening."),
    )
    is_active = models.BooleanField(_("in gebruik"), default=True)
    # Well-known accounts the simple forms need (bank, payables, ...); blank for the rest.
    role = models.CharField(max_length=30, blank=True, editable=False)

    history = tenant_history()

    class Meta:
        verbose_name = _("grootboekrekening")
        verbose_name_plural = _("grootboekrekeningen")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"], condition=~Q(role=""), name="account_role_once"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_balance_sheet(self) -> bool:
        return self.kind in {self.Kind.ASSET, self.Kind.LIABILITY, self.Kind.EQUITY}

    @property
    def debit_normal(self) -> bool:
        return self.kind in {self.Kind.ASSET, self.Kind.EXPENSE}


class FinancialYear(models.Model):
    """A financial year (boekjaar). Closing it forbids postings dated inside it."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "gesloten", _("afgesloten")

    year = models.PositiveIntegerField(_("jaar"), unique=True)
    start = models.DateField(_("begindatum"))
    end = models.DateField(_("einddatum"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    last_number = models.PositiveIntegerField(default=0, editable=False)

    history = tenant_history()

    class Meta:
        verbose_name = _("boekjaar")
        verbose_name_plural = _("boekjaren")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="year_end_after_start"
            )
        ]

    def __str__(self):
        return str(self.year)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class PeriodEvent(models.Model):
    """A business event on a year: closed, reopen requested/approved, reopened, decharge."""

    class Kind(models.TextChoices):
        CLOSED = "gesloten", _("jaar afgesloten")
        REOPEN_REQUESTED = "heropenen_gevraagd", _("heropenen gevraagd")
        REOPEN_APPROVED = "heropenen_goedgekeurd", _("heropenen goedgekeurd")
        REOPENED = "heropend", _("jaar heropend")
        DECHARGE = "decharge", _("decharge verleend")

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    by_id = models.BigIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.year} {self.get_kind_display()}"


class ReopenRequest(models.Model):
    """Reopening a closed year needs the treasurer and the chair: two different people."""

    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="reopen_requests"
    )
    reason = models.TextField(_("reden"))
    requested_by_id = models.BigIntegerField()
    requested_at = models.DateTimeField(auto_now_add=True)
    treasurer_id = models.BigIntegerField(null=True, blank=True)
    chair_id = models.BigIntegerField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    history = tenant_history()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(treasurer_id__isnull=True)
                | Q(chair_id__isnull=True)
                | ~Q(treasurer_id=models.F("chair_id")),
                name="reopen_two_different_people",
            )
        ]

    def __str__(self):
        return f"{self.year}: {self.reason[:40]}"


class Grant(models.Model):
    """A subsidy awarded to the group (beschikking); money is earmarked per grant."""

    funder = models.CharField(
        _("verstrekker"),
        max_length=120,
        help_text=_("Bijvoorbeeld: Gemeente Amsterdam, stadsdeel Zuidoost."),
    )
    reference = models.CharField(_("beschikkingsnummer"), max_length=60, unique=True)
    title = models.CharField(_("omschrijving"), max_length=160)
    amount = MoneyField(_("toegekend bedrag"))
    period_start = models.DateField(_("periode vanaf"))
    period_end = models.DateField(_("periode tot en met"))
    conditions = models.TextField(_("voorwaarden"), blank=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("subsidie")
        verbose_name_plural = _("subsidies")
        ordering = ["-period_start", "reference"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="grant_amount_positive"),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="grant_period_order"
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"


class Tranche(models.Model):
    """An expected payment of a grant; `received_entry` is the booking when it came in."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="tranches")
    expected_on = models.DateField(_("verwacht op"))
    amount = MoneyField(_("bedrag"))
    received_entry = models.OneToOneField(
        "JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="tranche"
    )

    history = tenant_history()

    class Meta:
        ordering = ["expected_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="tranche_positive")]

    def __str__(self):
        return f"{self.grant.reference} {self.expected_on}"


class BudgetLine(models.Model):
    """A line of a grant's budget (begroting), by category (an expense account)."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="budget_lines")
    account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("categorie")
    )
    description = models.CharField(_("omschrijving"), max_length=160)
    amount = MoneyField(_("begroot bedrag"))

    history = tenant_history()

    class Meta:
        verbose_name = _("begrotingsregel")
        verbose_name_plural = _("begrotingsregels")
        ordering = ["grant", "account__code", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="budget_not_negative")
        ]

    def __str__(self):
        return self.description


class Commitment(models.Model):
    """Money promised on a budget line (approved, not yet paid)."""

    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.PROTECT, related_name="commitments"
    )
    description = models.CharField(_("omschrijving"), max_length=160)
    amount = MoneyField(_("bedrag"))
    approved_on = models.DateField(_("goedgekeurd op"))
    settled_entry = models.ForeignKey(
        "JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="commitments"
    )
    cancelled = models.BooleanField(default=False)
    created_by_id = models.BigIntegerField()

    history = tenant_history()

    class Meta:
        ordering = ["approved_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commitment_positive")
        ]

    def __str__(self):
        return self.description

    @property
    def is_open(self) -> bool:
        return self.settled_entry_id is None and not self.cancelled


class LedgerState(models.Model):
    """The single row that serialises posting: the head of the hash chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="ledger_state_singleton")]

    def __str__(self):
        return f"keten tot {self.last_sequence}"


class JournalEntry(models.Model):
    """A journal entry (boeking). A draft can change; a posted entry never does."""

    class Status(models.TextChoices):
        DRAFT = "concept", _("concept")
        POSTED = "geboekt", _("geboekt")

    class Kind(models.TextChoices):
        JOURNAL = "memoriaal", _("memoriaal")
        EXPENSE = "uitgave", _("uitgave")
        INCOME = "inkomst", _("inkomst")
        REVERSAL = "correctie", _("correctie (tegenboeking)")

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="entries")
    number = models.PositiveIntegerField(_("boekingsnummer"), null=True, blank=True)
    date = models.DateField(_("datum"))
    description = models.CharField(_("omschrijving"), max_length=200)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.JOURNAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    created_by_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    posted_by_id = models.BigIntegerField(null=True, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True)
    # Tamper evidence: position in the chain, and sha256(previous hash + this entry's content).
    sequence = models.PositiveIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)
    # Room for later issues (bank import, expense claims): a nullable source reference will
    # be added here, not a foreign key per source.
    # The group's decision that allows this spending (required above the rules' threshold).
    decision = models.ForeignKey(
        "groups.Decision",
        verbose_name=_("besluit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("boeking")
        verbose_name_plural = _("boekingen")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="entry_number_per_year"),
            models.CheckConstraint(
                condition=Q(status="concept", number__isnull=True, sequence__isnull=True)
                | Q(
                    status="geboekt",
                    number__isnull=False,
                    sequence__isnull=False,
                    posted_at__isnull=False,
                )
                & ~Q(hash=""),
                name="entry_posted_has_number_and_hash",
            ),
        ]
        indexes = [models.Index(fields=["status", "date"]), models.Index(fields=["date", "id"])]

    def __str__(self):
        return f"{self.display_number} {self.description}"

    @property
    def display_number(self) -> str:
        if self.number is None:
            return str(_("concept"))
        return f"{self.year.year}-{self.number:04d}" if self.year_id else str(self.number)

    @property
    def is_posted(self) -> bool:
        return self.status == self.Status.POSTED


class JournalLine(models.Model):
    """One side of an entry: a debit or a credit on one account, optionally earmarked."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="lines")
    line_no = models.PositiveSmallIntegerField()
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    debit = MoneyField(_("debet"), default=0)
    credit = MoneyField(_("credit"), default=0)
    description = models.CharField(_("omschrijving"), max_length=200, blank=True)
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    budget_line = models.ForeignKey(
        BudgetLine, null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )

    history = tenant_history()

    class Meta:
        ordering = ["entry", "line_no"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "line_no"], name="line_no_per_entry"),
            models.CheckConstraint(
                condition=Q(debit__gte=0, credit__gte=0)
                & (Q(debit=0, credit__gt=0) | Q(debit__gt=0, credit=0)),
                name="line_one_side_positive",
            ),
        ]
        indexes = [models.Index(fields=["account", "entry"])]

    def __str__(self):
        return f"{self.account.code} D{self.debit} C{self.credit}"


class Receipt(models.Model):
    """A receipt (bonnetje) of an entry, stored under MEDIA_ROOT/<schema>/receipts/."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="receipts")
    file = models.FileField(max_length=255)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, unique=True)
    uploaded_by_id = models.BigIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("bonnetje")
        verbose_name_plural = _("bonnetjes")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class AuditCheck(models.Model):
    """The kascommissie's check of one year: checklist, sample, bank balance, findings."""

    year = models.OneToOneField(FinancialYear, on_delete=models.PROTECT, related_name="audit")
    checked_receipts = models.BooleanField(
        _("steekproef van boekingen met bonnetjes bekeken"), default=False
    )
    checked_bank = models.BooleanField(_("banksaldo vergeleken met het afschrift"), default=False)
    checked_grants = models.BooleanField(
        _("besteding per subsidie vergeleken met de begroting"), default=False
    )
    checked_cash = models.BooleanField(_("kas geteld"), default=False)
    bank_statement_balance = MoneyField(_("saldo volgens bankafschrift"), null=True, blank=True)
    findings = models.TextField(_("bevindingen"), blank=True)
    started_at = models.DateTimeField(auto_now_add=True)

    history = tenant_history()

    def __str__(self):
        return f"kascontrole {self.year}"


class AuditSample(models.Model):
    check_run = models.ForeignKey(AuditCheck, on_delete=models.CASCADE, related_name="samples")
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+")
    ok = models.BooleanField(null=True)
    note = models.CharField(max_length=200, blank=True)

    history = tenant_history()

    class Meta:
        ordering = ["entry__date", "entry_id"]
        constraints = [models.UniqueConstraint(fields=["check_run", "entry"], name="sample_once")]

    def __str__(self):
        return f"steekproef {self.entry_id}"


class AuditSignoff(models.Model):
    check_run = models.ForeignKey(AuditCheck, on_delete=models.PROTECT, related_name="signoffs")
    user_id = models.BigIntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_run", "user_id"], name="signoff_once_per_person")
        ]

    def __str__(self):
        return f"getekend door {self.user_id}"


from .bank_models import *  # noqa: E402,F401,F403
