"""Benchmark the stores: import a synthetic portfolio, then load account subgraphs.

    python bench/bench_store.py [--accounts 1000] [--contacts 100] [--big 300]

Neo4j comes from NEO4J_URI, else a local server is started (and stopped) for the run.
Prints one line per measurement.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stakegraph.graph.dataset import import_dataset, parse_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import generate


def timed(fn: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def bench(store: GraphStore, name: str, doc: dict, big_doc: dict, repeats: int = 5) -> None:
    store.clear()
    seconds = timed(lambda: import_dataset(store, doc))
    n_nodes = sum(
        len(v)
        for k, v in doc.items()
        if isinstance(v, list) and k not in ("relationships", "changes")
    )
    print(
        f"{name}: import {n_nodes} nodes + {len(doc['relationships'])} relationships: {seconds:.1f} s"
    )
    seconds = timed(lambda: import_dataset(store, doc))
    print(f"{name}: re-import of the same (no change): {seconds:.1f} s")
    import_dataset(store, big_doc)
    big_id = big_doc["companies"][0]["id"]
    times = [timed(lambda: store.account_subgraph(big_id)) for _ in range(repeats)]
    g = store.account_subgraph(big_id)
    print(
        f"{name}: load one {sum(1 for _, a in g.nodes(data=True) if a['label'] == 'Contact')}"
        f"-contact account subgraph ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges):"
        f" median {statistics.median(times) * 1000:.0f} ms over {repeats}"
    )
    ids = [c["id"] for c in doc["companies"][:100]]
    seconds = timed(lambda: store.account_subgraphs(ids))
    print(f"{name}: load 100 account subgraphs in one batch: {seconds:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--contacts", type=int, default=100)
    parser.add_argument("--big", type=int, default=300)
    args = parser.parse_args()

    t0 = time.perf_counter()
    doc = generate(args.accounts, args.contacts, 1)
    print(f"generate {args.accounts} x {args.contacts}: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    parse_dataset(doc)
    print(f"validate: {time.perf_counter() - t0:.1f} s")
    big_doc = _prefix_ids(generate(1, args.big, 99), "big-")

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.db")
        bench(store, "embedded", doc, big_doc)
        store.close()

    uri = os.environ.get("NEO4J_URI")
    server = None
    if not uri:
        from stakegraph import neo4j_local

        port = neo4j_local.free_port()
        server = neo4j_local.start(port=port, data_dir=Path(tempfile.mkdtemp()) / "neo4j")
        uri = server.uri
    try:
        neo = Neo4jStore(
            uri, os.environ.get("NEO4J_USER", "neo4j"), os.environ.get("NEO4J_PASSWORD", "neo4j")
        )
        bench(neo, "neo4j", doc, big_doc)
        neo.close()
    finally:
        if server is not None:
            from stakegraph import neo4j_local

            neo4j_local.stop(port=server.port)


def _prefix_ids(doc: dict, prefix: str) -> dict:
    """Give every id of a generated document a prefix, so it does not collide."""
    import json
    import re

    text = json.dumps(doc)
    text = re.sub(
        r'"(acc-[^"]*|rep-[^"]*|team-[^"]*|int-[^"]*|cmp-[^"]*)"',
        lambda m: f'"{prefix}{m.group(1)}"',
        text,
    )
    return json.loads(text)


if __name__ == "__main__":
    main()
