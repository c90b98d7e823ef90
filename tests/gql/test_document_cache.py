"""A repeated GraphQL document is parsed and validated once (issue 12 item 4); the cost
limits still apply to every request, since they depend on its variables."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import strawberry
from strawberry.extensions import SchemaExtension

from stakegraph.gql.schema import build_schema

from .conftest import make_settings

SEEN: list[tuple[Any, Any]] = []


class Seen(SchemaExtension):
    """Records the parsed document and the validation result of each executed request."""

    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        SEEN.append((ctx.graphql_document, ctx.pre_execution_errors))
        yield


def _schema(entries: int) -> strawberry.Schema:
    schema = build_schema(make_settings(graphql_cache_entries=entries))
    schema.extensions = [*schema.extensions, Seen]
    return schema


def _twice(schema: strawberry.Schema, query: str) -> list[tuple[Any, Any]]:
    SEEN.clear()
    for _ in range(2):
        result = asyncio.run(schema.execute(query))
        assert result.errors is None and result.data == {"__typename": "Query"}
    return list(SEEN)


def test_a_repeated_document_is_parsed_and_validated_once() -> None:
    (doc1, valid1), (doc2, valid2) = _twice(_schema(256), "{ __typename }")
    assert doc1 is doc2  # the parser cache gave the same document
    assert valid1 is valid2  # and the validation cache the same (empty) result


def test_with_the_cache_off_every_request_is_parsed_and_validated() -> None:
    (doc1, valid1), (doc2, valid2) = _twice(_schema(0), "{ __typename }")
    assert doc1 is not doc2
    assert valid1 is not valid2


def test_cost_limits_still_apply_to_each_request_of_a_cached_document() -> None:
    schema = _schema(256)
    query = "query($n: Int!) { accounts(first: $n) { nodes { contacts { id } } } }"
    small = asyncio.run(schema.execute(query, variable_values={"n": 1}))
    assert not [e for e in small.errors or [] if e.extensions["code"] == "QUERY_TOO_COMPLEX"]
    huge = asyncio.run(schema.execute(query, variable_values={"n": 10_000_000}))
    assert huge.errors and huge.errors[0].extensions["code"] == "QUERY_TOO_COMPLEX"
