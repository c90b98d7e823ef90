"""Typed errors of the graph package, mapped once at the edges (CLI, GraphQL, HTTP)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DatasetError",
    "GraphError",
    "InvalidDataset",
    "InvalidWrite",
    "NotFound",
    "StoreUnavailable",
]


class GraphError(Exception):
    """Base of every error raised by ``graph``."""


class NotFound(GraphError):
    def __init__(self, label: str, node_id: str) -> None:
        super().__init__(f"{label} {node_id!r} not found")
        self.label = label
        self.node_id = node_id


class StoreUnavailable(GraphError):
    """The configured store cannot be reached."""


@dataclass(frozen=True)
class DatasetError:
    """One bad record: where it is, which field, and why."""

    position: str  # e.g. "contacts[3]" or "relationships[12]"
    record_id: str | None
    field: str
    reason: str

    def __str__(self) -> str:
        rid = f" (id {self.record_id!r})" if self.record_id else ""
        return f"{self.position}{rid}: {self.field}: {self.reason}"


class InvalidDataset(GraphError):
    """Input refused as a whole; nothing was written."""

    def __init__(self, errors: list[DatasetError]) -> None:
        self.errors = errors
        head = "\n".join(str(e) for e in errors[:20])
        more = f"\n... and {len(errors) - 20} more" if len(errors) > 20 else ""
        super().__init__(f"{len(errors)} invalid record(s); nothing was written:\n{head}{more}")


class InvalidWrite(InvalidDataset):
    """A write refused by the store (e.g. a relationship to a node that does not exist)."""
