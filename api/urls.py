"""/api/v1/…: kebab-case, plural nouns, no trailing slash (API Design Rules)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerSplitView

from api import views

app_name = "api"


def open_view(view_class, **kwargs):
    """Municipal systems have no login: the API key (or nothing, for the docs) is the gate."""
    return login_not_required(view_class.as_view(**kwargs))


urlpatterns = [
    path(
        "v1/openapi.json",
        open_view(SpectacularJSONAPIView, authentication_classes=[], permission_classes=[]),
        name="openapi",
    ),
    path(
        "v1/docs",
        open_view(
            SpectacularSwaggerSplitView,
            url_name="api:openapi",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="docs",
    ),
    path("v1/periods", open_view(views.PeriodListApi), name="period-list"),
    path("v1/periods/<str:periodCode>", open_view(views.PeriodDetailApi), name="period-detail"),
    path("v1/districts", open_view(views.DistrictListApi), name="district-list"),
    path("v1/groups", open_view(views.GroupListApi), name="group-list"),
    path("v1/reports", open_view(views.ReportListApi), name="report-list"),
    path("v1/reports/<int:reportId>", open_view(views.ReportDetailApi), name="report-detail"),
    path(
        "v1/reports/<int:reportId>/versions",
        open_view(views.ReportVersionListApi),
        name="report-versions",
    ),
    path(
        "v1/reports/<int:reportId>/group-summaries",
        open_view(views.ReportGroupSummaryListApi),
        name="report-group-summaries",
    ),
    path("v1/reports/<int:reportId>/csv", open_view(views.ReportCsvApi), name="report-csv"),
    path("v1/reports/<int:reportId>/xlsx", open_view(views.ReportXlsxApi), name="report-xlsx"),
]
