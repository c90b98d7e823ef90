"""Graph exports of an account (or a portfolio) for Gephi, yEd and Neo4j.

:func:`render_graph` takes an account subgraph and its
:class:`~stakegraph.influence.models.AccountAnalysis` and returns the text of a
``graphml``, ``gexf`` or ``cypher`` file; :func:`render_portfolio_graph` does the same
for several accounts composed into one graph. Renderers take results and return text:
they never open a store.

GraphML and GEXF are written by networkx after :func:`export_graph` flattens every
attribute to a scalar (their formats hold nothing else):

* node id = the subgraph's node key (``"Contact:c-17"``); ``label`` = the display
  name (what Gephi shows), ``node_type`` = the stakegraph label, ``record_id`` = the id;
* every property: enums as their value, dates and times in ISO 8601, lists as JSON
  text, the contact profile as ``profile.hometown`` ... ; unset values are left out;
* computed attributes: contacts get ``influence``, ``pagerank``, ``pagerank_n``,
  ``betweenness``, ``hidden_influencer``, ``effective_level``, ``can_influence``,
  ``stance_value``, ``roles`` (JSON list of the decision-chain roles held in open
  opportunities), ``primary_role``, ``kdm`` and ``account_id``; the analysed company
  gets ``grade``, ``grade_score``, ``coverage_ratio``, ``weighted_coverage_ratio``,
  ``balance``, ``verdict``, ``health`` and ``potential_band``; each open opportunity
  its ``coverage_ratio``, ``balance`` and ``verdict``;
* edges keep the relationship type as key and as ``label``, their properties, and a
  ``weight`` (INFLUENCES strength, KNOWS level, else 1).

The Cypher script (:mod:`stakegraph.reports.cypher_export`) keeps the records exactly as
the store holds them and puts the computed attributes on ``(:Analysis)`` nodes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from typing import Any, Literal

import networkx as nx

from stakegraph.graph.model import DecisionRole, Label, RelType, Stance, node_key
from stakegraph.influence.chain import (
    account_contacts,
    account_departments,
    account_opportunities,
    decision_chain,
)
from stakegraph.influence.models import AccountAnalysis
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings
from stakegraph.reports.cypher_export import cypher_script

__all__ = [
    "GRAPH_FORMATS",
    "GraphFormat",
    "compose_accounts",
    "computed_attributes",
    "export_graph",
    "render_graph",
    "render_portfolio_graph",
]

GraphFormat = Literal["graphml", "gexf", "cypher"]
GRAPH_FORMATS: tuple[str, ...] = ("graphml", "gexf", "cypher")
#: The file suffix and media type of each format.
MEDIA_TYPES: dict[str, tuple[str, str]] = {
    "graphml": (".graphml", "application/graphml+xml"),
    "gexf": (".gexf", "application/gexf+xml"),
    "cypher": (".cypher", "text/plain; charset=utf-8"),
}

Account = tuple[nx.MultiDiGraph, AccountAnalysis | None]
_XML = '<?xml version="1.0" encoding="utf-8"?>\n'


# ------------------------------------------------------------------ composition


def compose_accounts(graphs: Iterable[nx.MultiDiGraph]) -> nx.MultiDiGraph:
    """Several account subgraphs as one graph (a portfolio).

    A node in several subgraphs (a rep, a contact tied across accounts) appears once;
    a contact is ``foreign`` only when it is foreign in every subgraph holding it.
    ``graph["company_ids"]`` lists the accounts, ``graph["changes"]`` the union of
    their change events.
    """
    out = nx.MultiDiGraph()
    changes: dict[tuple[str, str, str, str], Any] = {}
    company_ids: list[str] = []
    for g in graphs:
        company_ids.append(str(g.graph.get("company_id")))
        for key, attrs in g.nodes(data=True):
            if key in out:
                merged = dict(out.nodes[key])
                foreign = merged.get("foreign", False) and attrs.get("foreign", False)
                merged.update(attrs)
                if "foreign" in merged:
                    merged["foreign"] = foreign
                out.nodes[key].update(merged)
            else:
                out.add_node(key, **attrs)
        for u, v, k, attrs in g.edges(keys=True, data=True):
            if not out.has_edge(u, v, key=k):
                out.add_edge(u, v, key=k, **attrs)
        for event in g.graph.get("changes", []):
            changes[event.identity] = event
    out.graph["company_ids"] = company_ids
    out.graph["changes"] = [changes[k] for k in sorted(changes)]
    return out


# ------------------------------------------------------------- computed values


def computed_attributes(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> dict[str, dict[str, Any]]:
    """``{node key: {name: scalar}}``: what the analysis says of each node of its account.

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> attrs = computed_attributes(g, analyze_account(g, as_of=AS_OF))
    >>> attrs["Contact:c-ceo"]["primary_role"], attrs["Company:" + g.graph["company_id"]]["grade"]
    ('ECONOMIC_BUYER', 'INTERMEDIATE')
    """
    cid = analysis.company_id
    out: dict[str, dict[str, Any]] = {}
    roles: dict[str, list[str]] = {}
    for role, holders in decision_chain(g, company_id=cid).items():
        for contact in holders:
            roles.setdefault(contact, []).append(str(role))
    order = [str(r) for r in DecisionRole]
    kdms = set(analysis.grade.kdm_ids)
    for contact_id in account_contacts(g, cid, active_only=False):
        key = node_key(Label.CONTACT, contact_id)
        held = sorted(roles.get(contact_id, []), key=order.index)
        level = analysis.effective_levels.get(contact_id, 0)
        stance = Stance(g.nodes[key].get("stance") or Stance.UNKNOWN)
        attrs: dict[str, Any] = {
            "account_id": cid,
            "effective_level": level,
            "can_influence": level >= settings.can_influence_level,
            "stance_value": stance.weight,
            "roles": json.dumps(held),
            "primary_role": held[0] if held else None,
            "kdm": contact_id in kdms,
        }
        entry = analysis.influence.get(contact_id)
        if entry is not None:
            attrs |= {
                "influence": entry.score,
                "pagerank": entry.pagerank,
                "pagerank_n": entry.pagerank_n,
                "betweenness": entry.betweenness,
                "hidden_influencer": entry.hidden,
            }
        out[key] = attrs
    for dept in account_departments(g, cid):
        out[node_key(Label.DEPARTMENT, dept)] = {"account_id": cid}
    balances = {b.opportunity_id: b for b in analysis.opportunity_balance}
    coverages = {c.opportunity_id: c for c in analysis.opportunity_coverage}
    for opp in account_opportunities(g, cid):
        attrs = {"account_id": cid}
        if opp in coverages:
            attrs["coverage_ratio"] = coverages[opp].ratio
        if opp in balances:
            attrs["balance"] = balances[opp].value
            attrs["verdict"] = _scalar(balances[opp].verdict)
        out[node_key(Label.OPPORTUNITY, opp)] = attrs
    out[node_key(Label.COMPANY, cid)] = {
        "account_id": cid,
        "grade": str(analysis.grade.grade),
        "grade_score": analysis.grade.score,
        "coverage_ratio": analysis.coverage.ratio,
        "weighted_coverage_ratio": analysis.coverage.weighted_ratio,
        "balance": analysis.balance.value,
        "verdict": _scalar(analysis.balance.verdict),
        "health": str(analysis.health.status),
        "potential_band": _scalar(analysis.potential.band),
    }
    return out


# ------------------------------------------------------------------ flattening


def _scalar(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return json.dumps([_scalar(v) for v in value], ensure_ascii=False)
    return value


def _flatten(attrs: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in attrs.items():
        if isinstance(value, Mapping):
            out |= _flatten(value, f"{prefix}{name}.")
        elif value is not None:
            out[f"{prefix}{name}"] = _scalar(value)
    return out


def _display(attrs: Mapping[str, Any]) -> str:
    if attrs.get("name"):
        return str(attrs["name"])
    if attrs.get("label") == Label.INTERACTION:
        return f"{_scalar(attrs.get('kind'))} {_scalar(attrs.get('at'))}"
    return str(attrs.get("id"))


def _weight(rel_type: str, attrs: Mapping[str, Any]) -> int:
    if rel_type == RelType.INFLUENCES:
        return int(attrs.get("strength", 1))
    if rel_type == RelType.KNOWS:
        return int(attrs.get("level", 0))
    return 1


def export_graph(
    accounts: Sequence[Account],
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> nx.MultiDiGraph:
    """The graph GraphML and GEXF are written from: accounts composed, attributes flat.

    Parameters
    ----------
    accounts : sequence of (subgraph, analysis or None)
        One pair per account; without an analysis only the records are exported.
    settings : AnalysisSettings
        ``can_influence_level`` for ``can_influence``.

    Returns
    -------
    networkx.MultiDiGraph
        Every attribute a str, int, float or bool (see the module docstring).

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account
    >>> flat = export_graph([(tiny_account(), None)])
    >>> flat.nodes["Contact:c-ceo"]["node_type"], flat.nodes["Contact:c-ceo"]["stance"]
    ('Contact', 'CHAMPION')
    """
    composed = compose_accounts(g for g, _ in accounts)
    computed: dict[str, dict[str, Any]] = {}
    for g, analysis in accounts:
        if analysis is not None:
            for key, attrs in computed_attributes(g, analysis, settings=settings).items():
                computed.setdefault(key, {}).update(attrs)
    out = nx.MultiDiGraph(
        name="stakegraph export",
        company_ids=json.dumps(composed.graph["company_ids"], ensure_ascii=False),
    )
    as_of = {a.as_of for _, a in accounts if a is not None}
    if len(as_of) == 1:
        out.graph["as_of"] = next(iter(as_of)).isoformat()
    for key, attrs in composed.nodes(data=True):
        props = {k: v for k, v in attrs.items() if k not in ("label", "id")}
        flat = {
            "label": _display(attrs),
            "node_type": str(attrs["label"]),
            "record_id": str(attrs["id"]),
            **_flatten(props),
            **_flatten(computed.get(key, {})),
        }
        out.add_node(key, **flat)
    for u, v, k, attrs in composed.edges(keys=True, data=True):
        props = {n: val for n, val in attrs.items() if n != "type"}
        out.add_edge(u, v, key=k, label=str(k), weight=_weight(str(k), attrs), **_flatten(props))
    return out


# -------------------------------------------------------------------- rendering


def render_portfolio_graph(
    accounts: Sequence[Account],
    fmt: GraphFormat = "graphml",
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> str:
    """Several accounts (subgraph, analysis) as one ``graphml``, ``gexf`` or ``cypher`` text.

    Raises
    ------
    ValueError
        For another format.
    """
    if fmt == "cypher":
        computed: dict[str, dict[str, Any]] = {}
        for g, analysis in accounts:
            if analysis is not None:
                for key, attrs in computed_attributes(g, analysis, settings=settings).items():
                    computed.setdefault(key, {}).update(attrs)
        composed = compose_accounts(g for g, _ in accounts)
        ids = ", ".join(composed.graph["company_ids"])
        return cypher_script(composed, analysis=computed, title=f"stakegraph export of {ids}")
    flat = export_graph(accounts, settings=settings)
    if fmt == "graphml":
        return _XML + "\n".join(nx.generate_graphml(flat, prettyprint=True)) + "\n"
    if fmt == "gexf":
        return _XML + "\n".join(nx.generate_gexf(flat, prettyprint=True)) + "\n"
    raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(GRAPH_FORMATS)}")


def render_graph(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis | None = None,
    fmt: GraphFormat = "graphml",
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> str:
    """One account subgraph (with its analysis) as ``graphml``, ``gexf`` or ``cypher`` text.

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> text = render_graph(g, analyze_account(g, as_of=AS_OF), "graphml")
    >>> text.startswith("<?xml") and 'attr.name="influence"' in text
    True
    """
    return render_portfolio_graph([(g, analysis)], fmt, settings=settings)
