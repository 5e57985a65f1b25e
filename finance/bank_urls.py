from django.urls import path

from . import bank_views as v

urlpatterns = [
    path("bank/", v.bank_overview, name="bank"),
    path("bank/dashboard/", v.dashboard_block, name="bank_dashboard_block"),
    path("bank/rekeningen/nieuw/", v.bank_account_new, name="bank_account_new"),
    path("bank/inlezen/", v.statement_import, name="bank_import"),
    path("bank/inlezen/<int:pk>/", v.import_job, name="bank_job"),
    path("bank/afschriften/<int:pk>/", v.statement_detail, name="statement"),
    path("bank/afschriften/<int:pk>/bestand/", v.statement_download, name="statement_file"),
    path("bank/regels/", v.bank_lines, name="bank_lines"),
    path("bank/regels/<int:pk>/", v.bank_line, name="bank_line"),
    path("bank/regels/<int:pk>/koppelen/", v.bank_line_match, name="bank_line_match"),
    path("bank/regels/<int:pk>/boeken/", v.bank_line_book, name="bank_line_book"),
    path("bank/afletteren/", v.auto_match, name="bank_auto_match"),
    path("declaraties/", v.claim_list, name="claims"),
    path("declaraties/nieuw/", v.claim_new, name="claim_new"),
    path("declaraties/betaalbestand/", v.claims_export, name="claims_export"),
    path("declaraties/<int:pk>/", v.claim_detail, name="claim"),
    path("declaraties/<int:pk>/goedkeuren/", v.claim_approve, name="claim_approve"),
    path("declaraties/<int:pk>/afwijzen/", v.claim_reject, name="claim_reject"),
    path("declaraties/<int:pk>/bonnetje/", v.claim_receipt, name="claim_receipt"),
]
