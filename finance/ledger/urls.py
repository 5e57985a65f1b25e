"""URLs of the ledger, in the finance namespace."""

from django.urls import path

from finance.ledger import views

urlpatterns = [
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
]
