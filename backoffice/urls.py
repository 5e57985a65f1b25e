"""Public-schema URLs, plus /g/<group_slug>/… for everything inside a group."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from backoffice import views

# The admin modules are found here, not at start-up (backoffice.apps.AdminConfig).
admin.autodiscover()
admin.site.site_header = "Buurtkas — beheer"
admin.site.site_title = "Buurtkas"

urlpatterns = [
    path("", views.home, name="home"),
    path("account/login/", views.LoginView.as_view(), name="login"),
    path("account/", include("django.contrib.auth.urls")),
    path("taal/", login_not_required(set_language), name="set_language"),
    path("ondersteuning/rapportages/", include("backoffice.reporting.urls")),
    path("ondersteuning/", include("backoffice.support.urls")),
    path("kennis/", include("knowledge.urls")),
    path("api/", include("api.urls")),
    path("beheer/", admin.site.urls),
    path("g/<slug:group_slug>/", include("backoffice.tenant_urls")),
]

handler404 = "backoffice.views.page_not_found"
handler403 = "backoffice.views.permission_denied"
handler500 = "backoffice.views.server_error"
