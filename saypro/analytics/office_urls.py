"""Office › KPIs, under ``/office/kpis/``."""

from django.urls import path

from saypro.analytics import views

app_name = "office_kpis"

urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("targets/", views.targets_page, name="targets"),
    path("<slug:key>/", views.drill_page, name="drill"),
]
