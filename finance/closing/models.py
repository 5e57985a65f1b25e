"""Closing a financial year: its events, reopen requests (four eyes), the kascommissie's check."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.events import BusinessEvent
from backoffice.core.money import MoneyField
from finance.ledger.models import ChainAnchor, FinancialYear, JournalEntry
from tenants.history import tenant_history


class PeriodEvent(BusinessEvent):
    """A business event on a year: closed, reopen requested/approved, reopened, decharge.

    Written by the functions in `finance.closing.events`.
    """

    class Kind(models.TextChoices):
        CLOSED = "gesloten", _("jaar afgesloten")
        REOPEN_REQUESTED = "heropenen_gevraagd", _("heropenen gevraagd")
        REOPEN_APPROVED = "heropenen_goedgekeurd", _("heropenen goedgekeurd")
        REOPENED = "heropend", _("jaar heropend")
        DECHARGE = "decharge", _("decharge verleend")

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("gebeurtenis"), max_length=40, choices=Kind.choices)
    # At a close: the head of the hash chain at that moment.
    anchor = models.OneToOneField(
        ChainAnchor, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta(BusinessEvent.Meta):
        verbose_name = _("gebeurtenis van een boekjaar")

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
    # Only for a bank without imported statements (the check takes the imported ones).
    bank_statement_balance = MoneyField(
        _("saldo volgens papieren bankafschrift"), null=True, blank=True
    )
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
    """One member's signature, with what they signed for: the bank against the books, the
    items still open (signed for only with a finding), and the head of the hash chain."""

    check_run = models.ForeignKey(AuditCheck, on_delete=models.PROTECT, related_name="signoffs")
    user_id = models.BigIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    statement_balance = MoneyField(_("saldo volgens de afschriften"), null=True, blank=True)
    books_balance = MoneyField(_("banksaldo volgens de boeken"), null=True, blank=True)
    open_items = models.TextField(_("open punten bij het tekenen"), blank=True)
    anchor = models.OneToOneField(
        ChainAnchor, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["check_run", "user_id"], name="signoff_once_per_person")
        ]

    def __str__(self):
        return f"getekend door {self.user_id}"
