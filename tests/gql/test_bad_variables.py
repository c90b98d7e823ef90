"""A bad variable is BAD_USER_INPUT naming the variable, never a logged traceback
(issue 9 item 9). Coercion happens before any resolver: embedded store only."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from .conftest import KEYS, Api

CASES: list[tuple[str, str, Any]] = [
    ("query($id: ID!) { account(id: $id) { id } }", "id", {}),
    ("query($n: Int!) { accounts(first: $n) { totalCount } }", "n", "abc"),
    ('query($d: Date) { account(id: "acme") { health(asOf: $d) { status } } }', "d", "2026-13-45"),
    ("query($n: Int!) { accounts(first: $n) { totalCount } }", "n", float("inf")),
    (
        'query($t: DateTime) { account(id: "acme") { changes(since: $t) { at } } }',
        "t",
        "9999-12-31T23:59:59-05:00",
    ),
]


@pytest.mark.parametrize(("query", "name", "value"), CASES)
def test_bad_variable_is_bad_user_input_naming_it(
    embedded_api: Api, caplog: pytest.LogCaptureFixture, query: str, name: str, value: Any
) -> None:
    body = json.dumps({"query": query, "variables": {name: value}})
    with caplog.at_level(logging.DEBUG):
        r = embedded_api.client.post(
            "/graphql",
            content=body,
            headers={"X-API-Key": KEYS["ADMIN"][0], "content-type": "application/json"},
        )
    err = r.json()["errors"][0]
    assert err["extensions"]["code"] == "BAD_USER_INPUT"
    assert err["extensions"]["field"] == name
    assert f"${name}" in err["message"]
    assert not [rec for rec in caplog.records if rec.exc_info], caplog.text
