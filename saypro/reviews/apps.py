from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "saypro.reviews"
    label = "reviews"
    verbose_name = "Reviews"
