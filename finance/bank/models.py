"""Bank accounts, imported statements and their lines, and import jobs.

Imported bank lines are the bank's word: their content never changes after import, and a
line that has been reconciled with the books cannot be removed (PostgreSQL refuses both).
The same holds for what the bank says about a line beyond its content: whether it is a
reversal, and the transactions of a batch entry (``BankLinePart``).

One uploaded file gives one ``Statement`` per account it holds (a file with the statements
of two accounts gives two, with the same SHA-256).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.events import BusinessEvent
from backoffice.core.money import MoneyField
from tenants.history import tenant_history


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
    sha256 = models.CharField(max_length=64)
    opening_balance = MoneyField(_("beginsaldo"), null=True, blank=True)
    closing_balance = MoneyField(_("eindsaldo"), null=True, blank=True)
    opening_date = models.DateField(null=True, blank=True)
    closing_date = models.DateField(null=True, blank=True)
    line_count = models.PositiveIntegerField(_("regels in het bestand"))
    new_count = models.PositiveIntegerField(_("nieuwe regels"))
    imported_by_id = models.BigIntegerField()
    imported_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(
        _("opmerkingen bij het inlezen"),
        blank=True,
        help_text=_(
            "Bijvoorbeeld: het bestand noemde geen eindsaldo, dus dat kon niet worden "
            "gecontroleerd."
        ),
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("bankafschrift")
        verbose_name_plural = _("bankafschriften")
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sha256", "bank_account"], name="statement_once_per_account"
            )
        ]

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
    is_reversal = models.BooleanField(
        _("terugboeking"),
        default=False,
        help_text=_("De bank meldt deze regel als terugboeking (storno of geweigerde betaling)."),
    )
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


class MatchEvent(BusinessEvent):
    """A bank line linked to the books, or that link undone; written with the change.

    ``new`` of a link holds the entry (``entry``), how it was made (``how``: automatisch,
    voorstel, handmatig, geboekt) and whether the link created that entry (``created``);
    ``old`` of an undo holds the entry and claim that were linked, ``new`` the reversal.
    PostgreSQL lets a reconciled line be unlinked only with an undo event written after the
    link (sql/guards.0025.sql).
    """

    class Kind(models.TextChoices):
        MATCHED = "gekoppeld", _("gekoppeld aan de boekhouding")
        UNDONE = "ontkoppeld", _("koppeling ongedaan gemaakt")

    bank_line = models.ForeignKey(BankLine, on_delete=models.PROTECT, related_name="match_events")
    kind = models.CharField(_("gebeurtenis"), max_length=40, choices=Kind.choices)

    class Meta(BusinessEvent.Meta):
        verbose_name = _("koppeling van een bankregel")
        verbose_name_plural = _("koppelingen van bankregels")
        indexes = [models.Index(fields=["bank_line", "kind"], name="matchevent_line_kind")]

    def __str__(self):
        return f"{self.bank_line_id} {self.get_kind_display()}"


class BankLinePart(models.Model):
    """One transaction of a batch entry ("verzamelboeking"), as the bank details it.

    The bank booked the batch as one line; its parts say who got what, so the treasurer
    can see and check them. ``amount`` is signed like the line (negative = money out) and
    empty when the bank lists the transaction without an amount of its own.
    """

    bank_line = models.ForeignKey(BankLine, on_delete=models.CASCADE, related_name="parts")
    position = models.PositiveSmallIntegerField()
    amount = MoneyField(_("bedrag"), null=True, blank=True)
    counterparty_name = models.CharField(_("tegenpartij"), max_length=200, blank=True)
    counterparty_iban = models.CharField(_("tegenrekening"), max_length=40, blank=True)
    description = models.TextField(_("omschrijving"), blank=True)
    reference = models.CharField(_("kenmerk"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("deel van een verzamelboeking")
        verbose_name_plural = _("delen van een verzamelboeking")
        ordering = ["bank_line", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_line", "position"], name="banklinepart_once_per_position"
            )
        ]

    def __str__(self):
        return f"{self.counterparty_name} {self.amount}"


class ImportJob(models.Model):
    """An import running in the background; progress is written while it runs."""

    class Status(models.TextChoices):
        WAITING = "wacht", _("wacht")
        RUNNING = "bezig", _("bezig")
        ASK = "vraag", _("wacht op je keuze")
        DONE = "klaar", _("klaar")
        FAILED = "mislukt", _("mislukt")

    class Overlap(models.TextChoices):
        SKIP = "skip", _("sla de regels over die er al zijn")
        ADD = "add", _("voeg toch alle regels toe")

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    overlap_choice = models.CharField(
        max_length=10,
        choices=Overlap.choices,
        blank=True,
        help_text=_(
            "De keuze van de penningmeester toen regels er al leken te zijn uit een ander bestand."
        ),
    )
    details = models.JSONField(default=dict, blank=True)
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
    def is_busy(self) -> bool:
        """Waiting to run or running: the progress page keeps asking."""
        return self.status in {self.Status.WAITING, self.Status.RUNNING}

    @property
    def percent(self) -> int:
        return int(self.done * 100 / self.total) if self.total else 0


class PaymentOrder(models.Model):
    """A transfer the group still has to make from its bank, for a booking already made
    (an initiative's payout): it goes into a SEPA payment file once, like an approved claim.

    The booking (`entry`) took the money off the bank's ledger account when it was made; the
    bank line that shows the transfer is later linked to that booking (reconciliation).
    """

    origin_kind = models.CharField(max_length=30)
    origin_id = models.BigIntegerField()
    name = models.CharField(_("ten name van"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    amount = MoneyField(_("bedrag"))
    description = models.CharField(_("omschrijving"), max_length=140)
    end_to_end_id = models.CharField(max_length=35, unique=True)
    entry = models.OneToOneField(
        "finance.JournalEntry", on_delete=models.PROTECT, related_name="payment_order"
    )
    created_by_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    exported_at = models.DateTimeField(null=True, blank=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("over te maken betaling")
        verbose_name_plural = _("over te maken betalingen")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_order_positive"),
            models.UniqueConstraint(
                fields=["origin_kind", "origin_id"], name="payment_order_once_per_origin"
            ),
        ]

    def __str__(self):
        return f"{self.end_to_end_id} {self.amount}"
