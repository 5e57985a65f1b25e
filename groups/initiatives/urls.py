from django.urls import path

from groups.initiatives import consultation_views, lesson_views, views, voucher_views

app_name = "initiatives"

urlpatterns = [
    # Public on purpose (tests/tenants/test_isolation.py DECLARED_PUBLIC_GROUP_URLS).
    path("", views.board, name="board"),
    path("aanvragen/", views.apply, name="apply"),
    path("<int:pk>/", views.public_detail, name="public_detail"),
    path("mijn/<str:token>/", views.personal, name="personal"),
    path("mijn/<str:token>/verantwoording/", views.personal_account, name="personal_account"),
    path("mijn/<str:token>/bonnetjes/", views.personal_receipts, name="personal_receipts"),
    path("voucher/", voucher_views.redeem, name="redeem"),
    path("stemmen/", consultation_views.vote, name="vote"),
    # For members of the group.
    path("balie/", views.desk, name="desk"),
    path("rondes/", views.round_list, name="round_list"),
    path("rondes/nieuw/", views.round_new, name="round_new"),
    path("rondes/<int:pk>/", views.round_detail, name="round_detail"),
    path("beheer/<int:pk>/", views.manage, name="manage"),
    path("beheer/<int:pk>/nieuwe-link/", views.link_renew, name="link_renew"),
    path("beheer/<int:pk>/belang/", views.declare, name="declare"),
    path("beheer/<int:pk>/beoordelen/", views.score, name="score"),
    path("beheer/<int:pk>/besluit/", views.decide, name="decide"),
    path("beheer/<int:pk>/voorschot/", views.pay, name="pay"),
    path("beheer/<int:pk>/terugbetaald/", views.payback, name="payback"),
    path("beheer/<int:pk>/afronden/", views.close, name="close"),
    path(
        "beheer/<int:pk>/bonnetjes/<int:receipt_pk>/",
        views.receipt_review,
        name="receipt_review",
    ),
    path("beheer/<int:pk>/bonnetjes/uitbetalen/", views.receipts_pay, name="receipts_pay"),
    path("beheer/<int:pk>/goedkeuren/", views.accept, name="accept"),
    path("beheer/<int:pk>/terugvragen/", views.payback_request, name="payback_request"),
    path("beheer/<int:pk>/les/", lesson_views.lesson_share, name="lesson_share"),
    path("beheer/<int:pk>/les/intrekken/", lesson_views.lesson_withdraw, name="lesson_withdraw"),
    path("geld/", views.money_overview, name="money"),
    path("adressen/", voucher_views.addresses, name="addresses"),
    path("rondes/<int:pk>/vouchers/", voucher_views.round_vouchers, name="round_vouchers"),
    path(
        "rondes/<int:pk>/vouchers/opnieuw/", voucher_views.voucher_reissue, name="voucher_reissue"
    ),
    path(
        "rondes/<int:pk>/vouchers/afronden/", voucher_views.vouchers_settle, name="vouchers_settle"
    ),
    path(
        "rondes/<int:pk>/raadpleging/",
        consultation_views.round_consultation,
        name="round_consultation",
    ),
    path("rondes/<int:pk>/papier/", consultation_views.paper, name="paper"),
    path("rondes/<int:pk>/papier/weg/", consultation_views.paper_discard, name="paper_discard"),
    path("rondes/<int:pk>/evaluatie/", views.round_evaluation, name="round_evaluation"),
    path("herkomst/<int:pk>/", views.origin, name="origin"),
    path("rondes/<int:pk>/uitslag/", consultation_views.results_record, name="results_record"),
]
