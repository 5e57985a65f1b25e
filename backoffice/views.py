"""The support organisation's own pages, the home page and the error pages."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.forms import AssignmentForm, GroupCreateForm, PersonAddForm, add_service_errors
from tenants import selectors as tenant_selectors
from tenants import services as tenant_services
from tenants.history import history_rows


def coordinator_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_coordinator:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def support_staff_required(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_support_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class LoginView(auth_views.LoginView):
    """Django's login page, saying how many tries are left before the lockout.

    The lockout (django-axes) counts failures per username *and* address together, so the
    count shown is the one for this name from this computer.
    """

    def form_invalid(self, form):
        failures = getattr(self.request, "axes_failures_since_start", 0) or 0
        context = self.get_context_data(form=form)
        if failures:
            context["attempts_left"] = max(settings.AXES_FAILURE_LIMIT - failures, 0)
            context["cooloff_minutes"] = _cooloff_minutes()
        return self.render_to_response(context)


def _cooloff_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE), with the real waiting time."""
    return render(
        request,
        "registration/locked_out.html",
        {"cooloff_minutes": _cooloff_minutes()},
        status=429,
    )


def home(request):
    """Send each person to their place."""
    user = request.user
    if user.is_coordinator:
        return redirect("support:overview")
    if user.is_support_staff:
        return redirect("support:caseload")
    groups = list(tenant_selectors.groups_of_member(user=user))
    if len(groups) == 1:
        return redirect("groups:home", group_slug=groups[0].slug)
    return render(request, "backoffice/home.html", {"my_groups": groups})


@coordinator_required
def overview(request):
    groups = tenant_selectors.coordinator_overview().order_by("district", "name")
    return render(request, "backoffice/overview.html", {"groups": groups})


@support_staff_required
def caseload(request):
    groups = tenant_selectors.caseload(user=request.user)
    return render(request, "backoffice/caseload.html", {"groups": groups})


@coordinator_required
def group_new(request):
    form = GroupCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = tenant_services.group_create(**form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Groep ‘%(name)s’ is aangemaakt.") % {"name": group.name})
            return redirect("support:group", slug=group.slug)
    return render(request, "backoffice/group_new.html", {"form": form})


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
    if form.is_valid():
        try:
            membership, link = tenant_services.person_add_to_group(
                group=group, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            text = _("%(name)s is toegevoegd als %(role)s.") % {
                "name": membership.user,
                "role": membership.get_role_display(),
            }
            if link:
                text += " " + _("Link om een wachtwoord te kiezen (ook gemaild): %(link)s") % {
                    "link": link
                }
            messages.success(request, text)
            return redirect("support:group", slug=group.slug)
    context = _group_detail_context(group, person_form=form)
    return render(request, "backoffice/group_detail.html", context, status=400)


@coordinator_required
@require_POST
def group_assign(request, slug):
    group = get_object_or_404(tenant_selectors.groups_visible(), slug=slug)
    form = AssignmentForm(request.POST)
    if form.is_valid():
        tenant_services.assignment_create(user=form.cleaned_data["user"], group=group)
        messages.success(request, _("Ondersteuner gekoppeld."))
        return redirect("support:group", slug=group.slug)
    context = _group_detail_context(group, assignment_form=form)
    return render(request, "backoffice/group_detail.html", context, status=400)


# --- Error pages (Dutch, plain language) --------------------------------------------------


@login_not_required
def page_not_found(request, exception=None):
    return TemplateResponse(request, "404.html", status=404)


@login_not_required
def permission_denied(request, exception=None):
    return TemplateResponse(request, "403.html", status=403)


@login_not_required
def server_error(request):
    return render(request, "500.html", status=500)


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
