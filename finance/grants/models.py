"""Grants (subsidies) with their tranches, budget lines and commitments."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.money import MoneyField
from finance.ledger.models import Account
from tenants.history import tenant_history


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
