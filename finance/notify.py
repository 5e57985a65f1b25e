"""E-mail to the people something waits for: a claim to approve, a year to reopen.

Mails leave the process only when the change that caused them is committed
(`transaction.on_commit`): a step that is rolled back sends nothing. They are plain Dutch
text with a link to the page where the step is taken (`BUURTKAS_BASE_URL` makes it absolute).
Callers pass the recipients; people without an e-mail address, inactive people and the actor
themselves are left out.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tenants import facade as tenants
from tenants.templatetags.group_urls import group_reverse


def _absolute(path: str) -> str:
    base = getattr(settings, "BUURTKAS_BASE_URL", "").rstrip("/")
    return f"{base}{path}" if base else path


def _send(*, to: str, subject: str, body: str) -> None:
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)
    )


def approval_waiting(*, recipients, what: str, subject: str, view: str, actor=None, **kwargs):
    """Tell each recipient that `what` waits for their approval, with a link to `view`.

    Returns the addresses written to (sent once the transaction commits).
    """
    group = tenants.current_group()
    url = _absolute(group_reverse(group, view, **kwargs))
    sent = []
    with translation.override(settings.LANGUAGE_CODE):
        for person in recipients:
            if not person.is_active or not person.email or person.pk == getattr(actor, "pk", 0):
                continue
            body = _(
                "Beste %(name)s,\n\n"
                "In %(group)s wacht iets op jouw goedkeuring:\n%(what)s\n\n"
                "Bekijk het en keur het goed of af:\n%(url)s\n\n"
                "Je krijgt dit bericht omdat jij dit in %(group)s mag goedkeuren.\n\n"
                "Buurtkas"
            ) % {
                "name": person.first_name or person.get_username(),
                "group": group.name,
                "what": what,
                "url": url,
            }
            _send(to=person.email, subject=f"Buurtkas: {subject}", body=body)
            sent.append(person.email)
    return sent


def reopen_waiting(*, request, actor) -> list[str]:
    """A request to reopen a closed year waits for the other of treasurer and chair.

    For `finance.closing.services.year_reopen_request` to call after the request is saved.
    """
    group = tenants.current_group()
    role = tenants.Role.CHAIR if request.chair_id is None else tenants.Role.TREASURER
    year = str(request.year.year)
    with translation.override(settings.LANGUAGE_CODE):
        what = _("Het verzoek om boekjaar %(y)s weer te openen. Reden: %(reason)s") % {
            "y": year,
            "reason": request.reason,
        }
        subject = _("boekjaar %(y)s heropenen wacht op je goedkeuring") % {"y": year}
    return approval_waiting(
        recipients=tenants.users_with_role(group=group, role=role),
        what=what,
        subject=subject,
        view="finance:year",
        actor=actor,
        year=request.year.year,
    )
