"""End to end: a real uvicorn on a free loopback port, driven by a real GraphQL client
(``sgqlc.endpoint.http.HTTPEndpoint``), on both stores."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from sgqlc.endpoint.http import HTTPEndpoint

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore

from .conftest import KEYS, make_settings, world


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server_url(store: GraphStore) -> Iterator[str]:
    import_dataset(store, world())
    port = _free_port()
    config = uvicorn.Config(
        create_app(make_settings(), store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        assert thread.is_alive(), "uvicorn died"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def endpoint(url: str, role: str | None) -> HTTPEndpoint:
    headers = {} if role is None else {"X-API-Key": KEYS[role][0]}
    return HTTPEndpoint(url, base_headers=headers, timeout=30)


def test_account_overview_over_http(server_url: str) -> None:
    query = """query($id: ID!, $asOf: Date) { account(id: $id) {
        name relationshipGrade(asOf: $asOf) { grade score }
        coverage(asOf: $asOf) { ratio holes { kind } }
        balance(asOf: $asOf) { verdict }
        contacts(first: 50) { totalCount edges { node { id name } } } } }"""
    data = endpoint(server_url, "REP")(query, {"id": "acme", "asOf": "2026-06-30"})
    assert "errors" not in data, data
    account = data["data"]["account"]
    assert account["relationshipGrade"]["grade"] == "INTERMEDIATE"
    assert account["contacts"]["totalCount"] == 4


def test_write_then_read_over_http(server_url: str) -> None:
    ep = endpoint(server_url, "MANAGER")
    m = 'mutation { setStance(contactId: "a-cfo", stance: SUPPORTER) { id stance } }'
    assert ep(m)["data"] == {"setStance": {"id": "a-cfo", "stance": "SUPPORTER"}}
    q = '{ contact(id: "a-cfo") { stance } }'
    assert ep(q)["data"]["contact"]["stance"] == "SUPPORTER"


def test_errors_come_back_coded_over_http(server_url: str) -> None:
    hidden = endpoint(server_url, "REP")('{ account(id: "globex") { id } }')
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    forbidden = endpoint(server_url, "ANALYST")(
        'mutation { setStance(contactId: "a-cfo", stance: SUPPORTER) { id } }'
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    anonymous = endpoint(server_url, None)("{ me { name } }")
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # and the server keeps serving
    assert endpoint(server_url, "ADMIN")("{ me { role } }")["data"] == {"me": {"role": "ADMIN"}}
