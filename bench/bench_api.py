"""Benchmark of the GraphQL API over loopback HTTP, on both stores.

Prints, per store:

* latency of an account overview query (grade, coverage, balance, first 50 contacts),
  sequential, after a warm-up: mean, p50, p95;
* requests per second with 20 concurrent clients, each sending a bounded number of
  overview requests (the whole run is bounded: clients × requests), served by
  ``stakegraph serve --workers N`` for each N of ``--workers`` (default 1,2), and the
  ratio of each to the one-process figure (the floor); target: 2 workers >= 1.6x one
  (needs 2 cores free of the load generator: a ratio on a busy machine says little).

Data: the synthetic portfolio of ``stakegraph.seeds.generate`` (default 20 accounts × 60 contacts).
Neo4j comes from ``NEO4J_URI`` when set, else a local server is started and stopped.

Usage::

    python bench/bench_api.py [--accounts 20] [--contacts 60] [--runs 30]
                              [--clients 20] [--per-client 10] [--stores embedded,neo4j]
                              [--workers 1,2]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import generate
from stakegraph.service.access import hash_api_key

KEY = "bench-admin-key"
OVERVIEW = """query($id: ID!, $asOf: Date) { account(id: $id) {
  id name
  relationshipGrade(asOf: $asOf) { grade score }
  coverage(asOf: $asOf) { ratio weightedRatio roles { role status atRisk holders { id name } }
    holes { kind role reason suggestions { contact { id name } probability } } }
  balance(asOf: $asOf) { value verdict supporters opponents swing { contact { id name } influence } }
  contacts(first: 50) { totalCount edges { node { id name title stance } } } } }"""
AS_OF = "2026-11-20"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve(store_name: str, location: str, workers: int = 1) -> Iterator[str]:
    """``stakegraph serve --workers N`` in its own processes (so the load generator does
    not share their GIL)."""
    port = _free_port()
    env = os.environ | {
        "STAKEGRAPH_STORE": store_name,
        "STAKEGRAPH_API_KEYS": json.dumps(
            [{"name": "bench", "key_sha256": hash_api_key(KEY), "role": "ADMIN"}]
        ),
    }
    if store_name == "embedded":
        env["STAKEGRAPH_DB_PATH"] = location
    else:
        env["NEO4J_URI"] = location
    env["STAKEGRAPH_LOG_LEVEL"] = "WARNING"
    env["STAKEGRAPH_EMBED_SECRET"] = "bench-secret-of-at-least-32-bytes-long"
    root = str(Path(__file__).resolve().parents[1])
    cli = str(Path(sys.executable).parent / "stakegraph")
    args = ["serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen([cli, *args], cwd=root, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError("the server did not start")
            time.sleep(0.2)
        yield url + "/graphql"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


@contextmanager
def open_stores(names: list[str]) -> Iterator[dict[str, tuple[GraphStore, str]]]:
    """Each store with where a server process finds it (db path or bolt URI)."""
    stores: dict[str, tuple[GraphStore, str]] = {}
    started_port = None
    tmp = tempfile.TemporaryDirectory()
    try:
        if "embedded" in names:
            from stakegraph.graph.embedded_store import EmbeddedStore

            path = Path(tmp.name) / "bench.db"
            stores["embedded"] = (EmbeddedStore(path), str(path))
        if "neo4j" in names:
            from stakegraph.graph.neo4j_store import Neo4jStore

            uri = os.environ.get("NEO4J_URI")
            if not uri:
                from stakegraph import neo4j_local

                started_port = neo4j_local.free_port()
                uri = neo4j_local.start(port=started_port, data_dir=Path(tmp.name) / "neo4j").uri
            neo = Neo4jStore(
                uri,
                os.environ.get("NEO4J_USER", "neo4j"),
                os.environ.get("NEO4J_PASSWORD", "neo4j"),
            )
            neo.clear()
            stores["neo4j"] = (neo, uri)
        yield stores
    finally:
        for store, _ in stores.values():
            store.close()
        if started_port is not None:
            from stakegraph import neo4j_local

            neo4j_local.stop(port=started_port)
        tmp.cleanup()


def _overview(client: httpx.Client, url: str, account_id: str) -> None:
    r = client.post(
        url,
        json={"query": OVERVIEW, "variables": {"id": account_id, "asOf": AS_OF}},
        headers={"X-API-Key": KEY},
    )
    r.raise_for_status()
    body = r.json()
    if body.get("errors"):
        raise RuntimeError(body["errors"])


def latency(url: str, account_ids: list[str], runs: int) -> list[float]:
    times = []
    with httpx.Client(timeout=60) as client:
        for i in range(3):
            _overview(client, url, account_ids[i % len(account_ids)])
        for i in range(runs):
            t0 = time.perf_counter()
            _overview(client, url, account_ids[i % len(account_ids)])
            times.append(time.perf_counter() - t0)
    return times


def throughput(url: str, account_ids: list[str], clients: int, per_client: int) -> float:
    def worker(n: int) -> int:
        with httpx.Client(timeout=120) as client:
            for i in range(per_client):
                _overview(client, url, account_ids[(n * per_client + i) % len(account_ids)])
        return per_client

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        done = sum(pool.map(worker, range(clients)))
    return done / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--accounts", type=int, default=20)
    ap.add_argument("--contacts", type=int, default=60)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--per-client", type=int, default=10)
    ap.add_argument("--stores", default="embedded,neo4j")
    ap.add_argument("--workers", default="1,2", help="server process counts to compare")
    args = ap.parse_args()

    doc = generate(args.accounts, args.contacts, 1)
    account_ids = [c["id"] for c in doc["companies"]]
    print(
        f"data: {len(account_ids)} accounts, {len(doc['contacts'])} contacts "
        f"({args.contacts} per account requested); as of {AS_OF}"
    )
    with open_stores(args.stores.split(",")) as stores:
        for name, (store, location) in stores.items():
            import_dataset(store, doc)
            floor = None
            for workers in (int(w) for w in args.workers.split(",")):
                with serve(name, location, workers) as url:
                    times = latency(url, account_ids, args.runs)
                    rps = throughput(url, account_ids, args.clients, args.per_client)
                floor = floor or rps
                ms = sorted(t * 1000 for t in times)
                p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
                print(
                    f"{name:9s} {workers} worker(s): overview latency over {len(ms)} runs: "
                    f"mean {statistics.mean(ms):.1f} ms, p50 {statistics.median(ms):.1f} ms, "
                    f"p95 {p95:.1f} ms"
                )
                print(
                    f"{name:9s} {workers} worker(s): throughput {rps:.1f} req/s with "
                    f"{args.clients} concurrent clients ({args.clients * args.per_client} "
                    f"requests); {rps / floor:.2f}x one worker ({floor:.1f} req/s)"
                )


if __name__ == "__main__":
    main()
