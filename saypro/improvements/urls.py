from django.urls import path

from saypro.improvements import views

app_name = "improvements"

urlpatterns = [
    path("", views.board, name="board"),
    path("new", views.new, name="new"),
    path("<int:pk>/", views.plan, name="plan"),
    path("<int:pk>/edit", views.edit, name="edit"),
    path("<int:pk>/status", views.change_status, name="status"),
    path("<int:pk>/measure", views.measure, name="measure"),
    path("<int:pk>/steps/", views.add_step, name="add_step"),
    path("<int:pk>/steps/<int:step_pk>/edit", views.edit_step, name="edit_step"),
    path("<int:pk>/steps/<int:step_pk>/complete", views.complete_step, name="complete_step"),
]
