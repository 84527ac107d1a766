from django.urls import path

from saypro.engagement import views

app_name = "office_engagement"

urlpatterns = [
    path("", views.office, name="prompts"),
    path("prompts/new/", views.prompt_create, name="prompt_create"),
    path("prompts/<int:pk>/", views.prompt_edit, name="prompt_edit"),
    path("prompts/<int:pk>/active", views.prompt_active, name="prompt_active"),
]
