"""A store that cannot be reached fails fast with ``StoreUnavailable`` and heals by itself.

Neo4j: a real local server started for this module is stopped, restarted, frozen
(SIGSTOP: it accepts TCP connections and never answers) and thawed (SIGCONT); every
read and write must raise ``StoreUnavailable`` within a bound, ``health()`` must say
"unreachable" within a bound without leaking the URI or the driver's words, and the
same store object must work again once Neo4j is back. The bounds are generous: these
are fault tests, not speed tests.

Embedded: a database another process holds locked, a file that is not a database, a
directory that cannot be made and a closed store all give ``StoreUnavailable``.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from stakegraph import neo4j_local
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.errors import StoreUnavailable
from stakegraph.graph.model import Company, Contact, Department, Label, Relationship
from stakegraph.graph.neo4j_store import Neo4jStore
from stakegraph.graph.store import GraphBatch, GraphStore

BOUND = 15.0  # seconds a failing call may take
HEALTH_BOUND = 5.0


def rel(t: str, fl: str, f: str, tl: str, to: str) -> Relationship:
    return Relationship(type=t, from_label=fl, from_id=f, to_label=tl, to_id=to)


def account() -> GraphBatch:
    return GraphBatch(
        nodes=[
            Company(id="c1", name="C1"),
            Department(id="d1", name="D1"),
            Contact(id="p1", name="P1"),
        ],
        relationships=[
            rel("PART_OF", "Department", "d1", "Company", "c1"),
            rel("WORKS_IN", "Contact", "p1", "Department", "d1"),
        ],
    )


def calls(store: GraphStore) -> dict[str, Callable[[], object]]:
    """One of every kind of store call."""
    return {
        "get_node": lambda: store.get_node(Label.CONTACT, "p1"),
        "list_nodes": lambda: store.list_nodes(Label.COMPANY),
        "relationships": lambda: store.relationships("WORKS_IN", from_ids=["p1"]),
        "account_subgraph": lambda: store.account_subgraph("c1"),
        "owning_accounts": lambda: store.owning_accounts(Label.CONTACT, ["p1"]),
        "changes_since": lambda: store.changes_since(datetime(2020, 1, 1, tzinfo=UTC)),
        "write": lambda: store.write(GraphBatch(nodes=[Contact(id="p2", name="P2")])),
        "delete_nodes": lambda: store.delete_nodes(Label.CONTACT, ["p2"]),
    }


def assert_every_call_fails_fast(store: GraphStore) -> None:
    for name, call in calls(store).items():
        t0 = time.monotonic()
        with pytest.raises(StoreUnavailable):
            call()
        assert time.monotonic() - t0 < BOUND, name
    t0 = time.monotonic()
    health = store.health()
    assert time.monotonic() - t0 < HEALTH_BOUND
    assert health.reachable is False
    assert health.model_dump() == {
        "backend": store.backend,
        "reachable": False,
        "status": "unreachable",
    }
    assert health.detail  # kept for the log


def assert_the_service_refuses_fast(store: GraphStore) -> None:
    """Over HTTP (issue 9 item 4): GraphQL answers ``STORE_UNAVAILABLE``, a map 503 and
    ``/health`` 503, each within its bound, with no driver text."""
    from fastapi.testclient import TestClient

    from stakegraph.gql.app import create_app
    from stakegraph.service.settings import Settings

    with TestClient(create_app(Settings(demo_mode=True), store=store)) as client:
        t0 = time.monotonic()
        body = client.post("/graphql", json={"query": '{ account(id: "c1") { name } }'}).json()
        answered = time.monotonic() - t0
        assert answered < BOUND
        assert [e["extensions"]["code"] for e in body["errors"]] == ["STORE_UNAVAILABLE"]
        t0 = time.monotonic()
        page = client.get("/accounts/c1/map")
        mapped = time.monotonic() - t0
        assert mapped < BOUND
        assert page.status_code == 503 and page.headers["retry-after"]
        t0 = time.monotonic()
        health = client.get("/health")
        checked = time.monotonic() - t0
        assert checked < HEALTH_BOUND
        assert health.status_code == 503
        assert "bolt" not in health.text and "Neo" not in health.text
        print(f"refused in: GraphQL {answered:.1f} s, map {mapped:.1f} s, health {checked:.1f} s")


def wait_until_it_works(store: GraphStore, bound: float = 60.0) -> float:
    """Seconds until a read succeeds again on the same store object."""
    t0 = time.monotonic()
    while True:
        try:
            assert store.get_node(Label.CONTACT, "p1") is not None
            return time.monotonic() - t0
        except StoreUnavailable:
            assert time.monotonic() - t0 < bound
            time.sleep(0.2)


def wait_until_stopped(pid: int, bound: float = 10.0) -> None:
    """Until every thread of ``pid`` is stopped (state ``T``), as SIGSTOP leaves them."""
    t0 = time.monotonic()
    while True:
        states = {
            (task / "stat").read_text().rsplit(")", 1)[1].split()[0]
            for task in Path(f"/proc/{pid}/task").iterdir()
        }
        if states <= {"T", "t"}:
            return
        assert time.monotonic() - t0 < bound, states
        time.sleep(0.05)


@pytest.fixture(scope="module")
def own_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, object]]:
    """A Neo4j server of this module alone (it gets stopped and frozen)."""
    port = neo4j_local.free_port()
    data_dir = tmp_path_factory.mktemp("neo4j-faults")
    server = neo4j_local.start(port=port, data_dir=data_dir)
    state: dict[str, object] = {"server": server, "port": port, "data_dir": data_dir}
    try:
        yield state
    finally:
        pid = state["server"].pid  # type: ignore[attr-defined]
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGCONT)
        neo4j_local.stop(port=port)


def test_neo4j_down_restarted_frozen_and_thawed(own_neo4j: dict[str, object]) -> None:
    server = own_neo4j["server"]
    store = Neo4jStore(server.uri)  # type: ignore[attr-defined]
    try:
        store.write(account())
        assert store.health().reachable is True

        # down: the port refuses connections
        neo4j_local.stop(port=own_neo4j["port"])  # type: ignore[arg-type]
        assert_every_call_fails_fast(store)
        assert_the_service_refuses_fast(store)

        # back: the same store object works again by itself
        server = neo4j_local.start(
            port=own_neo4j["port"],  # type: ignore[arg-type]
            data_dir=own_neo4j["data_dir"],  # type: ignore[arg-type]
        )
        own_neo4j["server"] = server
        recovered = wait_until_it_works(store)
        print(f"works again {recovered:.1f} s after the restart")
        assert store.health().reachable is True

        # frozen: TCP is accepted, nothing ever answers
        os.kill(server.pid, signal.SIGSTOP)
        wait_until_stopped(server.pid)
        try:
            assert_every_call_fails_fast(store)
            assert_the_service_refuses_fast(store)
        finally:
            os.kill(server.pid, signal.SIGCONT)
        thawed = wait_until_it_works(store)
        print(f"works again {thawed:.1f} s after SIGCONT")
        assert store.health().reachable is True
        # a write abandoned while frozen was rolled back, not committed on waking up
        time.sleep(1.0)
        assert store.get_node(Label.CONTACT, "p2") is None
        store.write(GraphBatch(nodes=[Contact(id="p3", name="P3")]))
        assert store.get_node(Label.CONTACT, "p3") is not None
    finally:
        store.close()


def test_neo4j_that_is_not_there_fails_fast_when_opened() -> None:
    port = neo4j_local.free_port()
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable) as info:
        Neo4jStore(f"bolt://127.0.0.1:{port}")
    assert time.monotonic() - t0 < BOUND
    assert str(port) not in str(info.value)


# ------------------------------------------------------------------------ embedded


def test_a_database_locked_by_another_process_fails_writes_within_the_busy_timeout(
    tmp_path: Path,
) -> None:
    path = tmp_path / "locked.db"
    store = EmbeddedStore(path, busy_timeout=1.0)
    store.write(account())
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        for name in ("write", "delete_nodes"):
            t0 = time.monotonic()
            with pytest.raises(StoreUnavailable):
                calls(store)[name]()
            assert time.monotonic() - t0 < BOUND
        # readers are not blocked by a writer (write-ahead log)
        assert store.get_node(Label.CONTACT, "p1") is not None
        assert store.health().reachable is True
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.write(GraphBatch(nodes=[Contact(id="p2", name="P2")]))
    assert store.get_node(Label.CONTACT, "p2") is not None
    store.close()


def test_a_file_that_is_not_a_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "garbage.db"
    path.write_bytes(b"this is not a database, just some text " * 200)
    with pytest.raises(StoreUnavailable) as info:
        EmbeddedStore(path)
    assert str(tmp_path) not in str(info.value)


def test_a_directory_that_cannot_be_made_is_unavailable(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StoreUnavailable):
        EmbeddedStore(tmp_path / "a-file" / "store.db")


def test_a_closed_store_is_unavailable_and_says_so_without_its_path(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "closed.db")
    store.write(account())
    store.close()
    assert_every_call_fails_fast(store)
    assert str(tmp_path) in (store.health().location or "")  # for the log only
