"""Success stories in the Academy, under ``/academy/stories/`` (their own section of the hub)."""

from django.urls import path

from saypro.academy import views

app_name = "academy_stories"

urlpatterns = [
    path("", views.stories, name="list"),
    path("<slug:slug>/", views.story, name="story"),
]
