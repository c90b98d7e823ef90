"""Opening a store whose last import was interrupted logs a warning naming how many
accounts were written and what to do; a finished import logs none (both stores)."""

from __future__ import annotations

import logging

import pytest

from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.import_journal import ImportJournal
from stakegraph.graph.store import GraphStore
from stakegraph.service.settings import warn_if_import_interrupted
from tests.gql.test_health import dead_pid
from tests.graph.test_dataset import small_dataset


def test_an_interrupted_import_is_reported_when_the_store_is_opened(
    store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    import_dataset(store, small_dataset())
    with caplog.at_level(logging.WARNING):
        assert warn_if_import_interrupted(store) is False
    assert "interrupted" not in caplog.text

    begun = ImportJournal.begin("f" * 32, 5, "admin").model_copy(update={"pid": dead_pid()})
    store._put_journal(begun.advanced(2))
    with caplog.at_level(logging.WARNING):
        assert warn_if_import_interrupted(store) is True
    assert "was interrupted: 2 of 5 accounts were written" in caplog.text
    assert "import the same document again" in caplog.text
