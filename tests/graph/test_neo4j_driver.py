"""The Neo4j driver runs with its official Rust extension, at the driver's own version
(issue 12 item 1): PackStream is encoded and decoded in Rust, not in Python; batches
are described to its debug log by their size."""

from __future__ import annotations

import gc
import logging
from importlib.metadata import version

import pytest
from neo4j._codec.packstream import v1

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.model import Label
from stakegraph.graph.neo4j_store import Rows
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import load_demo


def test_the_rust_extension_is_installed_at_the_drivers_version() -> None:
    driver, extension = version("neo4j"), version("neo4j-rust-ext")
    assert extension.split(".")[:3] == driver.split(".")[:3], (driver, extension)


def test_the_driver_packs_and_unpacks_in_rust() -> None:
    assert v1._rust_pack is not None
    assert v1._rust_unpack is not None


def test_batched_rows_reach_the_driver_log_as_a_count_not_their_content(
    neo4j_store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    """The driver describes each statement for its debug log even when that log is off;
    a batch of rows is described by its count (cheap, and no customer data in the log),
    and the rows still arrive whole."""
    doc = load_demo()
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        import_dataset(neo4j_store, doc)
    runs = [r.getMessage() for r in caplog.records if "C: RUN" in r.getMessage()]
    assert runs and any(" rows>" in m for m in runs)
    names = [c["name"] for c in doc["contacts"]]
    assert not [m for m in runs if any(name in m for name in names)]
    stored = neo4j_store.list_nodes(Label.CONTACT, first=1000).items
    assert sorted(n.name for n in stored) == sorted(names)


def test_a_batch_sent_is_emptied_so_its_rows_do_not_wait_for_the_collector(
    neo4j_store: GraphStore,
) -> None:
    """The driver's results keep their parameters and sit in reference cycles: a batch
    still holding its rows would keep them all until the collector's next pass."""
    gc.collect()
    gc.disable()
    try:
        import_dataset(neo4j_store, load_demo())
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        batches = [o for o in gc.garbage if isinstance(o, Rows)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert batches, "the driver's results no longer keep their parameters"
    assert [len(b) for b in batches if b] == []
