from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from saypro.api import api
from saypro.core.health import healthz

admin.site.site_header = "SayPro Marketplace — administration"
admin.site.site_title = "SayPro admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("account/rewards/", include("saypro.rewards.urls")),
    path("account/", include("saypro.accounts.urls")),
    path("seller/<slug:slug>/reviews/", include("saypro.reviews.seller_urls")),
    path("seller/<slug:slug>/improvements/", include("saypro.improvements.urls")),
    path("seller/<slug:slug>/insights/", include("saypro.insights.urls")),
    path("seller/<slug:slug>/inbox/", include("saypro.messaging.seller_urls")),
    path("seller/", include("saypro.catalog.seller_urls")),
    path("reviews/", include("saypro.reviews.urls")),
    path("messages/", include("saypro.messaging.urls")),
    path("notifications/", include("saypro.notifications.urls")),
    path("academy/consultations/", include("saypro.consultations.urls")),
    path("academy/stories/", include("saypro.academy.story_urls")),
    path("academy/webinars/", include("saypro.webinars.urls")),
    path("academy/", include("saypro.academy.urls")),
    path("surveys/", include("saypro.surveys.urls")),
    path("help/", include("saypro.knowledge.urls")),
    path("office/insights/themes/", include("saypro.insights.office_urls")),
    path("office/messaging/", include("saypro.messaging.office_urls")),
    path("office/surveys/", include("saypro.surveys.office_urls")),
    path("engagement/", include("saypro.engagement.urls")),
    path("office/engagement/", include("saypro.engagement.office_urls")),
    path("office/consultations/", include("saypro.consultations.office_urls")),
    path("office/campaigns/", include("saypro.campaigns.office_urls")),
    path("support/", include("saypro.support.urls")),
    path("office/support/", include("saypro.support.office_urls")),
    path("office/academy/", include("saypro.academy.office_urls")),
    path("office/webinars/", include("saypro.webinars.office_urls")),
    path("office/help/", include("saypro.knowledge.office_urls")),
    path("office/kpis/", include("saypro.analytics.office_urls")),
    path("office/reports/", include("saypro.analytics.report_urls")),
    path("office/", RedirectView.as_view(pattern_name="office_kpis:dashboard")),
    path("office/", include("saypro.reviews.office_urls")),
    path("", include("saypro.campaigns.urls")),
    path("", include("saypro.catalog.urls")),
]
# Uploaded files (store logos). In the scale-out mode a shared storage or CDN serves them.
urlpatterns.append(
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}, name="media")
)
