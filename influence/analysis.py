"""Every per-account analytic in one pass (§3.2–3.9, §3.14).

The account is indexed once (:func:`~stakegraph.influence.index.account_index`), and
effective levels, influence and the path graph are computed once; every analytic reads
them, so an analysis grows with the size of the account, not with its square. The
cyclic garbage collector waits until an analysis ends
(:func:`~stakegraph.graph.gc_policy.gc_paused`): its collections would traverse the
account's graph many times over and free nothing in it.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from stakegraph.graph.gc_policy import gc_paused
from stakegraph.influence.balance import supporter_balance
from stakegraph.influence.chain import account_id
from stakegraph.influence.coverage import decision_chain_coverage
from stakegraph.influence.gaps import data_gaps
from stakegraph.influence.grade import relationship_grade
from stakegraph.influence.health import account_health, account_potential
from stakegraph.influence.history import state_as_of
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import effective_levels, knows_levels
from stakegraph.influence.models import AccountAnalysis, Coverage, InfluenceResult
from stakegraph.influence.paths import power_graph
from stakegraph.influence.score import influence_scores
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings
from stakegraph.influence.warnings import opportunity_warnings

__all__ = ["analyze_account"]


@gc_paused()  # the collector would traverse the account's graph again and again
def analyze_account(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
    company_id: str | None = None,
    influence: InfluenceResult | None = None,
    index: AccountIndex | None = None,
    power: nx.DiGraph | None = None,
) -> AccountAnalysis:
    """Run every per-account analytic once on an account subgraph.

    When ``as_of`` is in the past and anything in ``g`` lies after it, the analytics
    run on the account as it was at the end of that day (§3.17,
    :func:`~stakegraph.influence.history.state_as_of`; setting ``replay_history``).

    Effective levels (§3.2), influence and brokers (§3.4) and the path graph (§3.11)
    are computed once and handed to coverage (§3.5), balance (§3.6) and the grade
    (§3.7); potential and health (§3.9), the data gaps (§3.14) and the warnings of each
    OPEN opportunity (§3.16) complete the bundle.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph (``stakegraph.graph.model`` convention).
    as_of : datetime.date
        The date the account is taken as of (§3.17) and recency and health windows
        are measured to.
    settings : AnalysisSettings
    opportunity_id : str, optional
        Restrict the per-opportunity coverage and balance to this opportunity (any
        status); by default every OPEN opportunity gets one. The account-level coverage,
        balance and grade are always computed.
    company_id : str, optional
        Defaults to ``g.graph["company_id"]``.
    influence : InfluenceResult, optional
        Precomputed :func:`~stakegraph.influence.score.influence_scores` of ``g`` (a
        what-if whose changes leave influence alone reuses the one before).
    index : AccountIndex, optional
        Precomputed :func:`~stakegraph.influence.index.account_index` of ``g``.
    power : networkx.DiGraph, optional
        Precomputed :func:`~stakegraph.influence.paths.power_graph` of ``g`` as of
        ``as_of`` (a map shares it with its paths and next best contacts).

    Returns
    -------
    AccountAnalysis

    Raises
    ------
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> a = analyze_account(tiny_account(), as_of=AS_OF)
    >>> a.grade.grade.value, a.coverage.ratio, a.balance.verdict.value, a.health.status.value
    ('INTERMEDIATE', 0.25, 'FAVORABLE', 'RED')
    >>> [c.opportunity_id for c in a.opportunity_coverage], a.potential.band.value
    (['o-crm'], 'A')

    References
    ----------
    docs/analytics.md §3
    """
    cid = account_id(g, company_id)
    past = state_as_of(g, as_of, settings=settings, company_id=cid)
    if past is not g:  # the account as it was (§3.17): precomputed parts are of today's
        g, influence, index, power = past, None, None, None
    ix = index if index is not None else account_index(g, settings=settings, company_id=cid)
    if opportunity_id is not None:
        ix.chain_of(opportunity_id)  # NotFound early
        opportunities = [opportunity_id]
    else:
        opportunities = ix.open_opportunities
    knows = knows_levels(g, as_of=as_of, settings=settings)
    levels = effective_levels(g, as_of=as_of, settings=settings, knows=knows)
    if influence is None:
        influence = influence_scores(g, settings=settings, index=ix)
    if power is None:
        power = power_graph(g, as_of=as_of, settings=settings, knows=knows)

    def coverage_of(opp: str | None) -> Coverage:
        return decision_chain_coverage(
            g,
            as_of=as_of,
            settings=settings,
            opportunity_id=opp,
            influence=influence,
            levels=levels,
            power=power,
            index=ix,
        )

    coverage = coverage_of(None)
    balance = supporter_balance(g, settings=settings, influence=influence, index=ix)
    grade = relationship_grade(
        g,
        as_of=as_of,
        settings=settings,
        influence=influence,
        levels=levels,
        coverage=coverage,
        balance=balance,
        index=ix,
    )
    return AccountAnalysis(
        company_id=cid,
        as_of=as_of,
        opportunity_id=opportunity_id,
        effective_levels=levels,
        influence=influence,
        coverage=coverage,
        opportunity_coverage=[coverage_of(o) for o in opportunities],
        balance=balance,
        opportunity_balance=[
            supporter_balance(g, settings=settings, opportunity_id=o, influence=influence, index=ix)
            for o in opportunities
        ],
        grade=grade,
        potential=account_potential(g, settings=settings, company_id=cid),
        health=account_health(g, as_of=as_of, settings=settings, index=ix),
        brokers=influence.brokers,
        data_gaps=data_gaps(g, settings=settings, index=ix),
        deal_warnings=[
            w
            for o in opportunities
            for w in opportunity_warnings(
                g, o, as_of=as_of, settings=settings, levels=levels, index=ix
            )
        ],
    )
