from django.urls import path

from saypro.engagement import views

app_name = "engagement"

urlpatterns = [
    path("prompts/<int:pk>/click", views.click, name="click"),
    path("prompts/<int:pk>/dismiss", views.dismiss, name="dismiss"),
    path("tutorials/<slug:code>/", views.tour, name="tour"),
    path("tutorials/<slug:code>/progress", views.tutorial, name="tutorial"),
]
