"""The shared learning space (public schema): articles with revisions, and the exchange
between groups.

What readers and search see of an article is its *live* copy: the fields on `Article`,
copied from the revision a second person approved. A draft (an article never approved, or
the newer revision of a published one) lives only in `ArticleRevision` rows, which search
never reads, so a draft cannot be found.

An exchange post belongs to the group its author posted for. With `anonymous` set the group
is kept (moderators need it) but never shown to another group: pages get the author line
from `knowledge.audience.shown_author`, never from the model.

A lesson card (`LessonCard`) is what a group shares of a closed initiative: a frozen
snapshot of its figures (taken from its own books when the board consents) and its own
evaluation. It is never recomputed; withdrawing it hides it and keeps the history.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Theme(models.TextChoices):
    ORGANISATION = "organisatie", _("Organisatie")
    DECISIONS = "besluiten", _("Besluiten over geld")
    MONEY = "geld", _("Geld en boekhouding")
    CONFLICTS = "conflicten", _("Conflicten")
    NEIGHBOURHOOD = "buurt", _("De buurt betrekken")
    PARTNERS = "samenwerken", _("Stadsdeel en woningcorporaties")
    PLATFORMS = "platforms", _("Platforms")
    APPLICATIONS = "aanvragen", _("Initiatieven en aanvragen")


class Actie(models.TextChoices):
    """The five ACTIE dimensions support workers use to see where a group needs help."""

    ANIMO = "animo", _("Animo")
    CONTACTEN = "contacten", _("Contacten")
    TOERUSTING = "toerusting", _("Toerusting")
    INBEDDING = "inbedding", _("Inbedding")
    EMPATHIE = "empathie", _("Empathie")


class Visibility(models.TextChoices):
    SUPPORT = "ondersteuning", _("alleen de ondersteuningsorganisatie")
    GROUPS = "groepen", _("alle bewonersgroepen")
    OFFICIALS = "ambtenaren", _("bewonersgroepen en ambtenaren van de gemeente")


def _choices_array(choices, size: int = 10):
    return ArrayField(
        models.CharField(max_length=20, choices=choices), default=list, blank=True, size=size
    )


class Article(models.Model):
    """A lesson learned, a how-to or a template, shared by the support organisation."""

    class Kind(models.TextChoices):
        LESSON = "les", _("les uit de praktijk")
        HOWTO = "handleiding", _("handleiding")
        TEMPLATE = "sjabloon", _("sjabloon")

    class Status(models.TextChoices):
        DRAFT = "concept", _("concept")
        REVIEW = "beoordeling", _("ter beoordeling")
        PUBLISHED = "gepubliceerd", _("gepubliceerd")

    status = models.CharField(
        _("stand"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="knowledge_articles",
    )
    latest_revision = models.ForeignKey(
        "ArticleRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    live_revision = models.ForeignKey(
        "ArticleRevision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_note = models.CharField(_("toelichting bij de beoordeling"), max_length=1000, blank=True)
    review_on = models.DateField(_("opnieuw bekijken op"), null=True, blank=True)
    review_reminded_on = models.DateField(null=True, blank=True, editable=False)

    # The live copy: empty until a second person approves the first revision.
    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices, blank=True)
    visibility = models.CharField(
        _("zichtbaar voor"), max_length=20, choices=Visibility.choices, blank=True
    )
    title = models.CharField(_("titel"), max_length=200, blank=True)
    summary = models.TextField(_("samenvatting"), blank=True)
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    themes = _choices_array(Theme.choices)
    actie = _choices_array(Actie.choices, size=5)
    keywords = ArrayField(models.CharField(max_length=40), default=list, blank=True, size=12)
    search_vector = SearchVectorField(null=True, editable=False)

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    history = HistoricalRecords(
        excluded_fields=["body_html", "body_text", "search_vector", "summary", "updated_at"]
    )

    class Meta:
        verbose_name = _("artikel")
        verbose_name_plural = _("artikelen")
        indexes = [
            GinIndex(fields=["search_vector"], name="knowledge_article_search"),
            GinIndex(fields=["themes"], name="knowledge_article_themes"),
            models.Index(
                fields=["-published_at"],
                name="knowledge_article_live",
                condition=Q(live_revision__isnull=False),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(live_revision__isnull=True) | ~Q(title="") & ~Q(visibility=""),
                name="knowledge_article_live_has_title_and_audience",
            ),
        ]

    def __str__(self):
        if self.title:
            return self.title
        return self.latest_revision.title if self.latest_revision_id else f"#{self.pk}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("knowledge:article", kwargs={"pk": self.pk})

    @property
    def is_live(self) -> bool:
        return self.live_revision_id is not None


class ArticleRevision(models.Model):
    """One saved version of an article's content; never changed once written."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    kind = models.CharField(_("soort"), max_length=20, choices=Article.Kind.choices)
    visibility = models.CharField(_("zichtbaar voor"), max_length=20, choices=Visibility.choices)
    title = models.CharField(_("titel"), max_length=200)
    summary = models.TextField(_("samenvatting"), max_length=600)
    body = models.TextField(_("tekst"))
    themes = _choices_array(Theme.choices)
    actie = _choices_array(Actie.choices, size=5)
    keywords = ArrayField(models.CharField(max_length=40), default=list, blank=True, size=12)
    note = models.CharField(_("wat is er veranderd"), max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("versie")
        verbose_name_plural = _("versies")
        ordering = ["article", "number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="knowledge_revision_once"),
        ]

    def __str__(self):
        return f"{self.title} (v{self.number})"


class Attachment(models.Model):
    """A file with an article (a template to download, an example); checked by content."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=300)
    original_name = models.CharField(_("bestandsnaam"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "sha256"], name="knowledge_attachment_once")
        ]

    def __str__(self):
        return self.original_name


class Post(models.Model):
    """A question or an experience a group shares with the other groups."""

    class Kind(models.TextChoices):
        QUESTION = "vraag", _("vraag")
        EXPERIENCE = "ervaring", _("ervaring")

    kind = models.CharField(_("soort"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    body = models.TextField(_("tekst"))
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    themes = _choices_array(Theme.choices)
    actie = _choices_array(Actie.choices, size=5)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The author's group; null for a post by the support organisation's staff.
    group = models.ForeignKey(
        "tenants.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(_("zonder naam van de groep"), default=False)
    solved_reply = models.ForeignKey(
        "Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden = models.BooleanField(_("verborgen"), default=False)
    moderation_reason = models.CharField(_("reden"), max_length=500, blank=True)
    # Plain text of the visible replies, so a question is found by what its answers say.
    replies_text = models.TextField(blank=True, editable=False)
    reply_count = models.PositiveIntegerField(default=0, editable=False)
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)

    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "body_text",
            "replies_text",
            "reply_count",
            "search_vector",
            "updated_at",
            "last_activity_at",
        ]
    )

    class Meta:
        verbose_name = _("bericht")
        verbose_name_plural = _("berichten")
        indexes = [
            GinIndex(fields=["search_vector"], name="knowledge_post_search"),
            GinIndex(fields=["themes"], name="knowledge_post_themes"),
            models.Index(fields=["-last_activity_at"], name="knowledge_post_activity"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("knowledge:post", kwargs={"pk": self.pk})

    @property
    def is_solved(self) -> bool:
        return self.solved_reply_id is not None


class Reply(models.Model):
    """An answer to a question, or a reaction to an experience."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField(_("tekst"))
    body_html = models.TextField(blank=True, editable=False)
    body_text = models.TextField(blank=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    group = models.ForeignKey(
        "tenants.Group", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    anonymous = models.BooleanField(_("zonder naam van de groep"), default=False)
    hidden = models.BooleanField(_("verborgen"), default=False)
    moderation_reason = models.CharField(_("reden"), max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)

    history = HistoricalRecords(excluded_fields=["body_html", "body_text"])

    class Meta:
        verbose_name = _("reactie")
        verbose_name_plural = _("reacties")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at"], name="knowledge_reply_post")]

    def __str__(self):
        return f"{self.post} — {self.created_at:%Y-%m-%d}"


class Report(models.Model):
    """Someone reports a post or a reply to the moderators."""

    class Outcome(models.TextChoices):
        OPEN = "", _("open")
        HIDDEN = "verborgen", _("verborgen")
        KEPT = "blijft", _("blijft staan")

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.CharField(_("waarom meld je dit?"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True, default="")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, reply__isnull=True)
                | Q(post__isnull=True, reply__isnull=False),
                name="knowledge_report_one_target",
            )
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d} {self.reason[:40]}"


class Follow(models.Model):
    """A person follows a question or a theme and gets a digest of what is new."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="knowledge_follows"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True)
    theme = models.CharField(max_length=20, choices=Theme.choices, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # Everything up to this moment has been in a digest (or happened before following).
    notified_until = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(excluded_fields=["notified_until"])

    class Meta:
        verbose_name = _("volger")
        verbose_name_plural = _("volgers")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, theme="") | Q(post__isnull=True) & ~Q(theme=""),
                name="knowledge_follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "post"], condition=Q(post__isnull=False), name="follow_post_once"
            ),
            models.UniqueConstraint(
                fields=["user", "theme"], condition=~Q(theme=""), name="follow_theme_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.post or self.get_theme_display()}"


class LessonCard(models.Model):
    """ "What did it cost, what worked": a closed initiative, shared by its group's board.

    The figures are a snapshot (amounts as strings of exact cents, counts as integers), so
    later bookings never change what was shared. The group link is kept for the group's own
    board (to withdraw) and the moderators; with `anonymous` other readers never see it.
    """

    group = models.ForeignKey("tenants.Group", on_delete=models.PROTECT, related_name="+")
    anonymous = models.BooleanField(_("zonder naam van de groep"), default=False)
    source_kind = models.CharField(max_length=30, default="initiatief", editable=False)
    source_id = models.PositiveIntegerField(editable=False)
    title = models.CharField(_("titel"), max_length=200)
    evaluation = models.TextField(_("wat werkte en wat niet"))
    evaluation_html = models.TextField(blank=True, editable=False)
    themes = _choices_array(Theme.choices)
    figures = models.JSONField(_("cijfers"), editable=False)
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    published_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    withdrawal_reason = models.CharField(_("reden van intrekken"), max_length=500, blank=True)

    history = HistoricalRecords(excluded_fields=["evaluation_html"])

    class Meta:
        verbose_name = _("les uit een initiatief")
        verbose_name_plural = _("lessen uit initiatieven")
        ordering = ["-published_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "source_kind", "source_id"],
                condition=Q(withdrawn_at__isnull=True),
                name="knowledge_lessoncard_once_per_source",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_by__isnull=False),
                name="knowledge_lessoncard_withdrawn_by_someone",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
