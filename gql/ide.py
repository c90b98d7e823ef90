"""GraphiQL without a CDN: strawberry's GraphiQL page with its scripts and styles
served by the app from ``/static/vendor`` (pinned versions, licences beside them:
``gql/static/vendor/README.md``), so ``/graphql`` in a browser works offline."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from strawberry.fastapi import GraphQLRouter

__all__ = ["GRAPHIQL_HTML", "OfflineGraphQLRouter", "graphiql_html"]

#: The GraphiQL page (strawberry's, pointing at the vendored assets).
GRAPHIQL_HTML = Path(__file__).resolve().parent / "templates" / "graphiql.html"


@lru_cache(maxsize=1)
def graphiql_html() -> str:
    return GRAPHIQL_HTML.read_text(encoding="utf-8")


class OfflineGraphQLRouter(GraphQLRouter[Any, None]):
    """strawberry's router whose IDE page loads nothing from outside the app."""

    @property
    def graphql_ide_html(self) -> str:
        return graphiql_html()
