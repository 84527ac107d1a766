from django.urls import path

from saypro.catalog.views import shop

app_name = "catalog"

urlpatterns = [
    path("", shop.home, name="home"),
    path("p/<int:pk>/", shop.product_detail, name="product"),
    path("p/<int:pk>/order", shop.place_order, name="place_order"),
    path("s/<slug:slug>/", shop.store_detail, name="store"),
    path("orders/", shop.my_orders, name="my_orders"),
    path("orders/<str:number>/", shop.order_detail, name="order"),
    path("orders/<str:number>/transition", shop.transition_order, name="transition_order"),
    path("open-store/", shop.open_store, name="open_store"),
]
