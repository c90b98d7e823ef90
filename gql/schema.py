"""The schema: the feature modules' queries and mutations merged into ``Query`` and
``Mutation``, with the protective extensions.

Limits come from :class:`~stakegraph.service.settings.Settings`: tokens, then (measured
once per fragment, before validation, see :mod:`stakegraph.gql.cost`) expanded size,
depth, aliases and cost, and introspection.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry.extensions import DisableIntrospection, MaxTokensLimiter, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from stakegraph.gql.accounts import AccountQueries
from stakegraph.gql.cost import CostLimits, QueryCost
from stakegraph.gql.doc_cache import CachedParse, cached_parser, cached_validation
from stakegraph.gql.errors import ErrorCodes, is_expected
from stakegraph.gql.insights import InsightMutations, InsightQueries
from stakegraph.gql.mutations.admin import AdminMutations
from stakegraph.gql.mutations.capture import CaptureMutations
from stakegraph.gql.mutations.records import RecordMutations
from stakegraph.gql.mutations.ties import TieMutations
from stakegraph.gql.mutations.visits import VisitMutations
from stakegraph.gql.plans import PlanMutations
from stakegraph.gql.portfolio import PortfolioQueries
from stakegraph.gql.records import RecordQueries
from stakegraph.gql.timeline import TimelineQueries

if TYPE_CHECKING:
    from graphql import GraphQLError
    from strawberry.types import ExecutionContext

    from stakegraph.service.settings import Settings

__all__ = ["Mutation", "Query", "Schema", "build_schema"]

Query = merge_types(
    "Query", (RecordQueries, AccountQueries, PortfolioQueries, InsightQueries, TimelineQueries)
)
Mutation = merge_types(
    "Mutation",
    (
        RecordMutations,
        TieMutations,
        VisitMutations,
        AdminMutations,
        InsightMutations,
        CaptureMutations,
        PlanMutations,
    ),
)


def parse_datetime(value: Any) -> datetime:
    """An ISO 8601 date-time whose UTC instant exists (``9999-12-31T23:59:59-05:00`` is
    past the last representable moment): refused at coercion, so the caller gets
    ``BAD_USER_INPUT`` naming the variable instead of an overflow in a resolver."""
    if not isinstance(value, str):
        raise ValueError(f"a DateTime is an ISO 8601 string, not {value!r}")
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        try:
            moment.astimezone(UTC)
        except OverflowError as exc:
            raise ValueError(f"DateTime {value!r} is outside the supported range") from exc
    return moment


DateTime = strawberry.scalar(
    name="DateTime",
    description="Date with time (ISO 8601); its UTC instant must be representable.",
    serialize=lambda v: v.isoformat(),
    parse_value=parse_datetime,
)


class Schema(strawberry.Schema):
    """Logs server faults only; errors meant for the caller are answered, not logged."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        faults = [e for e in errors if not is_expected(e)]
        if faults:
            super().process_errors(faults, execution_context)


def cost_limits(settings: Settings) -> CostLimits:
    return CostLimits(
        max_fields=settings.max_expanded_fields,
        max_depth=settings.max_query_depth,
        max_aliases=settings.max_aliases,
        max_cost=settings.max_query_cost,
        analysis_weight=settings.cost_analysis,
        list_fanout=settings.cost_list_fanout,
        page_max=settings.page_max,
    )


def build_schema(settings: Settings) -> strawberry.Schema:
    """The schema of one app, with the limits of its settings.

    Parsing and validation are cached (``graphql_cache_entries`` distinct documents,
    LRU): a repeated query text is neither parsed nor validated again. The cost limits
    still apply to every request (they depend on its variables)."""
    entries = settings.graphql_cache_entries
    parser, validate = cached_parser(entries), cached_validation(entries)
    extensions: list[Callable[[], SchemaExtension]] = [
        ErrorCodes,
        lambda: MaxTokensLimiter(max_token_count=settings.max_tokens),
        lambda: CachedParse(parser=parser),
        lambda: QueryCost(limits=cost_limits(settings), validate=validate),
    ]
    if not settings.introspection:
        extensions.append(DisableIntrospection)
    return Schema(
        query=Query,
        mutation=Mutation,
        extensions=extensions,
        # with introspection off, "Did you mean ..." would spell the schema out
        config=StrawberryConfig(
            scalar_map={datetime: DateTime},
            disable_field_suggestions=not settings.introspection,
        ),
    )
