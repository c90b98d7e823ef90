"""Stance values and relationship levels (态度, 能影响; docs/analytics.md §3.1–3.2).

Readings of §3.1–3.2 taken here:

* UNKNOWN has no value (``None``), never 0: it is not neutral. A ``HAS_ROLE.stance``
  overrides the contact's own stance for that opportunity only.
* The decay's ``d`` is whole days between UTC calendar dates, from the later of
  ``KNOWS.last_contact_at`` and the latest interaction the rep and the contact both
  attended — whichever account that interaction is about — to the as-of date; dates
  after the as-of date have not happened yet and are ignored. No date at all: no decay.
* The effective level is the best decayed level over our reps; "can influence" is an
  effective level >= 2 (``can_influence_level``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

import networkx as nx

from stakegraph.graph.model import Label, RelType, Stance, node_key
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = [
    "can_influence",
    "days_since",
    "decayed_level",
    "effective_level",
    "effective_levels",
    "influenced",
    "knows_levels",
    "stance_of",
    "stance_value",
]


def _calendar_date(moment: datetime | date) -> date:
    """The UTC calendar date of a moment (aware datetimes are converted to UTC)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC)
        return moment.date()
    return moment


def stance_of(g: nx.MultiDiGraph, contact_id: str, *, opportunity_id: str | None = None) -> Stance:
    """The contact's stance; for an opportunity, its ``HAS_ROLE.stance`` when set.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    contact_id : str
    opportunity_id : str, optional
        With an opportunity, a ``HAS_ROLE.stance`` of the contact on it overrides the
        contact's own stance (§3.1). Without one, the contact's own stance.

    Returns
    -------
    stakegraph.graph.model.Stance

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> g = tiny_account()
    >>> str(stance_of(g, "c-cfo"))
    'OPPONENT'
    >>> g.edges["Contact:c-cfo", "Opportunity:o-crm", "HAS_ROLE"]["stance"] = Stance.SUPPORTER
    >>> str(stance_of(g, "c-cfo", opportunity_id="o-crm"))
    'SUPPORTER'

    References
    ----------
    docs/analytics.md §3.1
    """
    key = node_key(Label.CONTACT, contact_id)
    if opportunity_id is not None:
        edge = g.get_edge_data(key, node_key(Label.OPPORTUNITY, opportunity_id), RelType.HAS_ROLE)
        if edge is not None and edge.get("stance") is not None:
            return Stance(edge["stance"])
    return Stance(g.nodes[key].get("stance") or Stance.UNKNOWN)


def stance_value(
    g: nx.MultiDiGraph, contact_id: str, *, opportunity_id: str | None = None
) -> int | None:
    """+2 … −2 for the contact's stance (see :func:`stance_of`); ``None`` when UNKNOWN.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> g = tiny_account()
    >>> stance_value(g, "c-ceo"), stance_value(g, "c-ops")
    (2, None)

    References
    ----------
    docs/analytics.md §3.1
    """
    return stance_of(g, contact_id, opportunity_id=opportunity_id).weight


def days_since(moment: datetime | date | None, as_of: date) -> int | None:
    """Whole days from the UTC calendar date of ``moment`` to ``as_of``; ``None`` if no moment.

    Examples
    --------
    >>> from datetime import UTC, datetime
    >>> days_since(datetime(2024, 1, 1, 23, 59, tzinfo=UTC), date(2024, 6, 29))
    180
    """
    if moment is None:
        return None
    return (as_of - _calendar_date(moment)).days


def decayed_level(
    level: int, days: int | None, *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> int:
    """A KNOWS level decayed by recency: ``d <= 180`` → level; ``<= 365`` → −1; else −2.

    Parameters
    ----------
    level : int
        The recorded ``KNOWS.level`` (0–4).
    days : int or None
        Whole days since the last contact (:func:`days_since`); ``None`` (no date at
        all) means no decay, and so does a date after the as-of date.
    settings : AnalysisSettings
        ``decay_first_days`` (180) and ``decay_second_days`` (365).

    Returns
    -------
    int
        The decayed level, never below 0.

    Examples
    --------
    >>> [decayed_level(3, d) for d in (None, 180, 181, 365, 366)]
    [3, 3, 2, 2, 1]
    >>> decayed_level(1, 400)
    0

    References
    ----------
    docs/analytics.md §3.2
    """
    if days is None or days <= settings.decay_first_days:
        penalty = 0
    elif days <= settings.decay_second_days:
        penalty = 1
    else:
        penalty = 2
    return max(0, int(level) - penalty)


def _last_met(g: nx.MultiDiGraph) -> dict[tuple[str, str], date]:
    """``{(rep key, contact key): latest date of an interaction both attended}``."""
    out: dict[tuple[str, str], date] = {}
    for key, attrs in g.nodes(data=True):
        if attrs.get("label") != Label.INTERACTION or attrs.get("at") is None:
            continue
        day = _calendar_date(attrs["at"])
        reps, contacts = [], []
        for u, _, k in g.in_edges(key, keys=True):
            if k != RelType.ATTENDED:
                continue
            label = g.nodes[u]["label"]
            if label == Label.REP:
                reps.append(u)
            elif label == Label.CONTACT:
                contacts.append(u)
        for r in reps:
            for c in contacts:
                if (r, c) not in out or out[(r, c)] < day:
                    out[(r, c)] = day
    return out


def knows_levels(
    g: nx.MultiDiGraph, *, as_of: date, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> dict[tuple[str, str], int]:
    """The decayed level of every ``KNOWS`` edge: ``{(rep id, contact id): level}``.

    The date decayed from is the later of ``KNOWS.last_contact_at`` and the last
    interaction both the rep and the contact ``ATTENDED``, as a UTC calendar date.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> levels = knows_levels(tiny_account(), as_of=AS_OF)
    >>> levels[("r-amy", "c-ceo")], levels[("r-amy", "c-cio")]  # met 29, 181 days ago
    (3, 1)

    References
    ----------
    docs/analytics.md §3.2
    """
    met = _last_met(g)
    out: dict[tuple[str, str], int] = {}
    for rep, contact, key, attrs in g.edges(keys=True, data=True):
        if key != RelType.KNOWS:
            continue
        dates = [_calendar_date(attrs["last_contact_at"])] if attrs.get("last_contact_at") else []
        if (rep, contact) in met:
            dates.append(met[(rep, contact)])
        days = days_since(max(dates), as_of) if dates else None
        rep_id, contact_id = g.nodes[rep]["id"], g.nodes[contact]["id"]
        out[(rep_id, contact_id)] = decayed_level(attrs.get("level", 0), days, settings=settings)
    return out


def effective_levels(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    knows: Mapping[tuple[str, str], int] | None = None,
) -> dict[str, int]:
    """Effective level of every contact in the subgraph: the max over reps of the decayed level.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    as_of : datetime.date
        The date recency is measured to.
    settings : AnalysisSettings
    knows : mapping, optional
        Precomputed :func:`knows_levels` of ``g`` as of ``as_of``.

    Returns
    -------
    dict
        ``{contact id: level}`` for every Contact node (0 when no rep knows it).

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> levels = effective_levels(tiny_account(), as_of=AS_OF)
    >>> levels["c-ceo"], levels["c-cio"], levels["c-cfo"]
    (3, 1, 0)

    References
    ----------
    docs/analytics.md §3.2
    """
    out = {attrs["id"]: 0 for _, attrs in g.nodes(data=True) if attrs.get("label") == Label.CONTACT}
    if knows is None:
        knows = knows_levels(g, as_of=as_of, settings=settings)
    for (_, contact), level in knows.items():
        out[contact] = max(out.get(contact, 0), level)
    return out


def effective_level(
    g: nx.MultiDiGraph,
    contact_id: str,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> int:
    """Effective level of one contact (see :func:`effective_levels`).

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> effective_level(tiny_account(), "c-cio", as_of=AS_OF)
    1

    References
    ----------
    docs/analytics.md §3.2
    """
    return effective_levels(g, as_of=as_of, settings=settings).get(contact_id, 0)


def can_influence(
    g: nx.MultiDiGraph,
    contact_id: str,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    levels: dict[str, int] | None = None,
) -> bool:
    """Whether we can influence the contact (能影响): effective level >= 2.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    contact_id : str
    as_of : datetime.date
    settings : AnalysisSettings
        ``can_influence_level`` (2).
    levels : dict, optional
        Precomputed :func:`effective_levels`.

    Returns
    -------
    bool

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> can_influence(g, "c-ceo", as_of=AS_OF), can_influence(g, "c-cio", as_of=AS_OF)
    (True, False)

    References
    ----------
    docs/analytics.md §3.2
    """
    if levels is None:
        levels = effective_levels(g, as_of=as_of, settings=settings)
    return levels.get(contact_id, 0) >= settings.can_influence_level


def influenced(
    levels: dict[str, int], *, settings: AnalysisSettings = DEFAULT_SETTINGS
) -> set[str]:
    """Ids of the contacts we can influence, given :func:`effective_levels`.

    Examples
    --------
    >>> sorted(influenced({"a": 2, "b": 1, "c": 4}))
    ['a', 'c']
    """
    return {c for c, level in levels.items() if level >= settings.can_influence_level}
