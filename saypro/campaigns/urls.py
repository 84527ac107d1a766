"""Member-facing campaign links: the click redirect, the email pixel, dismissing a banner."""

from django.urls import path

from saypro.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("c/<str:token>/", views.click, name="click"),
    path("c/<str:token>/open.gif", views.pixel, name="pixel"),
    path("campaigns/banner/<int:pk>/dismiss", views.dismiss_banner, name="dismiss"),
]
