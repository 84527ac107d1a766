from django.urls import path

from saypro.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.hub, name="hub"),
    path("search/", views.search, name="search"),
    path("topics/<slug:slug>/", views.category, name="category"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("articles/<slug:slug>/feedback", views.feedback, name="feedback"),
]
