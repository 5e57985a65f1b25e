"""Reports to the municipality (public schema): periods, immutable versioned snapshots,
municipal API clients with their keys, the API request log, and corrections asked by groups.

A snapshot is never changed or deleted (PostgreSQL refuses it, sql/guards.0002.sql): a
correction is a new version whose `supersedes` points at the old one, which stays
retrievable with its checksum. See docs/adr/0017-reporting-figures-and-snapshots.md.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager
from simple_history.models import HistoricalRecords


class ReportingPeriod(models.Model):
    """A quarter (2026-Q3) or a year (2026) that reports are made for."""

    class Kind(models.TextChoices):
        QUARTER = "kwartaal", _("kwartaal")
        YEAR = "jaar", _("jaar")

    code = models.CharField(_("code"), max_length=7, unique=True)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    start = models.DateField(_("begindatum"))
    end = models.DateField(_("einddatum"))

    class Meta:
        verbose_name = _("rapportageperiode")
        verbose_name_plural = _("rapportageperiodes")
        ordering = ["-start", "kind"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="period_order")
        ]

    def __str__(self):
        return self.code


class ReportSnapshot(models.Model):
    """One version of the report of one district over one period, frozen when made."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")
    district = models.ForeignKey(
        "tenants.MunicipalDistrict", on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField()
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.CharField(_("reden van de correctie"), max_length=300, blank=True)
    generated_at = models.DateTimeField(default=timezone.now)
    generated_by_id = models.BigIntegerField(null=True, blank=True)  # None: the scheduled job
    # The exact UTF-8 text the checksum is over (docs/reporting-checksum.md); stored as text,
    # not jsonb, so it is returned byte for byte as it was signed.
    canonical = models.TextField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("rapportage")
        verbose_name_plural = _("rapportages")
        ordering = ["period", "district", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "district", "version"], name="report_version_once"
            ),
            models.CheckConstraint(
                condition=Q(version=1, supersedes__isnull=True)
                | Q(version__gt=1, supersedes__isnull=False),
                name="report_version_chain",
            ),
        ]

    def __str__(self):
        return f"{self.period} {self.district.code} v{self.version}"

    @property
    def is_superseded(self) -> bool:
        return hasattr(self, "superseded_by")


class MunicipalClient(models.Model):
    """A municipal system that reads reports through the API, scoped to a municipality or
    to one of its districts."""

    name = models.CharField(_("naam"), max_length=120)
    municipality = models.ForeignKey(
        "tenants.Municipality", on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "tenants.MunicipalDistrict",
        verbose_name=_("alleen stadsdeel"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_email = models.EmailField(_("e-mailadres van de beheerder"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gemeentelijke afnemer")
        verbose_name_plural = _("gemeentelijke afnemers")
        ordering = ["municipality__name", "name"]

    def __str__(self):
        return self.name


class ClientKeyManager(APIKeyManager):
    def get_usable_keys(self) -> models.QuerySet:
        # The client is read on every API request (is it active? its scope): one query.
        return super().get_usable_keys().select_related("client")


class ClientKey(AbstractAPIKey):
    """An API key of a client (stored hashed; shown once). Rotation gives the old key an
    `expiry_date` a few days ahead, so both work during the overlap."""

    objects = ClientKeyManager()

    client = models.ForeignKey(MunicipalClient, on_delete=models.CASCADE, related_name="keys")
    created_by_id = models.BigIntegerField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["hashed_key"])

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")


class KeyWindow(models.Model):
    """The API's throttle: how many requests a key made in the current window (a minute by
    default), one row per key, in the database so every server process counts together."""

    key = models.OneToOneField(
        ClientKey, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    window_start = models.DateTimeField()
    requests = models.PositiveIntegerField()

    def __str__(self):
        return f"{self.key_id}: {self.requests} since {self.window_start:%H:%M:%S}"


class ApiRequestLog(models.Model):
    """Every request to the reporting API: which client, which resource, when, the result."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    client = models.ForeignKey(MunicipalClient, null=True, on_delete=models.SET_NULL)
    key_prefix = models.CharField(max_length=8, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    resource = models.CharField(max_length=80, blank=True)
    status = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["client", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.method} {self.path} {self.status}"


class CorrectionRequest(models.Model):
    """A group asks the coordinator to correct what a report says about it. The note is the
    group's own words: it is shown to the coordinator, never sent to the municipality."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        HANDLED = "afgehandeld", _("afgehandeld")

    snapshot = models.ForeignKey(ReportSnapshot, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    note = models.TextField(_("wat klopt er niet?"), max_length=2000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    created_by_id = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("correctieverzoek")
        verbose_name_plural = _("correctieverzoeken")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.snapshot} — {self.get_status_display()}"
