"""Captured events → interactions of the graph (活动捕获, §3.15). Pure: no store.

Rules of :func:`captured_interactions`, per event:

* **who** — its participants (organizer and attendees, see
  :attr:`~stakegraph.capture.events.CapturedEvent.participants`) are matched by
  canonical address to contacts (``contacts``) and reps (``reps``); participants who
  declined do not attend. An address that matches neither is *unmatched*: reported,
  never guessed. When no rep matched, ``default_rep`` (the owner of the calendar or
  mailbox) attends.
* **whether** — an event becomes an interaction when at least one contact attends;
  otherwise its outcome says why not (``NO_CONTACT``, ``CANCELLED``, ``NO_DATE``). An
  event whose identity was already seen in the batch (the same meeting in two
  exports, the same message in two folders) is a ``DUPLICATE``: its attendees join
  the first one's.
* **kind** — ``EMAIL`` for a message; for a meeting ``VISIT`` (拜访) when it took place
  at the account's location, else ``MEETING``. *The account's location* is the
  account's list of places, :attr:`AccountRef.locations` (addresses, site or building
  names, configured per account: the graph holds no address): the meeting is a visit
  when its ``LOCATION``, ignoring case and runs of blanks, contains one of the places
  of an account of its attending contacts.
* **purpose** — from its title by the keyword map (:mod:`stakegraph.capture.purposes`).
* **about** — the opportunities of the attending contacts' accounts that the title
  names, by id (``[opp-or-dp]``: the id as a whole word) or by full name ("MES
  upgrade"), ignoring case; when it names none, the accounts of the attending
  contacts (:attr:`ContactRef.company_id`).
* **identity** — the interaction id is derived from the event's identity (UID and
  recurrence id, or Message-ID: :mod:`stakegraph.capture.events`), so capturing the
  same file twice gives the same batch, and writing it again changes nothing.
* ``at`` is the event's start (UTC), ``notes`` its title and location.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from stakegraph.capture.events import Attendee, CapturedEvent, EventSource
from stakegraph.capture.purposes import PURPOSE_KEYWORDS, KeywordMap, purpose_of
from stakegraph.graph.model import (
    Interaction,
    InteractionKind,
    Label,
    Relationship,
    RelType,
)
from stakegraph.graph.store import GraphBatch

__all__ = [
    "AccountRef",
    "CaptureResult",
    "ContactRef",
    "EventOutcome",
    "Outcome",
    "UnmatchedAddress",
    "at_account_location",
    "captured_interactions",
    "event_addresses",
    "named_opportunities",
]


@dataclass(frozen=True, slots=True)
class ContactRef:
    """A contact matched by address, with the account it belongs to (``WORKS_IN`` its
    department, ``PART_OF`` up to a company); ``None`` when it has none."""

    id: str
    company_id: str | None = None


@dataclass(frozen=True)
class AccountRef:
    """What matching needs to know of an account.

    ``locations`` are its places (see the module notes: *the account's location*);
    ``opportunities`` maps each of its opportunity ids to the opportunity's name.
    """

    locations: tuple[str, ...] = ()
    opportunities: Mapping[str, str] = field(default_factory=dict)


class Outcome(StrEnum):
    CAPTURED = "CAPTURED"
    DUPLICATE = "DUPLICATE"
    NO_CONTACT = "NO_CONTACT"
    CANCELLED = "CANCELLED"
    NO_DATE = "NO_DATE"


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """What became of one event; ``interaction_id`` is the id it has or would have."""

    identity: str
    summary: str
    start: datetime | None
    outcome: Outcome
    interaction_id: str
    contact_ids: tuple[str, ...] = ()
    rep_ids: tuple[str, ...] = ()
    unmatched: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class UnmatchedAddress:
    """An address no contact or rep holds: the first name seen with it and in how
    many events it appears (a candidate contact to add)."""

    address: str
    name: str | None
    events: int


@dataclass
class CaptureResult:
    """The batch to write (``store.write``), each event's outcome in input order, and
    the unmatched addresses sorted by address."""

    batch: GraphBatch
    outcomes: list[EventOutcome]
    unmatched: list[UnmatchedAddress]

    @property
    def captured(self) -> int:
        """How many interactions the batch holds."""
        return len(self.batch.nodes)


def event_addresses(events: Iterable[CapturedEvent]) -> list[str]:
    """Every participant address of the events, each once, sorted: what to look up
    with ``store.find_by_emails``."""
    return sorted({p.address for e in events for p in e.participants})


def _squeeze(text: str) -> str:
    return " ".join(text.casefold().split())


def at_account_location(location: str | None, places: Iterable[str]) -> bool:
    """Whether an event's ``LOCATION`` is one of the account's places.

    >>> at_account_location("东方精工集团苏州总部, 88  Jinji Lake Avenue", ["88 jinji lake avenue"])
    True
    >>> at_account_location("Microsoft Teams Meeting", ["88 Jinji Lake Avenue"])
    False
    """
    if not location:
        return False
    where = _squeeze(location)
    return any(p.strip() and _squeeze(p) in where for p in places)


def named_opportunities(title: str, opportunities: Mapping[str, str]) -> list[str]:
    """Ids of the opportunities a title names by id (a whole word) or full name.

    >>> opps = {"opp-or-dp": "Group data platform", "opp-or-mes": "MES upgrade"}
    >>> named_opportunities("数据平台 方案演示 [opp-or-dp]", opps)
    ['opp-or-dp']
    >>> named_opportunities("mes UPGRADE 周会", opps), named_opportunities("MES 周会", opps)
    (['opp-or-mes'], [])
    """
    text = _squeeze(title)
    found = []
    for opp_id, name in opportunities.items():
        by_id = re.search(rf"(?<![\w-]){re.escape(opp_id.casefold())}(?![\w-])", text)
        by_name = len(name.strip()) >= 2 and _squeeze(name) in text
        if by_id or by_name:
            found.append(opp_id)
    return sorted(found)


@dataclass
class _Draft:
    """An interaction being assembled from one or more copies of an event."""

    interaction: Interaction
    attendees: dict[tuple[Label, str], None]
    about: dict[tuple[Label, str], None]


def captured_interactions(
    events: Iterable[CapturedEvent],
    *,
    contacts: Mapping[str, ContactRef],
    reps: Mapping[str, str],
    accounts: Mapping[str, AccountRef] | None = None,
    default_rep: str | None = None,
    keyword_map: KeywordMap = PURPOSE_KEYWORDS,
) -> CaptureResult:
    """The interactions the events record, as a batch to write (rules: module notes).

    Parameters
    ----------
    events : iterable of CapturedEvent
        From :func:`~stakegraph.capture.calendars.parse_calendar` or
        :func:`~stakegraph.capture.mailboxes.parse_mail`.
    contacts : mapping
        Canonical address → :class:`ContactRef` (``store.find_by_emails(Label.CONTACT,
        ...)`` joined with each contact's account).
    reps : mapping
        Canonical address → rep id (``store.find_by_emails(Label.REP, ...)``).
    accounts : mapping, optional
        Company id → :class:`AccountRef` (places and opportunities); an account absent
        here has no place and no opportunity to name.
    default_rep : str, optional
        The rep credited when an event names none of our reps.
    keyword_map : mapping, optional
        Purpose → keywords (:data:`~stakegraph.capture.purposes.PURPOSE_KEYWORDS`).

    Returns
    -------
    CaptureResult

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> from stakegraph.capture.events import Attendee, CapturedEvent, EventSource
    >>> event = CapturedEvent(
    ...     EventSource.CALENDAR, "uid-1@example.com", datetime(2026, 10, 14, 23, 30, tzinfo=UTC),
    ...     summary="早餐 with 赵总", location="88 Jinji Lake Avenue, Suzhou",
    ...     organizer=Attendee("lin.wei@sales.example.com"),
    ...     attendees=(Attendee("zhao@orient.example.cn"), Attendee("new@orient.example.cn")),
    ... )
    >>> result = captured_interactions(
    ...     [event],
    ...     contacts={"zhao@orient.example.cn": ContactRef("c-zhao", "co-orient")},
    ...     reps={"lin.wei@sales.example.com": "rep-lin"},
    ...     accounts={"co-orient": AccountRef(locations=("88 Jinji Lake Avenue",))},
    ... )
    >>> i = result.batch.nodes[0]
    >>> i.kind.value, i.purpose.value, i.at.isoformat()
    ('VISIT', 'RELATIONSHIP', '2026-10-14T23:30:00+00:00')
    >>> sorted((r.type.value, r.from_id, r.to_id) for r in result.batch.relationships)[0]
    ('ABOUT', 'cal-...', 'co-orient')
    >>> [u.address for u in result.unmatched]
    ['new@orient.example.cn']
    """
    accounts = accounts or {}
    drafts: dict[str, _Draft] = {}
    outcomes: list[EventOutcome] = []
    unmatched: dict[str, list[Attendee]] = {}
    for event in events:
        iid = event.interaction_id
        people = event.participants
        strangers = [p for p in people if p.address not in contacts and p.address not in reps]
        for p in strangers:
            unmatched.setdefault(p.address, []).append(p)
        attending = [p for p in people if not p.declined]
        contact_refs = list(
            {
                contacts[p.address].id: contacts[p.address]
                for p in attending
                if p.address in contacts
            }.values()
        )
        rep_ids = list(dict.fromkeys(reps[p.address] for p in attending if p.address in reps))
        if not rep_ids and default_rep is not None:
            rep_ids = [default_rep]
        outcome = _outcome(event, iid, contact_refs, drafts)
        outcomes.append(
            EventOutcome(
                identity=event.identity,
                summary=event.summary,
                start=event.start,
                outcome=outcome,
                interaction_id=iid,
                contact_ids=tuple(c.id for c in contact_refs),
                rep_ids=tuple(rep_ids),
                unmatched=tuple(p.address for p in strangers),
            )
        )
        if outcome is Outcome.CAPTURED:
            drafts[iid] = _draft(event, iid, contact_refs, accounts, keyword_map)
        if outcome in (Outcome.CAPTURED, Outcome.DUPLICATE):
            attendees = drafts[iid].attendees
            attendees.update(dict.fromkeys((Label.REP, r) for r in rep_ids))
            attendees.update(dict.fromkeys((Label.CONTACT, c.id) for c in contact_refs))
    return CaptureResult(
        batch=_batch(drafts.values()),
        outcomes=outcomes,
        unmatched=[
            UnmatchedAddress(a, next((p.name for p in seen if p.name), None), len(seen))
            for a, seen in sorted(unmatched.items())
        ],
    )


def _outcome(
    event: CapturedEvent,
    iid: str,
    contact_refs: Sequence[ContactRef],
    drafts: Mapping[str, _Draft],
) -> Outcome:
    if event.cancelled:
        return Outcome.CANCELLED
    if event.start is None:
        return Outcome.NO_DATE
    if not contact_refs:
        return Outcome.NO_CONTACT
    if iid in drafts:
        return Outcome.DUPLICATE
    return Outcome.CAPTURED


def _draft(
    event: CapturedEvent,
    iid: str,
    contact_refs: Sequence[ContactRef],
    accounts: Mapping[str, AccountRef],
    keyword_map: KeywordMap,
) -> _Draft:
    assert event.start is not None  # checked by _outcome
    company_ids = list(dict.fromkeys(c.company_id for c in contact_refs if c.company_id))
    known = [accounts[c] for c in company_ids if c in accounts]
    if event.source is EventSource.MAIL:
        kind = InteractionKind.EMAIL
    elif any(at_account_location(event.location, a.locations) for a in known):
        kind = InteractionKind.VISIT
    else:
        kind = InteractionKind.MEETING
    opportunities = {o: n for a in known for o, n in a.opportunities.items()}
    named = named_opportunities(event.summary, opportunities)
    about = [(Label.OPPORTUNITY, o) for o in named] or [(Label.COMPANY, c) for c in company_ids]
    notes = " @ ".join(t for t in (event.summary, event.location) if t) or None
    interaction = Interaction(
        id=iid,
        at=event.start,
        kind=kind,
        purpose=purpose_of(event.summary, keyword_map),
        notes=notes,
    )
    return _Draft(interaction, {}, dict.fromkeys(about))


def _batch(drafts: Iterable[_Draft]) -> GraphBatch:
    nodes, rels = [], []
    for d in drafts:
        i = d.interaction
        nodes.append(i)
        rels += [
            Relationship(
                type=RelType.ATTENDED,
                from_label=label,
                from_id=node_id,
                to_label=Label.INTERACTION,
                to_id=i.id,
            )
            for label, node_id in d.attendees
        ]
        rels += [
            Relationship(
                type=RelType.ABOUT,
                from_label=Label.INTERACTION,
                from_id=i.id,
                to_label=label,
                to_id=node_id,
            )
            for label, node_id in d.about
        ]
    return GraphBatch(nodes=list(nodes), relationships=rels)
