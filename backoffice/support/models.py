"""The support organisation's own records (public schema): the catalogue of offerings and
providers, each group's support budget and its requests, coaching sessions with follow-ups,
ACTIE checks and platforms of groups.

Groups and people are the registry's (tenants); these tables refer to them by foreign key,
since both live in the public schema. Every table a person changes keeps its history.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from backoffice.core.money import MoneyField

HOURS = {"max_digits": 6, "decimal_places": 2}


class ActieDimension(models.TextChoices):
    """The five elements of the ACTIE instrument (texts 000/001)."""

    ANIMO = "animo", _("Animo")
    CONTACTEN = "contacten", _("Contacten")
    TOERUSTING = "toerusting", _("Toerusting")
    INBEDDING = "inbedding", _("Inbedding")
    EMPATHIE = "empathie", _("Empathie")


class Provider(models.Model):
    """Someone who gives support: own staff, a freelancer or an organisation."""

    class Kind(models.TextChoices):
        STAFF = "intern", _("eigen medewerker")
        FREELANCER = "zzp", _("zelfstandige")
        ORGANISATION = "organisatie", _("organisatie")

    class Status(models.TextChoices):
        ACTIVE = "actief", _("beschikbaar")
        PAUSED = "gepauzeerd", _("tijdelijk niet beschikbaar")
        RETIRED = "gestopt", _("gestopt")

    name = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    expertise = models.CharField(_("deskundigheid"), max_length=300, blank=True)
    hourly_rate = MoneyField(_("uurtarief"), default=Decimal("0.00"))
    availability = models.CharField(_("beschikbaarheid"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("aanbieder")
        verbose_name_plural = _("aanbieders")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(hourly_rate__gte=0), name="provider_rate_positive")
        ]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Offering(models.Model):
    """One kind of support a group can choose, with the providers who give it."""

    class Kind(models.TextChoices):
        GENERAL = "algemeen", _("algemeen")
        PROJECT = "project", _("projectgebonden")

    title = models.CharField(_("naam"), max_length=120)
    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("omschrijving"), blank=True)
    format = models.CharField(_("vorm"), max_length=120, blank=True)
    typical_hours = models.DecimalField(_("gebruikelijk aantal uren"), **HOURS)
    price = MoneyField(_("prijs"))
    providers = models.ManyToManyField(Provider, related_name="offerings", blank=True)
    is_active = models.BooleanField(_("in het aanbod"), default=True)

    history = HistoricalRecords(m2m_fields=[providers])

    class Meta:
        verbose_name = _("ondersteuningsaanbod")
        verbose_name_plural = _("ondersteuningsaanbod")
        ordering = ["kind", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(typical_hours__gt=0), name="offering_hours"),
            models.CheckConstraint(condition=Q(price__gte=0), name="offering_price"),
        ]

    def __str__(self):
        return self.title


class SupportBudget(models.Model):
    """What a group may spend on support in a year: hours, euros, or both."""

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField(_("jaar"))
    hours = models.DecimalField(_("uren"), null=True, blank=True, **HOURS)
    euros = MoneyField(_("bedrag"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ondersteuningsbudget")
        verbose_name_plural = _("ondersteuningsbudgetten")
        constraints = [
            models.UniqueConstraint(fields=["group", "year"], name="one_support_budget_a_year"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0), name="budget_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(euros__isnull=True) | Q(euros__gte=0), name="budget_euros_positive"
            ),
        ]

    def __str__(self):
        return f"{self.group} {self.year}"


class SupportRequest(models.Model):
    """A group's choice of an offering and a provider, through its states."""

    class Status(models.TextChoices):
        REQUESTED = "aangevraagd", _("aangevraagd")
        AGREED = "afgesproken", _("afgesproken")
        RUNNING = "loopt", _("loopt")
        FINISHED = "afgerond", _("afgerond")
        DECLINED = "afgewezen", _("afgewezen")

    # States whose hours and price count against the budget.
    CONSUMING = (Status.REQUESTED, Status.AGREED, Status.RUNNING, Status.FINISHED)
    OPEN = (Status.REQUESTED, Status.AGREED, Status.RUNNING)

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="requests")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="requests")
    year = models.PositiveIntegerField(_("jaar"))
    question = models.TextField(_("wat wil de groep bereiken"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.REQUESTED
    )
    hours = models.DecimalField(_("uren"), **HOURS)
    price = MoneyField(_("prijs"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("goedgekeurd door"),
    )
    decline_reason = models.CharField(_("reden van afwijzing"), max_length=300, blank=True)
    rating = models.PositiveSmallIntegerField(_("waardering"), null=True, blank=True)
    rating_comment = models.CharField(
        _("toelichting bij de waardering"), max_length=500, blank=True
    )
    created_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ondersteuningsvraag")
        verbose_name_plural = _("ondersteuningsvragen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="request_hours_positive"),
            models.CheckConstraint(condition=Q(price__gte=0), name="request_price_positive"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="request_rating_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(status="afgerond"),
                name="request_rated_when_finished",
            ),
            models.CheckConstraint(
                condition=~Q(status="afgewezen") | ~Q(decline_reason=""),
                name="request_declined_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["group", "status"])]

    def __str__(self):
        return f"{self.offering} — {self.group}"


class CoachingSession(models.Model):
    """A support worker's session with a group. The notes are the support organisation's
    own: they are never shown on a page a group member can open."""

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    request = models.ForeignKey(
        SupportRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
        verbose_name=_("bij ondersteuningsvraag"),
    )
    held_on = models.DateField(_("datum"))
    minutes = models.PositiveIntegerField(_("duur in minuten"))
    attendee_roles = ArrayField(models.CharField(max_length=20), default=list, blank=True)
    topics = ArrayField(models.CharField(max_length=12), default=list, blank=True)
    notes = models.TextField(_("aantekeningen (alleen voor de ondersteuning)"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("coachingsgesprek")
        verbose_name_plural = _("coachingsgesprekken")
        ordering = ["-held_on", "-pk"]
        constraints = [
            # A session lasts more than nothing and at most a (long) working day.
            models.CheckConstraint(
                condition=Q(minutes__gt=0, minutes__lte=720), name="session_minutes_sane"
            )
        ]
        indexes = [models.Index(fields=["group", "held_on"])]

    def __str__(self):
        return f"{self.held_on} {self.group}"


class FollowUp(models.Model):
    """Something agreed in a session, with who does it and by when."""

    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="followups")
    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    description = models.CharField(_("afspraak"), max_length=300)
    due_on = models.DateField(_("uiterlijk op"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("wie")
    )
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vervolgafspraak")
        verbose_name_plural = _("vervolgafspraken")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["group", "done_on", "due_on"])]

    def __str__(self):
        return self.description


def _score(name):
    return models.PositiveSmallIntegerField(ActieDimension(name).label)


class ActieCheck(models.Model):
    """Scores 1–5 on the five ACTIE dimensions, by the support worker or by the group itself."""

    class Source(models.TextChoices):
        WORKER = "ondersteuner", _("ondersteuner")
        GROUP = "groep", _("groep zelf")

    group = models.ForeignKey("tenants.Group", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("door"), max_length=12, choices=Source.choices)
    scored_on = models.DateField(_("datum"))
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    animo = _score("animo")
    contacten = _score("contacten")
    toerusting = _score("toerusting")
    inbedding = _score("inbedding")
    empathie = _score("empathie")
    notes = models.JSONField(_("toelichting per onderdeel"), default=dict, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ACTIE-meting")
        verbose_name_plural = _("ACTIE-metingen")
        ordering = ["scored_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{d}__gte": 1 for d in ActieDimension.values})
                & Q(**{f"{d}__lte": 5 for d in ActieDimension.values}),
                name="actie_scores_1_to_5",
            )
        ]
        indexes = [models.Index(fields=["group", "source", "scored_on"])]

    def __str__(self):
        return f"ACTIE {self.group} {self.scored_on}"

    def scores(self) -> dict[str, int]:
        return {d: getattr(self, d) for d in ActieDimension.values}


class Platform(models.Model):
    """Groups linked together (a district's groups, an area's tenants' committees and VvE's)
    with a shared page and a contact list of the groups' public contacts."""

    name = models.CharField(_("naam"), max_length=120)
    slug = models.SlugField(_("korte naam"), max_length=60, unique=True)
    description = models.TextField(_("omschrijving"), blank=True)
    groups = models.ManyToManyField("tenants.Group", related_name="platforms", blank=True)

    history = HistoricalRecords(m2m_fields=[groups])

    class Meta:
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")
        ordering = ["name"]

    def __str__(self):
        return self.name
