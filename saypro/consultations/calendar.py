"""An iCalendar (.ics) file for a booking, so a seller can add it to their calendar.

The UID is stable per booking. Once the booking is cancelled or moved (the move is a
new booking, with its own file), the file says STATUS:CANCELLED with a higher
SEQUENCE, so a calendar that imported it marks the event cancelled instead of keeping a
dead appointment. (Not METHOD:CANCEL: that needs an ORGANIZER, and the expert's address
is not the seller's to have.)
"""

from datetime import datetime

from saypro.consultations.models import Booking


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _text(value: str) -> str:
    """Escape a value per RFC 5545 (backslash, semicolon, comma, newline)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def booking_ics(booking: Booking) -> str:
    slot = booking.slot
    is_called_off = booking.status in (Booking.Status.CANCELLED, Booking.Status.RESCHEDULED)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//SayPro Marketplace//Consultations//EN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:consultation-{booking.pk}@saypro",
        f"DTSTAMP:{_stamp(booking.created_at)}",
        f"DTSTART:{_stamp(slot.starts_at)}",
        f"DTEND:{_stamp(slot.ends_at)}",
        f"SUMMARY:{_text(f'SayPro consultation: {booking.topic.title}')}",
        f"DESCRIPTION:{_text(f'With {slot.expert.name}. Join: {booking.meeting_link}')}",
        f"URL:{booking.meeting_link}",
        f"STATUS:{'CANCELLED' if is_called_off else 'CONFIRMED'}",
        f"SEQUENCE:{1 if is_called_off else 0}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(lines) + "\r\n"
