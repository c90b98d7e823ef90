"""The ``stakegraph`` command line: a thin entry point over the application layer.

One module per group of commands; each command builds the settings, opens the store
and a :class:`~stakegraph.service.scope.Scope` for the local operator, calls a use case
of :mod:`stakegraph.service` and prints or writes what it returns.
"""

from __future__ import annotations

from stakegraph.cli import analysis, capture, data, interchange, neo4j, serve
from stakegraph.cli.common import app

__all__ = ["app", "main"]

analysis.register(app)
data.register(app)
serve.register(app)
neo4j.register(app)
interchange.register(app)
capture.register(app)


def main() -> None:  # pragma: no cover - console entry
    app()
