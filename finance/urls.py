from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("boekingen/", views.entry_list, name="entries"),
    path("boekingen/<int:pk>/", views.entry_detail, name="entry"),
    path("boekingen/<int:pk>/boeken/", views.entry_post, name="entry_post"),
    path("boekingen/<int:pk>/corrigeren/", views.entry_reverse, name="entry_reverse"),
    path("boekingen/<int:pk>/wijzigen/", views.journal_new, name="entry_edit"),
    path("boekingen/<int:pk>/verwijderen/", views.entry_delete, name="entry_delete"),
    path("boekingen/<int:pk>/bonnetje/", views.receipt_add, name="receipt_add"),
    path("uitgave/", views.expense_new, name="expense_new"),
    path("inkomst/", views.income_new, name="income_new"),
    path("memoriaal/", views.journal_new, name="journal_new"),
    path("bonnetjes/ontbrekend/", views.missing_receipts, name="missing_receipts"),
    path("bonnetjes/<int:pk>/", views.receipt_download, name="receipt"),
    path("rekeningen/", views.account_list, name="accounts"),
    path("rekeningen/nieuw/", views.account_edit, name="account_new"),
    path("rekeningen/<int:pk>/", views.account_edit, name="account_edit"),
    path("rekeningen/export/", views.accounts_export, name="accounts_export"),
    path("rekeningen/import/", views.accounts_import, name="accounts_import"),
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
    path("jaren/", views.year_list, name="years"),
    path("jaren/<int:year>/", views.year_detail, name="year"),
    path("jaren/<int:year>/afsluiten/", views.year_close, name="year_close"),
    path("jaren/<int:year>/heropenen/", views.year_reopen, name="year_reopen"),
    path("heropenen/<int:pk>/goedkeuren/", views.reopen_approve, name="reopen_approve"),
    path("jaren/<int:year>/kascontrole/", views.audit, name="audit"),
    path("jaren/<int:year>/kascontrole/tekenen/", views.audit_signoff, name="audit_signoff"),
    path("steekproef/<int:pk>/", views.audit_sample, name="audit_sample"),
    path("rapporten/", views.report_index, name="reports"),
    path("rapporten/<slug:kind>/", views.report, name="report"),
]

from .bank_urls import urlpatterns as bank_urlpatterns  # noqa: E402

urlpatterns += bank_urlpatterns
