"""A group's own view of its reports, mounted at /g/<group_slug>/rapportage/."""

from django.urls import path

from backoffice.reporting import views

app_name = "reporting_group"

urlpatterns = [path("", views.group_reports, name="reports")]
