"""URLs of the expense-claim pages, in the finance namespace."""

from django.urls import path

from finance.claims import views

urlpatterns = [
    path("declaraties/", views.claim_list, name="claims"),
    path("declaraties/nieuw/", views.claim_new, name="claim_new"),
    path("declaraties/betaalbestand/", views.claims_export, name="claims_export"),
    path("declaraties/<int:pk>/", views.claim_detail, name="claim"),
    path("declaraties/<int:pk>/goedkeuren/", views.claim_approve, name="claim_approve"),
    path("declaraties/<int:pk>/afwijzen/", views.claim_reject, name="claim_reject"),
    path("declaraties/<int:pk>/bonnetje/", views.claim_receipt, name="claim_receipt"),
]
