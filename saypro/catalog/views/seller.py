"""Seller Center: what needs doing now, products and orders of one store.

Every page is under ``/seller/<store slug>/``; ``store_for_member`` returns
404 to anyone who is not a member of that store, so no page leaks another
store's data.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from saypro.academy.selectors import recommended_for
from saypro.accounts.selectors import user_by_email
from saypro.analytics.scorecard import scorecard
from saypro.catalog import selectors, services
from saypro.catalog.forms import (
    AddMemberForm,
    MemberRoleForm,
    OrderFilterForm,
    ProductForm,
    StoreProfileForm,
)
from saypro.catalog.models import Order, Store
from saypro.core.auth import login_required
from saypro.core.errors import ApplicationError, PermissionDenied
from saypro.core.forms import add_service_error
from saypro.core.pagination import paginate
from saypro.insights import selectors as insights
from saypro.insights.models import RisingIssue

LOW_STOCK = 5


def store_for_member(request, slug: str) -> Store:
    store = selectors.store_of_member(request.user, slug)
    if store is None:
        raise Http404("No such store, or you are not on its team.")
    return store


def seller_context(request, store: Store, **extra) -> dict:
    return {"store": store, "memberships": selectors.memberships_of(request.user), **extra}


@login_required
def start(request):
    store = selectors.store_of_member(request.user, request.GET.get("store"))
    if store is None and request.GET.get("store"):
        raise Http404("No such store, or you are not on its team.")
    if store is None:
        return redirect("catalog:open_store")
    return redirect("seller:home", slug=store.slug)


@login_required
def home(request, slug: str):
    store = store_for_member(request, slug)
    orders = selectors.orders_of_store(request.user, store)
    products = selectors.store_products(request.user, store)
    counts = selectors.store_order_counts(request.user, store)
    card = scorecard(store)
    # The Academy's recommendations are read only when a figure lags and a course may help.
    course = card.next_course(recommended_for(request.user)) if card.needs_course else None
    context = seller_context(
        request,
        store,
        counts=counts,
        # Until the first order, the overview is a list of what gets the store ready for it.
        has_orders=any(counts.values()),
        has_products=products.exists(),
        has_team=selectors.store_members(request.user, store).count() > 1,
        to_ship=orders.filter(status=Order.Status.PLACED).order_by("placed_at")[:10],
        recent=orders[:8],
        low_stock=products.filter(is_active=True, stock__lte=LOW_STOCK)[:8],
        low_stock_threshold=LOW_STOCK,
        rising=insights.rising_issues(request.user, store, RisingIssue.Status.OPEN).select_related(
            "product", "theme"
        )[:3],
        scorecard=card,
        recommended_course=course,
    )
    return render(request, "catalog/pages/seller_home.html", context)


@login_required
def products(request, slug: str):
    return _products_page(request, store_for_member(request, slug))


def _products_page(request, store: Store, *, status: int = 200):
    items = selectors.store_products(request.user, store)
    query = request.GET.get("q", "").strip()[:200]
    if query:
        items = items.filter(title__icontains=query)
    context = seller_context(request, store, query=query, **paginate(request, items, per_page=25))
    return render(request, "catalog/pages/seller_products.html", context, status=status)


@login_required
def product_create(request, slug: str):
    store = store_for_member(request, slug)
    form = ProductForm(request.POST or None)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(actor=request.user, store=store, data=form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, f"“{product.title}” is listed.")
            return redirect("seller:products", slug=store.slug)
    return render(
        request,
        "catalog/pages/seller_product_form.html",
        seller_context(request, store, form=form),
        status=status if form.errors else 200,
    )


@login_required
def product_edit(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    product = selectors.store_products(request.user, store).filter(pk=pk).first()
    if product is None:
        raise Http404("No such product in this store.")
    initial = {
        "title": product.title,
        "description": product.description,
        "category": product.category,
        "price": product.price,
        "currency": product.currency,
        "stock": product.stock,
    }
    form = ProductForm(request.POST or None, initial=initial)
    status = 400
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(actor=request.user, product=product, data=form.to_input())
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, f"“{product.title}” is saved.")
            return redirect("seller:products", slug=store.slug)
    context = seller_context(request, store, form=form, product=product)
    return render(
        request,
        "catalog/pages/seller_product_form.html",
        context,
        status=status if form.errors else 200,
    )


@login_required
@require_POST
def product_set_active(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    product = selectors.store_products(request.user, store).filter(pk=pk).first()
    if product is None:
        raise Http404("No such product in this store.")
    choice = request.POST.get("active")
    if choice not in ("0", "1"):
        messages.error(request, "Nothing changed: use the Deactivate or Reactivate button.")
        return _products_page(request, store, status=400)
    is_active = choice == "1"
    services.set_product_active(actor=request.user, product=product, is_active=is_active)
    state = "back on sale" if is_active else "hidden from the shop"
    messages.success(request, f"“{product.title}” is {state}.")
    return redirect(reverse("seller:products", kwargs={"slug": store.slug}))


@login_required
def orders(request, slug: str):
    store = store_for_member(request, slug)
    form = OrderFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    number = request.GET.get("number", "").strip().upper()[:20]
    items = selectors.orders_of_store(request.user, store, status=status or None)
    if number:
        items = items.filter(number__icontains=number)
    counts = selectors.store_order_counts(request.user, store)
    context = seller_context(
        request,
        store,
        form=form,
        number=number,
        counts=counts,
        has_orders=any(counts.values()),
        **paginate(request, items, per_page=25),
    )
    # A refused filter shows every order, with the reason next to the filter, as a 400.
    return render(
        request, "catalog/pages/seller_orders.html", context, status=400 if form.errors else 200
    )


@login_required
def profile(request, slug: str):
    """What buyers see of the store (its name and what it sells); owners change it."""
    store = store_for_member(request, slug)
    is_owner = selectors.is_store_owner(request.user, store)
    form = StoreProfileForm(
        request.POST or None, initial={"name": store.name, "description": store.description}
    )
    status = 200 if request.method != "POST" else 400
    if request.method == "POST" and form.is_valid():
        try:
            services.update_store_profile(actor=request.user, store=store, **form.cleaned_data)
        except PermissionDenied as error:  # an agent sees no form: the reason goes on top
            messages.error(request, error.message)
            status = error.status
        except ApplicationError as error:
            add_service_error(form, error)
            status = error.status
        else:
            messages.success(request, f"{store.name}'s profile is saved.")
            return redirect("seller:profile", slug=store.slug)
    return render(
        request,
        "catalog/pages/seller_profile.html",
        seller_context(request, store, form=form, is_owner=is_owner),
        status=status,
    )


@login_required
def team(request, slug: str):
    """The store's team; owners add people by email, change roles and take people off it."""
    store = store_for_member(request, slug)
    form = AddMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = user_by_email(form.cleaned_data["email"])
        if person is None:
            form.add_error("email", "No SayPro account has this email. Ask them to sign up first.")
        else:
            try:
                services.add_store_member(
                    actor=request.user, store=store, user=person, role=form.cleaned_data["role"]
                )
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, f"{person.get_full_name()} joined {store.name}.")
                return redirect("seller:team", slug=store.slug)
    return _team_page(request, store, form, status=400 if form.errors else 200)


def _team_page(request, store: Store, form: AddMemberForm, *, status: int = 200):
    members = selectors.store_members(request.user, store)
    context = seller_context(
        request,
        store,
        form=form,
        members=[(membership, MemberRoleForm(membership)) for membership in members],
        is_owner=selectors.is_store_owner(request.user, store),
    )
    return render(request, "catalog/pages/seller_team.html", context, status=status)


def _team_member(request, store: Store, pk: int):
    membership = selectors.store_members(request.user, store).filter(pk=pk).first()
    if membership is None:
        raise Http404("No such person on this store's team.")
    return membership


@login_required
@require_POST
def team_member_role(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    membership = _team_member(request, store, pk)
    try:  # the service checks who may, then the role
        changed = services.change_member_role(
            actor=request.user, membership=membership, role=request.POST.get("role", "")
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return _team_page(request, store, AddMemberForm(), status=error.status)
    name = changed.user.get_full_name() or changed.user.email
    messages.success(
        request, f"{name} is now {changed.get_role_display().lower()} of {store.name}."
    )
    return redirect("seller:team", slug=store.slug)


@login_required
@require_POST
def team_member_remove(request, slug: str, pk: int):
    store = store_for_member(request, slug)
    membership = _team_member(request, store, pk)
    try:
        services.remove_store_member(actor=request.user, membership=membership)
    except ApplicationError as error:
        messages.error(request, error.message)
        return _team_page(request, store, AddMemberForm(), status=error.status)
    if membership.user_id == request.user.pk:
        messages.success(request, f"You left {store.name}'s team.")
        return redirect("seller:start")
    name = membership.user.get_full_name() or membership.user.email
    messages.success(request, f"{name} is no longer on {store.name}'s team.")
    return redirect("seller:team", slug=store.slug)
