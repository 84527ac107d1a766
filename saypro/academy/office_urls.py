"""Office › Academy, under ``/office/academy/``: authoring courses and success stories."""

from django.urls import path

from saypro.academy import office_views as views

app_name = "office_academy"

urlpatterns = [
    path("", views.courses, name="courses"),
    path("new/", views.create_course, name="create_course"),
    path("preview/", views.preview, name="preview"),
    path("<int:pk>/", views.course, name="course"),
    path("<int:pk>/edit/", views.edit_course, name="edit_course"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/unpublish/", views.unpublish, name="unpublish"),
    path("<int:pk>/revisions/", views.add_revision, name="add_revision"),
    path("<int:pk>/modules/", views.add_module, name="add_module"),
    path("modules/<int:pk>/", views.edit_module, name="edit_module"),
    path("modules/<int:pk>/move/", views.move_module, name="move_module"),
    path("modules/<int:pk>/delete/", views.delete_module, name="delete_module"),
    path("modules/<int:pk>/lessons/new/", views.add_lesson, name="add_lesson"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("lessons/<int:pk>/move/", views.move_lesson, name="move_lesson"),
    path("lessons/<int:pk>/remove/", views.remove_lesson, name="remove_lesson"),
    path("lessons/<int:pk>/restore/", views.restore_lesson, name="restore_lesson"),
    path("lessons/<int:pk>/questions/", views.add_question, name="add_question"),
    path("lessons/<int:pk>/resources/", views.add_resource, name="add_resource"),
    path("lessons/<int:pk>/items/", views.practice_items, name="practice_items"),
    path("questions/<int:pk>/", views.edit_question, name="edit_question"),
    path("questions/<int:pk>/delete/", views.delete_question, name="delete_question"),
    path("resources/<int:pk>/delete/", views.delete_resource, name="delete_resource"),
    path("stories/", views.stories, name="stories"),
    path("stories/new/", views.create_story, name="create_story"),
    path("stories/<int:pk>/edit/", views.edit_story, name="edit_story"),
    path("stories/<int:pk>/publish/", views.publish_story, name="publish_story"),
]
