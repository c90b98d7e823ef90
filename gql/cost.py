"""What a GraphQL document costs, measured once before it is validated or run.

One walk over the document gives, per operation, its **expanded size** (the number of
fields once every fragment spread is replaced by its fragment), its **depth**, its
**aliases** and its **cost**. Every fragment is measured once and memoised, so a
document whose fragments spread each other many times (a "fragment bomb": 14
fragments spreading the next three times expand to 3¹⁴ fields) is measured in time
linear in its text and refused before validation, which would walk every spread path.

The cost of a selection is the sum over its fields of the field's weight plus its
fan-out times the cost of the field's own selection:

* weight: 1; an analysis field (one that takes ``asOf``) ``cost_analysis``; a list of
  accounts sorted or filtered by an analytic value (grade, potential, health) analyses
  every candidate account: ``cost_analysis × page_max``;
* a timeline (a field with ``from``, ``to`` and ``every``) ``cost_analysis`` per point
  of its period; ``changesSince`` and ``driftAlerts`` two analyses of every candidate account
  (``2 × cost_analysis × page_max``);
* fan-out: a connection or list with ``first`` (or ``k``) is that many rows (the
  argument's default when absent; ``page_max`` for a connection without one); any
  other list ``cost_list_fanout`` rows; ``edges`` and ``nodes`` of a connection are
  its page, not another fan-out.

The limits come from :class:`~stakegraph.service.settings.Settings`.
:class:`QueryCost` is the schema extension that applies them and then validates the
document in a worker thread, so neither measuring nor validating blocks the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    get_nullable_type,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

__all__ = ["CostLimits", "Measure", "QueryCost", "measure_document"]

#: Values of ``sort.field`` and keys of ``filter`` that make a list of accounts analyse
#: every candidate account (see ``stakegraph.service.portfolio``).
_ANALYTIC_SORTS = frozenset({"GRADE_SCORE", "POTENTIAL_SCORE"})
_ANALYTIC_FILTERS = frozenset({"grade", "healthStatus"})
_PAGE_ARGS = ("first", "k")


@dataclass(frozen=True)
class CostLimits:
    max_fields: int
    max_depth: int
    max_aliases: int
    max_cost: int
    analysis_weight: int
    list_fanout: int
    page_max: int


@dataclass(frozen=True)
class Measure:
    """Expanded size, depth, aliases and cost of a selection (or an operation)."""

    fields: int = 0
    depth: int = 0
    aliases: int = 0
    cost: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            self.fields + other.fields,
            max(self.depth, other.depth),
            self.aliases + other.aliases,
            self.cost + other.cost,
        )


_ZERO = Measure()


class _Meter:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        variables: Mapping[str, Any],
        limits: CostLimits,
    ) -> None:
        self.schema = schema
        self.variables = dict(variables) if isinstance(variables, Mapping) else {}
        self.limits = limits
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.memo: dict[str, Measure] = {}
        self.active: set[str] = set()

    def operation(self, op: OperationDefinitionNode) -> Measure:
        root = self.schema.get_root_type(op.operation)
        return self.selection(op.selection_set, root)

    def fragment(self, name: str) -> Measure:
        """A fragment's measure, computed once; unknown or cyclic spreads count zero
        (validation reports them)."""
        known = self.memo.get(name)
        if known is not None:
            return known
        fragment = self.fragments.get(name)
        if fragment is None or name in self.active:
            return _ZERO
        self.active.add(name)
        measured = self.selection(
            fragment.selection_set, self.schema.get_type(fragment.type_condition.name.value)
        )
        self.active.discard(name)
        self.memo[name] = measured
        return measured

    def selection(
        self, selection_set: SelectionSetNode, parent: GraphQLNamedType | None
    ) -> Measure:
        total = _ZERO
        for node in selection_set.selections:
            if isinstance(node, FieldNode):
                total += self.field(node, parent)
            elif isinstance(node, FragmentSpreadNode):
                total += self.fragment(node.name.value)
            elif isinstance(node, InlineFragmentNode):
                condition = node.type_condition
                inner = parent if condition is None else self.schema.get_type(condition.name.value)
                total += self.selection(node.selection_set, inner)
        return total

    def field(self, node: FieldNode, parent: GraphQLNamedType | None) -> Measure:
        name = node.name.value
        definition = _field_of(parent, name)
        child_type = get_named_type(definition.type) if definition is not None else None
        child = (
            _ZERO if node.selection_set is None else self.selection(node.selection_set, child_type)
        )
        alias = 1 if node.alias is not None else 0
        if name.startswith("__"):
            # introspection: counted in size, neither in depth nor in cost
            return Measure(1 + child.fields, 0, alias + child.aliases, 0)
        depth = 0 if node.selection_set is None else child.depth + 1
        weight, fanout = self.weight(node, definition, parent)
        return Measure(1 + child.fields, depth, alias + child.aliases, weight + fanout * child.cost)

    def weight(
        self, node: FieldNode, definition: GraphQLField | None, parent: GraphQLNamedType | None
    ) -> tuple[int, int]:
        """(weight of the field itself, rows each of its sub-selections runs for)."""
        if definition is None:
            return 1, 1
        args = self.arguments(node)
        weight = 1
        if _is_timeline(definition):
            return self.limits.analysis_weight * _timeline_points(args), 1
        if (
            node.name.value in ("changesSince", "driftAlerts")
            and parent is not None
            and parent.name == "Query"
        ):
            return 2 * self.limits.analysis_weight * self.limits.page_max, 1
        if "asOf" in definition.args:
            weight = self.limits.analysis_weight
            if _analyses_every_row(args):
                weight = self.limits.analysis_weight * self.limits.page_max
        named = get_named_type(definition.type)
        is_connection = named.name.endswith("Connection")
        is_list = isinstance(get_nullable_type(definition.type), GraphQLList)
        if (
            parent is not None
            and parent.name.endswith("Connection")
            and node.name.value
            in (
                "edges",
                "nodes",
            )
        ):
            return weight, 1
        if not (is_connection or is_list):
            return weight, 1
        for arg in _PAGE_ARGS:
            if arg in definition.args:
                value = args.get(arg, definition.args[arg].default_value)
                if isinstance(value, int) and not isinstance(value, bool):
                    return weight, max(value, 0)
        return weight, self.limits.page_max if is_connection else self.limits.list_fanout

    def arguments(self, node: FieldNode) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for arg in node.arguments or ():
            try:
                out[arg.name.value] = value_from_ast_untyped(arg.value, self.variables)
            except Exception:
                continue
        return out


def _field_of(parent: GraphQLNamedType | None, name: str) -> GraphQLField | None:
    if isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
        found: GraphQLField | None = parent.fields.get(name)
        return found
    return None


def _is_timeline(definition: GraphQLField) -> bool:
    return {"from", "to", "every"} <= set(definition.args)


def _timeline_points(args: Mapping[str, Any]) -> int:
    """The points a timeline computes (one analysis each): one per month or week of the
    period, at least one; an unknown period counts as one point."""
    try:
        start, end = date.fromisoformat(str(args["from"])), date.fromisoformat(str(args["to"]))
    except (KeyError, ValueError):
        return 1
    days = max((end - start).days, 0)
    per = 7 if str(args.get("every", "MONTH")) == "WEEK" else 30
    return days // per + 1


def _analyses_every_row(args: Mapping[str, Any]) -> bool:
    sort, filter_ = args.get("sort"), args.get("filter")
    if isinstance(sort, Mapping) and sort.get("field") in _ANALYTIC_SORTS:
        return True
    return isinstance(filter_, Mapping) and any(
        filter_.get(key) is not None for key in _ANALYTIC_FILTERS
    )


def measure_document(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Mapping[str, Any] | None,
    limits: CostLimits,
) -> Measure:
    """The largest measure of the document's operations (each fragment measured once)."""
    meter = _Meter(schema, document, variables or {}, limits)
    measures = [
        meter.operation(d) for d in document.definitions if isinstance(d, OperationDefinitionNode)
    ]
    return max(measures, key=lambda m: (m.fields, m.cost), default=_ZERO)


def refusals(measure: Measure, limits: CostLimits) -> list[GraphQLError]:
    """Why a document is refused (empty: it is within every limit)."""
    if measure.fields > limits.max_fields:
        return [
            _refused(
                f"the query expands to {measure.fields} fields; the limit is {limits.max_fields}",
                "QUERY_TOO_COMPLEX",
            )
        ]
    errors: list[GraphQLError] = []
    if measure.depth > limits.max_depth:
        errors.append(
            _refused(
                f"the query exceeds maximum operation depth of {limits.max_depth}",
                "GRAPHQL_VALIDATION_FAILED",
            )
        )
    if measure.aliases > limits.max_aliases:
        errors.append(
            _refused(
                f"{measure.aliases} aliases found. Allowed: {limits.max_aliases}",
                "GRAPHQL_VALIDATION_FAILED",
            )
        )
    if measure.cost > limits.max_cost:
        errors.append(
            _refused(
                f"the query costs {measure.cost}; the limit is {limits.max_cost} "
                "(fields × page sizes, analysis fields count "
                f"{limits.analysis_weight})",
                "QUERY_TOO_COMPLEX",
            )
        )
    return errors


def _refused(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


class QueryCost(SchemaExtension):
    """Refuse documents over the limits before validation; validate off the event loop.

    ``validate`` is the validation to run (by default graphql-core's, through
    strawberry); the schema passes an LRU-cached one, so a document seen before (the
    same parsed object, from the parser cache) is not validated again. The cost is
    measured for every request: it depends on the variables."""

    def __init__(
        self, *, limits: CostLimits, validate: Callable[..., Any] = validate_document
    ) -> None:
        super().__init__()
        self.limits = limits
        self.validate = validate

    async def on_validate(self) -> AsyncIterator[None]:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is not None and ctx.pre_execution_errors is None:
            schema = ctx.schema._schema
            refused = refusals(
                measure_document(schema, document, ctx.variables, self.limits), self.limits
            )
            if refused:
                ctx.pre_execution_errors = refused
            elif ctx.validation_rules:
                ctx.pre_execution_errors = await asyncio.to_thread(
                    self.validate, schema, document, ctx.validation_rules
                )
        yield
