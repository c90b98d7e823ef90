"""The collector pause (graph/gc_policy.py) is one for the whole process: blocks in
several threads keep it off until the last of them ends, and it comes back on."""

from __future__ import annotations

import gc
import threading

import pytest

from stakegraph.graph.gc_policy import gc_paused


def _block(entered: threading.Event, leave: threading.Event) -> threading.Thread:
    def run() -> None:
        with gc_paused():
            entered.set()
            leave.wait(10)

    thread = threading.Thread(target=run)
    thread.start()
    assert entered.wait(10)
    return thread


def test_blocks_in_two_threads_keep_the_collector_off_until_the_last_ends() -> None:
    assert gc.isenabled()
    first_in, first_out = threading.Event(), threading.Event()
    second_in, second_out = threading.Event(), threading.Event()
    first = _block(first_in, first_out)
    second = _block(second_in, second_out)  # enters while the collector is off
    first_out.set()
    first.join(10)
    assert not gc.isenabled()  # the second block still runs
    second_out.set()
    second.join(10)
    assert gc.isenabled()  # not left off by a block that found it off


def test_an_error_in_a_block_still_restores_the_collector() -> None:
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_off_before_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
