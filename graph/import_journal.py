"""The import journal, and how an import is cut into accounts.

An import (:meth:`~stakegraph.graph.store.GraphStore.import_batch`) writes its shared
records (reps, teams, competitors: no account) first, then each account's nodes and
relationships together, in one transaction per group of whole accounts (the embedded
store: the whole import in one transaction). Before writing, it stores an
:class:`ImportJournal` saying ``running``; each committed transaction advances it in
the same transaction, and the last one says ``done``. A reader that finds a journal
still ``running`` whose process is gone (or ``failed``) knows that the import was
interrupted: the accounts it counts as done are whole, the others absent or as they
were before; importing the same document again completes it.
"""

from __future__ import annotations

import os
import socket
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel

from stakegraph.graph.model import ChangeEvent, Label, Node, Relationship, RelType

__all__ = ["STALE_AFTER", "ImportJournal", "ImportPart", "account_parts"]

#: Labels whose records belong to no account: written first, in their own transaction.
SHARED_LABELS = frozenset({Label.REP, Label.TEAM, Label.COMPETITOR})
#: Relationships that tie a record to the account it belongs to (its source to its target).
_OWNING = frozenset(
    {RelType.PART_OF, RelType.WORKS_IN, RelType.FOR, RelType.ABOUT, RelType.PLAN_OF}
)
#: A running journal not advanced for this long is taken as interrupted, whatever its
#: process (an import advances it at each transaction).
STALE_AFTER = timedelta(minutes=10)

JournalState = Literal["running", "done", "failed"]
JournalStatus = Literal["running", "done", "interrupted"]


class ImportJournal(BaseModel):
    """The last import's journal entry, kept in the store beside the graph."""

    digest: str
    state: JournalState = "running"
    accounts_total: int = 0
    accounts_done: int = 0
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    by: str = "import"
    host: str = ""
    pid: int = 0
    #: Records of the document (nodes, relationships), for the summary of a repeat.
    nodes: int = 0
    relationships: int = 0
    #: The store's generation set by the import's last transaction (``done`` only): while
    #: the store still has it, nothing was written since, and importing the same
    #: document again (same ``digest``, same ``content_version``) would change nothing.
    generation: str | None = None
    content_version: str | None = None

    @classmethod
    def begin(
        cls, digest: str, accounts_total: int, by: str, *, nodes: int = 0, relationships: int = 0
    ) -> ImportJournal:
        now = datetime.now(UTC)
        return cls(
            digest=digest,
            accounts_total=accounts_total,
            started_at=now,
            updated_at=now,
            by=by,
            host=socket.gethostname(),
            pid=os.getpid(),
            nodes=nodes,
            relationships=relationships,
        )

    def advanced(self, accounts: int, *, last: bool = False) -> ImportJournal:
        """The journal after a transaction writing ``accounts`` more accounts."""
        now = datetime.now(UTC)
        return self.model_copy(
            update={
                "accounts_done": self.accounts_done + accounts,
                "updated_at": now,
                "state": "done" if last else "running",
                "finished_at": now if last else None,
            }
        )

    def finished_with(self, generation: str, content_version: str) -> tuple[ImportJournal, str]:
        """The journal of a last transaction that sets ``generation``, and the token."""
        update = {"generation": generation, "content_version": content_version}
        return self.model_copy(update=update), generation

    def failed(self) -> ImportJournal:
        return self.model_copy(update={"state": "failed", "updated_at": datetime.now(UTC)})

    def status(self, now: datetime | None = None) -> JournalStatus:
        """``done``; ``running`` while its process (on this host) lives and the journal
        was advanced within :data:`STALE_AFTER`; else ``interrupted``."""
        if self.state == "done":
            return "done"
        if self.state == "failed":
            return "interrupted"
        if (now or datetime.now(UTC)) - self.updated_at > STALE_AFTER:
            return "interrupted"
        if self.host == socket.gethostname() and not _alive(self.pid):
            return "interrupted"
        return "running"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class ImportPart:
    """Records written in one transaction: shared ones, or whole accounts."""

    nodes: list[Node] = field(default_factory=list)
    relationships: list[Relationship] = field(default_factory=list)
    changes: list[ChangeEvent] = field(default_factory=list)
    accounts: int = 0

    @property
    def size(self) -> int:
        return len(self.nodes) + len(self.relationships) + len(self.changes)

    def extend(self, other: ImportPart) -> None:
        self.nodes += other.nodes
        self.relationships += other.relationships
        self.changes += other.changes
        self.accounts += other.accounts


NodeKey = tuple[Label, str]


def account_roots(
    nodes: Sequence[Node],
    relationships: Sequence[Relationship],
    of: Iterable[NodeKey] | None = None,
) -> dict[NodeKey, NodeKey]:
    """``{(label, id): root}`` of every node of the document that belongs to an
    account (not a rep, team or competitor), or of those of them in ``of``: the
    smallest key of its account (see :func:`account_parts`), the same for all of an
    account's nodes."""
    parent: dict[NodeKey, NodeKey] = {}

    def find(key: NodeKey) -> NodeKey:
        root = key
        while parent[root] != root:
            root = parent[root]
        while parent[key] != root:
            parent[key], key = root, parent[key]
        return root

    def union(a: NodeKey, b: NodeKey) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for node in nodes:
        if node.label not in SHARED_LABELS:
            key = (node.label, node.id)
            parent.setdefault(key, key)
    about: set[str] = set()
    attendees: dict[str, list[str]] = defaultdict(list)
    for rel in relationships:
        rel_type = rel.type
        if rel_type in _OWNING:
            a, b = (rel.from_label, rel.from_id), (rel.to_label, rel.to_id)
            if a in parent and b in parent:
                union(a, b)
                if rel_type == RelType.ABOUT:
                    about.add(rel.from_id)
        elif (
            rel_type == RelType.ATTENDED
            and (rel.from_label, rel.from_id) in parent
            and (rel.to_label, rel.to_id) in parent
        ):
            attendees[rel.to_id].append(rel.from_id)
    for interaction, contacts in attendees.items():
        if interaction not in about:
            union((Label.INTERACTION, interaction), (Label.CONTACT, min(contacts)))
    wanted = parent if of is None else [key for key in of if key in parent]
    return {key: find(key) for key in wanted}  # the unions done: each root once


def in_account_order(
    changes: Sequence[ChangeEvent], root_of: Mapping[NodeKey, NodeKey]
) -> list[ChangeEvent]:
    """The change events in the order :func:`account_parts` writes them: those of no
    account's contact first, then account by account (by root), each account's in
    their own order."""
    shared: list[ChangeEvent] = []
    by_root: dict[NodeKey, list[ChangeEvent]] = defaultdict(list)
    for event in changes:
        root = root_of.get((Label.CONTACT, event.contact_id or ""))
        if root is None:
            shared.append(event)
        else:
            by_root[root].append(event)
    return shared + [e for root in sorted(by_root) for e in by_root[root]]


def account_parts(
    nodes: Sequence[Node],
    relationships: Sequence[Relationship],
    changes: Sequence[ChangeEvent],
    rows_per_part: int,
) -> tuple[ImportPart, list[ImportPart]]:
    """The shared records, and the accounts packed into parts of about
    ``rows_per_part`` records (an account is never split: a larger one is a part alone).

    An account is a company with what belongs to it (``PART_OF``, ``WORKS_IN``,
    ``FOR``, ``ABOUT``, ``PLAN_OF``; an interaction about nothing goes with its attending
    contact of the smallest id); records of the document whose owner is not in it
    form accounts of their own. A relationship goes with the last written of its ends'
    accounts; a change event with its contact's.
    """
    root_of = account_roots(nodes, relationships)
    shared = ImportPart()
    accounts: dict[tuple[Label, str], ImportPart] = defaultdict(ImportPart)
    for node in nodes:
        root = root_of.get((node.label, node.id))
        if root is None:
            shared.nodes.append(node)
            continue
        account = accounts[root]
        account.nodes.append(node)
        if node.label == Label.COMPANY:
            account.accounts += 1
    roots = sorted(accounts)
    order = {root: i for i, root in enumerate(roots)}
    for rel in relationships:
        ra = root_of.get((rel.from_label, rel.from_id))
        rb = root_of.get((rel.to_label, rel.to_id))
        if ra is None and rb is None:
            shared.relationships.append(rel)
            continue
        if ra is None or (rb is not None and order[rb] > order[ra]):
            ra = rb  # the end written last
        accounts[ra].relationships.append(rel)  # type: ignore[index]
    for event in changes:
        root = root_of.get((Label.CONTACT, event.contact_id or ""))
        if root is not None:
            accounts[root].changes.append(event)
        else:
            shared.changes.append(event)

    parts: list[ImportPart] = []
    current = ImportPart()
    for root in roots:
        account = accounts[root]
        if current.size and current.size + account.size > rows_per_part:
            parts.append(current)
            current = ImportPart()
        current.extend(account)
    if current.size:
        parts.append(current)
    return shared, parts
