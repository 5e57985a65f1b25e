"""The group's own support pages, mounted at /g/<group_slug>/ondersteuning/."""

from django.urls import path

from backoffice.support import group_views

app_name = "group_support"

urlpatterns = [
    path("", group_views.support_home, name="home"),
    path("aanvragen/", group_views.request_new, name="request_new"),
    path("vragen/<int:pk>/waardering/", group_views.request_rate, name="request_rate"),
    path("actie/", group_views.actie_new, name="actie_new"),
]
