"""The support organisation's registry pages: creating groups, adding people and support
workers (the caseload, overview and the rest of its work: work_views.py)."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.core.forms import form_saved
from backoffice.support import services
from backoffice.support.forms import AssignmentForm, GroupCreateForm, PersonAddForm
from tenants import selectors as tenant_selectors
from tenants import services as tenant_services
from tenants.facade import coordinator_required
from tenants.history import history_rows


@coordinator_required
def group_new(request):
    form = GroupCreateForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: tenant_services.group_create(**data),
        success=lambda group: _("Groep ‘%(name)s’ is aangemaakt.") % {"name": group.name},
        then=_group_url,
    )
    return saved or render(request, "backoffice/group_new.html", {"form": form})


def _group_url(group) -> str:
    return reverse("support:group", kwargs={"slug": group.slug})


def _group_detail_context(group, person_form=None, assignment_form=None):
    return {
        "the_group": group,
        "people": tenant_selectors.group_people(group=group),
        "coaches": tenant_selectors.group_coaches(group=group),
        "access_log": tenant_selectors.access_log(group=group, limit=20),
        "history": history_rows(group),
        "person_form": person_form or PersonAddForm(),
        "assignment_form": assignment_form or AssignmentForm(),
    }


@coordinator_required
def group_detail(request, slug):
    group = get_object_or_404(tenant_selectors.groups_visible(), slug=slug)
    return render(request, "backoffice/group_detail.html", _group_detail_context(group))


@coordinator_required
@require_POST
def group_person_add(request, slug):
    group = get_object_or_404(tenant_selectors.groups_visible(), slug=slug)
    form = PersonAddForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: services.person_add_to_group(group=group, request=request, **data),
        success=_person_added,
        then=_group_url(group),
    )
    if saved:
        return saved
    context = _group_detail_context(group, person_form=form)
    return render(request, "backoffice/group_detail.html", context, status=400)


@coordinator_required
@require_POST
def group_assign(request, slug):
    group = get_object_or_404(tenant_selectors.groups_visible(), slug=slug)
    form = AssignmentForm(request.POST)
    saved = form_saved(
        request,
        form,
        lambda data: tenant_services.assignment_create(user=data["user"], group=group),
        success=_("Ondersteuner gekoppeld."),
        then=_group_url(group),
    )
    if saved:
        return saved
    context = _group_detail_context(group, assignment_form=form)
    return render(request, "backoffice/group_detail.html", context, status=400)


def _person_added(added) -> str:
    text = _("%(name)s is toegevoegd als %(role)s.") % {
        "name": added.user,
        "role": added.role_label,
    }
    if added.password_link:
        text += " " + _("Link om een wachtwoord te kiezen (ook gemaild): %(link)s") % {
            "link": added.password_link
        }
    return text
