"""Dataset v1 in and out of the store (the interchange format), and its counts.

Import validates the whole document before writing anything; it and export are for
an ADMIN (every account at once).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from stakegraph.graph.dataset import document_digest
from stakegraph.graph.dataset import export_dataset as run_export
from stakegraph.graph.dataset import import_dataset as run_import
from stakegraph.graph.store import GraphStore, WriteSummary
from stakegraph.service.access import require_admin
from stakegraph.service.errors import BadInput
from stakegraph.service.scope import Scope

__all__ = [
    "export_dataset",
    "holds_accounts",
    "import_dataset",
    "import_status",
    "interrupted_import",
    "store_counts",
]


def import_dataset(
    scope: Scope, dataset: object, *, progress: Callable[[int, int], None] | None = None
) -> WriteSummary:
    """Validate, then upsert a dataset v1 document (ADMIN); nothing written on error.

    Raises
    ------
    stakegraph.graph.errors.InvalidDataset
        One entry per bad record (position, field, offending value, reason).
    """
    require_admin(scope.principal, "import a dataset")
    if not isinstance(dataset, dict):
        raise BadInput("dataset must be a JSON object (dataset v1)", field="dataset")
    summary = run_import(scope.store, dataset, by=scope.principal.name, progress=progress)
    scope.forget()
    return summary


def interrupted_import(scope: Scope, dataset: object) -> tuple[int, int, bool] | None:
    """When the store's last import was interrupted: (accounts written, accounts in
    it, whether it was of this same document) (ADMIN); else ``None``."""
    require_admin(scope.principal, "import a dataset")
    journal = scope.store.import_journal()
    if journal is None or journal.status() != "interrupted":
        return None
    same = journal.digest == document_digest(dataset)
    return journal.accounts_done, journal.accounts_total, same


def export_dataset(scope: Scope) -> dict[str, Any]:
    """The whole store as a dataset v1 document (ADMIN)."""
    require_admin(scope.principal, "export the store")
    return run_export(scope.store)


def store_counts(scope: Scope) -> dict[str, int]:
    """Nodes per label, relationships per type, and change events (ADMIN)."""
    require_admin(scope.principal, "count the store")
    return scope.store.counts()


def holds_accounts(scope: Scope) -> bool:
    """Whether the store holds at least one account (a first-run check of the CLI)."""
    require_admin(scope.principal, "count the store")
    return scope.store.counts().get("Company", 0) > 0


def import_status(store: GraphStore) -> str:
    """The state of the store's last import, for ``/health`` (no caller needed: a
    state word only): ``none``, ``done``, ``running`` or ``interrupted``."""
    journal = store.import_journal()
    return "none" if journal is None else journal.status()
