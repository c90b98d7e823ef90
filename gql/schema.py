"""The schema: the feature modules' queries and mutations merged into ``Query`` and
``Mutation``, with the protective extensions.

Limits come from :class:`~stakegraph.service.settings.Settings`: query depth, aliases
(counted through fragment spreads), tokens, and introspection.
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
from strawberry.tools import merge_types

from stakegraph.gql.accounts import AccountQueries
from stakegraph.gql.errors import ErrorCodes, is_expected
from stakegraph.gql.insights import InsightMutations, InsightQueries
from stakegraph.gql.mutations.admin import AdminMutations
from stakegraph.gql.mutations.records import RecordMutations
from stakegraph.gql.mutations.ties import TieMutations
from stakegraph.gql.mutations.visits import VisitMutations
from stakegraph.gql.portfolio import PortfolioQueries
from stakegraph.gql.records import RecordQueries

if TYPE_CHECKING:
    from graphql import GraphQLError
    from strawberry.types import ExecutionContext

    from stakegraph.service.settings import Settings

__all__ = ["Mutation", "Query", "Schema", "build_schema"]

Query = merge_types("Query", (RecordQueries, AccountQueries, PortfolioQueries, InsightQueries))
Mutation = merge_types(
    "Mutation", (RecordMutations, TieMutations, VisitMutations, AdminMutations, InsightMutations)
)


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
