"""Use cases of activity capture (活动捕获, §3.15): a calendar export or mail headers
become ordinary interactions, authorized like every other write.

The flow of :mod:`stakegraph.capture` — parse, match against the store, build, write —
joined to one call per source:

* **who may** — a writer only (ANALYST and demo callers are refused). The rep the
  calendar or mailbox belongs to (``rep_id``; a REP's default: themselves) must be one
  the caller may act for (a REP: themselves, a MANAGER: their teams' members, an
  ADMIN: anyone). Contacts are matched only among the accounts the caller may see —
  which are the accounts they may write — so an interaction is only ever about those;
  an address held by a contact of another account is reported as unmatched, exactly
  like one nobody holds. Other reps attend only when the caller may act for them;
  their addresses are neither attendees nor unmatched.
* **idempotent** — interaction ids derive from the event (UID + recurrence id, or
  Message-ID). An event whose interaction is already stored is a ``DUPLICATE`` and
  nothing of it is written: the stored interaction, which a user may have edited since
  (notes, purpose, attendees), wins. Capturing the same file twice writes nothing.
* **not yet** — an event that starts in the future (beyond the clock skew of
  :data:`~stakegraph.service.access.FUTURE_SKEW`) is left out and counted
  (:attr:`Captured.upcoming`): an interaction is recorded once it happened.
* **mail bodies** are never read (:func:`~stakegraph.capture.parse_mail` reads headers).

A meeting held at one of the account's places is a visit (拜访); the places come from
the ``capture_places`` setting (the graph holds no address).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stakegraph.capture import (
    AccountRef,
    CapturedEvent,
    CaptureError,
    ContactRef,
    EventOutcome,
    Outcome,
    UnmatchedAddress,
    captured_interactions,
    event_addresses,
    parse_calendar,
    parse_mail,
)
from stakegraph.graph.model import Label, RelType
from stakegraph.graph.store import GraphBatch, WriteSummary
from stakegraph.service.access import FUTURE_SKEW, Role, may_act_for_rep, require_writer
from stakegraph.service.errors import BadInput, Forbidden, NotFound
from stakegraph.service.scope import Scope

__all__ = ["DEFAULT_WINDOW", "Captured", "capture_calendar", "capture_events", "capture_mail"]

#: How far back a calendar is read when no window is given.
DEFAULT_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class Captured:
    """What a capture did: each event's outcome (input order), the interactions
    written, the addresses nobody the caller may see holds, and the store's summary."""

    outcomes: list[EventOutcome]
    unmatched: list[UnmatchedAddress]
    written: list[str]
    summary: WriteSummary
    upcoming: int = 0
    rep_id: str | None = None

    @property
    def counts(self) -> dict[Outcome, int]:
        """Events per outcome, every outcome present."""
        out = dict.fromkeys(Outcome, 0)
        for o in self.outcomes:
            out[o.outcome] += 1
        return out


def _default_rep(scope: Scope, rep_id: str | None) -> str | None:
    """The rep credited when an event names none the caller may act for; checked."""
    p = scope.principal
    if rep_id is None and p.role == Role.REP:
        rep_id = p.rep_id
    if rep_id is None:
        return None
    if rep_id not in scope.visible_records(Label.REP, [rep_id]):
        raise NotFound.of(Label.REP, rep_id, field="repId")
    if not may_act_for_rep(p, rep_id, scope.rep_team_ids([rep_id])[rep_id]):
        raise Forbidden(f"you may not capture activity as rep {rep_id!r}", field="repId")
    return rep_id


def _accounts(
    scope: Scope, company_ids: Sequence[str], places: Mapping[str, Sequence[str]]
) -> dict[str, AccountRef]:
    fors = scope.relationships(RelType.FOR, to_ids=company_ids)
    opps = scope.nodes(Label.OPPORTUNITY, sorted({r.from_id for r in fors}))
    named: dict[str, dict[str, str]] = {c: {} for c in company_ids}
    for r in fors:
        node = opps.get(r.from_id)
        if node is not None and r.to_id in named:
            named[r.to_id][node.id] = str(getattr(node, "name", node.id))
    return {
        c: AccountRef(locations=tuple(places.get(c, ())), opportunities=named[c])
        for c in company_ids
    }


def _without(
    outcomes: list[EventOutcome], unmatched: list[UnmatchedAddress], known: set[str]
) -> tuple[list[EventOutcome], list[UnmatchedAddress]]:
    """Outcomes and unmatched addresses without the addresses of ``known`` reps."""
    if not known:
        return outcomes, unmatched
    return (
        [replace(o, unmatched=tuple(a for a in o.unmatched if a not in known)) for o in outcomes],
        [u for u in unmatched if u.address not in known],
    )


def capture_events(
    scope: Scope,
    events: Sequence[CapturedEvent],
    *,
    rep_id: str | None = None,
    now: datetime | None = None,
) -> Captured:
    """Match parsed events against what the caller may see and write the new
    interactions (rules: module notes).

    Raises
    ------
    Forbidden
        A read-only caller, or a ``rep_id`` the caller may not act for.
    NotFound
        No such rep.
    """
    require_writer(scope.principal)
    default_rep = _default_rep(scope, rep_id)
    moment = now or datetime.now(UTC)
    past = [e for e in events if e.start is None or e.start <= moment + FUTURE_SKEW]
    store = scope.store
    addresses = event_addresses(past)
    contact_ids = store.find_by_emails(Label.CONTACT, addresses)
    visible = scope.visible_records(Label.CONTACT, sorted(set(contact_ids.values())))
    owners = scope.owners(Label.CONTACT, list(visible))
    contacts = {a: ContactRef(c, owners.get(c)) for a, c in contact_ids.items() if c in visible}
    rep_ids = store.find_by_emails(Label.REP, addresses)
    teams = scope.rep_team_ids(sorted(set(rep_ids.values())))
    reps = {a: r for a, r in rep_ids.items() if may_act_for_rep(scope.principal, r, teams[r])}
    companies = sorted({c for c in owners.values() if c})
    result = captured_interactions(
        past,
        contacts=contacts,
        reps=reps,
        accounts=_accounts(scope, companies, scope.settings.capture_places),
        default_rep=default_rep,
    )
    outcomes, unmatched = _without(result.outcomes, result.unmatched, set(rep_ids) - set(reps))
    batch = result.batch
    stored = set(scope.nodes(Label.INTERACTION, [n.id for n in batch.nodes]))
    if stored:
        outcomes = [
            replace(o, outcome=Outcome.DUPLICATE)
            if o.outcome is Outcome.CAPTURED and o.interaction_id in stored
            else o
            for o in outcomes
        ]
        batch = GraphBatch(
            nodes=[n for n in batch.nodes if n.id not in stored],
            relationships=[
                r for r in batch.relationships if r.from_id not in stored and r.to_id not in stored
            ],
        )
    summary = WriteSummary()
    if batch.nodes:
        summary = store.write(batch, by=scope.principal.name)
        scope.forget()
    return Captured(
        outcomes=outcomes,
        unmatched=unmatched,
        written=[n.id for n in batch.nodes],
        summary=summary,
        upcoming=len(events) - len(past),
        rep_id=default_rep,
    )


def capture_calendar(
    scope: Scope,
    ics_text: str | bytes,
    *,
    rep_id: str | None = None,
    window: tuple[datetime | None, datetime | None] = (None, None),
    now: datetime | None = None,
) -> Captured:
    """Capture the meetings of an iCalendar export (Outlook or Google) held within
    ``window`` (start, end; default: the last :data:`DEFAULT_WINDOW` up to now).

    Raises
    ------
    BadInput
        ``ics`` is not an iCalendar document (or a series cannot be expanded);
        ``window`` ends before it starts.
    Forbidden, NotFound
        As :func:`capture_events`.
    """
    require_writer(scope.principal)
    _default_rep(scope, rep_id)  # refuse before reading the file
    moment = now or datetime.now(UTC)
    start, end = (None if w is None else w if w.tzinfo else w.replace(tzinfo=UTC) for w in window)
    end = end or moment
    start = start or end - DEFAULT_WINDOW
    if end <= start:
        raise BadInput(f"the window ends ({end}) before it starts ({start})", field="until")
    try:
        events = parse_calendar(ics_text, window_start=start, window_end=end)
    except CaptureError as exc:
        raise BadInput(str(exc), field="ics") from exc
    return capture_events(scope, events, rep_id=rep_id, now=moment)


def capture_mail(
    scope: Scope,
    path_or_messages: Path | str | Sequence[CapturedEvent],
    *,
    rep_id: str | None = None,
    now: datetime | None = None,
) -> Captured:
    """Capture the messages of an mbox file, an ``.eml`` file or a folder of them
    (headers only), or messages already parsed by :func:`~stakegraph.capture.parse_mail`.

    Raises
    ------
    BadInput
        The path is not an mbox file, an ``.eml`` file nor a folder of them.
    Forbidden, NotFound
        As :func:`capture_events`.
    """
    require_writer(scope.principal)
    _default_rep(scope, rep_id)
    if isinstance(path_or_messages, Path | str):
        try:
            events = parse_mail(Path(path_or_messages))
        except CaptureError as exc:
            raise BadInput(str(exc), field="path") from exc
    else:
        events = list(path_or_messages)
    return capture_events(scope, events, rep_id=rep_id, now=now)
