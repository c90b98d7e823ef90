"""The routing schemes of clusters and Aura (``neo4j://``, ``neo4j+s://``) need no code
change (issue 12 item 5): the store is opened from ``NEO4J_URI`` as given, the driver
routes (it fetches the routing table and sends writes to the leader, reads to
followers), and a single server answers that protocol as a cluster of one.

Run against the test session's real Neo4j, reached as ``neo4j://``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from neo4j import Neo4jDriver

from stakegraph.graph.dataset import export_dataset, import_dataset
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import load_demo
from stakegraph.service.settings import Settings, open_store


@pytest.fixture
def routed(neo4j_uri: str, neo4j_store: GraphStore) -> Iterator[GraphStore]:
    """The configured store, from the routing form of the test server's address."""
    uri = neo4j_uri.replace("bolt://", "neo4j://", 1)
    assert uri.startswith("neo4j://")
    store = open_store(Settings(store="neo4j", neo4j_uri=uri))
    yield store
    store.close()


@pytest.mark.neo4j
def test_a_neo4j_scheme_opens_a_routing_driver(routed: GraphStore) -> None:
    assert isinstance(routed, Neo4jStore)
    assert isinstance(routed._driver, Neo4jDriver)  # not a direct BoltDriver
    assert routed.health().reachable


@pytest.mark.neo4j
def test_writes_and_reads_go_through_the_routing_driver(
    routed: GraphStore, neo4j_store: GraphStore
) -> None:
    demo = load_demo()
    import_dataset(routed, demo)
    # read back over routing, and over a direct bolt connection to the same server
    assert export_dataset(routed) == export_dataset(neo4j_store)
    assert {c["id"] for c in export_dataset(routed)["contacts"]} == {
        c["id"] for c in demo["contacts"]
    }
    assert routed.account_subgraph("co-orient").number_of_nodes() > 0
