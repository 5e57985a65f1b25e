"""A resident group's own organisation, stored in the group's schema.

People in the register (`Member`) are not accounts: a member may link to a public
`tenants.User` by id only (`user_id`), never by a cross-schema foreign key.
"""

from decimal import Decimal

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.history import tenant_history
from tenants.models import District

# Money: the project-wide shape of an amount in euros (finance uses the same).
MONEY = {"max_digits": 14, "decimal_places": 2}

kvk_validator = RegexValidator(
    regex=r"^[0-9]{8}$", message=_("Een KvK-nummer bestaat uit precies 8 cijfers.")
)


class DateRange(Func):
    """daterange(start, end, '[]'): an open end (NULL) means 'still running'."""

    function = "DATERANGE"
    template = "%(function)s(%(expressions)s, '[]')"

    def __init__(self, *expressions, **extra):
        from django.contrib.postgres.fields import DateRangeField

        super().__init__(*expressions, output_field=DateRangeField(), **extra)


class Profile(models.Model):
    """Who the group is: one row per group schema."""

    class LegalForm(models.TextChoices):
        INFORMAL = "informeel", _("informele groep")
        ASSOCIATION = "vereniging", _("vereniging")
        FOUNDATION = "stichting", _("stichting")

    name = models.CharField(_("naam"), max_length=120)
    neighbourhood = models.CharField(_("buurt"), max_length=120, blank=True)
    district = models.CharField(_("stadsdeel"), max_length=20, choices=District.choices, blank=True)
    legal_form = models.CharField(
        _("rechtsvorm"), max_length=20, choices=LegalForm.choices, default=LegalForm.INFORMAL
    )
    kvk_number = models.CharField(
        _("KvK-nummer"),
        max_length=8,
        blank=True,
        validators=[kvk_validator],
        help_text=_("8 cijfers. Alleen voor een vereniging of stichting."),
    )
    mission = models.TextField(_("waar we voor staan"), blank=True)
    contact_email = models.EmailField(_("e-mailadres van de groep"), blank=True)
    contact_phone = models.CharField(_("telefoon van de groep"), max_length=30, blank=True)
    contact_note = models.TextField(
        _("zo bereik je ons"),
        blank=True,
        help_text=_("Bijvoorbeeld een spreekuur of inloop. Zet hier geen privégegevens van leden."),
    )
    privacy_statement = models.TextField(
        _("privacyverklaring"),
        blank=True,
        help_text=_("Welke gegevens de groep bewaart, waarom, hoe lang, en wie ze ziet."),
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("groepsprofiel")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="profile_is_singleton"),
            models.CheckConstraint(
                condition=Q(kvk_number="") | Q(kvk_number__regex=r"^[0-9]{8}$"),
                name="profile_kvk_eight_digits",
            ),
        ]

    def __str__(self):
        return self.name


class Member(models.Model):
    """A person in the group's register; many have no account."""

    ANONYMOUS_NAME = "Geanonimiseerd lid"

    name = models.CharField(_("naam"), max_length=150)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    address = models.TextField(_("adres"), blank=True, help_text=_("Niet verplicht."))
    joined_on = models.DateField(_("lid sinds"), default=timezone.localdate)
    left_on = models.DateField(_("gestopt op"), null=True, blank=True)
    user_id = models.BigIntegerField(_("account (id)"), null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(
        _("geanonimiseerd op"), null=True, blank=True, editable=False
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("lid")
        verbose_name_plural = _("leden")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user_id"],
                condition=Q(user_id__isnull=False),
                name="member_one_per_account",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="member_left_after_joined",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class Role(models.TextChoices):
    CHAIR = "voorzitter", _("voorzitter")
    TREASURER = "penningmeester", _("penningmeester")
    SECRETARY = "secretaris", _("secretaris")
    AUDIT = "kascommissie", _("kascommissie")


BOARD_ROLES = (Role.CHAIR, Role.TREASURER, Role.SECRETARY)


class RoleTerm(models.Model):
    """A member holding a role from `starts_on` to `ends_on` (open end: still in office)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="terms")
    role = models.CharField(_("rol"), max_length=20, choices=Role.choices)
    starts_on = models.DateField(_("begint op"))
    ends_on = models.DateField(_("eindigt op"), null=True, blank=True)
    handed_over_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="handed_over_to"
    )
    handover_note = models.TextField(
        _("overdracht"),
        blank=True,
        help_text=_("Wat is overgedragen: sleutels, bankpas, wachtwoorden, archief."),
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("termijn")
        verbose_name_plural = _("termijnen")
        ordering = ["role", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="term_ends_after_start",
            ),
        ] + [
            # One person at a time in each board seat: terms of one role never overlap.
            ExclusionConstraint(
                name=f"term_no_overlap_{role.value}",
                expressions=[(DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS)],
                condition=Q(role=role.value),
                violation_error_message=_(
                    "Er is in deze periode al iemand %(role)s. Termijnen voor één rol mogen "
                    "niet overlappen: beëindig eerst de lopende termijn."
                )
                % {"role": role.label},
            )
            for role in BOARD_ROLES
        ]

    def __str__(self):
        return f"{self.get_role_display()} ({self.starts_on} – {self.ends_on or '…'})"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


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
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance")

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


class GroupEvent(models.Model):
    """A business event worth its own row: decision recorded, rules changed, role handed over.

    The summary never holds personal data, so it survives an erasure request unchanged.
    """

    class Kind(models.TextChoices):
        DECISION_RECORDED = "besluit", _("besluit vastgelegd")
        DECISION_PUBLISHED = "gepubliceerd", _("besluit openbaar gemaakt")
        RULES_CHANGED = "regels", _("beslisregels gewijzigd")
        ROLE_HANDED_OVER = "overdracht", _("rol overgedragen")
        MEMBER_ANONYMISED = "geanonimiseerd", _("lid geanonimiseerd")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user_id = models.BigIntegerField(null=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True)
    summary = models.CharField(max_length=300)

    class Meta:
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d} {self.get_kind_display()}"


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
