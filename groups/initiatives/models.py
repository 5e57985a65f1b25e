"""The tables of resident initiatives, in the group's own schema.

Budget lines, decisions, commitments and journal entries belong to other apps; they are
referred to by id (like `Decision.budget_line_id`) and reached through their facades. People
with an account are referred to by user id; initiators are residents without one, so their
name and contact live here and never on a public page.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backoffice.core.events import BusinessEvent
from backoffice.core.money import MoneyField
from tenants.history import tenant_history


class Round(models.Model):
    """A round (ronde) in which residents apply for money from one budget line."""

    class DecidedBy(models.TextChoices):
        BOARD = "bestuur", _("het bestuur")
        COMMITTEE = "commissie", _("de regiegroep of beoordelingscommissie")
        CONSULTATION = "raadpleging", _("een wijkraadpleging")
        VOUCHERS = "vouchers", _("vouchers van bewoners")

    class Ballot(models.TextChoices):
        ONE_CHOICE = "een_keuze", _("één keuze per huishouden")
        DIVIDE = "verdelen", _("een budget verdelen")

    name = models.CharField(_("naam"), max_length=120)
    opens_on = models.DateField(_("aanvragen vanaf"))
    closes_on = models.DateField(_("aanvragen tot en met"))
    ends_on = models.DateField(
        _("ronde loopt tot en met"),
        help_text=_("Tot deze dag werken vouchers en stemcodes."),
    )
    budget_line_id = models.BigIntegerField(_("begrotingsregel"))
    budget = MoneyField(_("budget van de ronde"))
    conditions = models.TextField(_("voorwaarden"), blank=True)
    decided_by = models.CharField(
        _("wie beslist"), max_length=12, choices=DecidedBy.choices, default=DecidedBy.BOARD
    )
    ballot = models.CharField(
        _("manier van stemmen"), max_length=10, choices=Ballot.choices, default=Ballot.ONE_CHOICE
    )
    voucher_value = MoneyField(_("waarde per voucher"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    history = tenant_history()

    class Meta:
        verbose_name = _("ronde")
        verbose_name_plural = _("rondes")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gt=0), name="round_budget_positive"),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")) & Q(ends_on__gte=F("closes_on")),
                name="round_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(voucher_value__isnull=True) | Q(voucher_value__gte=5),
                name="round_voucher_at_least_5",
            ),
        ]

    def __str__(self):
        return self.name

    def is_open_on(self, day) -> bool:
        return self.opens_on <= day <= self.closes_on


class Criterion(models.Model):
    """A condition an application is scored on (1 to 5)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterium"), max_length=160)
    position = models.PositiveSmallIntegerField(default=0)

    history = tenant_history()

    class Meta:
        ordering = ["round", "position", "id"]

    def __str__(self):
        return self.name


class Initiative(models.Model):
    """One application (aanvraag) by a resident, from submission to closing."""

    class Status(models.TextChoices):
        SUBMITTED = "ingediend", _("ingediend")
        MORE_INFO = "meer_info", _("meer informatie nodig")
        APPROVED = "goedgekeurd", _("goedgekeurd")
        PARTLY = "deels", _("deels goedgekeurd")
        REJECTED = "afgewezen", _("afgewezen")
        ACCOUNTED = "verantwoord", _("verantwoording ingeleverd")
        CLOSED = "afgesloten", _("afgerond")

    class Via(models.TextChoices):
        ONLINE = "online", _("online door de bewoner")
        DESK = "balie", _("aan de balie door een vrijwilliger")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("titel"), max_length=120)
    summary = models.CharField(_("korte samenvatting"), max_length=300)
    description = models.TextField(_("beschrijving"))
    requested_amount = MoneyField(_("gevraagd bedrag"))
    initiator_name = models.CharField(_("naam initiatiefnemer"), max_length=120)
    initiator_email = models.EmailField(_("e-mailadres"), max_length=200)
    initiator_phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    submitted_via = models.CharField(max_length=8, choices=Via.choices, default=Via.ONLINE)
    desk_user_id = models.BigIntegerField(null=True, blank=True)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    awarded_amount = MoneyField(_("toegekend bedrag"), null=True, blank=True)
    outcome_reason = models.TextField(_("toelichting op het besluit"), blank=True)
    decision_id = models.BigIntegerField(null=True, blank=True)
    decision_reference = models.CharField(max_length=20, blank=True)
    commitment_id = models.BigIntegerField(null=True, blank=True)
    # The personal link: only a SHA-256 of the token is kept; a new link voids the old one.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    token_issued_at = models.DateTimeField(default=timezone.now, editable=False)
    report = models.TextField(_("kort verslag"), blank=True)
    participants = models.PositiveIntegerField(_("aantal deelnemers"), null=True, blank=True)
    volunteers = models.PositiveIntegerField(_("aantal vrijwilligers"), null=True, blank=True)
    own_evaluation = models.TextField(_("eigen evaluatie"), blank=True)
    accounted_at = models.DateTimeField(null=True, blank=True)
    # The group accepted the accountability (the board); a pay-back request may follow.
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by_id = models.BigIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Where payouts go (a SEPA transfer): personal data, never on a public page.
    initiator_iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    account_holder = models.CharField(_("ten name van"), max_length=70, blank=True)

    history = tenant_history(excluded_fields=["token_hash"])

    class Meta:
        verbose_name = _("initiatief")
        verbose_name_plural = _("initiatieven")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gt=0), name="initiative_requested_positive"
            ),
            models.CheckConstraint(
                condition=Q(awarded_amount__isnull=True)
                | (Q(awarded_amount__gt=0) & Q(awarded_amount__lte=F("requested_amount"))),
                name="initiative_award_within_request",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["goedgekeurd", "deels", "verantwoord", "afgesloten"])
                | Q(awarded_amount__isnull=False),
                name="initiative_approved_has_amount",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"I-{self.pk}"

    @property
    def is_awarded(self) -> bool:
        return self.awarded_amount is not None and self.status in {
            self.Status.APPROVED,
            self.Status.PARTLY,
            self.Status.ACCOUNTED,
            self.Status.CLOSED,
        }


class BudgetItem(models.Model):
    """A line of the initiative's own small budget."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="items")
    description = models.CharField(_("omschrijving"), max_length=120)
    amount = MoneyField(_("bedrag"))

    history = tenant_history()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_item_positive")
        ]

    def __str__(self):
        return self.description


class Attachment(models.Model):
    """A photo or document with an application, or a receipt with its accountability."""

    class Kind(models.TextChoices):
        APPLICATION = "aanvraag", _("bij de aanvraag")
        RECEIPT = "bon", _("bonnetje")
        PHOTO = "foto", _("foto van het resultaat")

    class Review(models.TextChoices):
        NEW = "nieuw", _("nog niet bekeken")
        ACCEPTED = "goedgekeurd", _("goedgekeurd")
        REJECTED = "afgewezen", _("afgewezen")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(max_length=255)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    amount = MoneyField(_("bedrag op de bon"), null=True, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)
    # A receipt is looked at by the treasurer: accepted ones count and can be paid out.
    review = models.CharField(
        _("beoordeling"), max_length=12, choices=Review.choices, default=Review.NEW
    )
    review_note = models.CharField(_("toelichting"), max_length=300, blank=True)
    reviewed_by_id = models.BigIntegerField(null=True, blank=True)
    payout = models.ForeignKey(
        "Payout", null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )

    history = tenant_history()

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | Q(amount__gt=0), name="attachment_amount"
            ),
            models.CheckConstraint(
                condition=~Q(review="afgewezen") | ~Q(review_note=""),
                name="attachment_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(payout__isnull=True) | Q(review="goedgekeurd"),
                name="attachment_paid_only_when_accepted",
            ),
            models.UniqueConstraint(fields=["initiative", "sha256"], name="attachment_once"),
        ]

    def __str__(self):
        return self.original_name


class Declaration(models.Model):
    """An assessor's declaration of interest, made before scoring one initiative."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="declarations"
    )
    assessor_id = models.BigIntegerField()
    has_conflict = models.BooleanField(_("ik heb een eigen belang"))
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    history = tenant_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "assessor_id"], name="declaration_once_per_assessor"
            ),
            models.CheckConstraint(
                condition=Q(has_conflict=False) | ~Q(note=""), name="conflict_has_note"
            ),
        ]

    def __str__(self):
        return f"{self.initiative_id}/{self.assessor_id}"


class Score(models.Model):
    """One assessor's score (1 to 5) on one criterion, with a short reason."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    assessor_id = models.BigIntegerField()
    score = models.PositiveSmallIntegerField(_("score"))
    reason = models.CharField(_("reden"), max_length=300)

    history = tenant_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "criterion", "assessor_id"], name="score_once"
            ),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="score_1_to_5"),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class Payout(models.Model):
    """Money to or from an initiator, each one a booking in the ledger (`entry_id`).

    What goes out (advances and payouts against receipts) less what came back never exceeds
    the award, and never drops below zero: PostgreSQL checks it (sql/payout_limit.0004.sql).
    """

    class Kind(models.TextChoices):
        ADVANCE = "voorschot", _("voorschot")
        RECEIPTS = "bonnen", _("betaald tegen bonnetjes")
        RETURN = "terug", _("terugbetaald voorschot")

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="payouts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = MoneyField(_("bedrag"))
    date = models.DateField(_("datum"))
    entry_id = models.BigIntegerField(null=True, blank=True)
    entry_number = models.CharField(max_length=20, blank=True)
    created_by_id = models.BigIntegerField()
    # A transfer in the group's SEPA payment file (finance's payment order), if it goes that way.
    payment_order_id = models.BigIntegerField(null=True, blank=True)
    # A return answers the pay-back request it settles.
    request = models.ForeignKey(
        "PaybackRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="returns",
    )

    history = tenant_history()

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payout_positive"),
            models.CheckConstraint(
                condition=Q(request__isnull=True) | Q(kind="terug"), name="payout_request_on_return"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"

    @property
    def is_outgoing(self) -> bool:
        return self.kind != self.Kind.RETURN


class PaybackRequest(models.Model):
    """The treasurer asks the initiator to pay back what was advanced but not spent."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="payback_requests"
    )
    amount = MoneyField(_("bedrag"))
    reference = models.CharField(_("betalingskenmerk"), max_length=35, unique=True)
    iban = models.CharField(_("IBAN van de groep"), max_length=34)
    account_holder = models.CharField(_("ten name van"), max_length=70)
    sent_at = models.DateTimeField(default=timezone.now, editable=False)
    requested_by_id = models.BigIntegerField()

    history = tenant_history()

    class Meta:
        verbose_name = _("terugbetaalverzoek")
        verbose_name_plural = _("terugbetaalverzoeken")
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payback_request_positive")
        ]

    def __str__(self):
        return self.reference


class RateBucket(models.Model):
    """Attempts per key (an address, an e-mail, a code prefix) in a window, counted atomically."""

    key = models.CharField(max_length=120)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="rate_bucket_once")
        ]

    def __str__(self):
        return f"{self.key} {self.count}"


class InitiativeEvent(BusinessEvent):
    """Business events of initiatives (submitted, link renewed, decided, paid, ...)."""

    class Kind(models.TextChoices):
        SUBMITTED = "initiative_submitted", _("aanvraag ingediend")
        EDITED = "initiative_edited", _("aanvraag aangepast door de initiatiefnemer")
        LINK_RENEWED = "initiative_link_renewed", _("nieuwe persoonlijke link gemaakt")
        DECLARED = "initiative_declared", _("belang verklaard")
        SCORED = "initiative_scored", _("beoordeeld")
        DECIDED = "initiative_decided", _("besluit genomen")
        PAID = "initiative_paid", _("voorschot betaald")
        RECEIPT_SENT = "initiative_receipt_sent", _("bonnetje ingestuurd")
        RECEIPT_REVIEWED = "initiative_receipt_reviewed", _("bonnetje bekeken")
        PAID_RECEIPTS = "initiative_paid_receipts", _("betaald tegen bonnetjes")
        ACCEPTED = "initiative_accepted", _("verantwoording goedgekeurd")
        RETURN_REQUESTED = "initiative_return_requested", _("terugbetaling gevraagd")
        RETURNED = "initiative_returned", _("voorschot terugbetaald")
        ACCOUNTED = "initiative_accounted", _("verantwoording ingeleverd")
        CLOSED = "initiative_closed", _("afgerond")
        VOUCHERS_ISSUED = "vouchers_issued", _("vouchers uitgegeven")
        VOUCHER_REISSUED = "voucher_reissued", _("voucher opnieuw uitgegeven")
        VOUCHER_REDEEMED = "voucher_redeemed", _("voucher gebruikt")
        BALLOT_COUNTED = "ballot_counted", _("stem geteld")

    kind = models.CharField(_("gebeurtenis"), max_length=40, choices=Kind.choices)

    class Meta(BusinessEvent.Meta):
        verbose_name = _("gebeurtenis bij initiatieven")


class Household(models.Model):
    """A household address in the neighbourhood: gets a voucher or a voting code per round."""

    street = models.CharField(_("straat"), max_length=120)
    house_number = models.PositiveIntegerField(_("huisnummer"))
    addition = models.CharField(_("toevoeging"), max_length=10, blank=True)
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        validators=[
            RegexValidator(r"^[1-9][0-9]{3} ?[A-Z]{2}$", _("Een postcode ziet eruit als 1103 AB."))
        ],
    )

    history = tenant_history()

    class Meta:
        verbose_name = _("huishouden")
        verbose_name_plural = _("huishoudens")
        ordering = ["postcode", "house_number", "addition"]
        constraints = [
            models.UniqueConstraint(
                fields=["postcode", "house_number", "addition"], name="household_address_once"
            )
        ]

    def __str__(self):
        suffix = f"-{self.addition}" if self.addition else ""
        return f"{self.street} {self.house_number}{suffix}, {self.postcode}"


class Voucher(models.Model):
    """One household's voucher in a round. The code itself is never stored: only its HMAC.

    Redemption is one conditional UPDATE (unused, not voided, not expired), so of many
    concurrent attempts with one code exactly one changes the row.
    """

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="vouchers")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="vouchers")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    value = MoneyField(_("waarde"))
    expires_on = models.DateField(_("geldig tot en met"))
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.CharField(_("reden ongeldig"), max_length=200, blank=True)

    history = tenant_history(excluded_fields=["code_hash"])

    class Meta:
        verbose_name = _("voucher")
        verbose_name_plural = _("vouchers")
        ordering = ["round", "household", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "household"],
                condition=Q(voided_at__isnull=True),
                name="one_live_voucher_per_household",
            ),
            models.CheckConstraint(condition=Q(value__gte=5), name="voucher_at_least_5"),
            models.CheckConstraint(
                condition=Q(redeemed_at__isnull=True, initiative__isnull=True)
                | Q(redeemed_at__isnull=False, initiative__isnull=False),
                name="voucher_redeemed_for_initiative",
            ),
            models.CheckConstraint(
                condition=Q(redeemed_at__isnull=True) | Q(voided_at__isnull=True),
                name="voucher_not_redeemed_and_voided",
            ),
        ]
        indexes = [models.Index(fields=["initiative"], name="voucher_pool")]

    def __str__(self):
        return f"voucher {self.pk}"


class VotingCode(models.Model):
    """A household's code for a neighbourhood consultation; only its HMAC is stored.

    `voted_at`/`channel` are set by one conditional UPDATE when a ballot counts, so a
    household votes once: on paper or online, never both.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("online")
        PAPER = "papier", _("op papier")

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="voting_codes")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="voting_codes")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    voted_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, blank=True)

    history = tenant_history(excluded_fields=["code_hash"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "household"], name="one_code_per_household"),
            models.CheckConstraint(
                condition=(Q(voted_at__isnull=True) & Q(channel=""))
                | (Q(voted_at__isnull=False) & ~Q(channel="")),
                name="voting_code_voted_has_channel",
            ),
        ]

    def __str__(self):
        return f"stemcode {self.pk}"


class Ballot(models.Model):
    """A counted ballot: one per voting code (the database refuses a second)."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="ballots")
    voting_code = models.OneToOneField(VotingCode, on_delete=models.PROTECT, related_name="ballot")
    channel = models.CharField(max_length=8, choices=VotingCode.Channel.choices)
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cast_at", "id"]

    def __str__(self):
        return f"stem {self.pk}"


class BallotLine(models.Model):
    """Points for one initiative on a ballot: 1 for a single choice, euros when dividing."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="lines")
    initiative = models.ForeignKey(
        Initiative, on_delete=models.PROTECT, related_name="ballot_lines"
    )
    points = models.DecimalField(max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "initiative"], name="ballot_line_once"),
            models.CheckConstraint(condition=Q(points__gt=0), name="ballot_points_positive"),
        ]

    def __str__(self):
        return f"{self.initiative_id}: {self.points}"


class PaperEntry(models.Model):
    """A paper ballot as one volunteer typed it. Two entries by two different volunteers
    that agree make it count; entries that differ count for nothing until resolved."""

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="paper_entries")
    voting_code = models.ForeignKey(
        VotingCode, on_delete=models.PROTECT, related_name="paper_entries"
    )
    entered_by_id = models.BigIntegerField()
    choices = models.JSONField()  # {"<initiative id>": "<points>"}
    entered_at = models.DateTimeField(default=timezone.now)
    discarded_at = models.DateTimeField(null=True, blank=True)

    history = tenant_history()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["voting_code", "entered_by_id"],
                condition=Q(discarded_at__isnull=True),
                name="paper_entry_once_per_volunteer",
            )
        ]

    def __str__(self):
        return f"invoer {self.pk}"
