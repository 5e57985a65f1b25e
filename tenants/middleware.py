"""Routing a request to a group's schema by path, and letting in only those who may enter.

URLs of a group look like /g/<slug>/…. The schema is chosen from the path before anything
else runs; the URLconf is static (one resolver for all groups), so no URL caches are cleared.
"""

import re

from django.db import connection
from django.http import Http404

from tenants.access import forget_request_access, group_access, remember_for_request
from tenants.models import AccessLogEntry, Group

GROUP_PATH = re.compile(r"^/g/(?P<slug>[a-z0-9-]+)(?:/|$)")


class GroupSchemaMiddleware:
    """Sets `request.group` and the connection's schema from the /g/<slug>/ prefix."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        previous = getattr(connection, "tenant", None)
        connection.set_schema_to_public()
        request.group = None
        match = GROUP_PATH.match(request.path_info)
        if match:
            group = (
                Group.objects.filter(slug=match["slug"], is_template=False, is_active=True)
                .only("id", "schema_name", "slug", "name", "district")
                .first()
            )
            if group is None:
                raise Http404("Onbekende groep")
            request.group = group
            request.tenant = group
            connection.set_tenant(group)
        try:
            return self.get_response(request)
        finally:
            if previous is not None and previous.schema_name != connection.schema_name:
                connection.set_tenant(previous)
            elif previous is None:
                connection.set_schema_to_public()


class GroupAccessMiddleware:
    """Only members and assigned support staff enter a group; everyone else gets 404.

    A view declared public on purpose (`django.contrib.auth.decorators.login_not_required`)
    is open to all. Every other group URL is closed by default, so a new URL cannot leak.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forget_request_access()
        try:
            return self.get_response(request)
        finally:
            forget_request_access()

    def process_view(self, request, view_func, view_args, view_kwargs):
        group = getattr(request, "group", None)
        if group is None:
            if "group_slug" in view_kwargs:
                # A group URL whose slug the schema middleware did not recognise (e.g. capitals):
                # never run a group view without its group and its gate.
                raise Http404("Onbekende groep")
            return None
        # Views do not need the slug: the group is request.group.
        view_kwargs.pop("group_slug", None)
        access = group_access(user=request.user, group=group)
        if getattr(view_func, "login_required", True) and not access.can_enter:
            raise Http404("Geen toegang tot deze groep")
        # Set only once the gate let the person through: the refused get a page without it.
        request.group_access = access
        if request.user.is_authenticated:
            remember_for_request(user=request.user, group=group, access=access)
        if not getattr(view_func, "login_required", True):
            return None
        if request.user.is_support_staff:
            AccessLogEntry.objects.create(
                user=request.user,
                username=request.user.get_username(),
                group=group,
                method=request.method[:8],
                path=request.get_full_path()[:500],
            )
        return None
