"""Tickets for tests, opened through the service at a fixed time."""

import io
from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from saypro.support import services

OPENED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def png(name: str = "screen.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\n", "application/pdf")


def open_ticket(user, store, *, priority="normal", now=OPENED, **fields):
    values = {
        "subject": "My buyer's review isn't showing",
        "category": "reviews",
        "description": "A buyer says she left a review yesterday but I can't see it.",
    }
    values.update(fields)
    return services.open_ticket(user, store=store, priority=priority, now=now, **values)
