"""Benchmark fetching one account subgraph (with its cross-account neighbourhood).

    python bench/bench_subgraph.py [--small 1000] [--large 10000] [--contacts 10]
                                   [--big 300] [--repeats 7]

For each store, in a portfolio of ``--small`` accounts and then of ``--large`` ones
(``--contacts`` each), plus one ``--big``-contact account whose contacts are tied to
contacts of other accounts:

* the new fetch (one query, attributes built without re-validation), median time;
* the floor: the same queries alone, rows fetched but no graph built;

with the ratio. The fetch of the big account should take the same time in both
portfolios. Neo4j comes from NEO4J_URI, else a local server is started for the run.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stakegraph.graph import embedded_reads, neo4j_reads
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.graph.selection import DEFAULT_PATH_DEPTH
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import generate


def median_seconds(fn: Callable[[], Any], repeats: int) -> float:
    fn()  # warm caches and query plans
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def big_account(contacts: int, portfolio: dict[str, Any], seed: int = 99) -> dict[str, Any]:
    """A ``contacts``-contact account (ids prefixed ``big-``) with 30 of its contacts
    allies of contacts of other accounts, so that its neighbourhood crosses accounts."""
    text = json.dumps(generate(1, contacts, seed))
    text = re.sub(r'"((?:acc|rep|team|int|cmp)-[^"]*)"', lambda m: f'"big-{m.group(1)}"', text)
    doc: dict[str, Any] = json.loads(text)
    rng = random.Random(seed)
    own = [c["id"] for c in doc["contacts"]]
    others = [c["id"] for c in portfolio["contacts"]]
    for a, b in zip(rng.sample(own, 30), rng.sample(others, 30), strict=True):
        doc["relationships"].append({"type": "ALLY_OF", "from": a, "to": b})
    return doc


def floor(store: GraphStore, company_id: str) -> Callable[[], Any]:
    """The bare query of the new fetch: rows fetched, no graph built."""
    if isinstance(store, EmbeddedStore):
        conn, hops = store._conn, DEFAULT_PATH_DEPTH - 1

        def bare() -> Any:
            reach = embedded_reads.neighbourhoods(conn, [company_id], hops)
            pairs = json.dumps([[c, i] for c, ids in reach.items() for i in ids])
            query = embedded_reads.ACCOUNT_SUBGRAPHS
            return conn.execute(query, (json.dumps([company_id]), pairs)).fetchall()

        return bare
    assert isinstance(store, Neo4jStore)
    query = neo4j_reads.account_subgraphs_query(DEFAULT_PATH_DEPTH - 1)
    return lambda: store._driver.execute_query(query, ids=[company_id], database_=store.database)


def measure(name: str, store: GraphStore, company_id: str, repeats: int, label: str) -> float:
    g = store.account_subgraph(company_id)
    contacts = sum(1 for _, a in g.nodes(data=True) if a["label"] == "Contact")
    foreign = sum(1 for _, a in g.nodes(data=True) if a.get("foreign"))
    new = median_seconds(lambda: store.account_subgraph(company_id), repeats)
    bare = median_seconds(floor(store, company_id), repeats)
    print(
        f"{name} [{label}] {company_id}: {g.number_of_nodes()} nodes, {g.number_of_edges()} "
        f"edges, {contacts} contacts of which {foreign} foreign"
    )
    print(
        f"{name} [{label}]   fetch {new * 1000:.1f} ms | bare query floor {bare * 1000:.1f} ms"
        f" (x{new / bare:.2f})"
    )
    return new


def run(
    name: str,
    open_store: Callable[[], GraphStore],
    docs: list[tuple[str, dict[str, Any], dict[str, Any]]],
    repeats: int,
) -> None:
    store = open_store()
    fetch: dict[str, float] = {}
    for label, doc, big in docs:
        store.clear()
        t0 = time.perf_counter()
        import_dataset(store, doc)
        import_dataset(store, big)
        print(f"{name} [{label}]: imported in {time.perf_counter() - t0:.0f} s")
        fetch[label] = measure(name, store, big["companies"][0]["id"], repeats, label)
        measure(name, store, doc["companies"][0]["id"], repeats, label)
    small, large = (lbl for lbl, _, _ in docs)
    print(
        f"{name}: big-account fetch {fetch[small] * 1000:.1f} ms [{small}] vs "
        f"{fetch[large] * 1000:.1f} ms [{large}] (x{fetch[large] / fetch[small]:.2f})"
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--contacts", type=int, default=10)
    parser.add_argument("--big", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--only", choices=["embedded", "neo4j"])
    args = parser.parse_args()

    docs = []
    for n in (args.small, args.large):
        doc = generate(n, args.contacts, 1)
        docs.append((f"{n} accounts", doc, big_account(args.big, doc)))
    tmp = Path(tempfile.mkdtemp())

    if args.only in (None, "embedded"):
        path = tmp / "bench.db"
        run("embedded", lambda: EmbeddedStore(path), docs, args.repeats)

    if args.only in (None, "neo4j"):
        uri = os.environ.get("NEO4J_URI")
        server = None
        if not uri:
            from stakegraph import neo4j_local

            port = neo4j_local.free_port()
            server = neo4j_local.start(port=port, data_dir=tmp / "neo4j")
            uri = server.uri
        auth = (os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "neo4j"))
        try:
            run("neo4j", lambda: Neo4jStore(uri, *auth), docs, args.repeats)
        finally:
            if server is not None:
                from stakegraph import neo4j_local

                neo4j_local.stop(port=server.port)


if __name__ == "__main__":
    main()
