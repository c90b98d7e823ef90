"""Decision-chain coverage and its holes (覆盖; docs/analytics.md §3.5).

Readings of §3.5 taken here:

* A role's holders are its ACTIVE ``HAS_ROLE`` holders in the chain (the opportunity's,
  or the union over OPEN opportunities for the account). "At risk" reads the most
  influential holder's stance: for an opportunity its ``HAS_ROLE`` override counts, for
  the account the contact's own stance.
* ``weighted_ratio`` is 0 when the chain's influence sums to 0 (no chain).
* Each hole names up to 3 suggested contacts, most probable best path (§3.11) first.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import networkx as nx

from stakegraph.graph.model import DecisionRole, Label, Seniority, node_key
from stakegraph.influence._num import clamp
from stakegraph.influence.chain import chain_contacts
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import effective_levels, influenced, stance_value
from stakegraph.influence.messages import message
from stakegraph.influence.models import (
    Coverage,
    Hole,
    HoleKind,
    InfluenceResult,
    Path,
    RoleCoverage,
    RoleStatus,
    Suggestion,
)
from stakegraph.influence.paths import best_path_probabilities, best_paths, power_graph
from stakegraph.influence.score import influence_scores
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["decision_chain_coverage", "role_candidates"]


def _ranked(ids: list[str], scores: Mapping[str, float]) -> list[str]:
    """Most influential first, ties by id."""
    return sorted(ids, key=lambda c: (-scores.get(c, 0.0), c))


def role_candidates(
    g: nx.MultiDiGraph,
    role: DecisionRole,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    index: AccountIndex | None = None,
) -> list[str]:
    """Active contacts who may fill a role nobody holds (suggestions of a MISSING hole).

    Members of departments whose function matches the role (``role_department_functions``:
    EXECUTIVE for ECONOMIC_BUYER, TECHNICAL for TECHNICAL_EVALUATOR, FINANCE_PROCUREMENT
    for FINANCIAL_CONTROLLER, BUSINESS for USER), and contacts of the seniorities in
    ``role_candidate_seniorities`` (EXECUTIVE or VP for ECONOMIC_BUYER).

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> role_candidates(tiny_account(), DecisionRole.ECONOMIC_BUYER)
    ['c-ceo', 'c-cio']

    References
    ----------
    docs/analytics.md §3.5; KAM practice (the buying departments and roles).
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    active = ix.active
    functions = set(settings.role_department_functions.get(role, ()))
    seniorities = {Seniority(s) for s in settings.role_candidate_seniorities.get(role, ())}
    out: set[str] = set()
    for dept, members in ix.membership.items():
        if g.nodes[node_key(Label.DEPARTMENT, dept)].get("function") in functions:
            out |= active.intersection(members)
    for c in active:
        if g.nodes[node_key(Label.CONTACT, c)].get("seniority") in seniorities:
            out.add(c)
    return sorted(out)


def _by_path(
    candidates: list[str], scores: Mapping[str, float], probabilities: Mapping[str, float]
) -> list[str]:
    """Candidates ranked by best-path probability, then influence, then id."""
    return sorted(candidates, key=lambda c: (-probabilities.get(c, 0.0), -scores.get(c, 0.0), c))


def _suggestions(
    g: nx.MultiDiGraph,
    chosen: list[str],
    scores: Mapping[str, float],
    paths: Mapping[str, Path],
) -> list[Suggestion]:
    """The suggestions of the chosen candidates (:func:`_by_path`), with their paths."""
    out = []
    for c in chosen:
        path = paths.get(c)
        out.append(
            Suggestion(
                contact_id=c,
                name=g.nodes[node_key(Label.CONTACT, c)].get("name", c),
                score=scores.get(c, 0.0),
                probability=path.probability if path else None,
                path=path,
            )
        )
    return out


def decision_chain_coverage(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
    company_id: str | None = None,
    influence: InfluenceResult | None = None,
    levels: Mapping[str, int] | None = None,
    suggest: bool = True,
    power: nx.DiGraph | None = None,
    index: AccountIndex | None = None,
) -> Coverage:
    """Coverage of the decision chain: role statuses, ratios and holes with suggestions.

    For each required role: ``MISSING`` if no active contact holds it; ``UNCOVERED``
    if holders exist but we can influence none; else ``COVERED``, and **at risk** when
    its most influential holder has stance < 0 (for an opportunity, the ``HAS_ROLE``
    stance override counts; for the account, the contact's own stance).
    ``ratio`` = covered required roles / required roles; ``weighted_ratio`` = Σ influence
    of chain contacts we can influence / Σ influence of all chain contacts (0 when the
    chain is empty or has no influence). Holes are the MISSING and UNCOVERED roles and
    the key departments without an active member we can influence; each names up to 3
    suggested contacts with their best path (§3.11), most probable path first.

    Parameters
    ----------
    g : networkx.MultiDiGraph
    as_of : datetime.date
    settings : AnalysisSettings
    opportunity_id : str, optional
        One opportunity's chain; ``None``: the account's (its OPEN opportunities).
    company_id : str, optional
    influence : InfluenceResult, optional
        Precomputed :func:`~stakegraph.influence.score.influence_scores`.
    levels : mapping, optional
        Precomputed :func:`~stakegraph.influence.levels.effective_levels` (or hypothetical ones).
    suggest : bool
        Compute suggestions (paths); off for what-if ranking.
    power : networkx.DiGraph, optional
        Precomputed :func:`~stakegraph.influence.paths.power_graph`.
    index : AccountIndex, optional
        Precomputed :func:`~stakegraph.influence.index.account_index`.

    Returns
    -------
    Coverage

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> cov = decision_chain_coverage(tiny_account(), as_of=AS_OF)
    >>> cov.ratio, [(r.role.value, r.status.value) for r in cov.roles][:2]
    (0.25, [('ECONOMIC_BUYER', 'COVERED'), ('TECHNICAL_EVALUATOR', 'UNCOVERED')])
    >>> [(h.kind.value, h.department_id) for h in cov.holes][-1]
    ('DEPARTMENT_UNCOVERED', 'd-it')
    >>> [s.contact_id for s in cov.holes[-1].suggestions]
    ['c-cio', 'c-eng', 'c-ops']

    References
    ----------
    docs/analytics.md §3.5
    """
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    chain = ix.chain_of(opportunity_id)
    if influence is None:
        influence = influence_scores(g, settings=settings, company_id=company_id, index=ix)
    scores = influence.scores()
    if levels is None:
        levels = effective_levels(g, as_of=as_of, settings=settings)
    can = influenced(dict(levels), settings=settings)

    roles: list[RoleCoverage] = []
    for role in settings.required_roles:
        holders = _ranked(chain.get(role, []), scores)
        reached = [h for h in holders if h in can]
        if not holders:
            status, at_risk = RoleStatus.MISSING, False
        elif not reached:
            status, at_risk = RoleStatus.UNCOVERED, False
        else:
            value = stance_value(g, holders[0], opportunity_id=opportunity_id)
            status, at_risk = RoleStatus.COVERED, value is not None and value < 0
        roles.append(
            RoleCoverage(
                role=role,
                status=status,
                at_risk=at_risk,
                holder_ids=holders,
                influenced_holder_ids=reached,
                top_holder_id=holders[0] if holders else None,
            )
        )
    covered = sum(r.status == RoleStatus.COVERED for r in roles)
    members = chain_contacts(chain)
    total = sum(scores.get(c, 0.0) for c in members)
    reached_total = sum(scores.get(c, 0.0) for c in members if c in can)
    weighted = clamp(reached_total / total, 0.0, 1.0) if total > 0 else 0.0

    active = ix.active
    membership = ix.membership
    holes: list[tuple[Hole, list[str]]] = []
    for r in roles:
        if r.status == RoleStatus.MISSING:
            text, reason = message("NO_CONTACT_IN_ROLE", role=r.role.value)
            cands = role_candidates(g, r.role, settings=settings, index=ix)
            hole = Hole(
                kind=HoleKind.ROLE_MISSING,
                role=r.role,
                reason=reason,
                code=text.code,
                params=text.params,
            )
            holes.append((hole, cands))
        elif r.status == RoleStatus.UNCOVERED:
            text, reason = message(
                "ROLE_NOT_REACHED",
                holders=len(r.holder_ids),
                role=r.role.value,
                level=settings.can_influence_level,
            )
            hole = Hole(
                kind=HoleKind.ROLE_UNCOVERED,
                role=r.role,
                reason=reason,
                code=text.code,
                params=text.params,
            )
            holes.append((hole, r.holder_ids))
    for dept in ix.key_departments:
        dept_members = [c for c in membership.get(dept, []) if c in active]
        if any(c in can for c in dept_members):
            continue
        name = g.nodes[node_key(Label.DEPARTMENT, dept)].get("name", dept)
        text, reason = message(
            "KEY_DEPARTMENT_NOT_REACHED", department=str(name), members=len(dept_members)
        )
        hole = Hole(
            kind=HoleKind.DEPARTMENT_UNCOVERED,
            department_id=dept,
            reason=reason,
            code=text.code,
            params=text.params,
        )
        holes.append((hole, dept_members))

    if suggest and settings.max_suggestions > 0 and any(c for _, c in holes):
        wanted = sorted({c for _, cands in holes for c in cands})
        if power is None:
            power = power_graph(g, as_of=as_of, settings=settings)
        # every candidate ranked by its path's probability; paths spelled out for the
        # chosen few only
        probabilities = best_path_probabilities(
            g, wanted, as_of=as_of, settings=settings, power=power
        )
        chosen = [
            _by_path(cands, scores, probabilities)[: settings.max_suggestions] for _, cands in holes
        ]
        paths = best_paths(
            g, sorted({c for cs in chosen for c in cs}), as_of=as_of, settings=settings, power=power
        )
        holes = [
            (h.model_copy(update={"suggestions": _suggestions(g, cs, scores, paths)}), cands)
            for (h, cands), cs in zip(holes, chosen, strict=True)
        ]
    return Coverage(
        opportunity_id=opportunity_id,
        ratio=covered / len(settings.required_roles),
        weighted_ratio=weighted,
        roles=roles,
        holes=[h for h, _ in holes],
        chain_contact_ids=members,
    )
