from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tenants.history import history_rows
from tenants.templatetags.group_urls import group_reverse

from . import selectors, services
from .forms import ProfileForm
from .permissions import BOARD, group_roles_required


def home(request):
    """The group's start page: who we are and where to go next."""
    return render(request, "groups/home.html", {"profile": selectors.profile_get()})


def profile(request):
    item = selectors.profile_get()
    return render(
        request,
        "groups/profile.html",
        {"profile": item, "history": history_rows(item) if item else []},
    )


@group_roles_required(*BOARD)
def profile_edit(request):
    item = selectors.profile_get()
    form = ProfileForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.profile_update(profile=item, **form.cleaned_data)
        messages.success(request, _("Het profiel is opgeslagen."))
        return redirect(group_reverse(request.group, "groups:profile"))
    return render(request, "groups/profile_edit.html", {"form": form}, status=400 if form.errors else 200)
