"""Shared fixtures: every storage test runs on BOTH stores.

Neo4j comes from ``NEO4J_URI`` when set, else a real Neo4j 5.26 Community server is
started from Maven Central jars (``stakegraph.neo4j_local``) for the session. When it
cannot start, the Neo4j tests error out: they never skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from stakegraph.cli.common import OPERATOR
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.store import GraphStore
from stakegraph.service.scope import Scope
from stakegraph.service.settings import Settings

STORES = ["embedded", "neo4j"]


def operator_scope(store: GraphStore) -> Scope:
    """The CLI operator's scope over a store (sees and may do everything)."""
    return Scope(store, Settings(), OPERATOR)


@pytest.fixture(scope="session")
def neo4j_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield uri
        return
    from stakegraph import neo4j_local

    port = neo4j_local.free_port()
    data_dir = tmp_path_factory.mktemp("neo4j-data")
    server = neo4j_local.start(port=port, data_dir=data_dir)
    try:
        yield server.uri
    finally:
        neo4j_local.stop(port=port)


@pytest.fixture(scope="session")
def neo4j_store_session(neo4j_uri: str) -> Iterator[GraphStore]:
    from stakegraph.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(
        neo4j_uri,
        os.environ.get("NEO4J_USER", "neo4j"),
        os.environ.get("NEO4J_PASSWORD", "neo4j"),
    )
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_store_session: GraphStore) -> Iterator[GraphStore]:
    neo4j_store_session.clear()
    yield neo4j_store_session
    neo4j_store_session.clear()


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[GraphStore]:
    store = EmbeddedStore(tmp_path / "stakegraph.db")
    yield store
    store.close()


@pytest.fixture(params=STORES)
def store(request: pytest.FixtureRequest) -> GraphStore:
    """The store under test: the contract suite runs once per backend."""
    return request.getfixturevalue(f"{request.param}_store")


# ------------------------------------------------------------- CI guard and summary
_outcomes: dict[str, dict[str, int]] = {s: {"passed": 0, "failed": 0} for s in STORES}
_skipped: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped:
        _skipped.append(report.nodeid)
    if report.when != "call" and not (report.failed and report.when == "setup"):
        return
    for backend in STORES:
        if (
            f"[{backend}" in report.nodeid
            or f"-{backend}]" in report.nodeid
            or f"-{backend}-" in report.nodeid
        ):
            _outcomes[backend]["passed" if report.passed else "failed"] += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    terminalreporter.section("stores")
    for backend, counts in _outcomes.items():
        terminalreporter.write_line(
            f"store-parametrised tests on {backend}: {counts['passed']} passed, "
            f"{counts['failed']} failed"
        )
    if _skipped and os.environ.get("CI"):
        terminalreporter.write_line(
            f"CI: {len(_skipped)} test(s) skipped; a skip is a failure here", red=True
        )


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _skipped and os.environ.get("CI") and session.exitstatus == 0:
        session.exitstatus = 1
