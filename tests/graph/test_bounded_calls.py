"""BoundedCalls: a call the server never answers is abandoned, a busy one is waited for."""

from __future__ import annotations

import threading
import time

import pytest

from stakegraph.graph.bounded import BoundedCalls
from stakegraph.graph.errors import StoreUnavailable


def calls(probe_ok: threading.Event) -> BoundedCalls:
    def probe() -> None:
        if not probe_ok.is_set():
            raise ConnectionError("no answer")

    return BoundedCalls(probe, stall_after=0.2, probe_timeout=0.5, workers=2, name="test")


def test_a_call_the_server_never_answers_is_abandoned_and_told_so() -> None:
    release, abandoned_seen = threading.Event(), []
    bounded = calls(threading.Event())

    def hangs(abandoned: threading.Event) -> str:
        release.wait(10)
        abandoned_seen.append(abandoned.is_set())
        return "late"

    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable):
        bounded.run(hangs, limit=30)
    assert time.monotonic() - t0 < 2
    release.set()
    time.sleep(0.2)
    assert abandoned_seen == [True]  # a write would roll back instead of committing


def test_a_busy_server_that_answers_probes_keeps_its_call() -> None:
    ok = threading.Event()
    ok.set()
    bounded = calls(ok)
    assert bounded.run(lambda _: time.sleep(1.0) or "done", limit=30) == "done"


def test_the_limit_bounds_even_a_server_that_answers_probes() -> None:
    ok = threading.Event()
    ok.set()
    bounded = calls(ok)
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable):
        bounded.run(lambda _: time.sleep(3), limit=0.5)
    assert time.monotonic() - t0 < 1.5


def test_a_probe_that_hangs_counts_as_no_answer() -> None:
    bounded = BoundedCalls(
        lambda: time.sleep(10), stall_after=0.2, probe_timeout=0.3, workers=1, name="test"
    )
    t0 = time.monotonic()
    with pytest.raises(StoreUnavailable):
        bounded.run(lambda _: time.sleep(10), limit=30)
    assert time.monotonic() - t0 < 2


def test_errors_and_results_come_back_from_the_worker() -> None:
    bounded = calls(threading.Event())
    assert bounded.run(lambda _: 42, limit=5) == 42
    with pytest.raises(KeyError):
        bounded.run(lambda _: {}["missing"], limit=5)
    results = []
    threads = [
        threading.Thread(target=lambda i=i: results.append(bounded.run(lambda _: i, limit=5)))
        for i in range(10)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(10))


def test_a_queued_call_that_times_out_never_runs() -> None:
    block = threading.Event()
    bounded = BoundedCalls(
        lambda: (_ for _ in ()).throw(ConnectionError()),
        stall_after=0.2,
        probe_timeout=0.2,
        workers=1,
        name="test",
    )
    ran = []

    def first_call() -> None:
        with pytest.raises(StoreUnavailable):
            bounded.run(lambda _: block.wait(5), limit=30)

    first = threading.Thread(target=first_call)
    first.start()
    time.sleep(0.05)
    with pytest.raises(StoreUnavailable):
        bounded.run(lambda _: ran.append(1), limit=30)
    block.set()
    first.join()
    time.sleep(0.2)
    assert ran == []
