"""Relay-style connections: ``totalCount``, ``pageInfo`` and ``edges { cursor node }``."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from stakegraph.service.errors import BadInput

__all__ = ["Connection", "Edge", "PageInfo", "check_first", "page_by_id", "page_by_offset"]

T = TypeVar("T")
S = TypeVar("S")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    total_count: int
    page_info: PageInfo
    edges: list[Edge[T]]

    @strawberry.field(description="The nodes of the edges, for callers that need no cursors.")
    def nodes(self) -> list[T]:
        return [e.node for e in self.edges]


def check_first(first: int, page_max: int, *, field: str = "first") -> int:
    """``first`` must be within 0..page_max (configurable, 100 by default)."""
    if first < 0 or first > page_max:
        raise BadInput(f"{field} must be between 0 and {page_max}, got {first}", field=field)
    return first


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


def _decode(cursor: str, field: str) -> str:
    try:
        return base64.b64decode(cursor.encode(), altchars=b"-_", validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadInput(f"invalid cursor {cursor!r}", field=field) from exc


def id_cursor(node_id: str) -> str:
    """Same encoding as the stores' keyset cursors (``stakegraph.graph.store.encode_cursor``)."""
    return _encode(node_id)


def page_by_id(
    items: Sequence[S],
    *,
    first: int,
    after: str | None,
    id_of: Callable[[S], str],
    wrap: Callable[[S], T],
    field: str = "after",
) -> Connection[T]:
    """Keyset page of items sorted by id: the cursor is the (encoded) id."""
    start = 0
    if after:
        last = _decode(after, field)
        start = next((i for i, it in enumerate(items) if id_of(it) > last), len(items))
    return _connection(items, start, first, lambda i, it: id_cursor(id_of(it)), wrap)


def page_by_offset(
    items: Sequence[S],
    *,
    first: int,
    after: str | None,
    wrap: Callable[[S], T],
    field: str = "after",
) -> Connection[T]:
    """Page of an in-memory ordering: the cursor encodes the position."""
    start = 0
    if after:
        raw = _decode(after, field)
        if not raw.startswith("#pos:") or not raw[5:].isdigit():
            raise BadInput(f"invalid cursor {after!r} for this ordering", field=field)
        start = int(raw[5:]) + 1
    return _connection(items, start, first, lambda i, it: _encode(f"#pos:{i}"), wrap)


def _connection(
    items: Sequence[S],
    start: int,
    first: int,
    cursor: Callable[[int, S], str],
    wrap: Callable[[S], T],
) -> Connection[T]:
    chosen = [(i, items[i]) for i in range(start, min(len(items), start + first))]
    edges = [Edge(cursor=cursor(i, it), node=wrap(it)) for i, it in chosen]
    return Connection(
        total_count=len(items),
        page_info=PageInfo(
            has_next_page=start + first < len(items),
            has_previous_page=start > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        edges=edges,
    )
