"""iCalendar feeds: every published event at /events/calendar.ics, one event at
/events/<slug>.ics.

Timed events are written in UTC; all-day events as DATE values of their Asia/Shanghai
dates, DTEND being the day after the last (RFC 5545: DTEND is exclusive). The UID is made
from the event's id and the site's host, so it survives title and slug changes, and
DTSTAMP is the last change, so the same calendar is the same bytes (and the same ETag).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Event
from articles.structured_data import absolute_url, plain_text, site_host, site_name
from newsroom.text import clean_text

if TYPE_CHECKING:
    from icalendar import Calendar
    from icalendar import Event as VEvent

PRODID = "-//Newsroom//Events//ZH"
ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{site_host()}"


def _calendar(name: str) -> Calendar:
    # Imported here: icalendar (about 8 MiB) is loaded by a worker only when it serves a
    # calendar, never for the pages readers read (tests/newsroom/test_reader_memory.py).
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    return calendar


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC)


def _local_date(value: datetime.datetime) -> datetime.date:
    return timezone.localtime(value).date()


def vevent(event: Event) -> VEvent:
    from icalendar import Event as VEvent

    component = VEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", _utc(event.updated_at))
    component.add("last-modified", _utc(event.updated_at))
    if event.first_published_at:
        component.add("created", _utc(event.first_published_at))
    component.add("sequence", event.edit_version)
    component.add("summary", clean_text(event.title, multiline=False))
    if event.is_all_day:
        first_day = _local_date(event.starts_at)
        last_day = max(_local_date(event.ends_at), first_day) if event.ends_at else first_day
        component.add("dtstart", first_day)
        component.add("dtend", last_day + datetime.timedelta(days=1))
    else:
        component.add("dtstart", _utc(event.starts_at))
        if event.ends_at:
            component.add("dtend", _utc(event.ends_at))
    description = plain_text(event.description, length=0)
    if event.organiser:
        organiser = _("Organiser: %(organiser)s") % {"organiser": event.organiser}
        description = f"{description}\n\n{organiser}" if description else organiser
    if description:
        # Stored text may predate the forms' cleaning: calendars get no control characters.
        component.add("description", clean_text(description))
    if event.venue:
        component.add("location", clean_text(event.venue, multiline=False))
    component.add("url", absolute_url(event.get_absolute_url()))
    component.add("status", "CONFIRMED")
    return component


def _response(calendar: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(calendar.to_ical(), content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_feed(request):
    """All published events, for subscribing in a calendar application (one query)."""
    calendar = _calendar(_("Events · %(site)s") % {"site": site_name()})
    for event in Event.objects.published().order_by("starts_at", "pk"):
        calendar.add_component(vevent(event))
    return _response(calendar, "events.ics")


def event_ical(request, slug):
    """One published event, for adding to a calendar."""
    event = Event.objects.published().filter(slug=slug).first()
    if event is None:
        raise Http404(_("No event here."))
    calendar = _calendar(clean_text(event.title, multiline=False))
    calendar.add_component(vevent(event))
    return _response(calendar, f"{event.slug}.ics")
