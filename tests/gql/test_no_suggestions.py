"""With introspection off, errors suggest no field names (issue 9 item 16)."""

from __future__ import annotations

import asyncio

from stakegraph.gql.schema import build_schema
from stakegraph.service.settings import Settings

TYPO = '{ acount(id: "x") { id } }'


def _messages(introspection: bool) -> list[str]:
    schema = build_schema(Settings(introspection=introspection))
    result = asyncio.run(schema.execute(TYPO))
    return [e.message for e in result.errors or []]


def test_without_introspection_an_unknown_field_suggests_nothing() -> None:
    messages = _messages(introspection=False)
    assert any("acount" in m for m in messages)
    assert not [m for m in messages if "Did you mean" in m or "'account'" in m]


def test_with_introspection_the_suggestion_stays() -> None:
    assert any("Did you mean" in m for m in _messages(introspection=True))
