"""Benchmark activity capture on a generated calendar of 10,000 events.

    python bench/bench_capture.py [--events 10000] [--repeats 3]

The calendar is written the way Google exports one (a VTIMEZONE block, TZID=Asia/Shanghai
times, ORGANIZER and ATTENDEE lines with CN and mailto:); one VEVENT in twenty is a
weekly series of ten occurrences (RRULE;COUNT=11 with an EXDATE). Capture is
``parse_calendar`` (icalendar parse, recurrence expansion, attendee extraction) then
``captured_interactions`` (matching and the batch); the floor is a bare icalendar
parse of the same text (``Calendar.from_ical`` and a walk over its VEVENTs). Prints
events per second for both and the ratio, medians over the repeats.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from stakegraph.capture import (
    AccountRef,
    ContactRef,
    captured_interactions,
    event_addresses,
    parse_calendar,
)

HEADER = """BEGIN:VCALENDAR
PRODID:-//Google Inc//Google Calendar 70.9054//EN
VERSION:2.0
CALSCALE:GREGORIAN
METHOD:PUBLISH
X-WR-CALNAME:lin.wei@sales.example.com
X-WR-TIMEZONE:Asia/Shanghai
BEGIN:VTIMEZONE
TZID:Asia/Shanghai
X-LIC-LOCATION:Asia/Shanghai
BEGIN:STANDARD
TZOFFSETFROM:+0800
TZOFFSETTO:+0800
TZNAME:CST
DTSTART:19700101T000000
END:STANDARD
END:VTIMEZONE
"""
SERIES_LENGTH = 10
FIRST = datetime(2026, 1, 5, 9, 0)
WINDOW_START = datetime(2025, 12, 1, tzinfo=UTC)
WINDOW_END = datetime(2028, 1, 1, tzinfo=UTC)
SUMMARIES = ("项目周会 weekly status", "方案演示 solution demo", "需求调研", "合同签约", "晚宴")


def contact_address(i: int) -> str:
    return f"contact{i % 2000}@account{i % 200}.example.cn"


def vevent(i: int, start: datetime, recurring: bool) -> str:
    stamp = start.strftime("%Y%m%dT%H%M%S")
    end = (start + timedelta(hours=1)).strftime("%Y%m%dT%H%M%S")
    lines = [
        "BEGIN:VEVENT",
        f"DTSTART;TZID=Asia/Shanghai:{stamp}",
        f"DTEND;TZID=Asia/Shanghai:{end}",
        "DTSTAMP:20261201T080000Z",
        "ORGANIZER;CN=林伟:mailto:lin.wei@sales.example.com",
        f"UID:bench-{i:06d}@google.com",
        "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=林伟;"
        "X-NUM-GUESTS=0:mailto:lin.wei@sales.example.com",
    ]
    for k in range(3):
        lines.append(
            "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;"
            f"CN=联系人{i + k};X-NUM-GUESTS=0:mailto:{contact_address(i + k)}"
        )
    if recurring:
        skipped = (start + timedelta(weeks=SERIES_LENGTH)).strftime("%Y%m%dT%H%M%S")
        lines += [
            f"RRULE:FREQ=WEEKLY;COUNT={SERIES_LENGTH + 1}",
            f"EXDATE;TZID=Asia/Shanghai:{skipped}",
        ]
    lines += [
        f"LOCATION:Account {i % 200} HQ\\, Building {i % 7}",
        f"SUMMARY:{SUMMARIES[i % len(SUMMARIES)]} #{i}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
    return "\n".join(lines) + "\n"


def calendar_text(n_events: int) -> str:
    """A calendar whose expansion holds exactly ``n_events`` occurrences."""
    parts, produced, i = [HEADER], 0, 0
    while produced < n_events:
        recurring = i % 20 == 0 and n_events - produced >= SERIES_LENGTH
        start = FIRST + timedelta(hours=(i * 7) % (24 * 600))
        parts.append(vevent(i, start, recurring))
        produced += SERIES_LENGTH if recurring else 1
        i += 1
    parts.append("END:VCALENDAR\n")
    return "".join(parts).replace("\n", "\r\n")


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = calendar_text(args.events)

    events = parse_calendar(text, window_start=WINDOW_START, window_end=WINDOW_END)
    assert len(events) == args.events, len(events)
    addresses = event_addresses(events)
    contacts = {
        a: ContactRef(f"c-{a.split('@')[0]}", f"co-{a.split('@')[1].split('.')[0]}")
        for a in addresses
        if a.startswith("contact")
    }
    reps = {"lin.wei@sales.example.com": "rep-lin"}
    accounts = {f"co-account{k}": AccountRef(locations=(f"Account {k} HQ",)) for k in range(200)}

    def bare() -> int:
        return sum(1 for _ in Calendar.from_ical(text).walk("VEVENT"))

    def capture() -> int:
        parsed = parse_calendar(text, window_start=WINDOW_START, window_end=WINDOW_END)
        result = captured_interactions(parsed, contacts=contacts, reps=reps, accounts=accounts)
        return result.captured

    assert capture() == args.events
    components = bare()
    floor = median_seconds(bare, args.repeats)
    parse_only = median_seconds(
        lambda: parse_calendar(text, window_start=WINDOW_START, window_end=WINDOW_END),
        args.repeats,
    )
    full = median_seconds(capture, args.repeats)
    n = args.events
    print(
        f"calendar: {n} events ({components} VEVENTs, {len(text) / 1e6:.1f} MB), "
        f"median of {args.repeats}"
    )
    print(f"floor  bare icalendar parse + walk : {n / floor:8.0f} events/s ({floor:.2f} s)")
    print(
        f"       parse_calendar (expand+read): {n / parse_only:8.0f} events/s "
        f"({parse_only:.2f} s, {parse_only / floor:.1f}x the floor)"
    )
    print(
        f"capture parse + match + batch      : {n / full:8.0f} events/s "
        f"({full:.2f} s, {full / floor:.1f}x the floor)"
    )


if __name__ == "__main__":
    main()
