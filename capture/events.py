"""What a calendar or a mailbox says happened, before matching (活动捕获, §3.15).

A :class:`CapturedEvent` is one meeting occurrence or one message: when, who (by
canonical e-mail address), where and what it was called — nothing else; message
bodies and event descriptions are never kept.

Identity
--------
Every event has an :attr:`~CapturedEvent.identity` that the source itself makes
stable, and the interaction captured from it takes its id from that identity, so
capturing the same file twice, or two exports of the same meeting, yields one
interaction:

* a calendar event: its ``UID``; an occurrence of a recurring series (``RRULE``,
  ``RDATE`` or overridden by a ``RECURRENCE-ID``): ``UID|<RECURRENCE-ID>``, the
  original start of the occurrence in UTC (``20261027T020000Z``) or its date
  (``20261105``) for all-day events — so a moved occurrence keeps its id;
* a message: its ``Message-ID`` without the angle brackets; a message without one:
  ``no-message-id|<Date in UTC>|<From>|<To>|<Cc>|<Subject>``;
* the interaction id: ``cal-`` or ``mail-`` followed by the first 24 hexadecimal
  digits of the SHA-256 of the identity (UTF-8), e.g. ``cal-5d0c…``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from stakegraph.graph.email_address import email_key

__all__ = ["Attendee", "CapturedEvent", "EventSource", "interaction_id"]


class EventSource(StrEnum):
    CALENDAR = "CALENDAR"
    MAIL = "MAIL"


_ID_PREFIX = {EventSource.CALENDAR: "cal-", EventSource.MAIL: "mail-"}


@dataclass(frozen=True, slots=True)
class Attendee:
    """A person on an event: canonical address, display name (``CN`` or the name
    decoded from the header) and whether they declined (``PARTSTAT=DECLINED``)."""

    address: str
    name: str | None = None
    declined: bool = False


@dataclass(frozen=True, slots=True)
class CapturedEvent:
    """One meeting occurrence (``CALENDAR``) or one message (``MAIL``).

    ``start`` and ``end`` are aware UTC datetimes (``start`` is ``None`` for a message
    whose ``Date`` cannot be read); ``organizer`` is ``ORGANIZER`` or ``From``;
    ``attendees`` are the people of ``ATTENDEE`` (rooms and resources left out) or of
    ``To`` and ``Cc``.
    """

    source: EventSource
    uid: str
    start: datetime | None
    summary: str = ""
    recurrence_id: str | None = None
    end: datetime | None = None
    location: str | None = None
    organizer: Attendee | None = None
    attendees: tuple[Attendee, ...] = ()
    cancelled: bool = False

    @property
    def identity(self) -> str:
        """``UID``, ``UID|RECURRENCE-ID`` or the ``Message-ID`` (see the module notes)."""
        return self.uid if self.recurrence_id is None else f"{self.uid}|{self.recurrence_id}"

    @property
    def interaction_id(self) -> str:
        """The id of the interaction captured from this event."""
        return interaction_id(self.source, self.identity)

    @property
    def participants(self) -> tuple[Attendee, ...]:
        """Organizer and attendees, each address once; the organizer never declines,
        anyone else declined only when every listing of the address says so."""
        people: dict[str, Attendee] = {}
        listed = ([self.organizer] if self.organizer else []) + list(self.attendees)
        for person in listed:
            seen = people.get(person.address)
            if seen is None:
                people[person.address] = person
            elif seen.declined and not person.declined:
                people[person.address] = Attendee(seen.address, seen.name or person.name)
        return tuple(people.values())


class CanonicalAddresses(dict[str, str]):
    """Raw address → canonical form, each computed once: a file names the same
    people again and again, and checking an address's syntax is not free."""

    def __missing__(self, raw: str) -> str:
        self[raw] = canonical = email_key(raw)
        return canonical


def interaction_id(source: EventSource, identity: str) -> str:
    """The interaction id of an event identity.

    >>> interaction_id(EventSource.MAIL, "20261013231000.4F2A91@mail.sales.example.com")
    'mail-311560d18daac6620f3e01ad'
    """
    digest = hashlib.sha256(identity.encode("utf-8")).hexdigest()[:24]
    return f"{_ID_PREFIX[EventSource(source)]}{digest}"
