"""How the stores log their queries: slow ones and failed ones, with their duration.

Only a query's text (shortened, whitespace collapsed) is logged, never its
parameters' values. Each record carries ``backend``, ``query`` and ``duration_ms`` as
extra fields (a JSON log shows them as keys).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter

__all__ = ["QUERY_TEXT_MAX", "shorten", "timed"]

#: The longest query text put in a log line.
QUERY_TEXT_MAX = 200

_SPACE = re.compile(r"\s+")


def shorten(text: str, limit: int = QUERY_TEXT_MAX) -> str:
    """``text`` on one line, at most ``limit`` characters.

    Examples
    --------
    >>> shorten("MATCH (n)\\n   RETURN n")
    'MATCH (n) RETURN n'
    >>> shorten("x" * 10, 5)
    'xxxx…'
    """
    flat = _SPACE.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@contextmanager
def timed(
    log: logging.Logger,
    backend: str,
    query: str,
    slow_seconds: float | None,
    errors: tuple[type[BaseException], ...],
) -> Iterator[None]:
    """Time the block: log ``errors`` it raises (then re-raise them) and, when it took
    longer than ``slow_seconds`` (``None``: never), log it as slow."""
    started = perf_counter()
    try:
        yield
    except errors as exc:
        ms = (perf_counter() - started) * 1000
        text = shorten(query)
        log.warning(
            "%s query failed after %.1f ms: %s: %s [%s]",
            backend,
            ms,
            type(exc).__name__,
            shorten(str(exc), 300),
            text,
            extra={"backend": backend, "query": text, "duration_ms": round(ms, 3)},
        )
        raise
    seconds = perf_counter() - started
    if slow_seconds is not None and seconds >= slow_seconds:
        ms = seconds * 1000
        text = shorten(query)
        log.warning(
            "slow %s query: %.1f ms: %s",
            backend,
            ms,
            text,
            extra={"backend": backend, "query": text, "duration_ms": round(ms, 3)},
        )
