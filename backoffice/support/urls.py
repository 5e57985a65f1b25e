from django.urls import path

from backoffice.support import views

app_name = "support"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("caseload/", views.caseload, name="caseload"),
    path("groepen/nieuw/", views.group_new, name="group_new"),
    path("groepen/<slug:slug>/", views.group_detail, name="group"),
    path("groepen/<slug:slug>/personen/", views.group_person_add, name="group_person_add"),
    path("groepen/<slug:slug>/ondersteuners/", views.group_assign, name="group_assign"),
]
