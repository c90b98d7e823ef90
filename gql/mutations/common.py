"""What the mutation modules share: the write summary type and input unpacking."""

from __future__ import annotations

import dataclasses
from enum import Enum
from typing import Any

import strawberry
from strawberry import UNSET

from stakegraph.graph.store import WriteSummary

__all__ = ["WriteResult", "given", "plain"]


@strawberry.type(description="What a write changed.")
class WriteResult:
    nodes_created: int
    nodes_updated: int
    relationships_created: int
    relationships_updated: int
    relationships_deleted: int
    changes_recorded: int

    @classmethod
    def of(cls, s: WriteSummary) -> WriteResult:
        return cls(
            nodes_created=s.nodes_created,
            nodes_updated=s.nodes_updated,
            relationships_created=s.relationships_created,
            relationships_updated=s.relationships_updated,
            relationships_deleted=s.relationships_deleted,
            changes_recorded=s.changes_recorded,
        )


def plain(value: Any) -> Any:
    """An input value as plain data (enums by value, inputs as dicts)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {k: plain(v) for k, v in vars(value).items() if v is not None and v is not UNSET}
    return value


def given(inp: object, *links: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(fields the caller set — ``null`` included —, link arguments) of an input."""
    fields = {k: plain(v) for k, v in vars(inp).items() if v is not UNSET}
    link_values = {k: fields.pop(k) for k in links if k in fields}
    return fields, link_values
