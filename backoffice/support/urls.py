from django.urls import path

from backoffice.support import views
from backoffice.support import work_views as work

app_name = "support"

urlpatterns = [
    path("", work.overview_page, name="overview"),
    path("caseload/", work.caseload, name="caseload"),
    path("groepen/nieuw/", views.group_new, name="group_new"),
    path("groepen/<slug:slug>/", views.group_detail, name="group"),
    path("groepen/<slug:slug>/personen/", views.group_person_add, name="group_person_add"),
    path("groepen/<slug:slug>/ondersteuners/", views.group_assign, name="group_assign"),
    path("groepen/<slug:slug>/budget/", work.budget_set, name="budget_set"),
    path("caseload/<slug:slug>/", work.case, name="case"),
    path("caseload/<slug:slug>/gesprek/", work.session_new, name="session_new"),
    path("caseload/<slug:slug>/actie/", work.actie_new, name="actie_new"),
    path("afspraken/<int:pk>/gedaan/", work.followup_done, name="followup_done"),
    path("vragen/<int:pk>/", work.request_detail, name="request"),
    path("vragen/<int:pk>/<slug:step>/", work.request_step, name="request_step"),
    path("aanbod/", work.catalogue, name="catalogue"),
    path("aanbod/nieuw/", work.offering_new, name="offering_new"),
    path("aanbieders/nieuw/", work.provider_new, name="provider_new"),
    path("aanbieders/<int:pk>/", work.provider_detail, name="provider"),
    path("aanbieders/<int:pk>/status/", work.provider_status, name="provider_status"),
    path("overzicht/export/", work.overview_export, name="overview_export"),
    path("platforms/", work.platform_list, name="platforms"),
    path("platforms/<slug:slug>/", work.platform_page, name="platform"),
]
