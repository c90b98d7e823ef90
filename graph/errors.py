"""Typed errors of the graph package, mapped once at the edges (CLI, GraphQL, HTTP)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DatasetError",
    "GraphError",
    "InvalidDataset",
    "InvalidTables",
    "InvalidWrite",
    "NotFound",
    "StoreMisconfigured",
    "StoreUnavailable",
    "TableError",
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


class StoreMisconfigured(GraphError):
    """The configured store answers, but refuses the configuration (credentials, database)."""


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


@dataclass(frozen=True)
class TableError(DatasetError):
    """One bad cell of a spreadsheet or CSV import: sheet, row, column, value and why.

    ``row`` is the row number a spreadsheet program shows (the header is usually row
    1); ``None`` when the problem concerns a whole table or file. ``column`` is the
    header text of the column, ``None`` for a whole row or table.
    """

    sheet: str = ""
    row: int | None = None
    column: str | None = None
    value: str | None = None

    @classmethod
    def at(
        cls,
        sheet: str,
        row: int | None,
        column: str | None,
        value: object,
        reason: str,
    ) -> TableError:
        """A table error; ``value`` is shown as text (``None`` for a blank cell)."""
        position = sheet if row is None else f"{sheet} row {row}"
        text = None if value is None else str(value)
        return cls(position, None, column or "(row)", reason, sheet, row, column, text)

    def __str__(self) -> str:
        parts = [f"sheet {self.sheet!r}"]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        parts.append("value (blank)" if self.value is None else f"value {self.value!r}")
        return f"{', '.join(parts)}: {self.reason}"


class InvalidTables(InvalidDataset):
    """Spreadsheet or CSV input refused as a whole; nothing was written."""

    errors: list[TableError]  # type: ignore[assignment]

    def __init__(self, errors: list[TableError]) -> None:
        self.errors = errors
        head = "\n".join(str(e) for e in errors[:50])
        more = f"\n... and {len(errors) - 50} more" if len(errors) > 50 else ""
        GraphError.__init__(self, f"{len(errors)} bad cell(s); nothing was written:\n{head}{more}")
