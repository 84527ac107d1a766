from django.urls import path

from saypro.reviews.views import shop

app_name = "reviews"

urlpatterns = [
    path("mine/", shop.mine, name="mine"),
    path("write/<int:item_pk>/", shop.write, name="write"),
    path("<int:pk>/edit/", shop.edit, name="edit"),
    path("<int:pk>/helpful", shop.helpful, name="helpful"),
    path("<int:pk>/report/", shop.report, name="report"),
]
