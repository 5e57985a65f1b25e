"""The group and others: the conflicts register, partners and agreements."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tenants.history import tenant_history


class Conflict(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("loopt nog")
        CLOSED = "afgerond", _("afgerond")

    occurred_on = models.DateField(_("datum"))
    parties = models.TextField(_("betrokkenen"), help_text=_("Wie zijn erbij betrokken?"))
    subject = models.CharField(_("onderwerp"), max_length=200)
    steps_taken = models.TextField(
        _("stappen volgens het protocol"), blank=True, help_text=_("Wat is er gedaan, en wanneer?")
    )
    outcome = models.TextField(_("uitkomst"), blank=True)
    status = models.CharField(
        _("stand"), max_length=10, choices=Status.choices, default=Status.OPEN
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicten")
        ordering = ["-occurred_on", "-id"]

    def __str__(self):
        return self.subject


class Partner(models.Model):
    class Kind(models.TextChoices):
        HOUSING = "woningcorporatie", _("woningcorporatie")
        VVE = "vve", _("VvE")
        TENANTS = "bewonerscommissie", _("bewonerscommissie")
        DISTRICT = "stadsdeel", _("stadsdeel")
        OTHER = "anders", _("anders")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("naam"), max_length=150)
    contact_name = models.CharField(_("contactpersoon"), max_length=150, blank=True)
    contact_email = models.EmailField(_("e-mailadres"), blank=True)
    contact_phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    notes = models.TextField(_("aantekeningen"), blank=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class Agreement(models.Model):
    """An agreement with a partner (afspraak), e.g. use of a community room."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("afspraak"), max_length=200)
    description = models.TextField(_("toelichting"), blank=True)
    starts_on = models.DateField(_("vanaf"), null=True, blank=True)
    ends_on = models.DateField(_("tot en met"), null=True, blank=True)

    history = tenant_history()

    class Meta:
        verbose_name = _("afspraak")
        verbose_name_plural = _("afspraken")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title
