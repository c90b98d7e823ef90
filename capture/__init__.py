"""Activity capture (活动捕获, §3.15): interactions from calendars and mail.

Maps go stale because nobody logs the visit (每访必记). This package turns what
calendars and mailboxes already know — who met or wrote to whom, when, where, about
what — into ordinary interactions of the graph. It is pure: parsing and matching never
open a store; a use case joins the three steps to one.

The flow
--------
1. **Parse** the file into :class:`CapturedEvent` objects::

       events = parse_calendar(ics_text, window_start=since, window_end=now)
       events = parse_mail(Path("sent.mbox"))        # or a folder of .eml files

2. **Match** their addresses against the store (one query per label) and look up the
   account of each matched contact (``WORKS_IN`` its department, ``PART_OF`` up to a
   company) and, for those accounts, their places and opportunities::

       addresses = event_addresses(events)
       contact_ids = store.find_by_emails(Label.CONTACT, addresses)   # address -> id
       rep_ids = store.find_by_emails(Label.REP, addresses)           # address -> id
       contacts = {a: ContactRef(c, account_of[c]) for a, c in contact_ids.items()}
       accounts = {co: AccountRef(locations=places[co], opportunities=opps[co]) ...}

3. **Build** the interactions, then **write** them (an upsert by id: capturing the
   same file again changes nothing)::

       result = captured_interactions(
           events, contacts=contacts, reps=rep_ids, accounts=accounts,
           default_rep=owner_rep_id,
       )
       store.write(result.batch, by=caller)
       result.unmatched   # addresses no contact or rep holds: candidates to add
       result.outcomes    # per event: CAPTURED, DUPLICATE, NO_CONTACT, CANCELLED, NO_DATE

A use case that must not overwrite interactions a user has since edited can drop
from ``result.batch`` the ids ``store.get_nodes(Label.INTERACTION, ids)`` already
holds. Rules: :mod:`stakegraph.capture.matching` (who, kind, purpose, about),
:mod:`stakegraph.capture.events` (identity), :mod:`stakegraph.capture.purposes`
(keyword map).
"""

from __future__ import annotations

from stakegraph.capture.calendars import parse_calendar
from stakegraph.capture.errors import CaptureError, InvalidCalendar, InvalidMailbox
from stakegraph.capture.events import Attendee, CapturedEvent, EventSource, interaction_id
from stakegraph.capture.mailboxes import parse_mail
from stakegraph.capture.matching import (
    AccountRef,
    CaptureResult,
    ContactRef,
    EventOutcome,
    Outcome,
    UnmatchedAddress,
    at_account_location,
    captured_interactions,
    event_addresses,
    named_opportunities,
)
from stakegraph.capture.purposes import DEFAULT_PURPOSE, PURPOSE_KEYWORDS, KeywordMap, purpose_of

__all__ = [
    "DEFAULT_PURPOSE",
    "PURPOSE_KEYWORDS",
    "AccountRef",
    "Attendee",
    "CaptureError",
    "CaptureResult",
    "CapturedEvent",
    "ContactRef",
    "EventOutcome",
    "EventSource",
    "InvalidCalendar",
    "InvalidMailbox",
    "KeywordMap",
    "Outcome",
    "UnmatchedAddress",
    "at_account_location",
    "captured_interactions",
    "event_addresses",
    "interaction_id",
    "named_opportunities",
    "parse_calendar",
    "parse_mail",
    "purpose_of",
]
