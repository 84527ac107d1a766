from django.urls import path

from saypro.analytics import report_views

app_name = "office_reports"

urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("<str:period>/", report_views.report_page, name="report"),
    path("<str:period>.csv", report_views.report_csv, name="csv"),
    path("<str:period>.xlsx", report_views.report_xlsx, name="xlsx"),
]
