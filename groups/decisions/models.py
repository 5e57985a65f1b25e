"""How the group decides: house rules as data, meetings with attendance, numbered decisions."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.history import tenant_history

# Money: the project-wide shape of an amount in euros (finance uses the same).
MONEY = {"max_digits": 14, "decimal_places": 2}


class DecisionRules(models.Model):
    """The house rules (huishoudelijk reglement) in data, one row per version.

    The version in force on a date is the newest with `valid_from` on or before it. The
    first version is set when the group is set up; every later one cites the decision that
    changed the rules.
    """

    class Majority(models.TextChoices):
        SIMPLE = "gewoon", _("gewone meerderheid: meer stemmen voor dan tegen")
        ABSOLUTE = "volstrekt", _("volstrekte meerderheid: meer dan de helft van alle stemmen")
        TWO_THIRDS = "twee_derde", _("twee derde van de stemmen voor of tegen")

    valid_from = models.DateField(_("geldt vanaf"))
    decision = models.OneToOneField(
        "Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rules_version",
        verbose_name=_("besluit"),
    )
    quorum_percent = models.PositiveSmallIntegerField(
        _("quorum (procent aanwezig)"),
        default=50,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Hoeveel procent van de stemgerechtigden er minstens moet zijn. Bij een "
            "bestuursvergadering: het bestuur; bij een ledenvergadering: de leden."
        ),
    )
    majority = models.CharField(
        _("meerderheid"), max_length=12, choices=Majority.choices, default=Majority.SIMPLE
    )
    treasurer_alone_up_to = models.DecimalField(
        _("penningmeester alleen, tot en met"),
        **MONEY,
        default=Decimal("250.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    treasurer_and_chair_up_to = models.DecimalField(
        _("penningmeester en voorzitter samen, tot en met"),
        **MONEY,
        default=Decimal("1000.00"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Boven dit bedrag is een besluit van het bestuur nodig."),
    )
    conflict_of_interest_rule = models.TextField(
        _("regel bij eigen belang"),
        default=_(
            "Wie zelf belang heeft bij een besluit, zegt dat vooraf, stemt niet mee en "
            "verlaat de vergadering bij dit punt."
        ),
    )
    conflict_protocol = models.TextField(
        _("conflictprotocol"),
        default=_(
            "1. Bespreek het eerst samen. 2. Lukt dat niet: de voorzitter (of bij een conflict "
            "met de voorzitter de secretaris) nodigt beide partijen uit. 3. Lukt dat niet: "
            "vraag de ondersteuner om te bemiddelen. 4. Leg elke stap vast in het "
            "conflictenregister."
        ),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = tenant_history()

    class Meta:
        verbose_name = _("beslisregels")
        verbose_name_plural = _("beslisregels")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__gte=1, quorum_percent__lte=100),
                name="rules_quorum_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(treasurer_alone_up_to__gte=0)
                & Q(treasurer_and_chair_up_to__gte=F("treasurer_alone_up_to")),
                name="rules_limits_ordered",
            ),
        ]

    def __str__(self):
        return str(_("Beslisregels vanaf %(date)s") % {"date": self.valid_from})


class Meeting(models.Model):
    class Kind(models.TextChoices):
        BOARD = "bestuur", _("bestuursvergadering")
        MEMBERS = "leden", _("ledenvergadering")
        NEIGHBOURHOOD = "buurt", _("buurtbijeenkomst")

    kind = models.CharField(_("soort"), max_length=10, choices=Kind.choices)
    held_on = models.DateField(_("datum"))
    starts_at = models.TimeField(_("begintijd"), null=True, blank=True)
    place = models.CharField(_("plaats"), max_length=200)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("notulen"), blank=True)
    guests = models.PositiveSmallIntegerField(
        _("aantal buurtbewoners (niet in het ledenregister)"),
        default=0,
        help_text=_("Alleen bij een buurtbijeenkomst: bewoners die meedoen en meestemmen."),
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("vergadering")
        verbose_name_plural = _("vergaderingen")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(guests=0) | Q(kind="buurt"), name="meeting_guests_only_neighbourhood"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_on:%d-%m-%Y}"


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("groups.Member", on_delete=models.PROTECT, related_name="attendance")

    history = tenant_history()

    class Meta:
        verbose_name = _("aanwezige")
        verbose_name_plural = _("aanwezigen")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.member_id} @ {self.meeting_id}"


class DecisionSequence(models.Model):
    """The last decision number given out per year; locked while a number is taken."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class Decision(models.Model):
    """A besluit: numbered without gaps per year, its outcome computed from the rules."""

    class Kind(models.TextChoices):
        GENERAL = "algemeen", _("algemeen")
        FINANCIAL = "financieel", _("over geld")
        RULES = "regels", _("wijziging van de beslisregels")

    class Outcome(models.TextChoices):
        ADOPTED = "aangenomen", _("aangenomen")
        NO_MAJORITY = "geen_meerderheid", _("ongeldig: geen meerderheid")
        NO_QUORUM = "geen_quorum", _("ongeldig: geen quorum")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("vergadering")
    )
    year = models.PositiveSmallIntegerField(editable=False)
    number = models.PositiveIntegerField(editable=False)
    decided_on = models.DateField(_("datum besluit"))
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.GENERAL)
    title = models.CharField(_("korte titel"), max_length=200)
    text = models.TextField(_("tekst van het besluit"))
    amount = models.DecimalField(_("bedrag"), **MONEY, null=True, blank=True)
    budget_line_id = models.BigIntegerField(_("begrotingspost (nummer)"), null=True, blank=True)
    present_count = models.PositiveSmallIntegerField(_("aantal aanwezig bij de stemming"))
    votes_for = models.PositiveSmallIntegerField(_("stemmen voor"))
    votes_against = models.PositiveSmallIntegerField(_("stemmen tegen"))
    votes_abstain = models.PositiveSmallIntegerField(_("onthoudingen"), default=0)
    conflict_note = models.TextField(
        _("eigen belang"),
        blank=True,
        help_text=_("Wie niet meestemde vanwege eigen belang, en waarom."),
    )
    rules = models.ForeignKey(
        DecisionRules, on_delete=models.PROTECT, related_name="decisions", editable=False
    )
    quorum_required = models.PositiveSmallIntegerField(editable=False)
    quorum_met = models.BooleanField(editable=False)
    majority_met = models.BooleanField(editable=False)
    outcome = models.CharField(
        _("uitkomst"), max_length=20, choices=Outcome.choices, editable=False
    )
    is_published = models.BooleanField(_("op de openbare pagina"), default=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by_id = models.BigIntegerField(null=True, editable=False)

    history = tenant_history()

    class Meta:
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="decision_number_per_year"),
            models.CheckConstraint(condition=Q(number__gte=1), name="decision_number_positive"),
            models.CheckConstraint(
                condition=Q(year=ExtractYear("decided_on")), name="decision_year_matches_date"
            ),
            models.CheckConstraint(
                condition=Q(
                    present_count__gte=F("votes_for") + F("votes_against") + F("votes_abstain")
                ),
                name="decision_votes_within_present",
            ),
            models.CheckConstraint(
                condition=(Q(kind="financieel") & Q(amount__gt=0))
                | (~Q(kind="financieel") & Q(amount__isnull=True)),
                name="decision_amount_iff_financial",
            ),
            models.CheckConstraint(
                condition=(Q(outcome="aangenomen") & Q(quorum_met=True) & Q(majority_met=True))
                | (Q(outcome="geen_quorum") & Q(quorum_met=False))
                | (Q(outcome="geen_meerderheid") & Q(quorum_met=True) & Q(majority_met=False)),
                name="decision_outcome_consistent",
            ),
        ]
        indexes = [models.Index(fields=["is_published", "-decided_on"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.year}-{self.number:03d}"

    @property
    def is_valid(self) -> bool:
        return self.outcome == self.Outcome.ADOPTED
