"""The coordinator's pages, mounted at /ondersteuning/rapportages/."""

from django.urls import path

from backoffice.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.reports, name="reports"),
    path("<int:pk>/corrigeren/", views.report_correct, name="report_correct"),
    path("verzoeken/<int:pk>/afgehandeld/", views.correction_handled, name="correction_handled"),
    path("afnemers/", views.clients, name="clients"),
    path("afnemers/<int:pk>/sleutel/", views.key_create, name="key_create"),
    path("sleutels/<slug:prefix>/vervangen/", views.key_rotate, name="key_rotate"),
    path("sleutels/<slug:prefix>/intrekken/", views.key_revoke, name="key_revoke"),
]
