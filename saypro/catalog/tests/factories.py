from decimal import Decimal

import factory

from saypro.accounts.tests.factories import UserFactory
from saypro.catalog.models import Category, Order, OrderItem, Product, Store, StoreMembership


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class SubcategoryFactory(CategoryFactory):
    parent = factory.SubFactory(CategoryFactory)


class StoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Store

    name = factory.Sequence(lambda n: f"Store {n}")
    slug = factory.Sequence(lambda n: f"store-{n}")
    description = "A store for tests."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StoreMembership

    store = factory.SubFactory(StoreFactory)
    user = factory.SubFactory(UserFactory)
    role = StoreMembership.Role.OWNER


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    store = factory.SubFactory(StoreFactory)
    category = factory.SubFactory(SubcategoryFactory)
    title = factory.Sequence(lambda n: f"Product {n}")
    description = "Sturdy and useful."
    price = Decimal("199.00")
    stock = 10


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"SP-T{n:07d}")
    buyer = factory.SubFactory(UserFactory)
    store = factory.SubFactory(StoreFactory)
    total = Decimal("199.00")


class OrderItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory, store=factory.SelfAttribute("..order.store"))
    title = factory.SelfAttribute("product.title")
    unit_price = factory.SelfAttribute("product.price")
    quantity = 1
