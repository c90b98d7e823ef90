"""``stakegraph serve --workers 2``: two server processes on one port, sharing the store
and its analysis cache, so that after a write every process answers with it (issue 12
item 4), on both stores."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import load_demo
from tests.gql.server import free_port

STAKEGRAPH = str(Path(sys.executable).parent / "stakegraph")
BALANCE = '{ account(id: "co-orient") { balance { supporters opponents } } }'
BLOCK = 'mutation { setStance(contactId: "c-or-08", stance: BLOCKER) { stance } }'


@contextmanager
def serving(
    store: GraphStore, where: list[str], tmp_path: Path
) -> Iterator[tuple[str, str, subprocess.Popen[str]]]:
    port = free_port()
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "STAKEGRAPH_ADMIN_KEY_FILE": str(tmp_path / "admin-key"),
        "STAKEGRAPH_DASK_MIN_ACCOUNTS": "100000",
    }
    cli = [STAKEGRAPH, "serve", "--port", str(port), "--workers", "2"]
    proc = subprocess.Popen(
        [*cli, *where],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.communicate()
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the service did not become healthy"
            time.sleep(0.3)
        yield base, (tmp_path / "admin-key").read_text().strip(), proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def _graphql(base: str, key: str, query: str) -> dict[str, Any]:
    r = httpx.post(f"{base}/graphql", json={"query": query}, headers={"X-API-Key": key}, timeout=60)
    body = r.json()
    assert not body.get("errors"), body
    data: dict[str, Any] = body["data"]
    return data


def _balances(base: str, key: str, n: int) -> list[tuple[int, int]]:
    """``n`` concurrent reads of the balance (spread over both processes)."""

    def one(_: int) -> tuple[int, int]:
        b = _graphql(base, key, BALANCE)["account"]["balance"]
        return (b["supporters"], b["opponents"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(one, range(n)))


def test_two_workers_serve_one_store_and_every_answer_follows_a_write(
    store: GraphStore, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    import_dataset(store, load_demo())
    where = (
        ["--store", "embedded", "--db", str(getattr(store, "path"))]  # noqa: B009
        if store.backend == "embedded"
        else ["--store", "neo4j", "--neo4j-uri", request.getfixturevalue("neo4j_uri")]
    )
    with serving(store, where, tmp_path) as (base, key, proc):
        before = _balances(base, key, 24)
        assert len(set(before)) == 1  # one answer whichever process served it
        assert _graphql(base, key, BLOCK)["setStance"]["stance"] == "BLOCKER"
        after = _balances(base, key, 24)
    supporters, opponents = before[0]
    assert set(after) == {(supporters - 1, opponents + 1)}  # no process kept a stale analysis
    log = proc.stderr.read() if proc.stderr else ""
    assert log.count("Started server process") == 2, log
