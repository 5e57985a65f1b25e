"""Who the group is and who is in it: profile, member register, role terms, and its events.

People in the register (`Member`) are not accounts: a member may link to a public
`tenants.User` by id only (`user_id`), never by a cross-schema foreign key."""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.core.events import BusinessEvent
from tenants.facade import BOARD_ROLES, TERM_ROLES, District, Role
from tenants.history import tenant_history

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


# The roles a member holds for a term: the one role enumeration of tenants, without "lid"
# (being a member is being in the register, not a term).
TERM_ROLE_CHOICES = [(role, Role(role).label) for role in TERM_ROLES]


class RoleTerm(models.Model):
    """A member holding a role from `starts_on` to `ends_on` (open end: still in office)."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="terms")
    role = models.CharField(_("rol"), max_length=20, choices=TERM_ROLE_CHOICES)
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
                name=f"term_no_overlap_{role}",
                expressions=[(DateRange("starts_on", "ends_on"), RangeOperators.OVERLAPS)],
                condition=Q(role=role),
                violation_error_message=_(
                    "Er is in deze periode al iemand %(role)s. Termijnen voor één rol mogen "
                    "niet overlappen: beëindig eerst de lopende termijn."
                )
                % {"role": Role(role).label},
            )
            for role in BOARD_ROLES
        ]

    def __str__(self):
        return f"{self.get_role_display()} ({self.starts_on} – {self.ends_on or '…'})"

    def is_current(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class GroupEvent(BusinessEvent):
    """A business event of the group: decision recorded, rules changed, role handed over, ...

    Written by the functions in `groups.events`. The note never holds personal data, so it
    survives an erasure request unchanged.
    """

    class Kind(models.TextChoices):
        DECISION_RECORDED = "besluit", _("besluit vastgelegd")
        DECISION_PUBLISHED = "gepubliceerd", _("besluit openbaar gemaakt")
        RULES_CHANGED = "regels", _("beslisregels gewijzigd")
        ROLE_HANDED_OVER = "overdracht", _("rol overgedragen")
        MEMBER_ANONYMISED = "geanonimiseerd", _("lid geanonimiseerd")

    kind = models.CharField(_("gebeurtenis"), max_length=40, choices=Kind.choices)

    class Meta(BusinessEvent.Meta):
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        ordering = ["-at", "-id"]
