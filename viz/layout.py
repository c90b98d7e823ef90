"""Positions of the org chart: a tidy tree by department, then by ``REPORTS_TO``.

The tree is the company, its departments (``PART_OF``), each department's contacts
whose manager is not in the same department, and below them their reports. A
parent's leaf children beyond :data:`WRAP` are stacked in a compact grid, so that a
manager with thirty staff does not make the chart thirty columns wide.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["COLUMN", "ROW", "STACK", "tree_positions"]

#: Horizontal distance between two columns, vertical between two levels (px).
COLUMN = 170
ROW = 150
#: Stacked leaves per column.
STACK = 6
_STACK_ROW = 80
_INDENT = 45


def tree_positions(
    root: str, children: Mapping[str, Sequence[str]]
) -> dict[str, tuple[float, float]]:
    """``{node: (x, y)}`` for a tree given as ``children`` lists (in display order).

    Examples
    --------
    >>> pos = tree_positions("a", {"a": ["b", "c"], "b": ["d"]})
    >>> pos["a"], pos["b"], pos["c"], pos["d"]
    ((85.0, 0), (0.0, 150), (170, 150), (0, 300))
    >>> pos = tree_positions("a", {"a": ["b", "c"]})  # leaves stack in a column
    >>> pos["a"], pos["b"], pos["c"]
    ((0.0, 0), (45, 150), (45, 230))
    """
    pos: dict[str, tuple[float, float]] = {}
    seen: set[str] = set()

    def kids(node: str) -> list[str]:
        return [k for k in children.get(node, ()) if k not in seen]

    def place(node: str, y: float, x0: float) -> tuple[float, float]:
        seen.add(node)
        mine = kids(node)
        seen.update(mine)
        if not mine:
            pos[node] = (x0, y)
            return x0, COLUMN
        leaves = [k for k in mine if not kids(k)]
        inner = [k for k in mine if k not in leaves]
        x, centres = x0, []
        if len(leaves) > 1:
            cols = math.ceil(len(leaves) / STACK)
            for j, leaf in enumerate(leaves):
                col, row = divmod(j, STACK)
                pos[leaf] = (x + _INDENT + col * COLUMN, y + ROW + row * _STACK_ROW)
            centres.append(x + (cols - 1) * COLUMN / 2)
            x += cols * COLUMN
        else:
            inner = mine
        for k in inner:
            seen.discard(k)
            centre, width = place(k, y + ROW, x)
            centres.append(centre)
            x += width
        centre = (min(centres) + max(centres)) / 2
        pos[node] = (centre, y)
        return centre, x - x0

    place(root, 0, 0)
    return pos
