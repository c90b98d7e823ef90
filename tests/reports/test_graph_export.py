"""Graph exports (reports.graph_export): GraphML / GEXF read back by networkx, the Cypher
script loaded into an empty Neo4j, portfolios composed from several accounts."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator

import networkx as nx
import pytest
from neo4j import GraphDatabase

from stakegraph.graph.dataset import batch_to_document, export_dataset, import_dataset
from stakegraph.graph.model import node_key
from stakegraph.graph.store import GraphBatch, GraphStore
from stakegraph.graph.subgraph import graph_nodes, graph_relationships
from stakegraph.influence import analyze_account
from stakegraph.influence.models import AccountAnalysis
from stakegraph.reports.cypher_export import cypher_literal, split_statements
from stakegraph.reports.graph_export import (
    compose_accounts,
    export_graph,
    render_graph,
    render_portfolio_graph,
)
from stakegraph.seeds import DEMO_TODAY, load_demo

ACCOUNT = "co-orient"
NASTY = 'O\'Brien \\ "Q" `x`\n\t🚀\u2028 ; // not a comment'


@pytest.fixture
def demo_store(embedded_store: GraphStore) -> GraphStore:
    import_dataset(embedded_store, load_demo())
    return embedded_store


@pytest.fixture
def orient(demo_store: GraphStore) -> tuple[nx.MultiDiGraph, AccountAnalysis]:
    g = demo_store.account_subgraph(ACCOUNT)
    return g, analyze_account(g, as_of=DEMO_TODAY)


def _subgraph_document(g: nx.MultiDiGraph) -> dict:
    batch = GraphBatch(
        nodes=graph_nodes(g), relationships=graph_relationships(g), changes=g.graph["changes"]
    )
    return batch_to_document(batch)


# ---------------------------------------------------------------------- GraphML


def test_graphml_of_the_demo_manufacturer_reads_back_with_the_same_nodes_edges_and_attributes(
    orient: tuple[nx.MultiDiGraph, AccountAnalysis],
) -> None:
    g, analysis = orient
    text = render_graph(g, analysis, "graphml")
    back = nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)
    flat = export_graph([(g, analysis)])
    assert set(back.nodes) == set(g.nodes) == set(flat.nodes)
    assert set(back.edges(keys=True)) == set(g.edges(keys=True))
    assert dict(back.nodes(data=True)) == dict(flat.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(flat.edges(keys=True, data=True))
    # every property of the record, and the computed influence, stance and role
    ceo = back.nodes["Contact:c-or-01"]
    record = g.nodes["Contact:c-or-01"]
    assert ceo["name"] == record["name"] and ceo["seniority"] == str(record["seniority"])
    assert ceo["created_at"] == record["created_at"].isoformat().replace("+00:00", "Z")
    assert ceo["influence"] == pytest.approx(analysis.influence.score_of("c-or-01"))
    assert ceo["primary_role"] == "ECONOMIC_BUYER" and ceo["kdm"] is True
    assert ceo["effective_level"] == analysis.effective_levels["c-or-01"]
    company = back.nodes[node_key("Company", ACCOUNT)]
    assert company["grade"] == str(analysis.grade.grade)
    assert company["grade_score"] == pytest.approx(analysis.grade.score)
    knows = back.edges["Rep:rep-chen-hao", "Contact:c-or-07", "KNOWS"]
    assert knows["level"] == knows["weight"] == 4 and knows["since"] == "2023-05-10"


def test_gexf_reads_back_with_the_same_nodes_edges_and_labels(
    orient: tuple[nx.MultiDiGraph, AccountAnalysis],
) -> None:
    g, analysis = orient
    back = nx.read_gexf(io.BytesIO(render_graph(g, analysis, "gexf").encode("utf-8")))
    assert set(back.nodes) == set(g.nodes)
    assert set(back.edges(keys=True)) == set(g.edges(keys=True))
    ceo = back.nodes["Contact:c-or-01"]
    assert ceo["label"] == g.nodes["Contact:c-or-01"]["name"]  # what Gephi shows
    assert ceo["influence"] == pytest.approx(analysis.influence.score_of("c-or-01"))
    assert back.edges["Contact:c-or-15", "Opportunity:opp-or-sfdp", "HAS_ROLE"]["stance"] == (
        "SUPPORTER"
    )


# ----------------------------------------------------------------------- Cypher


@pytest.fixture
def neo4j_session(neo4j_uri: str) -> Iterator[object]:
    driver = GraphDatabase.driver(
        neo4j_uri,
        auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "neo4j")),
    )
    with driver.session() as session:
        yield session
    driver.close()


def _load(session: object, script: str) -> None:
    for statement in split_statements(script):
        session.run(statement).consume()  # type: ignore[attr-defined]


def test_the_cypher_script_loaded_into_an_empty_neo4j_gives_the_original_dataset(
    orient: tuple[nx.MultiDiGraph, AccountAnalysis],
    neo4j_store: GraphStore,
    neo4j_session: object,
    embedded_store: GraphStore,
) -> None:
    g, analysis = orient
    g = g.copy()
    g.nodes["Contact:c-or-03"]["name"] = NASTY  # quotes, backslash, newline, emoji
    g.nodes["Contact:c-or-03"]["profile"] = {"hobbies": ["茶", "golf"], "notes": NASTY}
    script = render_graph(g, analysis, "cypher")
    assert "$" not in "".join(s for s in split_statements(script) if not s.startswith("CREATE"))
    assert sum(neo4j_store.counts().values()) == 0
    _load(neo4j_session, script)
    expected = _subgraph_document(g)
    assert export_dataset(neo4j_store) == expected
    # the same as the original records written through the store
    import_dataset(embedded_store_clear(embedded_store), expected)
    assert export_dataset(embedded_store) == expected
    # loading it again changes nothing
    counts = neo4j_store.counts()
    _load(neo4j_session, script)
    assert neo4j_store.counts() == counts
    row = session_single(
        neo4j_session,
        "MATCH (:Contact {id: 'c-or-01'})-[:HAS_ANALYSIS]->(a:Analysis) "
        "RETURN a.influence AS influence, a.primary_role AS role",
    )
    assert row["influence"] == pytest.approx(analysis.influence.score_of("c-or-01"))
    assert row["role"] == "ECONOMIC_BUYER"
    # the store reads its account back from the loaded script as from the original
    assert neo4j_store.account_subgraph(ACCOUNT).number_of_edges() == g.number_of_edges()


def embedded_store_clear(store: GraphStore) -> GraphStore:
    store.clear()
    return store


def session_single(session: object, query: str) -> dict:
    record = session.run(query).single()  # type: ignore[attr-defined]
    assert record is not None
    return dict(record)


def test_cypher_literals_escape_what_would_end_a_string() -> None:
    literal = cypher_literal(NASTY)
    assert literal.startswith("'") and literal.endswith("'")
    assert "\n" not in literal and "\u2028" not in literal
    assert split_statements(f"RETURN {literal} AS x;") == [f"RETURN {literal} AS x"]


# --------------------------------------------------------------------- portfolio


def test_a_portfolio_export_composes_accounts_each_node_once_with_its_own_account(
    demo_store: GraphStore,
) -> None:
    ids = [c["id"] for c in load_demo()["companies"]]
    graphs = demo_store.account_subgraphs(ids)
    accounts = [(graphs[i], analyze_account(graphs[i], as_of=DEMO_TODAY)) for i in ids]
    composed = compose_accounts(g for g, _ in accounts)
    assert set(composed.nodes) == set().union(*(set(g.nodes) for g, _ in accounts))
    back = nx.read_graphml(
        io.BytesIO(render_portfolio_graph(accounts, "graphml").encode("utf-8")),
        force_multigraph=True,
    )
    assert set(back.nodes) == set(composed.nodes)
    assert set(back.edges(keys=True)) == set(composed.edges(keys=True))
    for _g, analysis in accounts:
        company = back.nodes[node_key("Company", analysis.company_id)]
        assert company["grade"] == str(analysis.grade.grade)
        for entry in analysis.influence.contacts:
            node = back.nodes[node_key("Contact", entry.contact_id)]
            assert node["account_id"] == analysis.company_id
            assert node["influence"] == pytest.approx(entry.score)
            assert node["foreign"] is False
