"""The betweenness of large accounts, kept per process by the exact graph it ran on.

Betweenness (§3.4) is the one analytic that grows faster than an account: exact, it
takes O(contacts × ties). It reads nothing but the shape of the "listens to" graph,
its contacts in order and their ties, and most writes change no tie: a stance, a
relationship level, a visit logged. So an analysis after such a write would compute
the same numbers again.

:data:`BETWEENNESS_MEMO` keeps, per process, the betweenness of recent large graphs
by that shape (the ordered node ids and the ordered ties, compared whole, not by a
digest), least recently used dropped first once the graphs kept (their contacts plus
their ties) pass a bound. The same
input gives the same digits, so an answer from the memo is the one the computation
would give. :meth:`BetweennessMemo.resize` sets the bound (the service does, from
``STAKEGRAPH_BETWEENNESS_MEMO_SIZE`` / ``STAKEGRAPH_BETWEENNESS_MEMO_MIN_NODES``; a
Dask worker from the settings of the batch it analyses).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["BETWEENNESS_MEMO", "BetweennessMemo", "Shape"]

#: A graph's shape: its node ids in order, and its ties as pairs of their positions.
Shape = tuple[tuple[str, ...], tuple[tuple[int, int], ...]]


class BetweennessMemo:
    """A bounded LRU of betweenness values by graph shape.

    Parameters
    ----------
    size : int
        At most this many contacts plus ties, summed over the graphs kept; 0 keeps
        nothing.
    min_nodes : int
        Graphs of fewer nodes are not kept (computing theirs is as quick as a lookup).

    Examples
    --------
    >>> memo = BetweennessMemo(size=7, min_nodes=2)
    >>> path = (("a", "b", "c"), ((0, 1), (1, 2)))
    >>> memo.get(path, lambda: [0.0, 1.0, 0.0])
    [0.0, 1.0, 0.0]
    >>> memo.get(path, lambda: [9.0, 9.0, 9.0]), memo.hits
    ([0.0, 1.0, 0.0], 1)
    >>> memo.get((("a", "b"), ((0, 1),)), lambda: [0.0, 0.0])  # 5 + 3 kept: the first goes
    [0.0, 0.0]
    >>> memo.get(path, lambda: [0.5, 0.5, 0.5])
    [0.5, 0.5, 0.5]
    """

    def __init__(self, size: int = 250_000, min_nodes: int = 200) -> None:
        self._lock = threading.Lock()
        self._entries: OrderedDict[Shape, list[float]] = OrderedDict()
        self._kept = 0
        self.size = size
        self.min_nodes = min_nodes
        self.hits = 0

    def resize(self, size: int, min_nodes: int) -> None:
        """Set the bounds (dropping the least recently used graphs beyond the new one)."""
        with self._lock:
            self.size, self.min_nodes = size, min_nodes
            self._trim()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._kept = 0

    def get(self, shape: Shape, compute: Callable[[], list[float]]) -> list[float]:
        """The values kept for ``shape``, else ``compute()`` (kept if the graph is large
        enough); a copy the caller may change."""
        nodes, ties = shape
        weight = len(nodes) + len(ties)
        if len(nodes) < self.min_nodes or weight > self.size:
            return compute()
        with self._lock:
            found = self._entries.get(shape)
            if found is not None:
                self._entries.move_to_end(shape)
                self.hits += 1
                return list(found)
        values = compute()  # outside the lock: two threads may both compute, alike
        with self._lock:
            if shape not in self._entries:
                self._entries[shape] = list(values)
                self._kept += weight
                self._trim()
        return values

    def _trim(self) -> None:
        while self._entries and self._kept > self.size:
            (nodes, ties), _ = self._entries.popitem(last=False)
            self._kept -= len(nodes) + len(ties)


#: The process's memo, used by :func:`stakegraph.influence.score.betweenness`.
BETWEENNESS_MEMO = BetweennessMemo()
