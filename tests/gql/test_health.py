"""/health reports the configured store and whether it answers."""

from __future__ import annotations

from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.store import GraphStore
from stakegraph.service.settings import Settings


def test_health_names_the_store_and_its_reachability(store: GraphStore) -> None:
    app = create_app(Settings(demo_mode=True), store=store)
    with TestClient(app) as client:
        body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["store"]["backend"] == store.backend
    assert body["store"]["reachable"] is True


def test_health_reports_an_unreachable_store(tmp_path) -> None:
    from stakegraph.graph.embedded_store import EmbeddedStore

    store = EmbeddedStore(tmp_path / "gone.db")
    store.close()  # a closed connection answers nothing
    app = create_app(Settings(demo_mode=True), store=store)
    with TestClient(app) as client:
        response = client.get("/health")
    assert response.status_code == 503
    # status, backend and import state only (issue 9 item 13): no path, no driver text
    assert response.json() == {
        "status": "degraded",
        "store": {"backend": "embedded", "reachable": False},
        "import": "unknown",
    }
    assert "gone.db" not in response.text


def dead_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(out.stdout)


def test_health_tells_the_state_of_the_last_import(store: GraphStore) -> None:
    from stakegraph.graph.dataset import import_dataset
    from stakegraph.graph.import_journal import ImportJournal
    from tests.graph.test_dataset import small_dataset

    app = create_app(Settings(demo_mode=True), store=store)
    with TestClient(app) as client:
        assert client.get("/health").json()["import"] == "none"
        import_dataset(store, small_dataset())
        assert client.get("/health").json() | {"store": None} == {
            "status": "ok",
            "store": None,
            "import": "done",
        }
        # an import whose process died before it finished
        begun = ImportJournal.begin("d" * 32, 3, "import").model_copy(update={"pid": dead_pid()})
        store._put_journal(begun.advanced(1))
        response = client.get("/health")
    assert response.status_code == 200  # the store answers; what it holds is partial
    assert response.json()["status"] == "degraded"
    assert response.json()["import"] == "interrupted"


def test_health_says_running_while_the_importing_process_lives(store: GraphStore) -> None:
    from stakegraph.graph.import_journal import ImportJournal

    store._put_journal(ImportJournal.begin("e" * 32, 3, "import"))  # this process
    app = create_app(Settings(demo_mode=True), store=store)
    with TestClient(app) as client:
        body = client.get("/health").json()
    assert body["status"] == "ok" and body["import"] == "running"
