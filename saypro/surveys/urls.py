from django.urls import path

from saypro.surveys import views

app_name = "surveys"

urlpatterns = [
    path("<str:token>/", views.answer, name="answer"),
    path("<str:token>/dismiss", views.dismiss, name="dismiss"),
]
