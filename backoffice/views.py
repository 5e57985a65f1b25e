"""The home page (everyone to their place) and the error pages."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django_tenants.utils import tenant_context

from finance import facade as finance
from tenants import selectors as tenant_selectors


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
    if user.is_official:
        return redirect("knowledge:home")
    groups = list(tenant_selectors.groups_of_member(user=user))
    if len(groups) == 1:
        return redirect("groups:home", group_slug=groups[0].slug)
    for group in groups:  # what waits for this person in each group, read in its own schema
        with tenant_context(group):
            group.todo = finance.my_todo(user=user)
    return render(request, "backoffice/home.html", {"my_groups": groups})


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
