from django.urls import path

from api import views

app_name = "api"

urlpatterns = [
    path("v1/groepen", views.GroupListApi.as_view(), name="group-list"),
]
