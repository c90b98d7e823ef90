"""Every per-account analytic in one pass (domain.md §3.2–3.9)."""

from __future__ import annotations

from datetime import date

import networkx as nx

from stakegraph.influence.balance import supporter_balance
from stakegraph.influence.chain import account_id, decision_chain, open_opportunities
from stakegraph.influence.coverage import decision_chain_coverage
from stakegraph.influence.grade import relationship_grade
from stakegraph.influence.health import account_health, account_potential
from stakegraph.influence.levels import effective_levels
from stakegraph.influence.models import AccountAnalysis, Coverage
from stakegraph.influence.paths import power_graph
from stakegraph.influence.score import influence_scores
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["analyze_account"]


def analyze_account(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    opportunity_id: str | None = None,
    company_id: str | None = None,
) -> AccountAnalysis:
    """Run every per-account analytic once on an account subgraph.

    Effective levels (§3.2), influence (§3.4) and the path graph (§3.11) are computed
    once and handed to coverage (§3.5), balance (§3.6) and the grade (§3.7); potential
    and health (§3.9) complete the bundle.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph (``stakegraph.graph.model`` convention).
    as_of : datetime.date
        The date recency and health windows are measured to.
    settings : AnalysisSettings
    opportunity_id : str, optional
        Restrict the per-opportunity coverage and balance to this opportunity (any
        status); by default every OPEN opportunity gets one. The account-level coverage,
        balance and grade are always computed.
    company_id : str, optional
        Defaults to ``g.graph["company_id"]``.

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
    domain.md §3
    """
    cid = account_id(g, company_id)
    if opportunity_id is not None:
        decision_chain(g, opportunity_id=opportunity_id, company_id=cid)  # NotFound early
        opportunities = [opportunity_id]
    else:
        opportunities = open_opportunities(g, cid)
    levels = effective_levels(g, as_of=as_of, settings=settings)
    influence = influence_scores(g, settings=settings, company_id=cid)
    power = power_graph(g, as_of=as_of, settings=settings)

    def coverage_of(opp: str | None) -> Coverage:
        return decision_chain_coverage(
            g,
            as_of=as_of,
            settings=settings,
            opportunity_id=opp,
            company_id=cid,
            influence=influence,
            levels=levels,
            power=power,
        )

    coverage = coverage_of(None)
    balance = supporter_balance(g, settings=settings, company_id=cid, influence=influence)
    grade = relationship_grade(
        g,
        as_of=as_of,
        settings=settings,
        company_id=cid,
        influence=influence,
        levels=levels,
        coverage=coverage,
        balance=balance,
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
            supporter_balance(
                g, settings=settings, opportunity_id=o, company_id=cid, influence=influence
            )
            for o in opportunities
        ],
        grade=grade,
        potential=account_potential(g, settings=settings, company_id=cid),
        health=account_health(g, as_of=as_of, settings=settings, company_id=cid),
    )
