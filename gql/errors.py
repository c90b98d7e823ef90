"""The one place errors become GraphQL error codes.

Resolvers raise the errors of the application layer (:mod:`stakegraph.service.errors`)
or let those of the graph package through; the :class:`ErrorCodes` schema extension
gives every error of a response an ``extensions.code`` — ``BAD_USER_INPUT``,
``NOT_FOUND``, ``FORBIDDEN``, ``UNAUTHENTICATED``, ``GRAPHQL_PARSE_FAILED``,
``GRAPHQL_VALIDATION_FAILED``, ``QUERY_TOO_COMPLEX``, ``TIME_BUDGET_EXCEEDED``,
``STORE_UNAVAILABLE`` or ``INTERNAL_SERVER_ERROR`` —
and, where one field is to blame, ``extensions.field`` (the argument path, e.g.
``input.email``). Unexpected exceptions are logged and masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Any

from graphql import GraphQLError, VariableDefinitionNode
from pydantic import ValidationError
from strawberry.extensions import SchemaExtension

from stakegraph.graph.errors import InvalidDataset, StoreUnavailable
from stakegraph.graph.errors import NotFound as GraphNotFound
from stakegraph.service.errors import (
    BadInput,
    Forbidden,
    NotFound,
    ServiceError,
    Unauthenticated,
    from_validation_error,
)

__all__ = ["Code", "ErrorCodes", "TimeBudgetExceeded", "code_of", "is_expected"]


class TimeBudgetExceeded(Exception):
    """A request used up its time budget (``request_time_budget`` seconds)."""

    def __init__(self, budget: float) -> None:
        super().__init__(f"the request exceeded its time budget of {budget:g} s")
        self.budget = budget


class Code(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    TIME_BUDGET_EXCEEDED = "TIME_BUDGET_EXCEEDED"
    BAD_REQUEST = "BAD_REQUEST"  # the HTTP request itself is malformed (no GraphQL ran)
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


_SERVICE_CODES: dict[type[ServiceError], Code] = {
    BadInput: Code.BAD_USER_INPUT,
    NotFound: Code.NOT_FOUND,
    Forbidden: Code.FORBIDDEN,
    Unauthenticated: Code.UNAUTHENTICATED,
}


def code_of(exc: ServiceError) -> Code:
    for cls, code in _SERVICE_CODES.items():
        if isinstance(exc, cls):
            return code
    return Code.INTERNAL_SERVER_ERROR


def _service_extensions(exc: ServiceError) -> dict[str, Any]:
    ext: dict[str, Any] = {"code": str(code_of(exc))}
    if exc.field is not None:
        ext["field"] = exc.field
    if exc.details:
        ext["errors"] = exc.details
    return ext


# ------------------------------------------------------------------- the mapping

_SYNTAX = re.compile(r"^Syntax Error", re.IGNORECASE)


def _code_for(error: GraphQLError) -> tuple[dict[str, Any], str | None]:
    """(extensions, replacement message or None) of one error."""
    original = error.original_error
    variable = _bad_variable(error)
    if variable is not None:
        return {"code": str(Code.BAD_USER_INPUT), "field": variable}, None
    if original is None:
        if error.extensions and error.extensions.get("code"):
            return dict(error.extensions), None
        code = Code.GRAPHQL_PARSE_FAILED if _SYNTAX.match(error.message) else None
        return {"code": str(code or Code.GRAPHQL_VALIDATION_FAILED)}, None
    if isinstance(original, ServiceError):
        return _service_extensions(original), None
    if isinstance(original, GraphNotFound):
        return {"code": str(Code.NOT_FOUND)}, None
    if isinstance(original, InvalidDataset):
        details = [
            {"field": e.field, "position": e.position, "id": e.record_id, "reason": e.reason}
            for e in original.errors[:100]
        ]
        first = original.errors[0] if original.errors else None
        ext: dict[str, Any] = {"code": str(Code.BAD_USER_INPUT), "errors": details}
        if first is not None:
            ext["field"] = f"{first.position}.{first.field}"
        return ext, None
    if isinstance(original, ValidationError):
        bad = from_validation_error(original, None)
        return _service_extensions(bad), str(bad)
    if isinstance(original, TimeBudgetExceeded):
        return {"code": str(Code.TIME_BUDGET_EXCEEDED)}, str(original)
    if isinstance(original, StoreUnavailable):
        return {"code": str(Code.STORE_UNAVAILABLE)}, "the graph store is unavailable"
    if _is_timeout(original):
        return {"code": str(Code.STORE_UNAVAILABLE)}, "the graph store query timed out"
    return {"code": str(Code.INTERNAL_SERVER_ERROR)}, "internal server error"


def _bad_variable(error: GraphQLError) -> str | None:
    """The name of the variable a coercion error is about (the caller's bad value)."""
    nodes = error.nodes or []
    if error.path is None and nodes and isinstance(nodes[0], VariableDefinitionNode):
        return nodes[0].variable.name.value
    return None


def _is_timeout(exc: BaseException) -> bool:
    code = getattr(exc, "code", None) or ""
    return isinstance(code, str) and "TransactionTimedOut" in code


_EXPECTED = (ServiceError, GraphNotFound, InvalidDataset, ValidationError, TimeBudgetExceeded)


def is_expected(error: GraphQLError) -> bool:
    """An error meant for the caller (bad input, not found, …), not a server fault."""
    original = error.original_error
    return original is None or isinstance(original, _EXPECTED) or _bad_variable(error) is not None


def coded(error: GraphQLError) -> GraphQLError:
    extensions, message = _code_for(error)
    if message is None and extensions is error.extensions:
        return error
    return GraphQLError(
        message=message or error.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=error.original_error,
        extensions=dict(extensions),
    )


class ErrorCodes(SchemaExtension):
    """Give every error an ``extensions.code``; mask unexpected exceptions."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [coded(e) for e in errors]
