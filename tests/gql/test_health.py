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
    # status and backend only (issue 9 item 13): no path, no driver error text
    assert response.json() == {
        "status": "degraded",
        "store": {"backend": "embedded", "reachable": False},
    }
    assert "gone.db" not in response.text
