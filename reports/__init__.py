"""Influence reports: assembled from analysis results, rendered to HTML, Markdown,
JSON and CSV. Reports never read the store; the application layer hands them the
account subgraphs (:mod:`stakegraph.service`)."""
