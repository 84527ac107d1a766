from django.urls import path

from saypro.reviews.views import seller

app_name = "seller_reviews"

urlpatterns = [
    path("", seller.queue, name="queue"),
    path("<int:pk>/", seller.answer, name="answer"),
    path("<int:pk>/coach", seller.coach, name="coach"),
]
