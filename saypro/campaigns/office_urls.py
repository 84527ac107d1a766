"""Office › Campaigns, under ``/office/campaigns/``: segments, campaigns, results."""

from django.urls import path

from saypro.campaigns import views

app_name = "office_campaigns"

urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("new", views.campaign_edit, name="new"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/edit", views.campaign_edit, name="edit"),
    path("<int:pk>/email/<str:label>", views.campaign_email, name="email"),
    path("<int:pk>/send", views.campaign_send, name="send"),
    path("<int:pk>/schedule", views.campaign_schedule, name="schedule"),
    path("<int:pk>/cancel", views.campaign_cancel, name="cancel"),
    path("segments/", views.segment_list, name="segments"),
    path("segments/new", views.segment_builder, name="segment_new"),
    path("segments/count", views.segment_count, name="segment_count"),
    path("segments/<int:pk>/", views.segment_builder, name="segment"),
]
