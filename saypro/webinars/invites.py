"""Calendar invites (.ics, RFC 5545) for a session, built with ``icalendar``.

The UID is stable per session, so a calendar that imported the invite
updates the same event when it is downloaded again after a change; a
cancelled session is sent as METHOD:CANCEL with STATUS:CANCELLED, which
removes it. The join link is not in the invite (it would reach whoever the
file is forwarded to); the URL is the session page, where the registered
find the link.
"""

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from saypro.webinars.models import Session


def session_invite(session: Session, *, page_url: str, domain: str, now: datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//SayPro Marketplace//Webinars//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if session.is_cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"webinar-session-{session.pk}@{domain}")
    event.add("dtstamp", now.replace(microsecond=0))
    event.add("dtstart", session.starts_at.replace(microsecond=0))
    event.add("dtend", session.ends_at.replace(microsecond=0))
    event.add("summary", session.title)
    agenda = "\n".join(f"- {item}" for item in session.agenda)
    event.add("description", f"{session.summary}\n\n{agenda}\n\n{page_url}".strip())
    event.add("url", page_url)
    organizer = vCalAddress(f"mailto:{session.host.email}")
    organizer.params["cn"] = vText(session.presenter)
    event.add("organizer", organizer)
    event.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    event.add("sequence", 1 if session.is_cancelled else 0)
    calendar.add_component(event)
    return calendar.to_ical()
