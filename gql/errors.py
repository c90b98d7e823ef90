"""Errors of the GraphQL edge, and the one place domain exceptions become error codes.

A resolver raises :class:`ApiError` (or lets a domain exception through); the
:class:`ErrorCodes` schema extension gives every error of a response an
``extensions.code`` — ``BAD_USER_INPUT``, ``NOT_FOUND``, ``FORBIDDEN``,
``UNAUTHENTICATED``, ``GRAPHQL_PARSE_FAILED``, ``GRAPHQL_VALIDATION_FAILED``,
``STORE_UNAVAILABLE`` or ``INTERNAL_SERVER_ERROR`` — and, where one field is to
blame, ``extensions.field`` (the argument path, e.g. ``input.email``). Unexpected
exceptions are logged and masked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Any

from graphql import GraphQLError
from pydantic import ValidationError
from strawberry.extensions import SchemaExtension

from stakegraph.gql.auth import Forbidden, Unauthenticated
from stakegraph.graph.errors import InvalidDataset, NotFound, StoreUnavailable

__all__ = [
    "ApiError",
    "BadInput",
    "Code",
    "ErrorCodes",
    "ForbiddenError",
    "NotFoundError",
    "from_validation_error",
    "is_expected",
]


class Code(StrEnum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    FORBIDDEN = "FORBIDDEN"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    STORE_UNAVAILABLE = "STORE_UNAVAILABLE"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class ApiError(Exception):
    """An error meant for the caller; ``extensions`` is copied into the GraphQL error."""

    code: Code = Code.INTERNAL_SERVER_ERROR

    def __init__(
        self, message: str, *, field: str | None = None, details: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(message)
        self.extensions: dict[str, Any] = {"code": str(self.code)}
        if field is not None:
            self.extensions["field"] = field
        if details:
            self.extensions["errors"] = details


class BadInput(ApiError):
    code = Code.BAD_USER_INPUT


class NotFoundError(ApiError):
    code = Code.NOT_FOUND


class ForbiddenError(ApiError):
    code = Code.FORBIDDEN


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def field_path(prefix: str | None, loc: Sequence[Any]) -> str:
    """``("profile", "hobbies", 0)`` under ``input`` → ``input.profile.hobbies[0]``."""
    out = prefix or ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _camel(str(part))
    return out


def from_validation_error(
    exc: ValidationError, prefix: str | None = "input", rename: dict[str, str] | None = None
) -> BadInput:
    """A pydantic error as one ``BAD_USER_INPUT`` naming the first offending field."""
    rename = rename or {}
    details = []
    for err in exc.errors(include_url=False):
        loc = [rename.get(str(p), p) if isinstance(p, str) else p for p in err["loc"]]
        details.append({"field": field_path(prefix, loc), "reason": err["msg"]})
    first = details[0] if details else {"field": prefix, "reason": str(exc)}
    return BadInput(f"{first['field']}: {first['reason']}", field=first["field"], details=details)


# ------------------------------------------------------------------- the mapping

_SYNTAX = re.compile(r"^Syntax Error", re.IGNORECASE)


def _code_for(error: GraphQLError) -> tuple[dict[str, Any], str | None]:
    """(extensions, replacement message or None) of one error."""
    original = error.original_error
    if original is None:
        if error.extensions.get("code"):
            return error.extensions, None
        code = Code.GRAPHQL_PARSE_FAILED if _SYNTAX.match(error.message) else None
        return {"code": str(code or Code.GRAPHQL_VALIDATION_FAILED)}, None
    if isinstance(original, ApiError):
        return original.extensions, None
    if isinstance(original, NotFound):
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
        return bad.extensions, str(bad)
    if isinstance(original, Forbidden):
        return {"code": str(Code.FORBIDDEN)}, None
    if isinstance(original, Unauthenticated):
        return {"code": str(Code.UNAUTHENTICATED)}, None
    if isinstance(original, StoreUnavailable):
        return {"code": str(Code.STORE_UNAVAILABLE)}, "the graph store is unavailable"
    if _is_timeout(original):
        return {"code": str(Code.STORE_UNAVAILABLE)}, "the graph store query timed out"
    return {"code": str(Code.INTERNAL_SERVER_ERROR)}, "internal server error"


def _is_timeout(exc: BaseException) -> bool:
    code = getattr(exc, "code", None) or ""
    return isinstance(code, str) and "TransactionTimedOut" in code


_EXPECTED = (ApiError, NotFound, InvalidDataset, ValidationError, Forbidden, Unauthenticated)


def is_expected(error: GraphQLError) -> bool:
    """An error meant for the caller (bad input, not found, …), not a server fault."""
    original = error.original_error
    return original is None or isinstance(original, _EXPECTED)


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
