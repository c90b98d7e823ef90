"""The errors of the application layer, mapped once by each entry point.

================  ===================  ===========  =========
error             GraphQL code         HTTP status  CLI exit
================  ===================  ===========  =========
BadInput          BAD_USER_INPUT       400 / 422    2
NotFound          NOT_FOUND            404          1
Forbidden         FORBIDDEN            403          1
Unauthenticated   UNAUTHENTICATED      401          1
================  ===================  ===========  =========

A record the caller may not see is :class:`NotFound`, exactly as one that does not
exist, so that an answer never tells which ids exist in other accounts.
:class:`Forbidden` is kept for what the caller can see but may not do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from stakegraph.graph.model import Label

__all__ = [
    "BadInput",
    "Forbidden",
    "NotFound",
    "ServiceError",
    "Unauthenticated",
    "field_path",
    "from_validation_error",
]


class ServiceError(Exception):
    """A refusal meant for the caller; ``field`` names the offending argument."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        #: Every problem when there are several (``[{"field": …, "reason": …}]``).
        self.details: list[dict[str, Any]] = []
        #: A catalogue key and its parameters, for an entry point that words the
        #: refusal in the caller's language (``None``: the message only).
        self.code: str | None = None
        self.params: dict[str, Any] = {}


class BadInput(ServiceError):
    """The request itself is wrong (a value, a missing argument, a contradiction)."""


class NotFound(ServiceError):
    """No such record, or none the caller may see."""

    @classmethod
    def of(cls, label: Label | str, node_id: str, *, field: str | None = "id") -> NotFound:
        error = cls(f"{label} {node_id!r} not found", field=field)
        error.code, error.params = "not_found", {"label": str(label), "id": node_id}
        return error


class Forbidden(ServiceError):
    """The caller sees the record but may not do this."""


class Unauthenticated(ServiceError):
    """No API key, or an unknown one."""


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def field_path(prefix: str | None, loc: Sequence[Any]) -> str:
    """An argument path in the API's spelling.

    Examples
    --------
    >>> field_path("input", ("profile", "hobbies", 0))
    'input.profile.hobbies[0]'
    >>> field_path(None, ("last_contact_at",))
    'lastContactAt'
    """
    out = prefix or ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + _camel(str(part))
    return out


def from_validation_error(exc: ValidationError, prefix: str | None = "input") -> BadInput:
    """A pydantic error as one :class:`BadInput` naming the first offending field and
    quoting its value; every problem is kept in ``details``."""
    details = []
    for err in exc.errors(include_url=False):
        path = field_path(prefix, err["loc"])
        reason = err["msg"]
        if "input" in err and not isinstance(err["input"], dict | list):
            reason = f"{err['input']!r}: {reason}"
        details.append({"field": path, "reason": reason})
    first = details[0] if details else {"field": prefix or "", "reason": str(exc)}
    bad = BadInput(f"{first['field']}: {first['reason']}", field=first["field"] or None)
    bad.details = details
    return bad
