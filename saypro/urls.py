from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from saypro.api import api
from saypro.core.health import healthz

admin.site.site_header = "SayPro Marketplace — administration"
admin.site.site_title = "SayPro admin"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("account/", include("saypro.accounts.urls")),
    path("", include("saypro.catalog.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
