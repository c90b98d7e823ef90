"""MEDDPICC letter by letter (see :mod:`stakegraph.influence.methods`)."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from stakegraph.graph.model import DecisionRole, Label, RelType, node_key
from stakegraph.influence._deal import AMBER, GREEN, RED, UNKNOWN, Deal, deal_context, make_view
from stakegraph.influence.method_models import (
    Evidence,
    MethodElement,
    MethodView,
)
from stakegraph.influence.method_settings import (
    DEFAULT_METHOD_SETTINGS,
    SalesMethodSettings,
)
from stakegraph.influence.models import AccountAnalysis
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["meddpicc_view"]

# --------------------------------------------------------------------- MEDDPICC


def _role_element(deal: Deal, code: str, name: str, roles: Sequence[DecisionRole]) -> MethodElement:
    """Holders of the roles: RED none, AMBER not influenced or opposed, GREEN engaged."""
    held = " / ".join(str(r) for r in roles)
    holders = deal.holders(roles)
    if not holders:
        return MethodElement(
            code=code,
            name=name,
            status=RED,
            state="not identified",
            summary=f"no contact holds {held} in this deal",
        )
    influenced = [c for c in holders if deal.influenced(c)]
    top = holders[0]
    weight = deal.stance(top).weight
    evidence = [deal.evidence(c, f"holds {held}") for c in holders]
    if not influenced:
        status, state = AMBER, "identified, not engaged"
        summary = f"{len(holders)} holder(s) of {held}; we can influence none"
    elif weight is not None and weight < 0:
        status, state = AMBER, "engaged, at risk"
        summary = f"the most influential holder of {held} is {deal.stance(top)}"
    else:
        status, state = GREEN, "engaged"
        summary = f"we can influence {len(influenced)} of {len(holders)} holder(s) of {held}"
    return MethodElement(
        code=code,
        name=name,
        status=status,
        state=state,
        summary=summary,
        contact_ids=holders,
        evidence=evidence,
    )


def _metrics(deal: Deal, name: str) -> MethodElement:
    values = {k: deal.opportunity(k) for k in ("amount", "currency", "close_date")}
    products = deal.opportunity("products") or []
    values = {k: (str(v) if k == "close_date" and v is not None else v) for k, v in values.items()}
    evidence = Evidence(
        detail="the deal", values={**values, "products": ", ".join(products) or None}
    )
    return MethodElement(
        code="M",
        name=name,
        status=UNKNOWN,
        state="not tracked",
        summary="the graph holds no success metrics; the deal's value is shown",
        evidence=[evidence],
    )


def _decision_process(deal: Deal, name: str) -> MethodElement:
    required = deal.settings.required_roles
    evidence, states = [], []
    for role in required:
        holders = deal.holders([role])
        state = (
            "COVERED"
            if any(deal.influenced(c) for c in holders)
            else ("UNCOVERED" if holders else "MISSING")
        )
        states.append(state)
        evidence.append(
            Evidence(
                detail=f"{role}: {state}",
                values={"role": str(role), "status": state, "holders": ", ".join(holders) or None},
            )
        )
    chain = deal.holders(DecisionRole)
    covered = states.count("COVERED")
    if not chain:
        status, state = RED, "not mapped"
    elif covered == len(required):
        status, state = GREEN, "mapped and covered"
    else:
        status, state = AMBER, "partly mapped"
    return MethodElement(
        code="D2",
        name=name,
        status=status,
        state=state,
        summary=f"{covered} of {len(required)} required roles covered; {len(chain)} people in "
        "the decision chain",
        contact_ids=chain,
        evidence=evidence,
    )


def _champion(deal: Deal, name: str, methods: SalesMethodSettings) -> MethodElement:
    m = methods.meddpicc
    pool = deal.holders(DecisionRole) if m.champion_in_chain_only else deal.members()
    champions = deal.ranked(c for c in pool if deal.stance(c) in m.champion_stances)

    def tested(c: str) -> bool:
        return (
            deal.level(c) >= m.champion_min_level and deal.influence(c) >= m.champion_min_influence
        )

    proven = [c for c in champions if tested(c)]
    evidence = [
        deal.evidence(c, "tested" if tested(c) else "untested", tested=tested(c)) for c in champions
    ]
    if proven:
        status, state = GREEN, "tested"
        summary = f"{len(proven)} champion(s) at level ≥ {m.champion_min_level} with influence ≥ {m.champion_min_influence}"
    elif champions:
        status, state = AMBER, "untested"
        summary = f"{len(champions)} champion(s), none at level ≥ {m.champion_min_level} with influence ≥ {m.champion_min_influence}"
    else:
        status, state = RED, "none"
        summary = "no CHAMPION for this deal"
    return MethodElement(
        code="C1",
        name=name,
        status=status,
        state=state,
        summary=summary,
        contact_ids=champions,
        evidence=evidence,
    )


def _competitors(deal: Deal) -> tuple[list[str], dict[str, list[str]]]:
    """Competitors of the deal, and ``{contact: competitors it favours}`` in the account."""
    opp = node_key(Label.OPPORTUNITY, deal.opportunity_id)
    g = deal.g
    rivals = sorted(
        g.nodes[u]["id"] for u, _, k in g.in_edges(opp, keys=True) if k == RelType.COMPETES_FOR
    )
    favours: dict[str, list[str]] = {}
    for c in deal.members():
        key = node_key(Label.CONTACT, c)
        liked = sorted(
            g.nodes[v]["id"] for _, v, k in g.out_edges(key, keys=True) if k == RelType.FAVORS
        )
        if liked:
            favours[c] = liked
    return rivals, favours


def _competition(deal: Deal, name: str) -> MethodElement:
    rivals, favours = _competitors(deal)
    chain = set(deal.holders(DecisionRole))
    inside = deal.ranked(c for c in favours if c in chain)
    outside = deal.ranked(c for c in favours if c not in chain)
    names = {
        r: deal.g.nodes[node_key(Label.COMPETITOR, r)].get("name", r)
        for r in {*rivals, *(x for v in favours.values() for x in v)}
    }
    evidence = [
        Evidence(detail="competes for the deal", values={"competitor": names[r]}) for r in rivals
    ]
    evidence += [
        deal.evidence(
            c,
            "favours " + ", ".join(names[x] for x in favours[c]),
            favours=", ".join(favours[c]),
            in_chain=c in chain,
        )
        for c in inside + outside
    ]
    if inside:
        status, state = RED, "a buyer favours a competitor"
        summary = f"{len(inside)} member(s) of the decision chain favour a competitor"
    elif outside:
        status, state = AMBER, "competitors have friends"
        summary = f"{len(outside)} contact(s) outside the chain favour a competitor"
    elif rivals:
        status, state = GREEN, "known, no buyer favours them"
        summary = f"{len(rivals)} competitor(s) known; no contact favours them"
    else:
        status, state = UNKNOWN, "not recorded"
        summary = "no competitor recorded for this deal"
    return MethodElement(
        code="C2",
        name=name,
        status=status,
        state=state,
        summary=summary,
        contact_ids=inside + outside,
        evidence=evidence,
    )


def meddpicc_view(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    *,
    opportunity_id: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    methods: SalesMethodSettings = DEFAULT_METHOD_SETTINGS,
) -> MethodView:
    """The opportunity letter by letter in MEDDPICC.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The account subgraph the analysis was computed on.
    analysis : AccountAnalysis
        ``analyze_account(g, ...)``: levels, influence and health come from it.
    opportunity_id : str, optional
        The deal; default the one the analysis was asked about, else the account's
        first open opportunity.
    settings : AnalysisSettings
        The analysis' settings (``can_influence_level``, ``required_roles``).
    methods : SalesMethodSettings
        The crosswalk.

    Returns
    -------
    MethodView
        Elements M, E, D1, D2, P, I, C1, C2.

    Raises
    ------
    ValueError
        When no opportunity is named and the account has no open one.
    stakegraph.graph.errors.NotFound
        When the opportunity is not the account's.

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> view = meddpicc_view(g, analyze_account(g, as_of=AS_OF))
    >>> [(e.code, e.status.value) for e in view.elements][:3]
    [('M', 'UNKNOWN'), ('E', 'GREEN'), ('D1', 'AMBER')]

    References
    ----------
    §3.2, §3.3, §3.5, §3.16 (CHAMPION_UNTESTED)
    """
    deal = deal_context(g, analysis, opportunity_id, settings)
    m = methods.meddpicc
    n = m.names
    elements = {
        "M": _metrics(deal, n["M"]),
        "E": _role_element(deal, "E", n["E"], m.economic_buyer_roles),
        "D1": _role_element(deal, "D1", n["D1"], m.decision_criteria_roles),
        "D2": _decision_process(deal, n["D2"]),
        "P": _role_element(deal, "P", n["P"], m.paper_process_roles),
        "I": _role_element(deal, "I", n["I"], m.pain_roles),
        "C1": _champion(deal, n["C1"], methods),
        "C2": _competition(deal, n["C2"]),
    }
    return make_view(deal, "MEDDPICC", [elements[code] for code in n if code in elements])
