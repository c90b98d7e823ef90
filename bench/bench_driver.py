"""Benchmark the Neo4j driver's Rust extension (``neo4j-rust-ext``) against the pure-Python
PackStream of the same driver, in the same run.

    python bench/bench_driver.py [--rows 200000] [--contacts 300]

Each figure comes from a child process; the "python" one blocks the extension's module
before the driver is imported (the driver then falls back to its Python codec). Printed,
medians of 5: a bare query returning ``--rows`` rows (the floor: the same driver, the
same query) and the project's subgraph read of one ``--contacts``-contact account.
Neo4j comes from NEO4J_URI, else a local server is started (and stopped) for the run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, statistics, sys, time
if sys.argv[1] == "python":
    sys.modules["neo4j._codec.packstream._rust"] = None  # the driver falls back to Python
from neo4j._codec.packstream import v1
from stakegraph.graph.neo4j_store import Neo4jStore
store = Neo4jStore(sys.argv[2], "neo4j", "neo4j")
rows, account = int(sys.argv[3]), sys.argv[4]
def median(work):
    times = []
    for _ in range(5):
        start = time.perf_counter(); work(); times.append(time.perf_counter() - start)
    return statistics.median(times)
bare = median(lambda: store._driver.execute_query(
    "UNWIND range(1, $n) AS i RETURN i, toString(i) AS s", n=rows))
subgraph = median(lambda: store.account_subgraph(account))
print(json.dumps({"rust": v1._rust_unpack is not None, "bare": bare, "subgraph": subgraph}))
store.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--contacts", type=int, default=300)
    args = parser.parse_args()
    from stakegraph import neo4j_local
    from stakegraph.graph.dataset import import_dataset
    from stakegraph.graph.neo4j_store import Neo4jStore
    from stakegraph.seeds import generate

    with tempfile.TemporaryDirectory() as tmp:
        uri, port = os.environ.get("NEO4J_URI"), None
        if not uri:
            port = neo4j_local.free_port()
            uri = neo4j_local.start(port=port, data_dir=Path(tmp) / "neo4j").uri
        try:
            store = Neo4jStore(uri, "neo4j", "neo4j")
            store.clear()
            doc = generate(1, args.contacts, 1)
            import_dataset(store, doc)
            store.close()
            account = doc["companies"][0]["id"]
            seen = {}
            for codec in ("python", "rust"):
                out = subprocess.run(
                    [sys.executable, "-c", CHILD, codec, uri, str(args.rows), account],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                seen[codec] = json.loads(out.strip().splitlines()[-1])
            python, rust = seen["python"], seen["rust"]
            assert rust["rust"] and not python["rust"], seen
            print(
                f"bare query, {args.rows} rows: rust {rust['bare'] * 1000:.0f} ms beside "
                f"python {python['bare'] * 1000:.0f} ms ({python['bare'] / rust['bare']:.2f}x faster)"
            )
            print(
                f"subgraph of a {args.contacts}-contact account: rust "
                f"{rust['subgraph'] * 1000:.0f} ms beside python {python['subgraph'] * 1000:.0f} ms "
                f"({python['subgraph'] / rust['subgraph']:.2f}x faster)"
            )
        finally:
            if port is not None:
                neo4j_local.stop(port=port)


if __name__ == "__main__":
    main()
