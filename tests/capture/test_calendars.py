"""parse_calendar: Google- and Outlook-style exports, recurrences and time zones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from stakegraph.capture import CapturedEvent, InvalidCalendar, parse_calendar
from tests.capture.conftest import GOOGLE_ICS, OUTLOOK_ICS, WINDOW

WEEKLY_UID = "5r2kq8v1l0mes7wk3h1d9t6c0a@google.com"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def google() -> list[CapturedEvent]:
    return parse_calendar(GOOGLE_ICS.read_bytes(), **WINDOW)


def outlook() -> list[CapturedEvent]:
    return parse_calendar(OUTLOOK_ICS.read_text(encoding="utf-8"), **WINDOW)


def by_summary(events: list[CapturedEvent], part: str) -> list[CapturedEvent]:
    return [e for e in events if part in e.summary]


def test_a_weekly_rrule_expands_within_the_window_without_its_exdate() -> None:
    weekly = [e for e in google() if e.uid == WEEKLY_UID]
    # COUNT=6 from 6 Oct; 20 Oct is an EXDATE; 27 Oct was moved to 28 Oct 14:00
    assert [e.start for e in weekly] == [
        utc(2026, 10, 6, 2),
        utc(2026, 10, 13, 2),
        utc(2026, 10, 28, 6),
        utc(2026, 11, 3, 2),
        utc(2026, 11, 10, 2),
    ]
    assert all(
        e.end is not None and e.start and e.end - e.start == timedelta(hours=1) for e in weekly
    )


def test_a_moved_occurrence_keeps_the_identity_of_its_original_start() -> None:
    moved = next(e for e in google() if e.start == utc(2026, 10, 28, 6))
    assert moved.recurrence_id == "20261027T020000Z"
    assert moved.identity == f"{WEEKLY_UID}|20261027T020000Z"
    assert "改期" in moved.summary


def test_occurrences_of_a_series_have_distinct_identities_and_one_offs_the_bare_uid() -> None:
    events = google()
    weekly = [e for e in events if e.uid == WEEKLY_UID]
    assert len({e.interaction_id for e in weekly}) == 5
    breakfast = by_summary(events, "早餐")[0]
    assert breakfast.recurrence_id is None
    assert breakfast.identity == "0b7c1f3e9d2a4c58@google.com"


def test_an_asia_shanghai_breakfast_falls_on_the_previous_utc_date() -> None:
    (breakfast,) = by_summary(google(), "早餐")
    # DTSTART;TZID=Asia/Shanghai:20261015T073000
    assert breakfast.start == utc(2026, 10, 14, 23, 30)
    assert breakfast.start is not None and breakfast.start.tzinfo is UTC


def test_utc_floating_and_all_day_times_are_read_in_the_right_zone() -> None:
    events = google()
    assert by_summary(events, "合同签约")[0].start == utc(2026, 11, 10, 2)  # ...Z
    # floating 09:00 and the all-day 5 Nov are read in X-WR-TIMEZONE (Asia/Shanghai)
    assert by_summary(events, "需求调研")[0].start == utc(2026, 10, 20, 1)
    survey = by_summary(events, "site survey")[0]
    assert (survey.start, survey.recurrence_id) == (utc(2026, 11, 4, 16), None)


def test_floating_times_follow_floating_tz_when_the_calendar_names_no_zone() -> None:
    ics = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\n"
        "UID:f@x\r\nDTSTART:20261020T090000\r\nSUMMARY:floating\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    )
    (as_utc,) = parse_calendar(ics, **WINDOW)
    (as_berlin,) = parse_calendar(ics, **WINDOW, floating_tz=ZoneInfo("Europe/Berlin"))
    assert as_utc.start == utc(2026, 10, 20, 9)
    assert as_berlin.start == utc(2026, 10, 20, 7)  # CEST, +02:00


def test_outlook_windows_zone_names_resolve_through_their_vtimezone_blocks() -> None:
    events = outlook()
    # "China Standard Time" is +08:00; "W. Europe Standard Time" is CET (+01:00)
    # on 26 Oct 2026, the day after daylight saving ended
    assert by_summary(events, "solution demo")[0].start == utc(2026, 10, 22, 6, 30)
    assert by_summary(events, "Stuttgart")[0].start == utc(2026, 10, 26, 8)
    finance = by_summary(events, "progress review")
    # WEEKLY;UNTIL=20261119T063000Z on Thursdays, EXDATE 12 Nov
    assert [e.start for e in finance] == [
        utc(2026, 10, 29, 6, 30),
        utc(2026, 11, 5, 6, 30),
        utc(2026, 11, 19, 6, 30),
    ]


def test_attendees_are_people_with_canonical_mailto_addresses_and_their_cn() -> None:
    (signing,) = by_summary(google(), "合同签约")
    assert signing.organizer is not None
    assert (signing.organizer.address, signing.organizer.name) == (
        "lin.wei@sales.example.com",
        "林伟",
    )
    # the 12F room (CUTYPE=ROOM) is not a participant; Zhou.Min@ is lower-cased
    assert [(p.address, p.name) for p in signing.participants] == [
        ("lin.wei@sales.example.com", "林伟"),
        ("zhou.min@sales.example.com", "周敏"),
        ("dingyiming@huaxiabank.example.cn", "丁一鸣"),
        ("secretary.wang@huaxiabank.example.cn", "王秘书"),
    ]
    (demo,) = by_summary(outlook(), "solution demo")
    assert [p.address for p in demo.attendees] == [
        "zhengkai@orient-precision.example.cn",
        "fengjing@orient-precision.example.cn",
    ]  # the CUTYPE=RESOURCE meeting room is left out, FengJing@ lower-cased


def test_declined_attendees_are_flagged_and_cancelled_events_marked() -> None:
    events = google()
    moved = next(e for e in events if e.recurrence_id == "20261027T020000Z")
    declined = {p.address for p in moved.participants if p.declined}
    assert declined == {"fengjing@orient-precision.example.cn"}
    (cancelled,) = by_summary(events, "已取消")
    assert cancelled.cancelled
    assert not any(e.cancelled for e in events if e is not cancelled)


def test_only_events_starting_within_the_window_are_returned() -> None:
    events = google()
    assert len(events) == 11
    assert not by_summary(events, "annual review")  # 8 Dec
    narrow = parse_calendar(
        GOOGLE_ICS.read_bytes(),
        window_start=datetime(2026, 10, 15, 7, 30, tzinfo=timezone(timedelta(hours=8))),
        window_end=utc(2026, 10, 16, 9),  # the team sync starts at 09:00Z: excluded
    )
    assert [e.summary for e in narrow] == ["早餐 with 赵总"]


def test_the_location_is_unescaped_and_an_empty_one_is_none() -> None:
    events = google()
    (breakfast,) = by_summary(events, "早餐")
    assert breakfast.location == "东方精工集团苏州总部, 88 Jinji Lake Avenue, Suzhou"
    assert by_summary(events, "Team sync")[0].location is None


def test_text_that_is_not_a_calendar_is_refused() -> None:
    with pytest.raises(InvalidCalendar, match="not an iCalendar document"):
        parse_calendar("From: someone@example.com\r\n\r\nhello", **WINDOW)
    with pytest.raises(ValueError, match="not after"):
        parse_calendar(
            GOOGLE_ICS.read_bytes(), window_start=utc(2026, 12, 1), window_end=utc(2026, 1, 1)
        )
