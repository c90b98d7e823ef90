"""Malformed, oversized, too deep and too wide queries are refused clearly; the service
keeps serving. Also: introspection switch, GraphiQL and anonymous access in demo mode only.
These limits sit in front of the store, so they run on the embedded store only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.store import GraphStore

from .conftest import KEYS, Api, make_api, make_settings

ADMIN = {"X-API-Key": KEYS["ADMIN"][0]}


def _still_serving(api: Api) -> None:
    assert api.data("{ me { role } }") == {"me": {"role": "ADMIN"}}


def test_too_deep_query_is_refused(embedded_api: Api) -> None:
    deep = '{ contact(id: "a-eng") { ' + "reportsTo { " * 12 + "id" + " }" * 12 + " } }"
    err = embedded_api.error(deep)
    assert "exceeds maximum operation depth" in err["message"]
    assert err["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    _still_serving(embedded_api)


def test_too_many_aliases_are_refused_even_through_fragment_spreads(embedded_api: Api) -> None:
    aliases = " ".join(f"a{i}: name" for i in range(20))
    query = f"""query {{ account(id: "acme") {{ ...F ...G }} }}
        fragment F on Account {{ {aliases} }}
        fragment G on Account {{ {aliases.replace("a", "b")} }}"""
    err = embedded_api.error(query)
    assert "aliases found. Allowed: 30" in err["message"]
    assert err["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    _still_serving(embedded_api)


def test_too_many_tokens_are_refused(embedded_api: Api) -> None:
    wide = "{ me { " + " ".join(["name"] * 2500) + " } }"
    err = embedded_api.error(wide)
    assert "token" in err["message"].lower()
    _still_serving(embedded_api)


def test_malformed_query_is_a_parse_error(embedded_api: Api) -> None:
    err = embedded_api.error("{ account(id: ")
    assert err["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    err = embedded_api.error("{ noSuchField }")
    assert err["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    _still_serving(embedded_api)


def test_malformed_json_body_is_a_400(embedded_api: Api) -> None:
    r = embedded_api.client.post(
        "/graphql", content=b"{not json", headers=ADMIN | {"content-type": "application/json"}
    )
    assert r.status_code == 400
    _still_serving(embedded_api)


def test_oversized_body_is_refused_with_413(embedded_api: Api) -> None:
    big = "{ me { name } }" + " " * 300_000
    r = embedded_api.post(big)
    assert r.status_code == 413
    assert r.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    _still_serving(embedded_api)


def test_oversized_chunked_body_is_refused_too(embedded_api: Api) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"query": "{ me { name } }", "pad": "'
        for _ in range(40):
            yield b"x" * 10_000
        yield b'"}'

    r = embedded_api.client.post(
        "/graphql", content=chunks(), headers=ADMIN | {"content-type": "application/json"}
    )
    assert r.status_code == 413
    _still_serving(embedded_api)


def test_mutations_over_get_are_refused(embedded_api: Api) -> None:
    r = embedded_api.client.get(
        "/graphql",
        params={"query": 'mutation { upsertCompetitor(input: {name: "x"}) { id } }'},
        headers=ADMIN,
    )
    assert r.status_code in (400, 405)


@pytest.fixture
def locked_down(embedded_store: GraphStore) -> Iterator[Api]:
    yield from make_api(embedded_store, introspection=False, max_query_depth=3)


def test_introspection_can_be_switched_off(locked_down: Api, embedded_api: Api) -> None:
    q = "{ __schema { queryType { name } } }"
    assert embedded_api.data(q)["__schema"]["queryType"]["name"] == "Query"
    err = locked_down.error(q)
    assert "introspection" in err["message"].lower()
    assert locked_down.data("{ me { role } }")["me"]["role"] == "ADMIN"


def test_limits_are_configurable(locked_down: Api) -> None:
    err = locked_down.error('{ account(id: "acme") { contacts { edges { node { id } } } } }')
    assert "depth" in err["message"]


def test_graphiql_and_anonymous_reads_only_in_demo_mode(embedded_store: GraphStore) -> None:
    closed = create_app(make_settings(), embedded_store)
    with TestClient(closed) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert "graphiql" not in page.text.lower()
        anon = client.post("/graphql", json={"query": "{ me { role } }"})
        assert anon.status_code == 401
    demo = create_app(make_settings(demo_mode=True), embedded_store)
    with TestClient(demo) as client:
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        me = client.post("/graphql", json={"query": "{ me { role anonymous } }"}).json()
        assert me == {"data": {"me": {"role": "ANALYST", "anonymous": True}}}
        write = client.post(
            "/graphql", json={"query": 'mutation { upsertCompetitor(input: {name: "x"}) { id } }'}
        ).json()
        assert write["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_unexpected_errors_are_masked(embedded_api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(embedded_api.store, "account_subgraphs", boom)
    err = embedded_api.error('{ account(id: "acme") { departments { id } } }')
    assert err["message"] == "internal server error"
    assert err["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    _still_serving(embedded_api)
