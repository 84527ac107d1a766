from django.urls import path

from saypro.academy import views

app_name = "academy"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("verify/", views.verify, name="verify"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("courses/<slug:slug>/", views.course, name="course"),
    path("courses/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("courses/<slug:slug>/<slug:key>/", views.lesson, name="lesson"),
]
