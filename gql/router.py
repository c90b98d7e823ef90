"""The ``/graphql`` endpoint: strawberry's router (with the offline GraphiQL page of
:mod:`stakegraph.gql.ide`) made to refuse malformed transport cleanly.

- Every transport-level refusal strawberry raises (unparseable JSON, a batched array,
  an unsupported method or content type) answers as a GraphQL error body —
  ``{"errors": [{"message": …, "extensions": {"code": "BAD_REQUEST"}}]}`` — with its
  HTTP status, never plain text.
- A body nested too deeply for the JSON decoder (60,000 ``[``) is such a refusal (400),
  not a ``RecursionError`` and a 500.
- There are no subscriptions, so there is no WebSocket endpoint: an upgrade of
  ``/graphql`` is refused at the handshake (HTTP 403), with no traceback.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from fastapi.responses import Response
from fastapi.routing import APIWebSocketRoute

from stakegraph.gql.errors import Code
from stakegraph.gql.ide import OfflineGraphQLRouter
from stakegraph.gql.limits import graphql_error_body

__all__ = ["GraphQLEndpoint"]


class GraphQLEndpoint(OfflineGraphQLRouter):
    """``/graphql`` over HTTP only, with typed refusals (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["subscription_protocols"] = ()
        super().__init__(*args, **kwargs)
        self.routes[:] = [r for r in self.routes if not isinstance(r, APIWebSocketRoute)]

    def decode_json(self, data: str | bytes) -> object:
        try:
            return super().decode_json(data)
        except RecursionError as exc:
            raise HTTPException(400, "the request body is nested too deeply") from exc

    async def run(self, request: Any, context: Any = None, root_value: Any = None) -> Any:
        try:
            return await super().run(request, context=context, root_value=root_value)
        except HTTPException as exc:
            return Response(
                graphql_error_body(exc.reason, str(Code.BAD_REQUEST)),
                status_code=exc.status_code,
                media_type="application/json",
            )
