"""URLs of grants, in the finance namespace."""

from django.urls import path

from finance.grants import views

urlpatterns = [
    path("subsidies/", views.grant_list, name="grants"),
    path("subsidies/nieuw/", views.grant_edit, name="grant_new"),
    path("subsidies/<int:pk>/", views.grant_detail, name="grant"),
    path("subsidies/<int:pk>/wijzigen/", views.grant_edit, name="grant_edit"),
    path("subsidies/<int:pk>/termijn/", views.tranche_new, name="tranche_new"),
    path(
        "subsidies/<int:grant_pk>/begrotingsregel/", views.budget_line_edit, name="budget_line_new"
    ),
    path("termijnen/<int:pk>/ontvangen/", views.tranche_receive, name="tranche_receive"),
    path("begrotingsregels/<int:pk>/", views.budget_line_edit, name="budget_line_edit"),
    path("begrotingsregels/<int:pk>/toezegging/", views.commitment_new, name="commitment_new"),
    path("toezeggingen/<int:pk>/vervallen/", views.commitment_cancel, name="commitment_cancel"),
]
