"""Meetings from iCalendar files (RFC 5545), as calendar programs export them.

Parsing is ``icalendar``'s; recurrence is ``recurring-ical-events``' (``RRULE``,
``RDATE``, ``EXDATE`` and ``RECURRENCE-ID`` overrides, expanded within the window),
which also applies a Google-style ``X-WR-TIMEZONE``. Times are read in the zone the
file gives them: a ``TZID`` parameter resolved through the file's ``VTIMEZONE`` blocks
(Outlook's Windows names such as ``China Standard Time`` included), IANA names such as
``Asia/Shanghai``, UTC (``...Z``); floating times and all-day dates are read in the
calendar's ``X-WR-TIMEZONE`` when it names one, else in ``floating_tz``. Every time
returned is in UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import recurring_ical_events  # type: ignore[import-untyped]
from icalendar import Calendar, Component, vCalAddress

from stakegraph.capture.errors import InvalidCalendar
from stakegraph.capture.events import Attendee, CanonicalAddresses, CapturedEvent, EventSource

__all__ = ["parse_calendar"]

#: Calendar users that are places or things, not people (RFC 5545 ``CUTYPE``).
_NOT_PEOPLE = frozenset({"ROOM", "RESOURCE"})
#: Floating times lie within ±14 h of UTC: the query window is widened by this much
#: and the events are then kept by their start in UTC.
_MARGIN = timedelta(hours=14)


def parse_calendar(
    text: str | bytes,
    *,
    window_start: datetime,
    window_end: datetime,
    floating_tz: tzinfo = UTC,
) -> list[CapturedEvent]:
    """The meetings of an iCalendar document that start within a window.

    Parameters
    ----------
    text : str or bytes
        The ``.ics`` document.
    window_start, window_end : datetime
        Events (occurrences of recurring ones) starting at or after ``window_start``
        and before ``window_end`` are returned; naive values are taken as UTC.
    floating_tz : tzinfo, default UTC
        The zone of floating times and all-day dates when the calendar names none
        (``X-WR-TIMEZONE``): the calendar owner's.

    Returns
    -------
    list of CapturedEvent
        One per occurrence, ordered by start then identity; cancelled events
        (``STATUS:CANCELLED``) are included with ``cancelled=True``.

    Raises
    ------
    InvalidCalendar
        When the text is not an iCalendar document or a recurrence cannot be expanded.

    Examples
    --------
    >>> ics = '''BEGIN:VCALENDAR
    ... VERSION:2.0
    ... PRODID:-//example//EN
    ... BEGIN:VEVENT
    ... UID:weekly-1@example.com
    ... DTSTART;TZID=Asia/Shanghai:20261006T073000
    ... RRULE:FREQ=WEEKLY;COUNT=3
    ... EXDATE;TZID=Asia/Shanghai:20261013T073000
    ... SUMMARY:周会 status
    ... ORGANIZER;CN=林伟:mailto:Lin.Wei@Sales.Example.com
    ... ATTENDEE;CN=郑凯;PARTSTAT=ACCEPTED:mailto:zhengkai@orient.example.cn
    ... END:VEVENT
    ... END:VCALENDAR
    ... '''
    >>> events = parse_calendar(
    ...     ics, window_start=datetime(2026, 10, 1), window_end=datetime(2026, 11, 1)
    ... )
    >>> [(e.start.isoformat(), e.recurrence_id) for e in events]
    [('2026-10-05T23:30:00+00:00', '20261005T233000Z'), ('2026-10-19T23:30:00+00:00', '20261019T233000Z')]
    >>> [p.address for p in events[0].participants]
    ['lin.wei@sales.example.com', 'zhengkai@orient.example.cn']
    """
    start, end = _utc(window_start), _utc(window_end)
    if end <= start:
        raise ValueError(f"window_end {window_end} is not after window_start {window_start}")
    cal = _calendar(text)
    zone = _calendar_zone(cal, floating_tz)
    recurring = _recurring_uids(cal.walk("VEVENT"))
    try:
        occurrences = recurring_ical_events.of(cal).between(start - _MARGIN, end + _MARGIN)
    except Exception as exc:  # the library's errors have no common base
        raise InvalidCalendar(f"cannot expand the calendar's recurrences: {exc}") from exc
    canonical = CanonicalAddresses()
    events = [_event(c, recurring, zone, canonical) for c in occurrences]
    kept = [e for e in events if e.start is not None and start <= e.start < end]
    return sorted(kept, key=lambda e: (e.start or start, e.identity))


def _calendar(text: str | bytes) -> Calendar:
    try:
        cal = Calendar.from_ical(text)
    except ValueError as exc:
        raise InvalidCalendar(f"not an iCalendar document: {exc}") from exc
    if not isinstance(cal, Calendar) or cal.name != "VCALENDAR":
        raise InvalidCalendar("not an iCalendar document: no VCALENDAR")
    return cal


def _calendar_zone(cal: Calendar, fallback: tzinfo) -> tzinfo:
    """The zone of floating times: ``X-WR-TIMEZONE`` when it names a known zone."""
    name = str(cal.get("X-WR-TIMEZONE", "")).strip()
    if not name:
        return fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


def _recurring_uids(components: Iterable[Component]) -> set[str]:
    """UIDs of series: their occurrences are told apart by RECURRENCE-ID."""
    return {
        str(c.get("UID", ""))
        for c in components
        if "RRULE" in c or "RDATE" in c or "RECURRENCE-ID" in c
    }


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _instant(value: Any, zone: tzinfo) -> datetime | None:
    """A DTSTART/DTEND/RECURRENCE-ID value in UTC (floating and dates in ``zone``)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=zone).astimezone(UTC) if value.tzinfo is None else _utc(value)
    if isinstance(value, date):
        return datetime.combine(value, time(), zone).astimezone(UTC)
    return None


def _time_value(component: Component, key: str) -> Any:
    """The ``date`` or ``datetime`` of a DTSTART-like property, ``None`` when absent."""
    return getattr(component.get(key), "dt", None)


def _recurrence_id(component: Component, zone: tzinfo) -> str | None:
    value = _time_value(component, "RECURRENCE-ID")
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%Y%m%d")
    instant = _instant(value, zone)
    return None if instant is None else instant.strftime("%Y%m%dT%H%M%SZ")


def _end(component: Component, zone: tzinfo, start: datetime | None) -> datetime | None:
    if "DTEND" in component:
        return _instant(_time_value(component, "DTEND"), zone)
    duration = _time_value(component, "DURATION")
    if start is not None and isinstance(duration, timedelta):
        return start + duration
    return None


def _person(prop: Any, canonical: CanonicalAddresses) -> Attendee | None:
    """An ATTENDEE/ORGANIZER with a ``mailto:`` address that is a person."""
    if not isinstance(prop, vCalAddress):
        return None
    value = str(prop).strip()
    if value[:7].lower() != "mailto:" or not value[7:].strip():
        return None
    params = prop.params
    if str(params.get("CUTYPE", "INDIVIDUAL")).upper() in _NOT_PEOPLE:
        return None
    name = str(params.get("CN", "")).strip() or None
    declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
    return Attendee(canonical[value[7:]], name, declined)


def _listed(component: Component, key: str) -> list[Any]:
    value = component.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _event(
    component: Component, recurring: set[str], zone: tzinfo, canonical: CanonicalAddresses
) -> CapturedEvent:
    uid = str(component.get("UID", "")).strip()
    start = _instant(_time_value(component, "DTSTART"), zone)
    organizer = _person(component.get("ORGANIZER"), canonical)
    people = [_person(a, canonical) for a in _listed(component, "ATTENDEE")]
    location = str(component.get("LOCATION", "")).strip() or None
    return CapturedEvent(
        source=EventSource.CALENDAR,
        uid=uid or _fallback_uid(component, start),
        start=start,
        summary=str(component.get("SUMMARY", "")).strip(),
        recurrence_id=_recurrence_id(component, zone) if uid in recurring else None,
        end=_end(component, zone, start),
        location=location,
        organizer=None if organizer is None else Attendee(organizer.address, organizer.name),
        attendees=tuple(p for p in people if p is not None),
        cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
    )


def _fallback_uid(component: Component, start: datetime | None) -> str:
    """An event without UID (RFC 5545 requires one): start, organizer and summary."""
    when = start.isoformat() if start else ""
    return f"no-uid|{when}|{component.get('ORGANIZER', '')}|{component.get('SUMMARY', '')}"
