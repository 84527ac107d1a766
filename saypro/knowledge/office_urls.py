"""Office › Help centre, under ``/office/help/``: the articles, their numbers and comments."""

from django.urls import path

from saypro.knowledge import views

app_name = "office_knowledge"

urlpatterns = [
    path("", views.office_list, name="list"),
    path("new", views.office_edit, name="new"),
    path("<int:pk>/", views.office_edit, name="edit"),
    path("<int:pk>/publish", views.office_publish, name="publish"),
    path("<int:pk>/comments", views.office_comments, name="comments"),
]
