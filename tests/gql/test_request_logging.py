"""Request logging through the real app: X-Request-ID, the id and the principal's name
on every line of the request, JSON lines, never an API key; uvicorn's log config."""

from __future__ import annotations

import io
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.store import GraphStore
from stakegraph.service.access import ApiKey, hash_api_key
from stakegraph.service.logs import LogHandler, configure_logging, uvicorn_options
from tests.gql.conftest import make_settings, world
from tests.gql.server import free_port

KEY = "sk-live-amy-0d9f2c4e8b1a"
NAME = "amy.chen"
QUERY = "{ accounts(first: 5) { totalCount edges { node { id name } } } }"
_LOGGERS = ("neo4j", "uvicorn", "uvicorn.error", "uvicorn.access")


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger (and uvicorn's) back as they were."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).propagate,
                 logging.getLogger(n).level) for n in _LOGGERS}  # fmt: skip
    yield
    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
    for h in handlers:
        if h not in root.handlers:
            root.addHandler(h)
        if isinstance(h, LogHandler):
            h.use_stream(None)
            h.use_format("text")
    root.setLevel(level)
    for name, (hs, propagate, lvl) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = hs
        logger.propagate = propagate
        logger.setLevel(lvl)


def _settings(**overrides: Any) -> Any:
    keys = [ApiKey(name=NAME, key_sha256=hash_api_key(KEY), role="REP", rep_id="r-amy")]
    return make_settings(api_keys=keys, **overrides)


@pytest.fixture
def serve(restore_logging: None) -> Callable[..., tuple[TestClient, io.StringIO]]:
    """``serve(store, **settings)``: a client of the app and the buffer its logs go to."""
    clients: list[TestClient] = []

    def start(store: GraphStore, **overrides: Any) -> tuple[TestClient, io.StringIO]:
        settings = _settings(**overrides)
        app = create_app(settings, store)
        buffer = io.StringIO()
        configure_logging(settings, stream=buffer)
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client, buffer

    yield start  # type: ignore[misc]
    for client in clients:
        client.__exit__(None, None, None)


def _lines_of(buffer: io.StringIO, request_id: str) -> list[str]:
    return [line for line in buffer.getvalue().splitlines() if f"rid={request_id} " in line]


def test_a_request_has_one_id_in_its_header_and_every_line(
    store: GraphStore, serve: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import_dataset(store, world())
    monkeypatch.setattr(store, "slow_query_seconds", 0)
    client, buffer = serve(store, log_level="DEBUG")
    response = client.post("/graphql", json={"query": QUERY}, headers={"X-API-Key": KEY})
    assert response.status_code == 200, response.text
    assert response.json()["data"]["accounts"]["totalCount"] >= 1
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)

    lines = _lines_of(buffer, request_id)
    access = [x for x in lines if "stakegraph.access" in x]
    assert len(access) == 1, lines
    assert re.search(rf"principal={re.escape(NAME)}\] POST /graphql 200 \d+\.\d ms$", access[0])
    slow = [x for x in lines if f"slow {store.backend} query: " in x]
    assert slow, buffer.getvalue()  # the store's lines carry the request's id ...
    assert all(f"principal={NAME}]" in x for x in slow)  # ... and its caller's name
    assert re.search(r"query: \d+\.\d ms: ", slow[0])

    other = client.post("/graphql", json={"query": QUERY}, headers={"X-API-Key": KEY})
    assert other.headers["X-Request-ID"] != request_id
    assert KEY not in buffer.getvalue()


def test_a_sane_incoming_request_id_is_kept_and_others_replaced(
    embedded_store: GraphStore, serve: Callable[..., Any]
) -> None:
    client, buffer = serve(embedded_store)
    kept = client.get("/health", headers={"X-Request-ID": "trace-4bf92f35-77b3.1"})
    assert kept.headers["X-Request-ID"] == "trace-4bf92f35-77b3.1"
    assert _lines_of(buffer, "trace-4bf92f35-77b3.1")
    for bad in ("two words", "x" * 200, "<script>", '"quoted"'):
        replaced = client.get("/health", headers={"X-Request-ID": bad})
        assert re.fullmatch(r"[0-9a-f]{32}", replaced.headers["X-Request-ID"]), bad
    assert "two words" not in buffer.getvalue() and "<script>" not in buffer.getvalue()


def test_json_lines_carry_the_request_id_and_principal(
    embedded_store: GraphStore, serve: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import_dataset(embedded_store, world())
    monkeypatch.setattr(embedded_store, "slow_query_seconds", 0)
    client, buffer = serve(embedded_store, log_format="json")
    response = client.post(
        "/graphql", json={"query": QUERY}, headers={"Authorization": f"Bearer {KEY}"}
    )
    assert response.status_code == 200
    request_id = response.headers["X-Request-ID"]
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]  # all parse
    mine = [r for r in records if r["request_id"] == request_id]
    (access,) = [r for r in mine if r["logger"] == "stakegraph.access"]
    assert access["principal"] == NAME
    assert (access["method"], access["path"], access["status"]) == ("POST", "/graphql", 200)
    assert isinstance(access["duration_ms"], float)
    slow = [r for r in mine if r["logger"] == "stakegraph.graph.embedded_store"]
    assert slow and all(r["principal"] == NAME and r["duration_ms"] >= 0 for r in slow)
    assert KEY not in buffer.getvalue()


def test_an_unknown_key_is_never_logged(
    embedded_store: GraphStore, serve: Callable[..., Any]
) -> None:
    client, buffer = serve(embedded_store, log_level="DEBUG")
    wrong = "sk-live-wrong-6a1d93e0"
    response = client.post("/graphql", json={"query": QUERY}, headers={"X-API-Key": wrong})
    assert response.status_code == 401
    (access,) = [
        x for x in _lines_of(buffer, response.headers["X-Request-ID"]) if "stakegraph.access" in x
    ]
    assert "principal=-] POST /graphql 401 " in access
    assert wrong not in buffer.getvalue()


def test_a_refused_body_still_gets_an_id(
    embedded_store: GraphStore, serve: Callable[..., Any]
) -> None:
    client, buffer = serve(embedded_store, max_body_bytes=1024)
    response = client.post(
        "/graphql", content=b"x" * 5000, headers={"X-API-Key": KEY, "content-type": "text/plain"}
    )
    assert response.status_code == 413
    (access,) = _lines_of(buffer, response.headers["X-Request-ID"])
    assert "POST /graphql 413 " in access


def test_a_store_failure_is_logged_with_its_duration_and_request(
    tmp_path: Any, serve: Callable[..., Any]
) -> None:
    store = EmbeddedStore(tmp_path / "gone.db")
    client, buffer = serve(store)
    store.close()
    response = client.post("/graphql", json={"query": QUERY}, headers={"X-API-Key": KEY})
    lines = _lines_of(buffer, response.headers["X-Request-ID"])
    failed = [x for x in lines if "embedded query failed after " in x]
    assert failed, buffer.getvalue()
    assert re.search(r"failed after \d+\.\d ms: ProgrammingError", failed[0])
    assert f"principal={NAME}]" in failed[0]


# ------------------------------------------------------------------------ uvicorn


def test_uvicorn_lines_go_through_the_same_handler(
    embedded_store: GraphStore, restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """``uvicorn.run(app, **uvicorn_options(settings))``: one handler, JSON lines for
    uvicorn's own messages too, uvicorn's access log off (ours has the id)."""
    settings = _settings(log_format="json")
    app = create_app(settings, embedded_store)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, **uvicorn_options(settings))
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    try:
        response = httpx.get(f"http://127.0.0.1:{port}/health", timeout=10)
        assert len([h for h in logging.getLogger().handlers if isinstance(h, LogHandler)]) == 1
        configure_logging(settings)  # as create_app does in a worker: still one handler
        assert len([h for h in logging.getLogger().handlers if isinstance(h, LogHandler)]) == 1
    finally:
        server.should_exit = True
        thread.join(timeout=10)
    records = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    loggers = {r["logger"] for r in records}
    assert "uvicorn.error" in loggers  # "Uvicorn running on …", as JSON
    assert "uvicorn.access" not in loggers
    (access,) = [r for r in records if r["logger"] == "stakegraph.access"]
    assert access["request_id"] == response.headers["X-Request-ID"]
    assert access["status"] == 200
