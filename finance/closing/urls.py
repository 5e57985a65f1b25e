"""URLs of years and the kascommissie."""

from django.urls import path

from finance.closing import views

urlpatterns = [
    path("jaren/", views.year_list, name="years"),
    path("jaren/<int:year>/", views.year_detail, name="year"),
    path("jaren/<int:year>/afsluiten/", views.year_close, name="year_close"),
    path("jaren/<int:year>/heropenen/", views.year_reopen, name="year_reopen"),
    path("heropenen/<int:pk>/goedkeuren/", views.reopen_approve, name="reopen_approve"),
    path("jaren/<int:year>/kascontrole/", views.audit, name="audit"),
    path("jaren/<int:year>/kascontrole/tekenen/", views.audit_signoff, name="audit_signoff"),
    path("steekproef/<int:pk>/", views.audit_sample, name="audit_sample"),
]
