"""The application layer: the one place every entry point goes through.

GraphQL (:mod:`stakegraph.gql`), the map and widget routes, the reports and the CLI
never touch the store. They build a :class:`~stakegraph.service.scope.Scope` for
their caller once (per request, per command) and call the use cases of this package
with it. What a caller may see and do is decided in :mod:`stakegraph.service.access`,
and nowhere else; the use cases raise the errors of :mod:`stakegraph.service.errors`,
which each entry point maps once (GraphQL codes, HTTP status, CLI exit codes).

==================  ==========================================================
module              holds
==================  ==========================================================
``settings``        the one settings object and the choice of the store
``access``          principals, roles, API keys and the whole access policy
``errors``          the domain errors the use cases raise
``scope``           a caller's view of the graph: visible accounts, masked
                    subgraphs, analyses computed once
``masking``         foreign contacts stripped of their identity
``embed``           signed tokens of the map widget
``analysis``        use cases over one account (paths, what-if, next best)
``portfolio``       use cases over many accounts (selection, holes, findings,
                    whitespace, rep grades, batched subgraphs)
``writes``          use cases that change the graph (upserts, stance, level…)
``reports``         report models for one account or a portfolio (and the
                    HTML page of one account)
``overview``        the front page: a page of visible accounts and their
                    headline figures
==================  ==========================================================
"""
