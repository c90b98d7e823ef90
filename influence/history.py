"""The account as it was on a past date (docs/analytics.md §3.17).

An account subgraph holds the records as they are now, plus the change events of its
contacts (``G.graph["changes"]``, §2). :func:`graph_as_of` turns it back into the
account as it stood at a moment: every change event after the moment is undone,
newest first (the property is set back to the event's ``old`` value); records created
after the moment do not exist yet; interactions dated after it have not happened.
:func:`state_as_of` is what the analytics call: the graph itself when nothing in it
lies after the as-of day (no copy, no cost), else the replayed copy.

Readings taken here:

* The moment of an as-of *day* is the end of that UTC day (:func:`end_of_day`): what
  was written during the day counts.
* "Created after the moment" is judged against a *horizon*: the later of the moment
  and the account's own ``created_at``. An account imported today with back-dated
  data carries today's stamps everywhere; records written together with the account
  (in the same import) are therefore taken to have existed all along, and only
  records added after the account are dropped.
* Interactions are judged by their date (``at``), not by when they were logged: a
  visit on 2 June logged on 3 June has happened as of 2 June.
* A ``KNOWS`` tie whose ``since`` is after the as-of day did not exist yet; a
  ``last_contact_at`` or ``last_verified_at`` after the moment is not known yet.
* Properties with no change events have no history and are taken as they are now
  (documented in §3.17).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from typing import Any

import networkx as nx

from stakegraph.graph.model import (
    ChangeEvent,
    ContactStatus,
    DecisionRole,
    Label,
    RelType,
    Stance,
    node_key,
)
from stakegraph.influence.chain import account_id
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "changed_after",
    "end_of_day",
    "events_between",
    "graph_as_of",
    "history_horizon",
    "needs_replay",
    "state_as_of",
]


def end_of_day(day: date) -> datetime:
    """The last instant of a UTC calendar day: the moment an as-of day stands for.

    >>> end_of_day(date(2025, 6, 30)).isoformat()
    '2025-06-30T23:59:59.999999+00:00'
    """
    return datetime.combine(day, time.max, tzinfo=UTC)


def _order(e: ChangeEvent) -> tuple[datetime, int]:
    return (e.at, -1 if e.seq is None else e.seq)


def changed_after(events: Iterable[ChangeEvent], at: datetime) -> list[ChangeEvent]:
    """The events later than ``at``, oldest first (in commit order within one instant).

    >>> from datetime import datetime, UTC
    >>> ev = [ChangeEvent(entity="Contact", entity_id="a", field="stance", old="NEUTRAL",
    ...                   new="CHAMPION", at=datetime(2025, 3, 1, tzinfo=UTC))]
    >>> len(changed_after(ev, end_of_day(date(2025, 2, 28)))), len(changed_after(ev, end_of_day(date(2025, 3, 1))))
    (1, 0)
    """
    return sorted((e for e in events if e.at > at), key=_order)


def events_between(
    events: Iterable[ChangeEvent], start: datetime, end: datetime
) -> list[ChangeEvent]:
    """The events with ``start < at <= end``, oldest first: what changed from one
    moment to the next."""
    return sorted((e for e in events if start < e.at <= end), key=_order)


def history_horizon(g: nx.MultiDiGraph, at: datetime, company_id: str | None = None) -> datetime:
    """The later of ``at`` and the account's ``created_at``: records created after it
    did not exist at ``at`` (see the module docstring)."""
    company = g.nodes.get(node_key(Label.COMPANY, account_id(g, company_id)), {})
    created = company.get("created_at")
    return max(at, created) if isinstance(created, datetime) else at


def _later(value: Any, at: datetime) -> bool:
    if isinstance(value, datetime):
        return value > at
    if isinstance(value, date):
        return value > at.date()
    return False


def _records_after(g: nx.MultiDiGraph, at: datetime, horizon: datetime, company_key: str) -> bool:
    for key, attrs in g.nodes(data=True):
        if key == company_key:
            continue
        if attrs.get("label") == Label.INTERACTION:
            if _later(attrs.get("at"), at):
                return True
        elif _later(attrs.get("created_at"), horizon) or _later(attrs.get("last_verified_at"), at):
            return True
    for _, _, k, attrs in g.edges(keys=True, data=True):
        if k == RelType.KNOWS and (
            _later(attrs.get("since"), at) or _later(attrs.get("last_contact_at"), at)
        ):
            return True
    return False


def needs_replay(g: nx.MultiDiGraph, at: datetime, company_id: str | None = None) -> bool:
    """Whether anything in ``g`` lies after ``at``: a change event, a record created
    after the horizon, an interaction, a tie's start or a last contact / verification."""
    if any(e.at > at for e in g.graph.get("changes", ())):
        return True
    company_key = node_key(Label.COMPANY, account_id(g, company_id))
    return _records_after(g, at, history_horizon(g, at, company_id), company_key)


def _value(field: str, raw: str | int | None) -> Any:
    if raw is None:
        return None
    if field == "stance":
        return Stance(str(raw))
    if field == "status":
        return ContactStatus(str(raw))
    if field == "role":
        return DecisionRole(str(raw))
    if field == "level":
        return int(raw)
    return raw


def _ends(entity_id: str, from_label: Label, to_label: Label) -> tuple[str, str]:
    from_id, _, to_id = entity_id.partition("->")
    return node_key(from_label, from_id), node_key(to_label, to_id)


def _undo(h: nx.MultiDiGraph, e: ChangeEvent) -> None:
    """Set the property ``e`` changed back to its old value (in place)."""
    old = _value(e.field, e.old)
    if e.entity == Label.CONTACT:
        key = node_key(Label.CONTACT, e.entity_id)
        if key in h and e.field in ("stance", "status"):
            default = Stance.UNKNOWN if e.field == "stance" else ContactStatus.ACTIVE
            h.nodes[key][e.field] = default if old is None else old
        return
    if e.entity == RelType.KNOWS and e.field == "level":
        u, v = _ends(e.entity_id, Label.REP, Label.CONTACT)
    elif e.entity == RelType.HAS_ROLE and e.field in ("role", "stance"):
        u, v = _ends(e.entity_id, Label.CONTACT, Label.OPPORTUNITY)
    else:
        return
    if u not in h or v not in h:
        return  # an end no longer in the subgraph: the tie cannot be restored
    edge = h.get_edge_data(u, v, e.entity)
    if edge is None:
        if old is None:
            return
        h.add_edge(u, v, key=e.entity, type=e.entity)
        edge = h.get_edge_data(u, v, e.entity)
    if old is None:
        edge.pop(e.field, None)
    else:
        edge[e.field] = old
    if e.field == ("level" if e.entity == RelType.KNOWS else "role") and old is None:
        h.remove_edge(u, v, key=e.entity)  # the tie was created by this event


def graph_as_of(
    g: nx.MultiDiGraph,
    events: Sequence[ChangeEvent] | None = None,
    at: datetime | None = None,
    *,
    company_id: str | None = None,
) -> nx.MultiDiGraph:
    """A copy of the account subgraph as it stood at the moment ``at``.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph (``stakegraph.graph.model`` convention); never modified.
    events : sequence of ChangeEvent, optional
        The account's change events; defaults to ``g.graph["changes"]``.
    at : datetime
        The moment (aware; :func:`end_of_day` of an as-of day).
    company_id : str, optional
        Defaults to ``g.graph["company_id"]``.

    Returns
    -------
    networkx.MultiDiGraph
        Every event after ``at`` undone, newest first (contact stance and status,
        ``KNOWS`` level — a tie created after ``at`` removed, one deleted after it
        restored —, ``HAS_ROLE`` role and stance); records created after the
        :func:`history_horizon` dropped with their ties; interactions dated after
        ``at`` dropped; ``KNOWS`` ties starting (``since``) after ``at`` dropped;
        ``last_contact_at`` / ``last_verified_at`` after ``at`` cleared.
        ``graph["changes"]`` keeps the events up to ``at``.

    Examples
    --------
    >>> from datetime import datetime, UTC
    >>> g = nx.MultiDiGraph(company_id="co")
    >>> g.add_node("Company:co", label="Company", id="co")
    >>> g.add_node("Contact:a", label="Contact", id="a", stance=Stance.BLOCKER)
    >>> g.graph["changes"] = [ChangeEvent(entity="Contact", entity_id="a", field="stance",
    ...     old="CHAMPION", new="BLOCKER", at=datetime(2025, 5, 2, tzinfo=UTC))]
    >>> graph_as_of(g, at=end_of_day(date(2025, 5, 1))).nodes["Contact:a"]["stance"].value
    'CHAMPION'
    >>> g.nodes["Contact:a"]["stance"].value
    'BLOCKER'

    References
    ----------
    docs/analytics.md §3.17
    """
    if at is None:
        raise TypeError("graph_as_of needs the moment 'at'")
    all_events = list(g.graph.get("changes", ()) if events is None else events)
    cid = account_id(g, company_id)
    company_key = node_key(Label.COMPANY, cid)
    horizon = history_horizon(g, at, cid)
    h = g.copy()
    for e in reversed(changed_after(all_events, at)):
        _undo(h, e)
    gone = []
    for key, attrs in h.nodes(data=True):
        if key == company_key:
            continue
        if attrs.get("label") == Label.INTERACTION:
            if _later(attrs.get("at"), at):
                gone.append(key)
            continue
        if _later(attrs.get("created_at"), horizon):
            gone.append(key)
        elif _later(attrs.get("last_verified_at"), at):
            attrs["last_verified_at"] = None
    h.remove_nodes_from(gone)
    stale = []
    for u, v, k, attrs in h.edges(keys=True, data=True):
        if k == RelType.KNOWS:
            if _later(attrs.get("since"), at):
                stale.append((u, v, k))
            elif _later(attrs.get("last_contact_at"), at):
                del attrs["last_contact_at"]
        elif k == RelType.HAS_ROLE and attrs.get("role") is None:
            stale.append((u, v, k))  # an inconsistent history left a tie with no role
    h.remove_edges_from(stale)
    h.graph["changes"] = sorted(
        (e for e in all_events if e.at <= at), key=lambda e: (e.at, e.entity, e.entity_id, e.field)
    )
    return h


def state_as_of(
    g: nx.MultiDiGraph,
    as_of: date,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
) -> nx.MultiDiGraph:
    """The account as it was at the end of ``as_of``: ``g`` itself when history replay
    is off (``settings.replay_history``) or nothing in ``g`` lies after that moment,
    else :func:`graph_as_of`.

    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> state_as_of(g, AS_OF) is g
    True
    """
    if not settings.replay_history:
        return g
    at = end_of_day(as_of)
    if not needs_replay(g, at, company_id):
        return g
    return graph_as_of(g, at=at, company_id=company_id)
