"""Malformed transport is refused cleanly (issue 9 item 17): a typed GraphQL error body
with a 4xx status, or a refused handshake, never a 500 or a logged traceback."""

from __future__ import annotations

import logging

import pytest
from starlette.websockets import WebSocketDisconnect

from .conftest import KEYS, Api

HEADERS = {"X-API-Key": KEYS["ADMIN"][0], "content-type": "application/json"}


def _no_traceback(caplog: pytest.LogCaptureFixture) -> None:
    assert not [rec for rec in caplog.records if rec.exc_info], caplog.text


def test_a_body_nested_60000_deep_is_a_bad_request_not_a_500(
    embedded_api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    nested = "[" * 60_000 + "]" * 60_000
    body = '{"query": "query($v: JSON) { me { name } }", "variables": {"v": ' + nested + "}}"
    with caplog.at_level(logging.DEBUG):
        response = embedded_api.client.post("/graphql", content=body, headers=HEADERS)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BAD_REQUEST"
    assert "nested too deeply" in error["message"]
    _no_traceback(caplog)


def test_a_batched_array_is_a_typed_refusal_not_plain_text(embedded_api: Api) -> None:
    batch = [{"query": "{ me { name } }"}, {"query": "{ me { name } }"}]
    response = embedded_api.client.post("/graphql", json=batch, headers=HEADERS)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_unparseable_json_is_a_typed_refusal(embedded_api: Api) -> None:
    response = embedded_api.client.post("/graphql", content=b'{"query": ', headers=HEADERS)
    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize("protocols", [["graphql-transport-ws"], ["graphql-ws"], []])
def test_a_websocket_upgrade_of_graphql_is_refused_at_the_handshake(
    embedded_api: Api, caplog: pytest.LogCaptureFixture, protocols: list[str]
) -> None:
    with (
        caplog.at_level(logging.DEBUG),
        pytest.raises(WebSocketDisconnect),
        embedded_api.client.websocket_connect(
            "/graphql", subprotocols=protocols, headers={"X-API-Key": KEYS["ADMIN"][0]}
        ) as socket,
    ):
        socket.receive_text()
    _no_traceback(caplog)


def test_an_unknown_fragment_spread_is_a_typed_validation_error(embedded_api: Api) -> None:
    error = embedded_api.error("{ ...Nope }")
    assert error["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    assert "Nope" in error["message"]


def test_well_formed_requests_still_answer_over_post_and_get(embedded_api: Api) -> None:
    assert embedded_api.data("{ me { name } }")["me"]["name"] == "admin"
    response = embedded_api.client.get(
        "/graphql", params={"query": "{ me { name } }"}, headers=HEADERS
    )
    assert response.json()["data"]["me"]["name"] == "admin"
