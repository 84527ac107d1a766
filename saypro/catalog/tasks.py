"""Background work for orders. Tasks load rows by id and are safe to retry."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from huey.contrib.djhuey import db_task

from saypro.catalog.models import Order


@db_task(retries=3, retry_delay=60)
def email_order_status(order_id: int) -> None:
    """Tell the buyer their order moved (shipped, delivered or cancelled)."""
    order = Order.objects.select_related("buyer", "store").filter(pk=order_id).first()
    if order is None:
        return
    context = {"order": order, "site_url": settings.SITE_URL}
    send_mail(
        subject=f"Your order {order.number} is {order.get_status_display().lower()}",
        message=render_to_string("catalog/email/order_status.txt", context),
        from_email=None,
        recipient_list=[order.buyer.email],
        html_message=render_to_string("catalog/email/order_status.html", context),
    )
