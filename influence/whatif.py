"""What-if analyses and next best contacts (domain.md §3.12).

Hypothetical changes are applied to a deep copy of the subgraph; nothing is written and
the input graph is never modified. Each applied change also appends the change event a
real write would record (``by="what-if"``, at midnight UTC of the as-of date), so the
health signals of the "after" analysis see it (e.g. a KDM who leaves → ``KDM_LEFT``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time

import networkx as nx

from stakegraph.graph.errors import NotFound
from stakegraph.graph.model import ChangeEvent, ContactStatus, Label, RelType, Stance, node_key
from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.balance import supporter_balance
from stakegraph.influence.chain import account_contacts
from stakegraph.influence.coverage import decision_chain_coverage
from stakegraph.influence.grade import relationship_grade
from stakegraph.influence.levels import effective_levels
from stakegraph.influence.models import (
    Change,
    ContactLeaves,
    InfluenceTieAppears,
    LevelBecomes,
    NextBestContact,
    RelationshipGrade,
    StanceBecomes,
    WhatIfResult,
)
from stakegraph.influence.paths import best_paths
from stakegraph.influence.score import influence_scores
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["apply_changes", "next_best_contacts", "what_if"]

_BY = "what-if"


def _node(g: nx.MultiDiGraph, label: Label, node_id: str) -> str:
    key = node_key(label, node_id)
    if key not in g:
        raise NotFound(str(label), node_id)
    return key


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _apply(g: nx.MultiDiGraph, change: Change, at: datetime) -> ChangeEvent | None:
    """Apply one change to ``g`` in place; the change event it records, if any."""
    if isinstance(change, ContactLeaves):
        key = _node(g, Label.CONTACT, change.contact_id)
        old = g.nodes[key].get("status")
        g.nodes[key]["status"] = ContactStatus.LEFT
        return ChangeEvent(
            entity=str(Label.CONTACT),
            entity_id=change.contact_id,
            contact_id=change.contact_id,
            field="status",
            old=_text(old),
            new=str(ContactStatus.LEFT),
            at=at,
            by=_BY,
        )
    if isinstance(change, StanceBecomes):
        key = _node(g, Label.CONTACT, change.contact_id)
        if change.opportunity_id is None:
            old = g.nodes[key].get("stance")
            g.nodes[key]["stance"] = Stance(change.stance)
            entity, entity_id = str(Label.CONTACT), change.contact_id
        else:
            opp = _node(g, Label.OPPORTUNITY, change.opportunity_id)
            edge = g.get_edge_data(key, opp, RelType.HAS_ROLE)
            if edge is None:
                raise NotFound(
                    str(RelType.HAS_ROLE), f"{change.contact_id}->{change.opportunity_id}"
                )
            old = edge.get("stance")
            edge["stance"] = Stance(change.stance)
            entity, entity_id = (
                str(RelType.HAS_ROLE),
                f"{change.contact_id}->{change.opportunity_id}",
            )
        return ChangeEvent(
            entity=entity,
            entity_id=entity_id,
            contact_id=change.contact_id,
            field="stance",
            old=_text(old),
            new=str(change.stance),
            at=at,
            by=_BY,
        )
    if isinstance(change, LevelBecomes):
        rep = _node(g, Label.REP, change.rep_id)
        contact = _node(g, Label.CONTACT, change.contact_id)
        edge = g.get_edge_data(rep, contact, RelType.KNOWS)
        old = None if edge is None else edge.get("level")
        if edge is None:
            g.add_edge(rep, contact, key=str(RelType.KNOWS), type=str(RelType.KNOWS))
            edge = g.get_edge_data(rep, contact, RelType.KNOWS)
        edge["level"] = change.level
        edge["last_contact_at"] = at
        return ChangeEvent(
            entity=str(RelType.KNOWS),
            entity_id=f"{change.rep_id}->{change.contact_id}",
            contact_id=change.contact_id,
            field="level",
            old=old,
            new=change.level,
            at=at,
            by=_BY,
        )
    if isinstance(change, InfluenceTieAppears):
        a = _node(g, Label.CONTACT, change.from_contact_id)
        b = _node(g, Label.CONTACT, change.to_contact_id)
        g.add_edge(
            a,
            b,
            key=str(RelType.INFLUENCES),
            type=str(RelType.INFLUENCES),
            strength=change.strength,
        )
        return None
    raise TypeError(f"unknown change {change!r}")


def apply_changes(g: nx.MultiDiGraph, changes: Iterable[Change], *, as_of: date) -> nx.MultiDiGraph:
    """A deep copy of ``g`` with the hypothetical changes applied, in order.

    * :class:`~stakegraph.influence.models.ContactLeaves`: status becomes LEFT;
    * :class:`~stakegraph.influence.models.StanceBecomes`: the contact's stance, or with an
      opportunity its ``HAS_ROLE.stance`` override, becomes X;
    * :class:`~stakegraph.influence.models.LevelBecomes`: the rep's ``KNOWS`` level becomes L, last
      contact on the as-of date (so L is also the decayed level); the edge is created if
      missing;
    * :class:`~stakegraph.influence.models.InfluenceTieAppears`: an ``INFLUENCES`` edge appears (or
      takes the given strength).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Not modified.
    changes : iterable of Change
    as_of : datetime.date
        The moment of the hypothetical changes (midnight UTC).

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When a change names a node (or a ``HAS_ROLE``) that is not in the subgraph.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> h = apply_changes(g, [ContactLeaves(contact_id="c-ceo")], as_of=AS_OF)
    >>> str(h.nodes["Contact:c-ceo"]["status"]), str(g.nodes["Contact:c-ceo"]["status"])
    ('LEFT', 'ACTIVE')

    References
    ----------
    domain.md §3.12
    """
    h = copy.deepcopy(g)
    at = datetime.combine(as_of, time(0), tzinfo=UTC)
    events = list(h.graph.get("changes", []))
    for change in changes:
        event = _apply(h, change, at)
        if event is not None:
            events.append(event)
    h.graph["changes"] = sorted(events, key=lambda e: (e.at, e.entity, e.entity_id, e.field))
    return h


def what_if(
    g: nx.MultiDiGraph,
    changes: Sequence[Change],
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
) -> WhatIfResult:
    """Every analytic before and after hypothetical changes; nothing is written.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph; not modified.
    changes : sequence of Change
        See :func:`apply_changes`.
    as_of : datetime.date
    settings : AnalysisSettings
    opportunity_id : str, optional
        Passed to :func:`~stakegraph.influence.analysis.analyze_account`.

    Returns
    -------
    WhatIfResult

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> r = what_if(tiny_account(), [LevelBecomes(rep_id="r-amy", contact_id="c-cio", level=3)],
    ...             as_of=AS_OF)
    >>> r.before.coverage.ratio, r.after.coverage.ratio
    (0.25, 0.5)

    References
    ----------
    domain.md §3.12
    """
    changes = list(changes)
    after_graph = apply_changes(g, changes, as_of=as_of)
    return WhatIfResult(
        changes=changes,
        before=analyze_account(g, as_of=as_of, settings=settings, opportunity_id=opportunity_id),
        after=analyze_account(
            after_graph, as_of=as_of, settings=settings, opportunity_id=opportunity_id
        ),
    )


def next_best_contacts(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    limit: int | None = None,
    company_id: str | None = None,
) -> list[NextBestContact]:
    """Rank the active contacts we cannot yet influence by what reaching them would gain.

    For each, the grade, score and coverage-ratio gain if its effective level became 2
    (equivalent to :class:`~stakegraph.influence.models.LevelBecomes` with level 2 as of today:
    influence and balance do not depend on levels, so only levels are replaced).
    Ranked by grade gain, then score gain, then influence (then id); each with its best
    path (§3.11) in the current graph.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    as_of : datetime.date
    settings : AnalysisSettings
        ``can_influence_level`` (2) is the level assumed.
    limit : int, optional
        Return at most this many.
    company_id : str, optional

    Returns
    -------
    list of NextBestContact

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> best = next_best_contacts(tiny_account(), as_of=AS_OF, limit=2)
    >>> [(n.contact_id, n.grade_gain, round(n.score_gain, 2)) for n in best]
    [('c-cio', 0, 27.92), ('c-eng', 0, 16.25)]

    References
    ----------
    domain.md §3.12
    """
    levels = effective_levels(g, as_of=as_of, settings=settings)
    influence = influence_scores(g, settings=settings, company_id=company_id)
    balance = supporter_balance(g, settings=settings, company_id=company_id, influence=influence)

    def grade_with(lv: dict[str, int]) -> tuple[RelationshipGrade, float]:
        coverage = decision_chain_coverage(
            g,
            as_of=as_of,
            settings=settings,
            company_id=company_id,
            influence=influence,
            levels=lv,
            suggest=False,
        )
        grade = relationship_grade(
            g,
            as_of=as_of,
            settings=settings,
            company_id=company_id,
            influence=influence,
            levels=lv,
            coverage=coverage,
            balance=balance,
        )
        return grade, coverage.ratio

    base, base_ratio = grade_with(levels)
    target = settings.can_influence_level
    candidates = [c for c in account_contacts(g, company_id) if levels.get(c, 0) < target]
    paths = best_paths(g, candidates, as_of=as_of, settings=settings)
    out = []
    for c in candidates:
        grade, ratio = grade_with({**levels, c: target})
        entry = influence.get(c)
        out.append(
            NextBestContact(
                contact_id=c,
                name=entry.name if entry else c,
                score=influence.score_of(c),
                grade_before=base.grade,
                grade_after=grade.grade,
                grade_gain=grade.grade.rank - base.grade.rank,
                score_gain=grade.score - base.score,
                ratio_gain=ratio - base_ratio,
                path=paths.get(c),
            )
        )
    out.sort(key=lambda n: (-n.grade_gain, -round(n.score_gain, 9), -n.score, n.contact_id))
    return out if limit is None else out[:limit]
