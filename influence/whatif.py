"""What-if analyses and next best contacts (§3.12).

Hypothetical changes are applied to a copy of the subgraph; nothing is written and
the input graph is never modified. Each applied change also appends the change event a
real write would record (``by="what-if"``, at midnight UTC of the as-of date), so the
health signals of the "after" analysis see it (e.g. a KDM who leaves → ``KDM_LEFT``).

Readings of §3.12 taken here:

* "Level becomes L — for any of our reps": a rep with no tie into the account yet is not
  in its subgraph, so its record comes from the ``reps`` registry argument (our reps,
  by id); the rep is added to the copy with the ``KNOWS`` edge. A rep id neither in the
  subgraph nor in the registry is :class:`~stakegraph.graph.errors.NotFound`, naming it.
* Only what a change can move is recomputed: influence (§3.4) depends on who is active
  and on the ties, not on levels or stances, so the "after" analysis of level and stance
  changes reuses the "before" influence; next best contacts evaluate each candidate
  from the account's structure and the current grade, changing only what reaching that
  one contact changes (the gains equal a what-if at level 2, checked by a property
  test).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import networkx as nx

from stakegraph.graph.errors import NotFound
from stakegraph.graph.gc_policy import gc_paused
from stakegraph.graph.model import (
    ChangeEvent,
    ContactStatus,
    DecisionRole,
    Label,
    RelType,
    Rep,
    Stance,
    node_key,
)
from stakegraph.influence._num import ceil_fraction
from stakegraph.influence.analysis import analyze_account
from stakegraph.influence.balance import supporter_balance
from stakegraph.influence.coverage import decision_chain_coverage
from stakegraph.influence.grade import grade_from, grade_score
from stakegraph.influence.history import state_as_of
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import effective_levels, influenced, stance_value
from stakegraph.influence.models import (
    Change,
    ContactLeaves,
    InfluenceResult,
    InfluenceTieAppears,
    LevelBecomes,
    NextBestContact,
    RelationshipGrade,
    RelationshipGradeLevel,
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


Registry = Mapping[str, Rep] | Iterable[Rep]


def _registry(reps: Registry | None) -> dict[str, Rep]:
    if reps is None:
        return {}
    if isinstance(reps, Mapping):
        return dict(reps)
    return {r.id: r for r in reps}


def _rep(g: nx.MultiDiGraph, rep_id: str, reps: dict[str, Rep]) -> str:
    """The rep's node key, adding the rep from the registry when it has no tie here yet."""
    key = node_key(Label.REP, rep_id)
    if key in g:
        return key
    if rep_id not in reps:
        raise NotFound(str(Label.REP), rep_id)
    g.add_node(key, label=str(Label.REP), **reps[rep_id].model_dump())
    return key


def _apply(
    g: nx.MultiDiGraph, change: Change, at: datetime, reps: dict[str, Rep]
) -> ChangeEvent | None:
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
        contact = _node(g, Label.CONTACT, change.contact_id)
        rep = _rep(g, change.rep_id, reps)
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


def apply_changes(
    g: nx.MultiDiGraph,
    changes: Iterable[Change],
    *,
    as_of: date,
    reps: Registry | None = None,
) -> nx.MultiDiGraph:
    """A copy of ``g`` with the hypothetical changes applied, in order.

    * :class:`~stakegraph.influence.models.ContactLeaves`: status becomes LEFT;
    * :class:`~stakegraph.influence.models.StanceBecomes`: the contact's stance, or with an
      opportunity its ``HAS_ROLE.stance`` override, becomes X;
    * :class:`~stakegraph.influence.models.LevelBecomes`: the rep's ``KNOWS`` level becomes L, last
      contact on the as-of date (so L is also the decayed level); the edge is created if
      missing, and so is the rep (from ``reps``) when it has no tie into the account;
    * :class:`~stakegraph.influence.models.InfluenceTieAppears`: an ``INFLUENCES`` edge appears (or
      takes the given strength).

    Parameters
    ----------
    g : networkx.MultiDiGraph
        Not modified.
    changes : iterable of Change
    as_of : datetime.date
        The moment of the hypothetical changes (midnight UTC).
    reps : mapping or iterable of Rep, optional
        Our reps (``{id: Rep}`` or models): where a rep named by a ``LevelBecomes`` not in
        the subgraph is found.

    Returns
    -------
    networkx.MultiDiGraph
        Node and edge attribute dicts are the copy's own; ``g`` is not modified.

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When a change names a node (or a ``HAS_ROLE``) that is not in the subgraph, or a
        rep that is neither there nor in ``reps``; the error names the id.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> h = apply_changes(g, [ContactLeaves(contact_id="c-ceo")], as_of=AS_OF)
    >>> str(h.nodes["Contact:c-ceo"]["status"]), str(g.nodes["Contact:c-ceo"]["status"])
    ('LEFT', 'ACTIVE')

    References
    ----------
    docs/analytics.md §3.12
    """
    h = g.copy()
    h.graph = dict(g.graph)
    at = datetime.combine(as_of, time(0), tzinfo=UTC)
    registry = _registry(reps)
    events = list(h.graph.get("changes", []))
    for change in changes:
        event = _apply(h, change, at, registry)
        if event is not None:
            events.append(event)
    h.graph["changes"] = sorted(events, key=lambda e: (e.at, e.entity, e.entity_id, e.field))
    return h


@gc_paused()  # as analyze_account
def what_if(
    g: nx.MultiDiGraph,
    changes: Sequence[Change],
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
    reps: Registry | None = None,
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
    reps : mapping or iterable of Rep, optional
        Our reps, for a ``LevelBecomes`` of a rep with no tie into the account yet (see
        :func:`apply_changes`).

    Returns
    -------
    WhatIfResult

    Raises
    ------
    stakegraph.graph.errors.NotFound
        See :func:`apply_changes`.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> r = what_if(tiny_account(), [LevelBecomes(rep_id="r-amy", contact_id="c-cio", level=3)],
    ...             as_of=AS_OF)
    >>> r.before.coverage.ratio, r.after.coverage.ratio
    (0.25, 0.5)

    References
    ----------
    docs/analytics.md §3.12
    """
    changes = list(changes)
    g = state_as_of(g, as_of, settings=settings)  # changes apply to the account as it was
    after_graph = apply_changes(g, changes, as_of=as_of, reps=reps)
    before = analyze_account(g, as_of=as_of, settings=settings, opportunity_id=opportunity_id)
    keeps_influence = all(isinstance(c, (LevelBecomes, StanceBecomes)) for c in changes)
    after = analyze_account(
        after_graph,
        as_of=as_of,
        settings=settings,
        opportunity_id=opportunity_id,
        influence=before.influence if keeps_influence else None,
    )
    return WhatIfResult(changes=changes, before=before, after=after)


@gc_paused()  # as analyze_account
def next_best_contacts(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    limit: int | None = None,
    company_id: str | None = None,
    influence: InfluenceResult | None = None,
    index: AccountIndex | None = None,
    power: nx.DiGraph | None = None,
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
    influence : InfluenceResult, optional
        Precomputed :func:`~stakegraph.influence.score.influence_scores` of ``g`` (e.g. an
        analysis's), reused rather than recomputed.
    index : AccountIndex, optional
        Precomputed :func:`~stakegraph.influence.index.account_index` of ``g``.
    power : networkx.DiGraph, optional
        Precomputed :func:`~stakegraph.influence.paths.power_graph` of ``g`` as of
        ``as_of``, for the best paths.

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
    docs/analytics.md §3.12
    """
    past = state_as_of(g, as_of, settings=settings, company_id=company_id)
    if past is not g:  # the account as it was (§3.17): precomputed parts are of today's
        g, influence, index, power = past, None, None, None
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    levels = effective_levels(g, as_of=as_of, settings=settings)
    if influence is None:
        influence = influence_scores(g, settings=settings, index=ix)
    balance = supporter_balance(g, settings=settings, influence=influence, index=ix)
    coverage = decision_chain_coverage(
        g,
        as_of=as_of,
        settings=settings,
        influence=influence,
        levels=levels,
        suggest=False,
        index=ix,
    )
    can = influenced(levels, settings=settings)
    base = grade_from(g, ix, can, balance.value, coverage.ratio, settings=settings)
    basis = _Basis.of(g, ix, can, base, settings)
    candidates = [c for c in ix.contacts if c not in can]
    paths = best_paths(g, candidates, as_of=as_of, settings=settings, power=power)
    out = []
    for c in candidates:
        level, score, ratio = basis.reach(c)
        entry = influence.get(c)
        out.append(
            NextBestContact(
                contact_id=c,
                name=entry.name if entry else c,
                score=influence.score_of(c),
                grade_before=base.grade,
                grade_after=level,
                grade_gain=level.rank - base.grade.rank,
                score_gain=score - base.score,
                ratio_gain=ratio - coverage.ratio,
                path=paths.get(c),
            )
        )
    out.sort(key=lambda n: (-n.grade_gain, -round(n.score_gain, 9), -n.score, n.contact_id))
    return out if limit is None else out[:limit]


@dataclass(frozen=True)
class _Basis:
    """What reaching one more contact can change in the grade (§3.7) and the ratio (§3.5)."""

    base: RelationshipGrade
    settings: AnalysisSettings
    kdms: frozenset[str]
    n_kdms: int
    n_influenced_kdms: int
    n_departments: int
    n_departments_reached: int
    departments_of: dict[str, list[int]]  # contact → key departments (positions) it sits in
    reached: list[bool]  # key department has an active member we can influence
    short: list[int]  # KDMs still needed for STRONG, per key department (<= 0: enough)
    has_kdms: list[bool]
    failing: list[int]  # key departments that keep the account from STRONG
    any_influenced_kdm: bool
    opposing: bool
    ratio_covered: int
    uncovered_roles_of: dict[str, int]  # contact → required roles it would newly cover
    n_roles: int

    @classmethod
    def of(
        cls,
        g: nx.MultiDiGraph,
        ix: AccountIndex,
        can: set[str],
        base: RelationshipGrade,
        settings: AnalysisSettings,
    ) -> _Basis:
        kdms = frozenset(ix.kdms)
        departments_of: dict[str, list[int]] = {}
        reached, short, has_kdms = [], [], []
        any_kdm = False
        for i, dept in enumerate(ix.key_departments):
            members = [c for c in ix.membership.get(dept, []) if c in ix.active]
            for c in members:
                departments_of.setdefault(c, []).append(i)
            dept_kdms = [c for c in members if c in kdms]
            n_in = sum(c in can for c in dept_kdms)
            any_kdm = any_kdm or n_in > 0
            reached.append(any(c in can for c in members))
            short.append(ceil_fraction(settings.strong_kdm_fraction, len(dept_kdms)) - n_in)
            has_kdms.append(bool(dept_kdms))
        covered = 0
        uncovered_roles_of: dict[str, int] = {}
        for role in settings.required_roles:
            holders = ix.chain.get(DecisionRole(role), [])
            if any(h in can for h in holders):
                covered += 1
            else:
                for h in holders:
                    uncovered_roles_of[h] = uncovered_roles_of.get(h, 0) + 1
        return cls(
            base=base,
            settings=settings,
            kdms=kdms,
            n_kdms=len(ix.kdms),
            n_influenced_kdms=sum(k in can for k in ix.kdms),
            n_departments=len(ix.key_departments),
            n_departments_reached=sum(reached),
            departments_of=departments_of,
            reached=reached,
            short=short,
            has_kdms=has_kdms,
            failing=[
                i for i, (k, n) in enumerate(zip(has_kdms, short, strict=True)) if not k or n > 0
            ],
            any_influenced_kdm=any_kdm,
            opposing=any((stance_value(g, k) or 0) < 0 for k in ix.kdms),
            ratio_covered=covered,
            uncovered_roles_of=uncovered_roles_of,
            n_roles=len(settings.required_roles),
        )

    def reach(self, contact: str) -> tuple[RelationshipGradeLevel, float, float]:
        """Grade, score and coverage ratio once we can influence ``contact`` too."""
        is_kdm = contact in self.kdms
        depts = self.departments_of.get(contact, [])
        ratio = (self.ratio_covered + self.uncovered_roles_of.get(contact, 0)) / self.n_roles
        f_kdm = (self.n_influenced_kdms + is_kdm) / self.n_kdms if self.n_kdms else 0.0
        newly = sum(not self.reached[i] for i in depts)
        f_dept = (
            (self.n_departments_reached + newly) / self.n_departments if self.n_departments else 0.0
        )
        gain = set(depts) if is_kdm else set()
        strong = (
            self.n_departments > 0
            and not self.opposing
            and all(i in gain and self.has_kdms[i] and self.short[i] <= 1 for i in self.failing)
        )
        if strong:
            level = RelationshipGradeLevel.STRONG
        elif self.any_influenced_kdm or gain:
            level = RelationshipGradeLevel.INTERMEDIATE
        else:
            level = RelationshipGradeLevel.BASIC
        score = grade_score(f_kdm, f_dept, self.base.balance, ratio, settings=self.settings)
        return level, score, ratio
