"""URLs of the bank pages, in the finance namespace."""

from django.urls import path

from finance.bank import views

urlpatterns = [
    path("bank/", views.bank_overview, name="bank"),
    path("bank/dashboard/", views.dashboard_block, name="bank_dashboard_block"),
    path("bank/rekeningen/nieuw/", views.bank_account_new, name="bank_account_new"),
    path("bank/inlezen/", views.statement_import, name="bank_import"),
    path("bank/inlezen/<int:pk>/", views.import_job, name="bank_job"),
    path("bank/inlezen/<int:pk>/keuze/", views.import_job_answer, name="bank_job_answer"),
    path("bank/afschriften/<int:pk>/", views.statement_detail, name="statement"),
    path("bank/afschriften/<int:pk>/bestand/", views.statement_download, name="statement_file"),
    path("bank/regels/", views.bank_lines, name="bank_lines"),
    path("bank/regels/<int:pk>/", views.bank_line, name="bank_line"),
    path("bank/regels/<int:pk>/koppelen/", views.bank_line_match, name="bank_line_match"),
    path("bank/regels/<int:pk>/boeken/", views.bank_line_book, name="bank_line_book"),
    path("bank/regels/<int:pk>/ontkoppelen/", views.bank_line_undo, name="bank_line_undo"),
    path("bank/afletteren/", views.auto_match, name="bank_auto_match"),
]
