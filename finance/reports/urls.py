"""URLs of the dashboard and reports, in the finance namespace."""

from django.urls import path

from finance.reports import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("rapporten/", views.report_index, name="reports"),
    path("rapporten/<slug:kind>/", views.report, name="report"),
]
