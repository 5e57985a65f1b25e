"""The home page (everyone to their place) and the error pages."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse

from tenants import selectors as tenant_selectors


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
