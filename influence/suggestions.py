"""Activity-derived level suggestions (活动捕获; §3.15).

Interactions captured from calendars and mail are ordinary interactions once matched to
contacts and reps (the store's import matches e-mail addresses, case-insensitive); from
them, for each (rep, contact) pair of the account:

* at least 1 interaction both attended in the last 180 days (``suggestion_window_days``,
  ``acquainted_min_interactions``) and no ``KNOWS`` tie → suggest level 1;
* at least 3 ``VISIT`` or ``MEETING`` interactions both attended in the last 180 days
  (``engaged_min_meetings``, ``engaged_kinds``) and a level below 2 → suggest level 2.

Readings of §3.15 taken here: windows are closed, in whole days between UTC calendar
dates (an interaction exactly 180 days before the as-of date counts, one 181 days before
does not, a later one has not happened yet). "A level below 2" is the tie's recorded
``KNOWS.level`` (no tie is level 0): a suggestion proposes a new recorded level. When
both rules hold (no tie, three meetings) the higher level is the one suggestion. Only the
account's ``ACTIVE`` contacts are judged (§3 preamble). Suggestions are results only:
nothing is applied; accepting one is an ordinary level change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import networkx as nx

from stakegraph.graph.model import InteractionKind, Label, RelType, node_key
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import days_since
from stakegraph.influence.models import LevelSuggestion
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["level_suggestions"]


@dataclass
class _Tally:
    ids: list[str] = field(default_factory=list)
    meetings: int = 0
    last: date | None = None


def _attendees(g: nx.MultiDiGraph, interaction: str) -> tuple[list[str], list[str]]:
    reps, contacts = [], []
    for u, _, k in g.in_edges(interaction, keys=True):
        if k != RelType.ATTENDED:
            continue
        label = g.nodes[u].get("label")
        if label == Label.REP:
            reps.append(g.nodes[u]["id"])
        elif label == Label.CONTACT:
            contacts.append(g.nodes[u]["id"])
    return reps, contacts


def level_suggestions(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    index: AccountIndex | None = None,
) -> list[LevelSuggestion]:
    """KNOWS levels the captured activity suggests, by rep then contact.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph (its interactions, reps and ``KNOWS`` ties).
    as_of : datetime.date
    settings : AnalysisSettings
        ``suggestion_window_days`` (180), ``acquainted_min_interactions`` (1),
        ``acquainted_level`` (1), ``engaged_min_meetings`` (3), ``engaged_level`` (2),
        ``engaged_kinds`` (VISIT, MEETING).
    company_id : str, optional
    index : AccountIndex, optional

    Returns
    -------
    list of LevelSuggestion

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> [(s.rep_id, s.contact_id, s.suggested_level) for s in level_suggestions(
    ...     tiny_account(), as_of=AS_OF)]
    []

    References
    ----------
    §3.15
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    kinds = {InteractionKind(k) for k in settings.engaged_kinds}
    tallies: dict[tuple[str, str], _Tally] = {}
    for key, attrs in g.nodes(data=True):
        if attrs.get("label") != Label.INTERACTION:
            continue
        d = days_since(attrs.get("at"), as_of)
        if d is None or not 0 <= d <= settings.suggestion_window_days:
            continue
        reps, contacts = _attendees(g, key)
        day = as_of.fromordinal(as_of.toordinal() - d)
        for r in reps:
            for c in contacts:
                if c not in ix.active:
                    continue
                t = tallies.setdefault((r, c), _Tally())
                t.ids.append(attrs["id"])
                t.meetings += attrs.get("kind") in kinds
                t.last = day if t.last is None or day > t.last else t.last
    out = []
    for (r, c), t in sorted(tallies.items()):
        edge = g.get_edge_data(node_key(Label.REP, r), node_key(Label.CONTACT, c), RelType.KNOWS)
        level = None if edge is None else int(edge.get("level", 0))
        suggested = None
        if t.meetings >= settings.engaged_min_meetings and (level or 0) < settings.engaged_level:
            suggested = settings.engaged_level
        elif level is None and len(t.ids) >= settings.acquainted_min_interactions:
            suggested = settings.acquainted_level
        if suggested is None or t.last is None:
            continue
        out.append(
            LevelSuggestion(
                rep_id=r,
                contact_id=c,
                current_level=level,
                suggested_level=suggested,
                interactions=len(t.ids),
                visits_or_meetings=t.meetings,
                last_at=t.last,
                interaction_ids=sorted(t.ids),
            )
        )
    return out
