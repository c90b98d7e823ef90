"""Store calls that give up when the server stops answering.

A database server that is down refuses connections at once; one that is frozen (a
stopped process, a hung host) accepts TCP connections and then never answers, and a
blocking socket read on it waits for ever. :class:`BoundedCalls` runs each call on a
worker thread and waits for it; whenever the call has gone ``stall_after`` seconds
without an answer it asks ``probe`` (run on its own thread, bounded by
``probe_timeout``) whether the server still answers. A server that answers is merely
busy, and the wait goes on (up to ``limit``); one that does not gets the call
abandoned with :class:`~stakegraph.graph.errors.StoreUnavailable`. The abandoned
call's ``abandoned`` event is set, so that a write still stuck inside can roll back
instead of committing when the server wakes up, and a call not yet started is
cancelled. A call runs in a copy of its caller's :mod:`contextvars` context (so its log
lines carry the caller's request id).
"""

from __future__ import annotations

import contextvars
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from time import monotonic
from typing import Any, TypeVar

from stakegraph.graph.errors import StoreUnavailable

__all__ = ["BoundedCalls"]

T = TypeVar("T")
log = logging.getLogger(__name__)


class BoundedCalls:
    """Run store calls on worker threads, abandoning those the server never answers.

    Parameters
    ----------
    probe : callable
        Returns normally when the server answers, raises otherwise.
    stall_after : float
        Seconds without an answer before the server is probed (and between probes).
    probe_timeout : float
        The longest a probe may take; a probe still running then counts as failed.
    workers : int
        Worker threads (at most this many calls run at once; others queue).
    name : str
        For thread names and log messages.
    """

    def __init__(
        self,
        probe: Callable[[], object],
        *,
        stall_after: float,
        probe_timeout: float,
        workers: int,
        name: str,
    ) -> None:
        self._probe = probe
        self.stall_after = stall_after
        self.probe_timeout = probe_timeout
        self.name = name
        self._max_workers = workers
        self._workers: list[threading.Thread] = []
        self._idle = 0
        self._jobs: queue.SimpleQueue[
            tuple[Future[Any], Callable[..., Any], threading.Event, contextvars.Context]
        ] = queue.SimpleQueue()
        self._mutex = threading.Lock()
        self._closed = False

    def _submit(
        self, work: Callable[[threading.Event], T], abandoned: threading.Event
    ) -> Future[T]:
        """Queue ``work`` for a daemon worker (a worker stuck on a frozen server must
        never keep the process from exiting, as a ``ThreadPoolExecutor`` one would)."""
        future: Future[T] = Future()
        with self._mutex:
            if self._closed:
                raise StoreUnavailable(f"{self.name} is closed")
            self._jobs.put((future, work, abandoned, contextvars.copy_context()))
            if self._idle > 0:
                self._idle -= 1  # an idle worker takes it
            elif len(self._workers) < self._max_workers:
                thread = threading.Thread(
                    target=self._work, name=f"{self.name}-{len(self._workers)}", daemon=True
                )
                self._workers.append(thread)
                thread.start()
        return future

    def _work(self) -> None:
        while True:
            future, work, abandoned, context = self._jobs.get()
            if future.set_running_or_notify_cancel():
                try:
                    future.set_result(context.run(work, abandoned))
                except BaseException as exc:
                    future.set_exception(exc)
            with self._mutex:
                self._idle += 1

    def run(self, work: Callable[[threading.Event], T], *, limit: float) -> T:
        """``work(abandoned)`` on a worker; its result, or ``StoreUnavailable`` once the
        server stops answering or ``limit`` seconds have passed."""
        abandoned = threading.Event()
        future = self._submit(work, abandoned)
        start = monotonic()
        deadline = start + limit
        while True:
            try:
                return future.result(
                    timeout=max(0.0, min(self.stall_after, deadline - monotonic()))
                )
            except FutureTimeout:
                pass
            left = deadline - monotonic()
            if left <= 0:
                reason = f"no answer in {limit:.1f} s"
            elif self.answers(timeout=min(self.probe_timeout, left)):
                continue
            else:
                reason = f"no answer in {monotonic() - start:.1f} s and the server does not answer"
            abandoned.set()
            future.cancel()
            log.warning("%s: call abandoned: %s", self.name, reason)
            raise StoreUnavailable(f"{self.name} is not answering")

    def answers(self, timeout: float | None = None) -> bool:
        """Whether ``probe`` returns within ``timeout`` (default ``probe_timeout``)."""
        outcome: list[BaseException | None] = []

        def probe() -> None:
            try:
                self._probe()
                outcome.append(None)
            except BaseException as exc:  # reported below, never raised on this thread
                outcome.append(exc)

        thread = threading.Thread(target=probe, name=f"{self.name}-probe", daemon=True)
        thread.start()
        thread.join(self.probe_timeout if timeout is None else timeout)
        if not outcome:
            log.warning("%s: probe got no answer", self.name)
            return False
        if outcome[0] is not None:
            log.warning("%s: probe failed: %s", self.name, outcome[0])
            return False
        return True

    def close(self) -> None:
        """Stop taking calls; calls stuck on a frozen server are left to their threads."""
        with self._mutex:
            self._closed = True
