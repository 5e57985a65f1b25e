"""URLs inside a group, mounted at /g/<group_slug>/.

Every pattern here is closed to people without a membership or assignment (404), and to
anonymous visitors (login), unless its view is declared public with `login_not_required`.
tests/tenants/test_isolation.py walks this list: a new pattern must be added there.
"""

from django.urls import include, path

urlpatterns = [
    path("", include("groups.urls")),
    path("financien/", include("finance.urls")),
    path("initiatieven/", include("groups.initiatives.urls")),
    path("ondersteuning/", include("backoffice.support.group_urls")),
    path("rapportage/", include("backoffice.reporting.group_urls")),
]
