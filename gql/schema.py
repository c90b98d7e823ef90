"""The schema: ``Query`` and ``Mutation`` with the protective extensions.

Limits come from :class:`~stakegraph.config.Settings`: query depth, aliases (counted
through fragment spreads since strawberry 0.315.7), tokens, and introspection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import strawberry
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from stakegraph.gql.errors import ErrorCodes, is_expected
from stakegraph.gql.mutations import Mutation
from stakegraph.gql.queries import Query

if TYPE_CHECKING:
    from graphql import GraphQLError
    from strawberry.types import ExecutionContext

    from stakegraph.config import Settings

__all__ = ["Schema", "build_schema"]


class Schema(strawberry.Schema):
    """Logs server faults only; errors meant for the caller are answered, not logged."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        faults = [e for e in errors if not is_expected(e)]
        if faults:
            super().process_errors(faults, execution_context)


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema of one app, with the limits of its settings."""
    extensions: list[Callable[[], SchemaExtension]] = [
        ErrorCodes,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: QueryDepthLimiter(max_depth=settings.max_query_depth),
        lambda: MaxAliasesLimiter(max_alias_count=settings.max_aliases),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return Schema(query=Query, mutation=Mutation, extensions=extensions)
