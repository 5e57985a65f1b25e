"""Writes on the registry: creating groups, giving people access."""

import re

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from tenants.facts import facts_rebuild
from tenants.models import RESERVED_SLUGS, Assignment, District, Group, User
from tenants.schemas import clone_template, schema_exists


def schema_name_for(slug: str) -> str:
    return "g_" + re.sub(r"[^a-z0-9]", "_", slug)


def _validate_new_group(*, name: str, slug: str, district: str) -> None:
    errors = {}
    if slug in RESERVED_SLUGS:
        errors["slug"] = _("Deze korte naam is gereserveerd; kies een andere.")
    elif Group.objects.filter(slug=slug).exists():
        errors["slug"] = _("Er is al een groep met de korte naam ‘%(slug)s’.") % {"slug": slug}
    if district not in District.values:
        errors["district"] = _("Kies een stadsdeel uit de lijst.")
    if not name.strip():
        errors["name"] = _("Geef de groep een naam.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_create(*, name: str, slug: str, district: str, neighbourhood: str = "") -> Group:
    """Register a group and create its schema as a clone of the template.

    Registry row and schema are made in one transaction: a failure leaves neither.
    """
    slug = slug.strip().lower()
    _validate_new_group(name=name, slug=slug, district=district)
    group = Group(
        name=name.strip(),
        slug=slug,
        district=district,
        neighbourhood=neighbourhood.strip(),
        schema_name=schema_name_for(slug),
    )
    group.full_clean()
    if schema_exists(group.schema_name):
        raise ValidationError({"slug": _("Er bestaat al een schema voor deze korte naam.")})
    group.save()
    clone_template(group.schema_name)
    # The apps that live in a group's schema set up their first rows (settings.GROUP_INITIALISERS);
    # the registry does not import them.
    for path in settings.GROUP_INITIALISERS:
        import_string(path)(group)
    connection.set_schema_to_public()
    facts_rebuild(group)
    return group


@transaction.atomic
def ensure_template_group() -> Group:
    """The registry row for the template schema; its schema is migrated by migrate_schemas."""

    template = Group.objects.filter(is_template=True).first()
    if template is None:
        template = Group.objects.create(
            name="Sjabloon",
            slug="template",
            district=District.CENTRUM,
            schema_name=settings.TENANT_TEMPLATE_SCHEMA,
            is_template=True,
            is_active=False,
        )
    if not schema_exists(template.schema_name):
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{template.schema_name}"')
    return template


def _password_link(user: User, request=None) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return request.build_absolute_uri(path) if request else path


@transaction.atomic
def user_for_email(*, email: str, first_name: str, last_name: str, welcome_to: str, request=None):
    """The account with this e-mail address, created (with a mailed link to choose a password)
    when there is none. Returns (user, link or None)."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is not None:
        return user, None
    user = User(username=email, email=email, first_name=first_name, last_name=last_name)
    user.set_unusable_password()
    user.full_clean()
    user.save()
    link = _password_link(user, request)
    transaction.on_commit(
        lambda: send_mail(
            _("Welkom bij Buurtkas"),
            _("Je bent toegevoegd aan %(group)s. Kies je wachtwoord via: %(link)s")
            % {"group": welcome_to, "link": link},
            None,
            [email],
        )
    )
    return user, link


@transaction.atomic
def assignment_create(*, user: User, group: Group, note: str = "") -> Assignment:
    if not user.is_support_staff:
        raise ValidationError(_("Alleen medewerkers van de ondersteuningsorganisatie."))
    assignment, _created = Assignment.objects.get_or_create(
        user=user, group=group, defaults={"note": note}
    )
    return assignment


@transaction.atomic
def user_deactivate(*, user: User) -> User:
    """Deactivate an account. Its sessions end at the next request: Django's ModelBackend
    refuses to load an inactive user, so no session table scan is needed."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    return user
