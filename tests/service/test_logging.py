"""Logging set up once; records stamped with the request; store queries timed.

Every test writes through the service's real handler (``configure_logging``) into a
buffer and reads the lines back.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.model import Label
from stakegraph.graph.store import GraphStore
from stakegraph.service.logs import (
    LogHandler,
    bind_request,
    configure_logging,
    release_request,
    set_principal,
)
from stakegraph.service.settings import Settings


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger back as it was (handlers, level), the handler on stderr."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    neo4j_level = logging.getLogger("neo4j").level
    yield
    for h in root.handlers[:]:
        if h not in handlers:
            root.removeHandler(h)
    for h in handlers:
        if h not in root.handlers:
            root.addHandler(h)
        if isinstance(h, LogHandler):
            h.use_stream(None)
            h.use_format("text")
    root.setLevel(level)
    logging.getLogger("neo4j").setLevel(neo4j_level)


@pytest.fixture
def capture(restore_logging: None) -> Callable[..., io.StringIO]:
    """``capture(**settings)``: configure logging from those settings into a buffer."""

    def start(**settings: Any) -> io.StringIO:
        buffer = io.StringIO()
        configure_logging(Settings(**settings), stream=buffer)
        return buffer

    return start


def _ours() -> list[logging.Handler]:
    return [h for h in logging.getLogger().handlers if isinstance(h, LogHandler)]


def test_configuring_twice_adds_no_second_handler(capture: Callable[..., io.StringIO]) -> None:
    buffer = capture()
    configure_logging(Settings())
    configure_logging(Settings(log_format="json", log_level="debug"))
    assert len(_ours()) == 1
    assert logging.getLogger().level == logging.DEBUG
    logging.getLogger("stakegraph.test").info("once only")
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert json.loads(lines[0])["message"] == "once only"


def test_records_carry_the_request_id_and_principal(capture: Callable[..., io.StringIO]) -> None:
    buffer = capture(log_format="text")
    log = logging.getLogger("stakegraph.test")
    log.info("before any request")
    token = bind_request("req-42")
    try:
        log.info("authenticating")
        set_principal("amy.chen")
        log.warning("serving")
    finally:
        release_request(token)
    log.info("after the request")
    before, authenticating, serving, after = buffer.getvalue().splitlines()
    assert "[rid=- principal=-] before any request" in before
    assert "[rid=req-42 principal=-] authenticating" in authenticating
    assert "WARNING stakegraph.test [rid=req-42 principal=amy.chen] serving" in serving
    assert "[rid=- principal=-] after the request" in after


def test_json_lines_carry_fields_extras_and_tracebacks(
    capture: Callable[..., io.StringIO],
) -> None:
    buffer = capture(log_format="json")
    log = logging.getLogger("stakegraph.test")
    token = bind_request("req-json")
    set_principal("ops")
    try:
        log.info("with extra %s", "args", extra={"duration_ms": 1.5})
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            log.exception("it failed")
    finally:
        release_request(token)
    first, second = (json.loads(line) for line in buffer.getvalue().splitlines())
    assert first["message"] == "with extra args"
    assert first["level"] == "INFO"
    assert first["logger"] == "stakegraph.test"
    assert first["request_id"] == "req-json"
    assert first["principal"] == "ops"
    assert first["duration_ms"] == 1.5
    assert first["ts"].endswith("+00:00")
    assert second["level"] == "ERROR"
    assert "RuntimeError: boom" in second["exc"]


def test_the_level_setting_filters(capture: Callable[..., io.StringIO]) -> None:
    buffer = capture(log_level="WARNING")
    logging.getLogger("stakegraph.test").info("hidden")
    logging.getLogger("stakegraph.test").warning("shown")
    assert "hidden" not in buffer.getvalue()
    assert "shown" in buffer.getvalue()


def test_the_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STAKEGRAPH_LOG_LEVEL", "debug")
    monkeypatch.setenv("STAKEGRAPH_LOG_FORMAT", "json")
    monkeypatch.setenv("STAKEGRAPH_SLOW_QUERY_SECONDS", "0.25")
    settings = Settings()
    assert (settings.log_level, settings.log_format, settings.slow_query_seconds) == (
        "DEBUG",
        "json",
        0.25,
    )
    monkeypatch.setenv("STAKEGRAPH_LOG_FORMAT", "xml")
    with pytest.raises(ValueError, match="STAKEGRAPH_LOG_FORMAT"):
        Settings()


def test_open_store_passes_the_slow_query_threshold(tmp_path: Any) -> None:
    from stakegraph.service.settings import open_store

    store = open_store(
        Settings(store="embedded", db_path=tmp_path / "s.db", slow_query_seconds=0.125)
    )
    try:
        assert store.slow_query_seconds == 0.125  # type: ignore[attr-defined]
    finally:
        store.close()


# ------------------------------------------------------------------ store queries


def test_slow_queries_are_logged_with_their_duration(
    store: GraphStore, capture: Callable[..., io.StringIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = capture(log_format="json")
    monkeypatch.setattr(store, "slow_query_seconds", 0)
    token = bind_request("req-slow")
    try:
        store.list_nodes(Label.CONTACT, name_contains="needle-value-7f3a")
    finally:
        release_request(token)
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    slow = [r for r in records if r["message"].startswith(f"slow {store.backend} query")]
    assert slow, records
    for r in slow:
        assert r["logger"] == f"stakegraph.graph.{store.backend}_store"
        assert r["level"] == "WARNING"
        assert isinstance(r["duration_ms"], float) and r["duration_ms"] >= 0
        assert re.search(r": \d+\.\d ms: ", r["message"]), r["message"]
        assert r["query"] and len(r["query"]) <= 200
        assert r["request_id"] == "req-slow"
    assert "needle-value-7f3a" not in buffer.getvalue()  # parameters are never logged


def test_fast_queries_are_not_logged(
    store: GraphStore, capture: Callable[..., io.StringIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = capture()
    monkeypatch.setattr(store, "slow_query_seconds", 60)
    store.list_nodes(Label.CONTACT)
    assert "slow" not in buffer.getvalue()


def _malformed(store: GraphStore) -> Callable[[], object]:
    if isinstance(store, EmbeddedStore):
        return lambda: store._query("SELECT nope FROM no_such_table WHERE x = ?", ["p-9c1e"])
    return lambda: store._run("MATCH (n:Nope) WHERE n.x = $x RETURN nope(", x="p-9c1e")  # type: ignore[attr-defined]


def test_store_errors_are_logged_with_their_duration_and_re_raised(
    store: GraphStore, capture: Callable[..., io.StringIO]
) -> None:
    buffer = capture(log_format="json")
    with pytest.raises(Exception) as raised:
        _malformed(store)()
    records = [json.loads(line) for line in buffer.getvalue().splitlines()]
    failed = [r for r in records if " query failed after " in r["message"]]
    assert len(failed) == 1, records
    (r,) = failed
    assert type(raised.value).__name__ in r["message"]
    assert r["duration_ms"] >= 0
    assert "nope" in r["query"].lower()
    assert "p-9c1e" not in buffer.getvalue()


def test_an_unusable_embedded_store_is_logged_with_the_duration(
    tmp_path: Any, capture: Callable[..., io.StringIO]
) -> None:
    from stakegraph.graph.errors import StoreUnavailable

    buffer = capture()
    store = EmbeddedStore(tmp_path / "closed.db")
    store.close()
    with pytest.raises(StoreUnavailable):
        store.get_nodes(Label.CONTACT, ["c-1"])
    (line,) = [x for x in buffer.getvalue().splitlines() if "failed after" in x]
    assert "embedded query failed after" in line and " ms: ProgrammingError" in line


def test_store_worker_threads_see_the_callers_request() -> None:
    """Neo4j calls run on BoundedCalls' threads: what they log carries the request id."""
    from stakegraph.graph.bounded import BoundedCalls
    from stakegraph.service.logs import current_request

    calls = BoundedCalls(lambda: None, stall_after=5, probe_timeout=1, workers=2, name="t")
    token = bind_request("req-thread")
    try:
        seen = calls.run(lambda _: current_request(), limit=5)
    finally:
        release_request(token)
        calls.close()
    assert seen is not None and seen.request_id == "req-thread"
