from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.home, name="home"),
    path("profiel/", views.profile, name="profile"),
    path("profiel/bewerken/", views.profile_edit, name="profile_edit"),
]
