"""Caches of parsed and validated GraphQL documents, so a repeated query text (the
usual case: a front end sends the same few documents) is parsed and validated once.

strawberry's ``ParserCache`` raises a syntax error out of its hook, past the error
codes of :mod:`stakegraph.gql.errors`; :class:`CachedParse` leaves a text that does not
parse to strawberry's own parser, which reports it as ``GRAPHQL_PARSE_FAILED``.
Validation is cached by :func:`cached_validation` (the key is the parsed document
object, so only a document from the parse cache hits) and run by
:class:`~stakegraph.gql.cost.QueryCost` after its per-request cost check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import suppress
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

__all__ = ["CachedParse", "cached_parser", "cached_validation"]


def cached_parser(entries: int) -> Callable[..., Any]:
    """``graphql.parse`` behind an LRU cache of ``entries`` texts (0: no cache)."""
    return lru_cache(maxsize=entries)(parse)


def cached_validation(entries: int) -> Callable[..., Any]:
    """strawberry's ``validate_document`` behind an LRU cache of ``entries`` documents."""
    return lru_cache(maxsize=entries)(validate_document)


class CachedParse(SchemaExtension):
    """Parse through ``parser``; a text that does not parse is left to strawberry."""

    def __init__(self, *, parser: Callable[..., Any]) -> None:
        super().__init__()
        self.parser = parser

    def on_parse(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.query is not None:
            # a syntax error: strawberry parses the text again and reports it
            with suppress(GraphQLError):
                ctx.graphql_document = self.parser(ctx.query, **ctx.parse_options)
        yield
