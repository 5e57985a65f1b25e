"""Expense claims (declaraties) and the events of their approval.

Claims need the approvals the group's rules ask for, by people other than the claimant; the
database checks that the approvers are distinct people too.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from backoffice.core.events import BusinessEvent
from backoffice.core.money import MoneyField
from tenants.history import tenant_history


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


class ClaimEvent(BusinessEvent):
    """One step in a claim's life, written by `finance.claims.events` with the step."""

    class Kind(models.TextChoices):
        SUBMITTED = "ingediend", _("ingediend")
        APPROVED_FIRST = "goedgekeurd_1", _("goedgekeurd (eerste)")
        APPROVED_SECOND = "goedgekeurd_2", _("goedgekeurd (tweede)")
        REJECTED = "afgewezen", _("afgewezen")
        EXPORTED = "betaalbestand", _("in betaalbestand gezet")
        PAID = "betaald", _("betaald")
        UNPAID = "betaling_ongedaan", _("betaling ongedaan gemaakt (koppeling met de bank)")

    claim = models.ForeignKey(ExpenseClaim, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("gebeurtenis"), max_length=40, choices=Kind.choices)
    role = models.CharField(_("als"), max_length=30, blank=True)

    class Meta(BusinessEvent.Meta):
        verbose_name = _("stap van een declaratie")

    def __str__(self):
        return f"D{self.claim_id} {self.get_kind_display()}"
