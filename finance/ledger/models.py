"""The ledger's tables: chart of accounts, financial years, journal entries and lines, receipts.

Posted journal entries are immutable, balanced and hash-chained; PostgreSQL enforces the
first two and closed years itself (see finance/ledger/sql/), so a bug or a stray `UPDATE`
cannot quietly change the books. People are referred to by user id only.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import DECIMAL_PLACES, MoneyField
from tenants.history import tenant_history


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


class LedgerState(models.Model):
    """The single row that serialises posting: the head of the hash chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_sequence = models.PositiveIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="ledger_state_singleton")]

    def __str__(self):
        return f"keten tot {self.last_sequence}"


class ChainAnchor(models.Model):
    """The head of the hash chain, written down at a kascommissie sign-off or a year close.

    Keyed like the chain (finance.ledger.chain.anchor_mac) and linked to the anchor before
    it; PostgreSQL refuses to change or remove one (sql/chain_guards.0018.sql). verify_ledger
    checks that the chain still holds the entry each anchor names, with that hash.
    """

    class Kind(models.TextChoices):
        SIGNOFF = "kascommissie", _("handtekening kascommissie")
        CLOSE = "jaarafsluiting", _("jaarafsluiting")

    kind = models.CharField(_("moment"), max_length=20, choices=Kind.choices)
    year = models.PositiveIntegerField(_("boekjaar"))
    sequence = models.PositiveIntegerField(_("laatste volgnummer"))
    head_hash = models.CharField(_("vingerafdruk van de laatste boeking"), max_length=64)
    actor_id = models.BigIntegerField()
    at = models.DateTimeField()
    prev_mac = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("ankerpunt van de keten")
        verbose_name_plural = _("ankerpunten van de keten")
        ordering = ["id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}: {self.sequence}"

    @property
    def fingerprint(self) -> str:
        """How the anchor is shown (and can be copied onto paper): number and hash."""
        return f"{self.sequence:06d}-{self.head_hash[:16]}"


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
    # Where the booking came from (finance.ledger.postings): the kind of business event and the
    # id of its row, e.g. ("declaratie", 12). Not a foreign key per source: sources live in
    # several subdomains (and, for initiatives, another app), and a booking must outlive them.
    origin_kind = models.CharField(_("herkomst"), max_length=20, blank=True, editable=False)
    origin_id = models.BigIntegerField(null=True, blank=True, editable=False)
    # The group's decision that allows this spending (required above the rules' threshold).
    decision = models.ForeignKey(
        "groups.Decision",
        verbose_name=_("besluit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="journal_entries",
    )

    # Why spending on this entry is earmarked to a grant outside the grant's period: the
    # recorded exception (by whoever created the entry); empty means the period holds.
    period_exception = models.TextField(
        _("reden voor boeking buiten de subsidieperiode"), blank=True
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
        indexes = [
            models.Index(fields=["status", "date"]),
            models.Index(fields=["date", "id"]),
            models.Index(
                fields=["origin_kind", "origin_id"],
                condition=~Q(origin_kind=""),
                name="entry_origin",
            ),
        ]

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
        "finance.Grant", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
    )
    budget_line = models.ForeignKey(
        "finance.BudgetLine", null=True, blank=True, on_delete=models.PROTECT, related_name="lines"
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


class AccountDayTotal(models.Model):
    """What the posted lines of one day add up to, per account, grant and budget line.

    PostgreSQL writes these rows itself when entries are posted (sql/day_totals.0013.sql) and
    refuses any other write, so balances, report totals and the cash book's running balance
    read a few hundred rows instead of every line. Posted lines never change, so a day's
    totals only grow. `selectors.day_totals_differences()` recomputes them from the lines.
    """

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    grant = models.ForeignKey(
        "finance.Grant", null=True, on_delete=models.PROTECT, related_name="+"
    )
    budget_line = models.ForeignKey(
        "finance.BudgetLine", null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Wider than one line's amount: a busy day adds many lines up.
    debit = models.DecimalField(max_digits=18, decimal_places=DECIMAL_PLACES)
    credit = models.DecimalField(max_digits=18, decimal_places=DECIMAL_PLACES)
    lines = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "date", "grant", "budget_line"],
                nulls_distinct=False,
                name="day_total_once",
            ),
            models.CheckConstraint(
                condition=Q(debit__gte=0, credit__gte=0, lines__gt=0),
                name="day_total_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.account_id} D{self.debit} C{self.credit}"


class ReceiptNeed(models.Model):
    """A posted expense that asks for a receipt, and whether it has one.

    PostgreSQL keeps these rows (sql/receipt_needs.0014.sql): one is added when an entry with an
    expense (a debit on a cost account, not a correction) is posted, `reversed` is set when
    its correction is posted, and `has_receipt` follows the receipts as they are added or
    removed. The list of missing receipts and a grant's "with receipt" count read these
    instead of probing every entry's lines and receipts.
    """

    # No foreign-key constraint: only drafts can be deleted and they have no row here, and
    # a posted entry deleted behind the guards' back must still reach verify_ledger, not be
    # stopped by a derived table.
    entry = models.OneToOneField(
        JournalEntry,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="receipt_need",
    )
    date = models.DateField()
    grant_ids = ArrayField(models.BigIntegerField(), default=list)  # of its expense lines
    has_receipt = models.BooleanField()
    reversed = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["date", "entry"],
                condition=Q(has_receipt=False, reversed=False),
                name="receipt_need_missing",
            )
        ]

    def __str__(self):
        return f"{self.entry_id} {'met' if self.has_receipt else 'zonder'} bonnetje"


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
