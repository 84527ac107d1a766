"""Buyer pages: the shop, products, stores, ordering and the buyer's orders."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from saypro.catalog import selectors, services
from saypro.catalog.forms import (
    SORT_LABELS,
    OrderFilterForm,
    OrderForm,
    ProductSearchForm,
    StoreProfileForm,
    TransitionForm,
)
from saypro.catalog.models import Order
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.reviews.selectors import store_rating


def home(request):
    form = ProductSearchForm(request.GET or None)
    form.is_valid()  # the valid filters apply even when another is refused (its error says why)
    filters = getattr(form, "cleaned_data", {})
    category = selectors.category_by_slug(filters["category"]) if filters.get("category") else None
    if filters.get("category") and category is None:
        form.add_error(None, f"There is no category “{filters['category']}”: showing them all.")
    search = {
        "text": filters.get("q", ""),
        "min_price": filters.get("min_price"),
        "max_price": filters.get("max_price"),
    }
    products = selectors.search_products(
        **search, category=category, sort=filters.get("sort") or "relevance"
    )
    is_priced = search["min_price"] is not None or search["max_price"] is not None
    context = {
        "form": form,
        "query": search["text"],  # a refused search (its error says why) is no search
        "category": category,
        # Each category's count and link keep the search, the prices and the sort.
        "categories": selectors.categories_tree(selectors.search_products(**search)),
        "category_query": urlencode(
            {
                name: filters[name]
                for name in ("q", "min_price", "max_price", "sort")
                if filters.get(name) not in ("", None)
            }
        ),
        "sort_labels": SORT_LABELS,
        "is_priced": is_priced,
        "is_filtered": bool(request.GET.get("q") or category or form.errors or is_priced),
        **paginate(request, products, per_page=24),
    }
    status = 400 if form.errors else 200  # the page still shows what the valid filters find
    return render(request, "catalog/pages/home.html", context, status=status)


def product_detail(request, pk: int):
    product = selectors.visible_product(request.user, pk)
    if product is None:
        raise Http404("No such product.")
    context = {
        "product": product,
        "form": OrderForm(stock=product.stock),
        "is_own_store": selectors.is_store_member(request.user, product.store),
    }
    return render(request, "catalog/pages/product.html", context)


def store_detail(request, slug: str):
    store = selectors.store_by_slug(slug)
    if store is None:
        raise Http404("No such store.")
    products = selectors.search_products(store=store, sort=request.GET.get("sort", "title"))
    context = {
        "store": store,
        "rating": store_rating(store),
        "is_own_store": selectors.is_store_member(request.user, store),
        **paginate(request, products, per_page=24),
    }
    return render(request, "catalog/pages/store.html", context)


@login_required
@require_POST
def place_order(request, pk: int):
    product = selectors.visible_product(request.user, pk)
    if product is None:
        raise Http404("No such product.")
    form = OrderForm(request.POST, stock=product.stock)
    status = 400
    if form.is_valid():
        try:
            order = services.place_order(
                buyer=request.user,
                lines=[services.OrderLine(product=product, quantity=form.cleaned_data["quantity"])],
                client_id=form.cleaned_data["client_id"],
            )
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, f"Order {order.number} placed with {product.store.name}.")
            return redirect(order.get_absolute_url())
    context = {"product": product, "form": form, "is_own_store": False}
    return render(request, "catalog/pages/product.html", context, status=status)


@login_required
def my_orders(request):
    form = OrderFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    orders = selectors.orders_of_buyer(request.user)
    if status:
        orders = orders.filter(status=status)
    return render(
        request,
        "catalog/pages/my_orders.html",
        {"form": form, "status": status, **paginate(request, orders, per_page=20)},
        status=400 if form.errors else 200,
    )


@login_required
def order_detail(request, number: str):
    order = selectors.visible_order(request.user, number)
    if order is None:
        raise Http404("No such order.")
    return _order_page(request, order)


def _order_page(request, order: Order, *, status: int = 200):
    context = {
        "order": order,
        "is_buyer": order.buyer_id == request.user.pk,
        "actions": selectors.next_statuses(request.user, order),
        "steps": _timeline(order),
    }
    return render(request, "catalog/pages/order.html", context, status=status)


def _timeline(order: Order) -> list[dict]:
    path = (
        [Order.Status.PLACED, Order.Status.CANCELLED]
        if order.status == Order.Status.CANCELLED
        else [Order.Status.PLACED, Order.Status.SHIPPED, Order.Status.DELIVERED]
    )
    return [
        {
            "label": Order.Status(status).label,
            "at": getattr(order, Order.TIMESTAMP_FIELDS[status]),
        }
        for status in path
    ]


@login_required
@require_POST
def transition_order(request, number: str):
    """Move an order on (buyer: cancel; store: ship, deliver).

    From the Seller Center's order table (htmx) the answer is the updated row
    with its notice (a 200, so htmx swaps it in, even for a refusal). Otherwise a
    move redirects back with a flash message, and a refusal answers with its
    4xx status: the order page as it stands, with the reason.
    """
    order = selectors.visible_order(request.user, number)
    if order is None:
        raise Http404("No such order.")
    form = TransitionForm(request.POST)
    if not form.is_valid():
        notice, level, status = "Choose a valid status.", messages.ERROR, 400
    else:
        try:
            services.transition_order(
                actor=request.user, order=order, to_status=form.cleaned_data["status"]
            )
        except ApplicationError as error:
            notice, level, status = error.message, messages.ERROR, error.status
        else:
            now = order.get_status_display().lower()
            notice, level = f"Order {order.number} is now {now}.", messages.SUCCESS
    if request.htmx and request.POST.get("from") == "seller":
        context = {
            "order": selectors.visible_order(request.user, number),
            "counts": selectors.store_order_counts(request.user, order.store),
            "notice": notice,
            "notice_is_error": level == messages.ERROR,
        }
        return render(request, "catalog/partials/seller_order_row.html", context)
    messages.add_message(request, level, notice)
    if level == messages.ERROR:
        return _order_page(request, selectors.visible_order(request.user, number), status=status)
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = order.get_absolute_url()
    return redirect(next_url)


@login_required
def open_store(request):
    form = StoreProfileForm(request.POST or None)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            store = services.open_store(owner=request.user, **form.cleaned_data)
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, f"{store.name} is open. Add your first product.")
            return redirect(reverse("seller:products", kwargs={"slug": store.slug}))
    return render(
        request,
        "catalog/pages/open_store.html",
        {"form": form},
        status=status if form.errors else 200,
    )
