from django.urls import path

from saypro.catalog.views import seller

app_name = "seller"

urlpatterns = [
    path("", seller.start, name="start"),
    path("<slug:slug>/", seller.home, name="home"),
    path("<slug:slug>/products/", seller.products, name="products"),
    path("<slug:slug>/products/new/", seller.product_create, name="product_create"),
    path("<slug:slug>/products/<int:pk>/edit/", seller.product_edit, name="product_edit"),
    path("<slug:slug>/products/<int:pk>/active", seller.product_set_active, name="product_active"),
    path("<slug:slug>/orders/", seller.orders, name="orders"),
    path("<slug:slug>/profile/", seller.profile, name="profile"),
    path("<slug:slug>/team/", seller.team, name="team"),
    path("<slug:slug>/team/<int:pk>/role", seller.team_member_role, name="team_member_role"),
    path("<slug:slug>/team/<int:pk>/remove", seller.team_member_remove, name="team_member_remove"),
]
