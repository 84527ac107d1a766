from django.urls import path

from saypro.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("products/<int:pk>/", views.product, name="product"),
    path("reviews/", views.reviews, name="reviews"),
    path("issues/<int:pk>/status", views.issue_status, name="issue_status"),
]
