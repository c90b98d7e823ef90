"""``stakegraph export-graph``: GraphML / GEXF / Cypher of the demo through the command
line on both stores; the Cypher script loaded into an empty Neo4j exports the same."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from neo4j import GraphDatabase

from stakegraph.cli.common import settings_of
from stakegraph.graph.store import GraphStore
from stakegraph.influence import analyze_account
from stakegraph.reports.cypher_export import split_statements
from stakegraph.reports.graph_export import export_graph
from stakegraph.seeds import DEMO_TODAY, load_demo
from stakegraph.service.settings import open_store
from tests.stakegraph.cli_helpers import cli, store_args_of

ACCOUNT = "co-orient"
DAY = DEMO_TODAY.isoformat()


def _seeded(request: pytest.FixtureRequest, tmp_path: Path, backend: str) -> list[str]:
    args = store_args_of(request, tmp_path, backend)
    seeded = cli("seed", *args)
    assert seeded.exit_code == 0, seeded.stderr
    return args


@pytest.fixture(params=["embedded", "neo4j"])
def demo_args(request: pytest.FixtureRequest, tmp_path: Path) -> list[str]:
    return _seeded(request, tmp_path, request.param)


def _open(args: list[str]) -> GraphStore:
    opts = dict(zip(args[::2], args[1::2], strict=True))
    return open_store(
        settings_of(opts["--store"], Path(opts["--db"]) if "--db" in opts else None,
                    opts.get("--neo4j-uri"))
    )  # fmt: skip


def test_graphml_of_the_demo_manufacturer_reads_back_with_the_same_nodes_edges_and_attributes(
    demo_args: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "orient.graphml"
    result = cli("export-graph", ACCOUNT, "--format", "graphml", "--as-of", DAY, "-o", str(out),
                 *demo_args)  # fmt: skip
    assert result.exit_code == 0, result.stderr
    back = nx.read_graphml(out, force_multigraph=True)
    with _open(demo_args) as store:
        g = store.account_subgraph(ACCOUNT)
    analysis = analyze_account(g, as_of=DEMO_TODAY)
    flat = export_graph([(g, analysis)])
    assert set(back.nodes) == set(g.nodes) and len(g) > 40
    assert set(back.edges(keys=True)) == set(g.edges(keys=True))
    assert dict(back.nodes(data=True)) == dict(flat.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True)) == sorted(flat.edges(keys=True, data=True))
    ceo = back.nodes["Contact:c-or-01"]
    assert ceo["influence"] == pytest.approx(analysis.influence.score_of("c-or-01"))
    assert ceo["primary_role"] == "ECONOMIC_BUYER" and ceo["stance"] == "NEUTRAL"


def test_gexf_to_stdout_and_a_team_portfolio_in_one_graph(demo_args: list[str]) -> None:
    single = cli("export-graph", ACCOUNT, "-f", "gexf", "--as-of", DAY, *demo_args)
    assert single.exit_code == 0, single.stderr
    back = nx.read_gexf(io.BytesIO(single.stdout.encode("utf-8")))
    assert back.nodes["Contact:c-or-01"]["label"] == "赵建国"

    team = "team-mfg-ka"
    for scope in (["--team", team], []):
        folio = cli("export-graph", "--portfolio", *scope, "--as-of", DAY, *demo_args)
        assert folio.exit_code == 0, folio.stderr
        graph = nx.read_graphml(io.BytesIO(folio.stdout.encode("utf-8")), force_multigraph=True)
        with _open(demo_args) as store:
            covered = (
                store.covered_company_ids(team_id=team)
                if scope
                else [c["id"] for c in load_demo()["companies"]]
            )
            expected = set().union(*(store.account_subgraph(c).nodes for c in covered))
        assert set(graph.nodes) == expected  # each node once
        assert {graph.nodes[f"Company:{c}"]["node_type"] for c in covered} == {"Company"}
    assert len(covered) > 2


def test_export_graph_refuses_what_it_cannot_do(demo_args: list[str]) -> None:
    unknown = cli("export-graph", "co-nobody", *demo_args)
    assert unknown.exit_code == 1 and "co-nobody" in unknown.stderr
    bad = cli("export-graph", ACCOUNT, "--format", "dot", *demo_args)
    assert bad.exit_code == 2 and "graphml" in bad.stderr
    both = cli("export-graph", ACCOUNT, "--portfolio", *demo_args)
    assert both.exit_code == 2


@pytest.fixture
def neo4j_session(neo4j_uri: str) -> Iterator[object]:
    driver = GraphDatabase.driver(
        neo4j_uri,
        auth=(os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "neo4j")),
    )
    with driver.session() as session:
        yield session
    driver.close()


def test_the_cypher_export_loaded_into_an_empty_neo4j_exports_the_same(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    neo4j_store: GraphStore,
    neo4j_session: object,
) -> None:
    embedded = _seeded(request, tmp_path, "embedded")
    original = cli("export-graph", ACCOUNT, "--format", "cypher", "--as-of", DAY, *embedded)
    assert original.exit_code == 0, original.stderr
    assert sum(neo4j_store.counts().values()) == 0
    for statement in split_statements(original.stdout):
        session_run = neo4j_session.run  # type: ignore[attr-defined]
        session_run(statement).consume()
    neo4j = store_args_of(request, tmp_path, "neo4j")  # the store just loaded, not cleared
    again = cli("export-graph", ACCOUNT, "--format", "cypher", "--as-of", DAY, *neo4j)
    assert again.exit_code == 0, again.stderr
    assert again.stdout == original.stdout
