"""iCalendar: the whole calendar and single events, read back with icalendar."""

import datetime

import pytest
from icalendar import Calendar

from tests.helpers import SITE_URL, make_event, publish

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))


pytestmark = pytest.mark.usefixtures("site")  # tests/conftest.py


@pytest.fixture
def exhibition(editor):
    return publish(
        make_event(
            title="“生态中原”摄影作品展",
            starts_at=datetime.datetime(2020, 9, 7, 9, 30, tzinfo=SHANGHAI),
            ends_at=datetime.datetime(2020, 9, 30, 17, 0, tzinfo=SHANGHAI),
            venue="中原区委北一楼",
            organiser="中原区委、区政府",
            description="<p>展出绿化建设成果图片<b>28张</b>。</p>",
        ),
        editor,
    )


@pytest.fixture
def holiday(editor):
    """An all-day event over the National Day week."""
    return publish(
        make_event(
            title="国庆假期便民服务",
            starts_at=datetime.datetime(2020, 10, 1, 0, 0, tzinfo=SHANGHAI),
            ends_at=datetime.datetime(2020, 10, 7, 0, 0, tzinfo=SHANGHAI),
            is_all_day=True,
        ),
        editor,
    )


def read(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_of(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_calendar_has_every_published_event_and_no_drafts(client, exhibition, holiday):
    make_event(title="还没发布的活动")
    calendar = read(client, "/events/calendar.ics")
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    assert set(events_of(calendar)) == {"“生态中原”摄影作品展", "国庆假期便民服务"}


def test_timed_event_is_written_in_utc_with_place_and_link(client, exhibition):
    event = events_of(read(client, "/events/calendar.ics"))["“生态中原”摄影作品展"]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime.datetime(2020, 9, 7, 1, 30, tzinfo=datetime.UTC)
    assert start.utcoffset() == datetime.timedelta(0)
    assert end == datetime.datetime(2020, 9, 30, 17, 0, tzinfo=SHANGHAI)
    assert str(event["LOCATION"]) == "中原区委北一楼"
    assert str(event["URL"]) == SITE_URL + exhibition.get_absolute_url()
    assert "展出绿化建设成果图片28张。" in str(event["DESCRIPTION"])
    assert "中原区委、区政府" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTAMP").tzinfo is not None


def test_all_day_event_is_written_as_dates_with_an_exclusive_end(client, holiday):
    event = events_of(read(client, "/events/calendar.ics"))["国庆假期便民服务"]
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.decoded("DTSTART") == datetime.date(2020, 10, 1)
    assert event.decoded("DTEND") == datetime.date(2020, 10, 8)


def test_uid_stays_when_the_title_and_slug_change(client, exhibition):
    before = events_of(read(client, "/events/calendar.ics"))["“生态中原”摄影作品展"]["UID"]
    exhibition.title = "摄影作品展（延期）"
    exhibition.save()
    after = events_of(read(client, "/events/calendar.ics"))["摄影作品展（延期）"]["UID"]
    assert before == after == f"event-{exhibition.pk}@news.example.cn"


def test_single_event_calendar(client, exhibition, holiday):
    calendar = read(client, f"/events/{exhibition.slug}.ics")
    assert list(events_of(calendar)) == ["“生态中原”摄影作品展"]
    assert client.get(f"/events/{exhibition.slug}/").status_code == 200  # the page is still there


def test_unpublished_event_has_no_calendar_file(client, editor):
    event = make_event()
    assert client.get(f"/events/{event.slug}.ics").status_code == 404
    publish(event, editor)
    event.unpublish(by=editor, reason="活动取消")
    assert client.get(f"/events/{event.slug}.ics").status_code == 404


def test_calendar_costs_one_query(client, exhibition, holiday, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/events/calendar.ics")


def test_event_list_pages_announce_the_calendar(client, exhibition):
    html = client.get("/events/").content.decode()
    assert '<link rel="alternate" type="text/calendar"' in html
    assert f'href="{SITE_URL}/events/calendar.ics"' in html
    assert "calendar.ics" not in client.get("/").content.decode()
