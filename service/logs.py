"""Logging of the service: configured once, one line per record, text or JSON lines.

:func:`configure_logging` puts one handler on the root logger (configuring again
reconfigures that handler, it never adds a second one). Every record it writes is
stamped by :class:`RequestFilter` with the id of the HTTP request being served and the
*name* of its principal (never a key): the HTTP layer binds a request with
:func:`bind_request` and names its caller with :func:`set_principal`; outside a request
both are ``-``.

``STAKEGRAPH_LOG_FORMAT=json`` writes one JSON object per line (``ts``, ``level``,
``logger``, ``message``, ``request_id``, ``principal``, the record's extra fields and
``exc`` for a traceback). :func:`uvicorn_log_config` is the same setup as a
``logging.config.dictConfig`` dictionary for ``uvicorn.run(log_config=...)``, so the
server's own lines go through the same handler (uvicorn's access log is left off: the
service logs its own access line, with the request id and principal);
:func:`uvicorn_options` is every logging keyword of ``uvicorn.run``::

    uvicorn.run(create_app(settings), host=..., port=..., **uvicorn_options(settings))
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from contextvars import ContextVar, Token
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stakegraph.service.settings import Settings

__all__ = [
    "JsonFormatter",
    "LogHandler",
    "RequestFilter",
    "RequestLog",
    "TextFormatter",
    "bind_request",
    "configure_logging",
    "current_request",
    "new_request_id",
    "release_request",
    "sane_request_id",
    "set_principal",
    "uvicorn_log_config",
    "uvicorn_options",
]

TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [rid=%(request_id)s principal=%(principal)s] %(message)s"
)

#: An incoming ``X-Request-ID`` is kept when it looks like an id (no spaces, quotes or
#: control characters that could forge a log line), else a new one is generated.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+=/-]{0,127}")


@dataclass
class RequestLog:
    """What the log knows of the request being served (mutable: the principal is named
    once authenticated, possibly on a worker thread of the request)."""

    request_id: str
    principal: str | None = None


_current: ContextVar[RequestLog | None] = ContextVar("stakegraph_request_log", default=None)


def new_request_id() -> str:
    return uuid.uuid4().hex


def sane_request_id(candidate: str | None) -> str | None:
    """``candidate`` when it is an acceptable request id, else ``None``.

    Examples
    --------
    >>> sane_request_id("4bf92f35-77b3"), sane_request_id("a b"), sane_request_id("")
    ('4bf92f35-77b3', None, None)
    """
    if candidate and _SANE_ID.fullmatch(candidate):
        return candidate
    return None


def bind_request(request_id: str) -> Token[RequestLog | None]:
    """Make ``request_id`` the current request (of this context and what it spawns)."""
    return _current.set(RequestLog(request_id))


def release_request(token: Token[RequestLog | None]) -> None:
    _current.reset(token)


def current_request() -> RequestLog | None:
    return _current.get()


def set_principal(name: str) -> None:
    """Name the caller of the current request in its log lines (no-op outside one)."""
    request = _current.get()
    if request is not None:
        request.principal = name


class RequestFilter(logging.Filter):
    """Stamp each record with ``request_id`` and ``principal`` (``-`` when unknown)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current.get()
        if not hasattr(record, "request_id") or record.request_id in (None, "-"):
            record.request_id = request.request_id if request else "-"
        if not hasattr(record, "principal") or record.principal in (None, "-"):
            record.principal = (request.principal if request else None) or "-"
        return True


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)


#: Attributes every LogRecord has; anything else on a record came in ``extra=``.
_STANDARD = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys()
    | {"message", "asctime", "request_id", "principal", "taskName"}
)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (stdlib :mod:`json`)."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "principal": getattr(record, "principal", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out.setdefault(key, value)
        if record.exc_info:
            out["exc"] = self.formatException(record.exc_info)
        elif record.exc_text:
            out["exc"] = record.exc_text
        if record.stack_info:
            out["stack"] = self.formatStack(record.stack_info)
        return json.dumps(out, default=str, ensure_ascii=False)


class LogHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """The service's one handler: stamps records and writes them to ``stream``, or to
    whatever ``sys.stderr`` is at the time of writing when no stream is given."""

    def __init__(self, fmt: str = "text", level: str | int = logging.NOTSET) -> None:
        self._explicit: IO[str] | None = None
        super().__init__()
        self.setLevel(level)
        self.addFilter(RequestFilter())
        self.use_format(fmt)

    @property
    def stream(self) -> IO[str]:
        return self._explicit if self._explicit is not None else sys.stderr

    @stream.setter
    def stream(self, value: IO[str] | None) -> None:
        self._explicit = None if value is None or value is sys.stderr else value

    def use_format(self, fmt: str) -> None:
        self.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())

    def use_stream(self, stream: IO[str] | None) -> None:
        """Write to ``stream`` from now on (``None``: the current ``sys.stderr``)."""
        self.acquire()
        try:
            self.flush()
            self._explicit = stream
        finally:
            self.release()


def _handler() -> LogHandler | None:
    return next((h for h in logging.getLogger().handlers if isinstance(h, LogHandler)), None)


def configure_logging(settings: Settings, *, stream: IO[str] | None = None) -> LogHandler:
    """Set up logging from the settings (``log_level``, ``log_format``); idempotent.

    The first call adds the handler to the root logger; later calls reconfigure that
    same handler (level, format and, when given, ``stream``), never adding another.
    """
    root = logging.getLogger()
    handler = _handler()
    if handler is None:
        handler = LogHandler(settings.log_format)
        root.addHandler(handler)
    else:
        handler.use_format(settings.log_format)
    if stream is not None:
        handler.use_stream(stream)
    root.setLevel(settings.log_level)
    # the driver's DEBUG lines carry query parameters: never below INFO
    logging.getLogger("neo4j").setLevel(max(logging.INFO, root.level))
    return handler


def uvicorn_log_config(settings: Settings) -> dict[str, Any]:
    """The ``log_config`` of ``uvicorn.run``: the service's handler on the root logger,
    uvicorn's lines propagated to it, uvicorn's access log off (the service writes its
    own access line, with request id and principal)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {
            "stakegraph": {"()": "stakegraph.service.logs.LogHandler", "fmt": settings.log_format},
        },
        "root": {"level": settings.log_level, "handlers": ["stakegraph"]},
        "loggers": {
            "neo4j": {"level": max(logging.INFO, logging.getLevelName(settings.log_level))},
            "uvicorn": {"handlers": [], "propagate": True, "level": settings.log_level},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": settings.log_level},
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
        },
    }


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """The logging keywords of ``uvicorn.run`` / ``uvicorn.Config``: ``log_config``
    (:func:`uvicorn_log_config`), ``log_level`` (the setting's) and ``access_log=False``."""
    return {
        "log_config": uvicorn_log_config(settings),
        "log_level": settings.log_level.lower(),
        "access_log": False,
    }
