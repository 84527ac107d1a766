from django.urls import path

from saypro.reviews.views import office

app_name = "office"

urlpatterns = [
    path("reviews/", office.queue, name="reviews"),
    path("reviews/<int:pk>/", office.review, name="review"),
]
