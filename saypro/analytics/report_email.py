"""The monthly report emailed to the marketplace office on the 1st (``tasks.email_monthly_report``).

Each office staff member with an email gets an HTML summary (the KPI table and
the top changes) with the XLSX attached. A ``ReportEmail`` row per month makes it
go out once: the row is written in the same transaction as the sending, so a
failure leaves no row and the next hourly run tries again, and a second run (or
a second worker) finds the row, or the unique month, and sends nothing.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from saypro.accounts.models import User
from saypro.analytics import exports, reports
from saypro.analytics.models import ReportEmail
from saypro.analytics.periods import Month, local_date


def recipients() -> list[User]:
    return list(User.objects.filter(is_active=True, is_staff=True).exclude(email="").order_by("pk"))


def email_for(report: reports.Report, recipient: User, attachment: bytes) -> EmailMultiAlternatives:
    context = {
        "report": report,
        "recipient": recipient,
        "url": settings.SITE_URL + reverse("office_reports:report", args=[report.key]),
    }
    message = EmailMultiAlternatives(
        subject=report.title,
        body=render_to_string("analytics/reports/email.txt", context),
        to=[recipient.email],
    )
    message.attach_alternative(
        render_to_string("analytics/reports/email.html", context), "text/html"
    )
    message.attach(f"{report.filename}.xlsx", attachment, exports.XLSX_TYPE)
    return message


def send_month(month: Month, *, now: datetime | None = None) -> int:
    """Email ``month``'s report to the office unless it went already; how many were sent."""
    now = now or timezone.now()
    if ReportEmail.objects.filter(month=month.key).exists():
        return 0
    people = recipients()
    report = reports.build(month, as_of=now)
    attachment = exports.to_xlsx(report)
    try:
        with transaction.atomic():
            ReportEmail.objects.create(month=month.key, sent_at=now, recipients=len(people))
            with get_connection() as connection:
                connection.send_messages(
                    [email_for(report, person, attachment) for person in people]
                )
    except IntegrityError:
        return 0  # another run recorded this month first
    return len(people)


def send_last_month(*, now: datetime | None = None) -> int:
    """On the 1st of a month (marketplace time), last month's report; other days nothing."""
    now = now or timezone.now()
    today = local_date(now)
    if today.day != 1:
        return 0
    return send_month(Month.of(today).previous(), now=now)
