"""How bulk work treats Python's cyclic garbage collector.

A portfolio analyses thousands of accounts and keeps every analysis until the report
is built. CPython's collector counts allocations and, every so often, traverses the
objects of a generation; survivors are promoted, and the oldest generation grows with
every analysis kept. Its collections then traverse that ever larger heap again and
again, so a portfolio grew faster than its accounts (measured on 30-contact accounts:
the collector took a third of a 1,000-account portfolio and close to half of a
5,000-account one).

:func:`settled_batches` keeps the collector on but lets it see only the work of the
current batch: after each batch what is not frozen yet is collected (the batch's
cyclic garbage — subgraphs, path graphs — is freed) and what survives is frozen
(``gc.freeze``), out of every later collection; at the end everything frozen is
handed back (``gc.unfreeze``) to the oldest generation, as if the run had not been
there. Nothing is leaked: objects frozen while alive that die later are freed by
reference counting, or by the next full collection after the run.

:func:`gc_paused` pauses the collector for a block that only builds long-lived objects
(an import parsing a whole document; unpickling a batch of results), and for one bounded
computation over a large graph already in memory (an account analysis): its
collections would traverse that graph again and again while finding nothing to free
in it (measured on a 3,000-contact account: a third of an analysis whose betweenness
was kept). What such a block leaves as cyclic garbage is freed by the collections
after it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

__all__ = ["Settle", "gc_paused", "settled_batches"]


class _Pauses:
    """The paused blocks running in this process, over all its threads: the collector
    is switched off by the first and back on (if it was on) by the last to end, so
    a block ending in one thread never re-enables it under another's feet, nor leaves
    it off for good."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.restore = False

    def enter(self) -> None:
        with self.lock:
            if self.depth == 0:
                self.restore = gc.isenabled()
                gc.disable()
            self.depth += 1

    def leave(self) -> None:
        with self.lock:
            self.depth -= 1
            if self.depth == 0 and self.restore:
                gc.enable()


_PAUSES = _Pauses()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for a block that only builds long-lived
    objects (loading a batch of results), or for one bounded computation over a graph
    in memory; restored as it was, exceptions included, when the last paused block of
    the process ends (blocks nest, in one thread or several). Also a decorator
    (``@gc_paused()``).

    >>> with gc_paused():
    ...     gc.isenabled()
    False
    """
    _PAUSES.enter()
    try:
        yield
    finally:
        _PAUSES.leave()


class Settle(Protocol):
    """The end of one batch of :func:`settled_batches`."""

    def __call__(self, collect: bool = True) -> None: ...


@contextmanager
def settled_batches() -> Iterator[Settle]:
    """A block of batched bulk work; call the function it gives after each batch
    that more follow.

    Entering freezes what the process holds already (its garbage, if any, waits for
    the first collection after the block). The call collects what is not frozen yet
    (the batch's objects, wherever the collector has promoted them: its garbage is
    freed, none is frozen) and freezes what survives; ``settle(collect=False)``
    freezes without collecting, for a batch that made no garbage (results unpickled
    under :func:`gc_paused` and kept whole). Leaving the block unfreezes it all
    (exceptions included). Blocks may nest (the innermost's end
    unfreezes the outer's too, which then only freezes again at its next batch).

    A batch's cyclic garbage is freed; what it keeps is out of the collector's sight
    until the block ends:

    >>> import weakref
    >>> class Record:
    ...     pass
    >>> with settled_batches() as settle:
    ...     garbage = Record(); garbage.me = garbage; freed = weakref.ref(garbage)
    ...     del garbage
    ...     kept = Record()
    ...     settle()
    ...     freed() is None, any(o is kept for o in gc.get_objects())
    (True, False)
    >>> gc.get_freeze_count(), any(o is kept for o in gc.get_objects())
    (0, True)

    What the process held before is frozen from the start:

    >>> earlier = Record()
    >>> with settled_batches():
    ...     any(o is earlier for o in gc.get_objects())
    False
    """

    def settle(collect: bool = True) -> None:
        if collect:  # every generation: only what is not frozen yet, this batch's
            gc.collect()
        gc.freeze()

    gc.freeze()  # what was there before: out of sight, not traversed even once
    try:
        yield settle
    finally:
        gc.unfreeze()
