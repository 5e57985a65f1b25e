"""The learning space under /kennis/. Every page needs a login (none is public)."""

from django.urls import path

from . import views

app_name = "knowledge"

urlpatterns = [
    path("", views.home, name="home"),
    path("zoeken/", views.search, name="search"),
    path("thema/<slug:theme>/", views.theme, name="theme"),
    path("thema/<slug:theme>/volgen/", views.theme_follow, name="theme_follow"),
    path("artikelen/nieuw/", views.article_new, name="article_new"),
    path("artikelen/<int:pk>/", views.article, name="article"),
    path("artikelen/<int:pk>/bewerken/", views.article_edit, name="article_edit"),
    path("artikelen/<int:pk>/versies/", views.article_revisions, name="article_revisions"),
    path("artikelen/<int:pk>/aanbieden/", views.article_submit, name="article_submit"),
    path("artikelen/<int:pk>/goedkeuren/", views.article_approve, name="article_approve"),
    path("artikelen/<int:pk>/teruggeven/", views.article_return, name="article_return"),
    path("artikelen/<int:pk>/bijlagen/", views.attachment_add, name="attachment_add"),
    path("bijlagen/<int:pk>/", views.attachment_download, name="attachment"),
    path("lessen/", views.lessons, name="lessons"),
    path("lessen/<int:pk>/", views.lesson, name="lesson"),
    path("redactie/", views.staff_desk, name="desk"),
    path("uitwisseling/", views.exchange, name="exchange"),
    path("uitwisseling/nieuw/", views.post_new, name="post_new"),
    path("uitwisseling/<int:pk>/", views.post_detail, name="post"),
    path("uitwisseling/<int:pk>/reageren/", views.reply_new, name="reply_new"),
    path("uitwisseling/<int:pk>/opgelost/", views.post_solved, name="post_solved"),
    path("uitwisseling/<int:pk>/volgen/", views.post_follow, name="post_follow"),
    path("melden/<slug:kind>/<int:pk>/", views.report, name="report"),
    path("moderatie/", views.moderation, name="moderation"),
    path("moderatie/<slug:kind>/<int:pk>/", views.moderate, name="moderate"),
    path("moderatie/meldingen/<int:pk>/afhandelen/", views.report_dismiss, name="report_dismiss"),
]
