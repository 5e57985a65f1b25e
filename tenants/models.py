"""The public schema's registry: people, resident groups, and who may enter which group.

Tenant schemas never hold a foreign key to these tables; they refer to a user by id only,
so users stay deletable and a group's schema can move to another database node.
"""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin
from simple_history.models import HistoricalRecords

RESERVED_SLUGS = frozenset(
    {"admin", "api", "static", "media", "template", "public", "new", "nieuw", "login", "www"}
)

slug_validator = RegexValidator(
    regex=r"^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$",
    message=_(
        "Gebruik 3 tot 40 kleine letters, cijfers of streepjes; "
        "niet beginnen of eindigen met een streepje."
    ),
)


class User(AbstractUser):
    """A person with a login: board member, resident, support worker or coordinator."""

    class OrgRole(models.TextChoices):
        NONE = "", _("geen")
        SUPPORT_WORKER = "ondersteuner", _("ondersteuner")
        COORDINATOR = "coordinator", _("coördinator")
        # Municipal staff: not part of the support organisation; they only read the learning
        # space's articles meant for them (knowledge/). No group access of any kind.
        OFFICIAL = "ambtenaar", _("ambtenaar van de gemeente")

    org_role = models.CharField(
        _("rol bij de ondersteuningsorganisatie"),
        max_length=20,
        choices=OrgRole.choices,
        blank=True,
        default=OrgRole.NONE,
    )
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_coordinator(self) -> bool:
        return self.org_role == self.OrgRole.COORDINATOR

    @property
    def is_support_staff(self) -> bool:
        return self.org_role in {self.OrgRole.SUPPORT_WORKER, self.OrgRole.COORDINATOR}

    @property
    def is_official(self) -> bool:
        return self.org_role == self.OrgRole.OFFICIAL


class District(models.TextChoices):
    CENTRUM = "centrum", "Centrum"
    NIEUW_WEST = "nieuw-west", "Nieuw-West"
    NOORD = "noord", "Noord"
    OOST = "oost", "Oost"
    WEST = "west", "West"
    ZUID = "zuid", "Zuid"
    ZUIDOOST = "zuidoost", "Zuidoost"
    WEESP = "weesp", "Weesp"


class Group(TenantMixin):
    """A resident group (bewonersgroep): one tenant with its own PostgreSQL schema.

    One extra row, `is_template`, stands for the template schema that new groups are cloned
    from; `migrate_schemas` keeps it current like any group. It is never shown or entered.
    """

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(
        _("korte naam in het webadres"), max_length=40, unique=True, validators=[slug_validator]
    )
    district = models.CharField(_("stadsdeel"), max_length=20, choices=District.choices)
    neighbourhood = models.CharField(_("buurt"), max_length=120, blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_template = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now, editable=False)

    # Schemas are created by tenants.services.group_create (cloned, in one transaction).
    auto_create_schema = False
    auto_drop_schema = False

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bewonersgroep")
        verbose_name_plural = _("bewonersgroepen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_template"], condition=Q(is_template=True), name="one_template_schema"
            )
        ]

    def __str__(self):
        return self.name


class Domain(DomainMixin):
    """Required by django-tenants; groups are routed by path (/g/<slug>/), not by host."""


class Membership(models.Model):
    """A person's role in a resident group; this is what lets them enter the group."""

    class Role(models.TextChoices):
        CHAIR = "voorzitter", _("voorzitter")
        TREASURER = "penningmeester", _("penningmeester")
        SECRETARY = "secretaris", _("secretaris")
        MEMBER = "lid", _("lid")
        AUDIT = "kascommissie", _("kascommissie")

    BOARD_ROLES = frozenset({Role.CHAIR, Role.TREASURER, Role.SECRETARY})

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    since = models.DateField(_("sinds"), default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [
            models.UniqueConstraint(fields=["user", "group", "role"], name="one_role_once")
        ]
        indexes = [models.Index(fields=["group", "user"])]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.group}"


class Assignment(models.Model):
    """A support worker (or coordinator) assigned to coach a group; lets them enter it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="assignments")
    since = models.DateField(_("sinds"), default=timezone.localdate)
    note = models.CharField(_("toelichting"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("toewijzing")
        verbose_name_plural = _("toewijzingen")
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="one_assignment_per_group")
        ]

    def __str__(self):
        return f"{self.user} → {self.group}"


class AccessLogEntry(models.Model):
    """Support staff opening a group's pages: who, when, which group, which page."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    username = models.CharField(max_length=150)
    group = models.ForeignKey(Group, on_delete=models.CASCADE)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)

    class Meta:
        verbose_name = _("toegangsregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at"]
        indexes = [models.Index(fields=["group", "-at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.user} {self.path}"


class TemplateSnapshot(models.Model):
    """The template schema's DDL and rows, ready to replay for a new group.

    Keyed by the template's migration state (`tenants.schemas.template_fingerprint`) and
    stored here so that every process and every machine finds it with one query; made by
    `migrate_schemas` when it changes the template (tenants/schemas.py, ADR 0007).
    """

    fingerprint = models.CharField(max_length=64, primary_key=True)
    body = models.JSONField()
    checksum = models.CharField(max_length=64)
    made_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"sjabloon {self.fingerprint[:12]} ({self.made_at:%Y-%m-%d %H:%M})"


class Municipality(models.Model):
    """A municipality (gemeente) that funds groups and receives the periodic reports."""

    code = models.CharField(
        _("gemeentecode (CBS)"), max_length=4, unique=True, validators=[RegexValidator(r"^\d{4}$")]
    )
    name = models.CharField(_("naam"), max_length=120)
    contact_email = models.EmailField(_("e-mailadres voor rapportages"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")
        ordering = ["name"]

    def __str__(self):
        return self.name


class MunicipalDistrict(models.Model):
    """A district (stadsdeel) of a municipality: the unit a report is made for.

    `code` is what `Group.district` holds (the `District` choices are Amsterdam's rows), so a
    group belongs to exactly one district without a second field on the group.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="districts"
    )
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("naam"), max_length=120)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stadsdeel")
        verbose_name_plural = _("stadsdelen")
        ordering = ["municipality__name", "name"]

    def __str__(self):
        return f"{self.municipality} — {self.name}"


# Per-group figures kept current on write (tenants/figures.py); imported here so Django
# registers the tables with the registry's app.
from tenants.facts import GroupFacts  # noqa: E402  (the row of facts per group, ADR 0013)
from tenants.figures import (  # noqa: E402, F401
    GroupGrantFigure,
    GroupMonthCount,
    GroupMonthFigure,
    GroupYearStatus,
)

__all__ = ["AccessLogEntry", "Assignment", "District", "Domain", "Group", "GroupFacts"]
__all__ += ["Municipality", "MunicipalDistrict", "GroupGrantFigure", "GroupMonthFigure"]
__all__ += ["Membership", "User", "RESERVED_SLUGS", "slug_validator"]
__all__ += ["TemplateSnapshot", "GroupMonthCount", "GroupYearStatus"]
