"""Request logging (pure ASGI middleware): a request id per HTTP request, one access line.

The id is the request's ``X-Request-ID`` when it is a sane one
(:func:`~stakegraph.service.logs.sane_request_id`), else a fresh one; it is bound for
the whole request (every log line written while serving it carries it), sent back as
``X-Request-ID``, and the access line — method, path (never the query string: a widget
token travels there), status, duration, the principal's name once authenticated — is
written to the ``stakegraph.access`` logger when the request ends.
"""

from __future__ import annotations

import logging
from time import perf_counter

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stakegraph.service.logs import bind_request, new_request_id, release_request, sane_request_id

__all__ = ["HEADER", "RequestLogging"]

HEADER = "X-Request-ID"
access_log = logging.getLogger("stakegraph.access")


def _incoming_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            return sane_request_id(value.decode("latin-1"))
    return None


class RequestLogging:
    """Bind a request id, send it back as ``X-Request-ID``, log one access line."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _incoming_id(scope) or new_request_id()
        token = bind_request(request_id)
        started = perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        method, path = scope.get("method", "-"), scope.get("path", "-")
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            access_log.exception("unhandled error serving %s %s", method, path)
            if status == 0:
                status = 500
            raise
        finally:
            ms = (perf_counter() - started) * 1000
            access_log.info(
                "%s %s %d %.1f ms",
                method,
                path,
                status,
                ms,
                extra={
                    "method": method,
                    "path": path,
                    "status": status,
                    "duration_ms": round(ms, 3),
                },
            )
            release_request(token)
