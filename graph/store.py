"""The store interface: one ``GraphStore`` contract, one file per backend.

Callers depend on :class:`GraphStore` only; the backend is chosen once from
configuration (:func:`stakegraph.service.settings.open_store`). The shared write logic —
timestamps, change detection, change events (docs/analytics.md §2), endpoint checks — lives
here; a backend supplies the primitives of a :class:`WriteUnit` run inside one
transaction, and the reads.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import uuid
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, ValidationError, computed_field

from stakegraph.graph.email_address import email_key
from stakegraph.graph.errors import DatasetError, InvalidWrite
from stakegraph.graph.import_journal import ImportJournal, ImportPart, account_parts
from stakegraph.graph.model import (
    LABEL_MODELS,
    SINGLE_TARGET,
    TRACKED_CONTACT_FIELDS,
    ChangeEvent,
    CoverKind,
    Label,
    Node,
    PlanTarget,
    Relationship,
    RelType,
)
from stakegraph.graph.selection import DEFAULT_PATH_DEPTH

__all__ = [
    "CONTENT_VERSION",
    "EMAIL_LABELS",
    "IMPORT_BATCH",
    "IMPORT_PART_ROWS",
    "CacheEntry",
    "GraphBatch",
    "GraphStore",
    "NodePatch",
    "Page",
    "PlannedTarget",
    "RelKey",
    "RelPatch",
    "StoreHealth",
    "WriteSummary",
    "WriteUnit",
    "content_hash",
    "content_json",
    "decode_cursor",
    "drop_other_targets",
    "encode_cursor",
    "new_generation",
]

#: (type, from label, from id, to label, to id)
RelKey = tuple[str, str, str, str, str]
N = TypeVar("N")
T = TypeVar("T")
log = logging.getLogger(__name__)
#: Records per statement of :meth:`GraphStore.import_batch`.
IMPORT_BATCH = 10_000
#: About the records per transaction of an import (whole accounts). Each transaction
#: runs a statement per label and per relationship type and pair of labels it holds,
#: and a statement has a fixed cost on the server (6-15 ms measured on 2 cores, whatever
#: its rows); a larger transaction costs more to commit and to hold. On a warmed-up
#: server, parts of 10,000 records imported 200 accounts x 100 contacts at 0.64x the
#: bare UNWIND's speed, parts of 50,000 at 0.59x (medians of 5 interleaved runs).
IMPORT_PART_ROWS = 10_000
#: Part of every content hash: a new value makes the next import rewrite every record.
_HASH_VERSION = b"stakegraph-content-1\n"
#: What an import journal records the rules it imported under by (a new
#: :data:`_HASH_VERSION` makes the next import of the same document run again).
CONTENT_VERSION = _HASH_VERSION.decode().strip()
#: Labels whose nodes carry e-mail addresses (:meth:`GraphStore.find_by_emails`).
EMAIL_LABELS: frozenset[Label] = frozenset({Label.CONTACT, Label.REP})


class NodePatch(BaseModel):
    """Set only these fields of a node (domain field names; ``None`` removes the
    field), applied to the node as it is *inside* the write transaction, so that
    concurrent writers of other fields never revert each other. A node that does not
    exist yet is created from the fields alone."""

    label: Label
    id: str
    fields: dict[str, Any] = Field(default_factory=dict)


class RelPatch(BaseModel):
    """Set only these properties of a relationship (created when missing), applied
    inside the write transaction like :class:`NodePatch`."""

    type: RelType
    from_label: Label
    from_id: str
    to_label: Label
    to_id: str
    fields: dict[str, Any] = Field(default_factory=dict)


class GraphBatch(BaseModel):
    """Records written together, atomically."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    nodes: list[Node] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    changes: list[ChangeEvent] = Field(default_factory=list)
    patches: list[NodePatch] = Field(default_factory=list)
    rel_patches: list[RelPatch] = Field(default_factory=list)
    deletions: list[RelKey] = Field(
        default_factory=list,
        description="relationships removed in the same transaction, before the others "
        "are written (no change events: for ties that record none)",
    )


@dataclass(frozen=True)
class PlannedTarget:
    """A plan target (§3.18) with the ids of its ties: the account (``PLAN_OF``), the
    owning rep (``ASSIGNED_TO``), the contact (``TARGETS``, absent for a role target)
    and the opportunity (``PLAN_FOR``, absent for an account-wide target)."""

    target: PlanTarget
    company_id: str
    rep_id: str | None = None
    contact_id: str | None = None
    opportunity_id: str | None = None

    @property
    def id(self) -> str:
        return self.target.id


@dataclass(frozen=True)
class CacheEntry:
    """A value computed from the graph as it was at ``generation`` (opaque bytes)."""

    key: str
    generation: str
    payload: bytes


def new_generation() -> str:
    """A fresh generation token (random: tokens are only ever compared for equality)."""
    return uuid.uuid4().hex


class WriteSummary(BaseModel):
    nodes_created: int = 0
    nodes_updated: int = 0
    nodes_unchanged: int = 0
    relationships_created: int = 0
    relationships_updated: int = 0
    relationships_unchanged: int = 0
    relationships_deleted: int = 0
    changes_recorded: int = 0


class StoreHealth(BaseModel):
    """Whether the store answers. Only ``backend``, ``reachable`` and ``status`` are
    dumped (for callers); ``location`` and ``detail`` (the store's path or URI, the
    driver's error) stay on the object for logs and are never serialised."""

    backend: str
    reachable: bool
    location: str = Field(default="", exclude=True, repr=False)
    detail: str | None = Field(default=None, exclude=True, repr=False)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> str:
        """``ok`` or ``unreachable``."""
        return "ok" if self.reachable else "unreachable"


@dataclass
class Page(Generic[N]):
    items: list[N]
    total_count: int
    end_cursor: str | None
    has_next_page: bool
    start_cursor: str | None = None
    cursors: list[str] = field(default_factory=list)

    @classmethod
    def of_nodes(cls, fetched: list[Node], first: int, total_count: int) -> Page[Node]:
        """A page from up to ``first + 1`` nodes fetched in id order (the extra one
        only tells that a next page exists)."""
        items = fetched[:first]
        cursors = [encode_cursor(n.id) for n in items]
        return Page(
            items=items,
            total_count=total_count,
            end_cursor=cursors[-1] if cursors else None,
            start_cursor=cursors[0] if cursors else None,
            has_next_page=len(fetched) > first,
            cursors=cursors,
        )


def encode_cursor(node_id: str) -> str:
    return base64.urlsafe_b64encode(node_id.encode()).decode()


def decode_cursor(cursor: str) -> str:
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except Exception as exc:
        raise ValueError(f"invalid cursor {cursor!r}") from exc


class WriteUnit(ABC):
    """The primitives a backend runs inside one write transaction."""

    @abstractmethod
    def lock_nodes(self, label: Label, ids: Sequence[str]) -> None:
        """Hold a write lock on these nodes until the transaction ends, so that what
        is read after it is what the write replaces (the embedded store's
        ``BEGIN IMMEDIATE`` already locks the whole database)."""

    @abstractmethod
    def patch_nodes(self, label: Label, rows: Sequence[tuple[Node, frozenset[str]]]) -> None:
        """Write only the named fields (and the timestamps) of each node; a node that
        does not exist is written whole."""

    @abstractmethod
    def fetch_nodes(self, label: Label, ids: Sequence[str]) -> dict[str, Node]: ...

    @abstractmethod
    def existing_ids(self, label: Label, ids: Sequence[str]) -> set[str]: ...

    @abstractmethod
    def fetch_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        pairs: Sequence[tuple[str, str]],
    ) -> dict[tuple[str, str], dict[str, Any]]: ...

    @abstractmethod
    def upsert_nodes(
        self, label: Label, nodes: Sequence[Node], hashes: Mapping[str, str] | None = None
    ) -> None:
        """Write nodes whole, with their content hashes (computed when not given)."""

    @abstractmethod
    def upsert_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
    ) -> None: ...

    @abstractmethod
    def targets_of(
        self, rel_type: RelType, from_label: Label, from_ids: Sequence[str]
    ) -> list[tuple[str, str, str]]:
        """Existing (from id, to label, to id) of ``rel_type`` leaving these nodes."""

    @abstractmethod
    def delete_relationships(self, keys: Sequence[RelKey]) -> int: ...

    @abstractmethod
    def delete_nodes(self, label: Label, ids: Sequence[str]) -> int: ...

    @abstractmethod
    def insert_changes(self, events: Sequence[ChangeEvent]) -> int: ...

    @abstractmethod
    def put_journal(self, journal: ImportJournal) -> None:
        """Store the import journal (replacing the previous one) in this transaction."""

    # ------------------------------------------------------------- bulk import
    @abstractmethod
    def import_nodes(
        self, label: Label, rows: Sequence[tuple[Node, str, str]], at: datetime
    ) -> tuple[int, dict[str, Node]]:
        """Create the nodes of ``rows`` (node, :func:`content_json`, :func:`content_hash`)
        that do not exist (``created_at`` / ``updated_at`` from the node, else ``at``) and
        leave those whose stored hash equals theirs untouched. Returns how many were
        created and, write-locked and read, the existing nodes whose hash differs (or
        that have none): the caller decides whether they changed."""

    @abstractmethod
    def set_hashes(self, label: Label, rows: Sequence[tuple[str, str]]) -> None:
        """Store the content hash of (id, hash) nodes whose content is unchanged."""

    @abstractmethod
    def import_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
    ) -> tuple[int, list[tuple[str, str, dict[str, Any]]], int]:
        """Upsert relationships whose properties differ from the stored ones (the
        sources of KNOWS / HAS_ROLE write-locked first); of a single-target type
        (:data:`~stakegraph.graph.model.SINGLE_TARGET`: the rows give each source one
        target), the sources' other targets of the type are dropped. Returns how many
        were created, (from id, to id, old properties) of those updated, and how many
        other targets were dropped."""


def drop_other_targets(
    unit: WriteUnit, rel_type: RelType, from_label: Label, targets: set[tuple[str, str, str]]
) -> int:
    """Delete the ``rel_type`` ties of the sources in ``targets`` (from id, to label, to
    id) that lead anywhere else (a single-target type: the new target replaces the
    old); how many went."""
    sources = sorted({fid for fid, _, _ in targets})
    stale: list[RelKey] = [
        (str(rel_type), str(from_label), fid, tl, tid)
        for fid, tl, tid in unit.targets_of(rel_type, from_label, sources)
        if (fid, tl, tid) not in targets
    ]
    return unit.delete_relationships(stale) if stale else 0


def content_json(node: Node) -> str:
    """A node's content (no timestamps, no nulls) as compact JSON: what an import compares."""
    # the model's serializer itself (what model_dump_json calls, without its wrapper)
    return node.__pydantic_serializer__.to_json(
        node, exclude=_NOT_CONTENT, exclude_none=True
    ).decode()


_NOT_CONTENT = {"created_at", "updated_at"}  # never changed: shared by every call


def content_hash(text: str) -> str:
    """The content hash stored beside a node (of its :func:`content_json`)."""
    return hashlib.blake2b(_HASH_VERSION + text.encode(), digest_size=16).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _content(node: Node) -> dict[str, Any]:
    return node.model_dump(mode="json", exclude={"created_at", "updated_at"}, exclude_none=True)


def _rel_events(
    rel_type: RelType,
    from_id: str,
    to_id: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    at: datetime,
    by: str,
) -> list[ChangeEvent]:
    """Change events of a KNOWS level or HAS_ROLE role/stance (created, changed or removed)."""
    fields: tuple[str, ...]
    if rel_type == RelType.KNOWS:
        fields, contact_id = ("level",), to_id
    elif rel_type == RelType.HAS_ROLE:
        fields, contact_id = ("role", "stance"), from_id
    else:
        return []
    events = []
    for f in fields:
        before = None if old is None else old.get(f)
        after = None if new is None else new.get(f)
        if before != after:
            events.append(
                ChangeEvent(
                    entity=str(rel_type),
                    entity_id=f"{from_id}->{to_id}",
                    contact_id=contact_id,
                    field=f,
                    old=before,
                    new=after,
                    at=at,
                    by=by,
                )
            )
    return events


class GraphStore(ABC):
    """One interface over Neo4j and the embedded SQLite store.

    Every write is a batch applied atomically: either all of it or none.
    Writes that change a contact's stance or status, a KNOWS level or a HAS_ROLE
    record :class:`~stakegraph.graph.model.ChangeEvent` objects in the same transaction.
    """

    backend: ClassVar[str]
    #: About the records per transaction of an import on Neo4j (whole accounts; a
    #: larger account alone): :data:`IMPORT_PART_ROWS` unless the store is told otherwise.
    import_part_rows: int = IMPORT_PART_ROWS

    # ------------------------------------------------------------------ lifecycle
    @abstractmethod
    def ensure_schema(self) -> None:
        """Create constraints and indexes (idempotent)."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def health(self) -> StoreHealth: ...

    @abstractmethod
    def clear(self) -> None:
        """Delete everything (tests and demo reloads)."""

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def _in_write_transaction(
        self, work: Callable[[WriteUnit], T], *, generation: str | None = None
    ) -> T:
        """Run ``work`` in one write transaction (retried on transient errors); the
        transaction also sets a new :meth:`generation` (``generation`` when given)."""

    # ------------------------------------------------------- generation and cache
    @abstractmethod
    def generation(self) -> str | None:
        """A token that every committed write (and :meth:`clear`) replaces by a new,
        random one, in the same transaction: two reads that see the same token saw the
        same data. ``None`` before the first write."""

    @abstractmethod
    def cached(self, keys: Sequence[str]) -> dict[str, CacheEntry]:
        """Stored cache entries of the given keys (absent keys are left out).

        The cache lives in the store, so every process serving it shares it; an entry
        is only valid for the :meth:`generation` it was computed under."""

    @abstractmethod
    def cache(self, entries: Sequence[CacheEntry]) -> None:
        """Store (replace) the entries of the store's current generation and drop those
        of any other (they can never be valid again, so the cache holds one generation's
        worth); an entry of an older generation is not stored. Not a write of the graph:
        the generation stays."""

    # --------------------------------------------------------------------- writes
    def write(
        self,
        batch: GraphBatch,
        *,
        by: str = "system",
        at: datetime | None = None,
        record_creations: bool = True,
    ) -> WriteSummary:
        """Upsert nodes and relationships (by id / by key) and apply patches, atomically.

        A node's properties are replaced by the given model's; ``created_at`` and
        ``updated_at`` are kept from the input when given, else ``created_at`` is the
        first write and ``updated_at`` the last write that changed something, so
        writing the same records twice changes nothing. Patches
        (:class:`NodePatch`, :class:`RelPatch`) set only their fields on the record as
        it is inside the transaction. Every node written or patched, and the source
        of every relationship, is write-locked before it is read, and the timestamp
        is taken then: change events form one chain per record, each ``old`` the
        previous ``new``.
        """
        return self.write_returning(batch, by=by, at=at, record_creations=record_creations)[0]

    def write_returning(
        self,
        batch: GraphBatch,
        *,
        by: str = "system",
        at: datetime | None = None,
        record_creations: bool = True,
    ) -> tuple[WriteSummary, dict[tuple[Label, str], Node]]:
        """:meth:`write`, also returning the nodes as written (patched ones as they
        stand after the patch), by (label, id)."""

        def work(unit: WriteUnit) -> tuple[WriteSummary, dict[tuple[Label, str], Node]]:
            written: dict[tuple[Label, str], Node] = {}
            summary = self._write(unit, batch, by, at, record_creations, written)
            return summary, written

        return self._in_write_transaction(work)

    def patch_node(
        self,
        label: Label,
        node_id: str,
        fields: Mapping[str, Any],
        *,
        by: str = "system",
        relationships: Sequence[Relationship] = (),
    ) -> Node:
        """Set only ``fields`` of one node inside the write transaction (with the
        given relationships in the same transaction); the node as stored after it."""
        batch = GraphBatch(
            patches=[NodePatch(label=label, id=node_id, fields=dict(fields))],
            relationships=list(relationships),
        )
        return self.write_returning(batch, by=by)[1][(Label(label), node_id)]

    def patch_relationship(
        self,
        rel_type: RelType,
        from_label: Label,
        from_id: str,
        to_label: Label,
        to_id: str,
        fields: Mapping[str, Any],
        *,
        by: str = "system",
    ) -> WriteSummary:
        """Set only ``fields`` of one relationship inside the write transaction."""
        patch = RelPatch(
            type=rel_type,
            from_label=from_label,
            from_id=from_id,
            to_label=to_label,
            to_id=to_id,
            fields=dict(fields),
        )
        return self.write(GraphBatch(rel_patches=[patch]), by=by)

    # ---------------------------------------------------------------- bulk import
    def import_batch(
        self,
        batch: GraphBatch,
        *,
        by: str = "import",
        progress: Callable[[int, int], None] | None = None,
        digest: str | None = None,
    ) -> WriteSummary:
        """Upsert validated records whose endpoints are known to exist (what
        :func:`~stakegraph.graph.dataset.parse_dataset` gives), in batches of
        :data:`IMPORT_BATCH` per statement, account by account
        (:mod:`stakegraph.graph.import_journal`): the shared records first, then each
        account's nodes and relationships together, one transaction per part of whole
        accounts (the embedded store runs them all in one). An
        :class:`~stakegraph.graph.import_journal.ImportJournal` of ``digest`` (the
        document's) says ``running`` before the first write and advances with each
        transaction, in it; the last one says ``done``. A rerun of an interrupted import
        writes what is missing (the accounts done are unchanged, hence skipped).

        A node whose stored content hash equals its own is unchanged and not written
        (nothing of it is read back); one without a stored hash (written by
        :meth:`write`) is compared with its stored content once and gets the hash.
        Updates record their change events (stance, status, KNOWS level, HAS_ROLE);
        creations record none. Relationships are not checked again.
        ``progress(done, total)`` is called after each batch, in the write
        transaction on the embedded store (where a load into an empty store has its
        indexes dropped until the end): it reports, it does not use the store.
        """
        summary = WriteSummary()
        total = len(batch.nodes) + len(batch.relationships) + len(batch.changes)
        nodes = _last_of_each(batch.nodes)
        parts = [p for p in self._import_cut(nodes, batch) if p.size]
        plan = [(p.accounts, _part_steps(p, summary, by)) for p in parts]
        # every node and change event is in one step, each relationship once (the
        # steps key them by their ends): the rest of the rows are the relationships
        rows = sum(n for _, steps in plan for n, _ in steps)
        journal = ImportJournal.begin(
            digest or _batch_digest(batch),
            sum(p.accounts for p in parts),
            by,
            nodes=len(nodes),
            relationships=rows - len(nodes) - len(batch.changes),
        )
        previous = self.import_journal()
        if previous is not None and previous.status() != "done":
            same = previous.digest == journal.digest
            log.warning(
                "the previous import (%s, %s of %s accounts written) did not finish%s",
                previous.digest[:12],
                previous.accounts_done,
                previous.accounts_total,
                "; this import of the same document completes it" if same else "",
            )
        self._put_journal(journal)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, total)

        try:
            self._import_parts(journal, plan, advance)
        except BaseException:
            try:
                current = self.import_journal()
                if current is not None and current.digest == journal.digest:
                    self._put_journal(current.failed())
            except Exception:  # the store is gone: the journal stays "running"
                log.warning("could not mark the import journal as failed", exc_info=True)
            raise
        if progress and not plan:
            progress(0, 0)
        return summary

    def _import_cut(self, nodes: list[Node], batch: GraphBatch) -> list[ImportPart]:
        """The parts of an import, one transaction each: the shared records, then the
        accounts (:func:`~stakegraph.graph.import_journal.account_parts`)."""
        shared, accounts = account_parts(
            nodes, batch.relationships, batch.changes, self.import_part_rows
        )
        return [shared, *accounts]

    @abstractmethod
    def import_journal(self) -> ImportJournal | None:
        """The journal of the last import (``None``: none since the store was cleared)."""

    def repeat_of_last_import(self, digest: str) -> WriteSummary | None:
        """The summary of importing the document of ``digest`` again when that would
        change nothing (so need not be done): the last import was of this document,
        finished, under this :data:`_HASH_VERSION`, and nothing has been written since
        (the store's :meth:`generation` is still the one its last transaction set).
        ``None`` otherwise."""
        journal = self.import_journal()
        if (
            journal is None
            or journal.state != "done"
            or journal.digest != digest
            or journal.generation is None
            or journal.content_version != CONTENT_VERSION
            or self.generation() != journal.generation
        ):
            return None
        return WriteSummary(
            nodes_unchanged=journal.nodes, relationships_unchanged=journal.relationships
        )

    def _put_journal(self, journal: ImportJournal) -> None:
        """Store the journal in a transaction of its own."""
        self._in_write_transaction(lambda unit: unit.put_journal(journal))

    def _import_parts(
        self,
        journal: ImportJournal,
        parts: Sequence[tuple[int, Sequence[tuple[int, Callable[[WriteUnit, datetime], None]]]]],
        advance: Callable[[int], None],
    ) -> None:
        """Run each part (accounts, steps) of an import in its own write transaction,
        the journal advanced in it (the last part's says ``done``); ``advance(records)``
        after each part. A backend may run them all in one transaction."""
        if not parts:
            self._put_journal(journal.advanced(0, last=True))
        for i, (accounts, steps) in enumerate(parts):
            last = i == len(parts) - 1
            journal = journal.advanced(accounts, last=last)
            token = None
            if last:  # the generation it sets: see repeat_of_last_import
                journal, token = journal.finished_with(new_generation(), CONTENT_VERSION)

            def work(
                unit: WriteUnit, steps: Sequence[Any] = steps, j: ImportJournal = journal
            ) -> None:
                at = _now()
                for _n, step in steps:
                    step(unit, at)
                unit.put_journal(j)

            self._in_write_transaction(work, generation=token)
            advance(sum(n for n, _ in steps))

    @staticmethod
    def _lock_batch(unit: WriteUnit, batch: GraphBatch) -> None:
        wanted: dict[Label, set[str]] = defaultdict(set)
        for node in batch.nodes:
            wanted[node.label].add(node.id)
        for patch in batch.patches:
            wanted[patch.label].add(patch.id)
        for rel in batch.relationships:
            if rel.type in (RelType.KNOWS, RelType.HAS_ROLE):
                wanted[rel.from_label].add(rel.from_id)
        for rp in batch.rel_patches:
            wanted[rp.from_label].add(rp.from_id)
        for _t, fl, fid, _tl, _tid in batch.deletions:
            wanted[Label(fl)].add(fid)
        for label in sorted(wanted):  # one order everywhere: fewer deadlocks
            unit.lock_nodes(label, sorted(wanted[label]))

    def _write(
        self,
        unit: WriteUnit,
        batch: GraphBatch,
        by: str,
        at: datetime | None,
        record_creations: bool,
        written: dict[tuple[Label, str], Node] | None = None,
    ) -> WriteSummary:
        self._lock_batch(unit, batch)
        at = at or _now()  # taken under the locks: stamps follow the commit order
        summary = WriteSummary()
        events: list[ChangeEvent] = []
        by_label: dict[Label, dict[str, Node]] = defaultdict(dict)
        for node in batch.nodes:
            by_label[node.label][node.id] = node  # last one wins within a batch
        patched: dict[Label, dict[str, dict[str, Any]]] = defaultdict(dict)
        for patch in batch.patches:
            patched[patch.label].setdefault(patch.id, {}).update(patch.fields)
        for label in {*by_label, *patched}:
            incoming = by_label.get(label, {})
            patches = patched.get(label, {})
            existing = unit.fetch_nodes(label, sorted({*incoming, *patches}))
            for node_id, fields in patches.items():
                incoming[node_id] = _apply_patch(label, node_id, existing.get(node_id), fields)
            by_label[label] = incoming
            to_write: list[Node] = []
            for node_id, node in incoming.items():
                old = existing.get(node_id)
                if written is not None:
                    written[(label, node_id)] = node if old is None else old
                if old is not None and _content(old) == _content(node):
                    summary.nodes_unchanged += 1
                    continue
                created = node.created_at or (old.created_at if old else None) or at
                updated = (None if node_id in patches else node.updated_at) or at
                stamped = node.model_copy(update={"created_at": created, "updated_at": updated})
                to_write.append(stamped)
                if written is not None:
                    written[(label, node_id)] = stamped
                if old is None:
                    summary.nodes_created += 1
                    continue
                summary.nodes_updated += 1
                if label == Label.CONTACT:
                    events.extend(_contact_events(old, node, at, by))
            whole = [n for n in to_write if n.id not in patches or n.id not in existing]
            partial = [
                (n, frozenset(patches[n.id]))
                for n in to_write
                if n.id in patches and n.id in existing
            ]
            if whole:
                unit.upsert_nodes(label, whole)
            if partial:
                unit.patch_nodes(label, partial)

        if batch.deletions:
            summary.relationships_deleted += unit.delete_relationships(list(batch.deletions))
        relationships = list(batch.relationships)
        if batch.rel_patches:
            relationships += _apply_rel_patches(unit, batch.rel_patches)
        self._check_endpoints(unit, relationships, by_label)
        groups: dict[tuple[RelType, Label, Label], dict[tuple[str, str], Relationship]] = (
            defaultdict(dict)
        )
        for rel in relationships:
            groups[(rel.type, rel.from_label, rel.to_label)][(rel.from_id, rel.to_id)] = rel
        summary.relationships_deleted += self._drop_other_targets(unit, relationships)
        for (rel_type, fl, tl), rels in groups.items():
            existing_rels = unit.fetch_relationships(rel_type, fl, tl, list(rels))
            rows: list[tuple[str, str, dict[str, Any]]] = []
            for (fid, tid), rel in rels.items():
                old_props = existing_rels.get((fid, tid))
                if old_props is not None and old_props == rel.properties:
                    summary.relationships_unchanged += 1
                    continue
                if old_props is None:
                    summary.relationships_created += 1
                else:
                    summary.relationships_updated += 1
                rows.append((fid, tid, rel.properties))
                if old_props is not None or record_creations:
                    events.extend(
                        _rel_events(rel_type, fid, tid, old_props, rel.properties, at, by)
                    )
            if rows:
                unit.upsert_relationships(rel_type, fl, tl, rows)

        events.extend(batch.changes)
        if events:
            summary.changes_recorded = unit.insert_changes(events)
        return summary

    @staticmethod
    def _drop_other_targets(unit: WriteUnit, relationships: Sequence[Relationship]) -> int:
        """A contact works in one department, a department is part of one parent,
        an opportunity is for one company: a new target replaces the old one(s)."""
        wanted: dict[tuple[RelType, Label], set[tuple[str, str, str]]] = defaultdict(set)
        for rel in relationships:
            if rel.type in SINGLE_TARGET:
                wanted[(rel.type, rel.from_label)].add((rel.from_id, str(rel.to_label), rel.to_id))
        return sum(
            drop_other_targets(unit, rel_type, from_label, targets)
            for (rel_type, from_label), targets in wanted.items()
        )

    @staticmethod
    def _check_endpoints(
        unit: WriteUnit,
        relationships: Sequence[Relationship],
        by_label: Mapping[Label, Mapping[str, Node]],
    ) -> None:
        wanted: dict[Label, set[str]] = defaultdict(set)
        for rel in relationships:
            for label, node_id in ((rel.from_label, rel.from_id), (rel.to_label, rel.to_id)):
                if node_id not in by_label.get(label, {}):
                    wanted[label].add(node_id)
        errors: list[DatasetError] = []
        missing: dict[Label, set[str]] = {}
        for label, ids in wanted.items():
            found = unit.existing_ids(label, sorted(ids))
            missing[label] = ids - found
        if not any(missing.values()):
            return
        for i, rel in enumerate(relationships):
            for end, label, node_id in (
                ("from", rel.from_label, rel.from_id),
                ("to", rel.to_label, rel.to_id),
            ):
                if node_id in missing.get(label, ()):
                    errors.append(
                        DatasetError(
                            f"relationships[{i}]", None, end, f"no {label} with id {node_id!r}"
                        )
                    )
        raise InvalidWrite(errors)

    def delete_nodes(self, label: Label, ids: Sequence[str]) -> int:
        """Detach-delete nodes; returns how many existed."""
        return self._in_write_transaction(lambda unit: unit.delete_nodes(label, list(ids)))

    def delete_relationships(
        self, keys: Sequence[RelKey], *, by: str = "system", at: datetime | None = None
    ) -> int:
        """Delete relationships by key, recording KNOWS / HAS_ROLE removals."""

        def work(unit: WriteUnit) -> int:
            sources: dict[Label, set[str]] = defaultdict(set)
            for _t, fl, fid, _tl, _tid in keys:
                sources[Label(fl)].add(fid)
            for label in sorted(sources):
                unit.lock_nodes(label, sorted(sources[label]))
            stamp = at or _now()
            events: list[ChangeEvent] = []
            for t, fl, fid, tl, tid in keys:
                rel_type = RelType(t)
                if rel_type in (RelType.KNOWS, RelType.HAS_ROLE):
                    old = unit.fetch_relationships(rel_type, Label(fl), Label(tl), [(fid, tid)])
                    if (fid, tid) in old:
                        events.extend(
                            _rel_events(rel_type, fid, tid, old[(fid, tid)], None, stamp, by)
                        )
            deleted = unit.delete_relationships(list(keys))
            if events:
                unit.insert_changes(events)
            return deleted

        return self._in_write_transaction(work)

    # ---------------------------------------------------------------------- reads
    @abstractmethod
    def get_nodes(self, label: Label, ids: Sequence[str]) -> dict[str, Node]:
        """Nodes by id (missing ids are absent from the result)."""

    def get_node(self, label: Label, node_id: str) -> Node | None:
        return self.get_nodes(label, [node_id]).get(node_id)

    @abstractmethod
    def list_nodes(
        self,
        label: Label,
        *,
        where: Mapping[str, Any] | None = None,
        name_contains: str | None = None,
        ids: Sequence[str] | None = None,
        first: int = 50,
        after: str | None = None,
    ) -> Page[Node]:
        """Nodes of a label ordered by id, filtered by equal property values (a list
        value means any of), a case-insensitive name part and an id set; cursor-paginated."""

    @abstractmethod
    def relationships(
        self,
        rel_type: RelType,
        *,
        from_ids: Sequence[str] | None = None,
        to_ids: Sequence[str] | None = None,
    ) -> list[Relationship]:
        """Relationships of one type, optionally those leaving / entering given ids."""

    @abstractmethod
    def account_subgraphs(
        self, company_ids: Sequence[str], *, path_depth: int = DEFAULT_PATH_DEPTH
    ) -> dict[str, nx.MultiDiGraph]:
        """The subgraphs of many accounts (rules of :mod:`stakegraph.graph.selection`),
        in one query; ids that are no company are absent.

        ``path_depth`` is the most edges a path to power may have (§3.11, default 6):
        the cross-account neighbourhood reaches ``path_depth - 1`` ties from the
        account's contacts. ``ValueError`` unless 1 ≤ ``path_depth`` ≤ 12.
        """

    def account_subgraph(
        self, company_id: str, *, path_depth: int = DEFAULT_PATH_DEPTH
    ) -> nx.MultiDiGraph:
        """The account's whole subgraph (docs/analytics.md §3 preamble) in one round-trip."""
        from stakegraph.graph.errors import NotFound

        graphs = self.account_subgraphs([company_id], path_depth=path_depth)
        if company_id not in graphs:
            raise NotFound("Company", company_id)
        return graphs[company_id]

    @abstractmethod
    def owning_accounts(self, label: Label, ids: Sequence[str]) -> dict[str, str]:
        """``{node id: company id}`` of the account each node belongs to, in one query.

        A Company owns itself; a Department belongs to the company it is ``PART_OF``
        (through parent departments); a Contact to its department's; an Opportunity to
        the company it is ``FOR``; an Interaction to the company it is ``ABOUT``
        (directly, else through the opportunity it is about; the smallest company id
        when several), else to the account of the attending contact with the smallest
        id among those who have one. Reps, teams, competitors, unknown ids and nodes
        with no account are absent.
        """

    def covered_company_ids(
        self,
        *,
        rep_id: str | None = None,
        team_id: str | None = None,
        kinds: Iterable[CoverKind] = (CoverKind.OWNER, CoverKind.SUPPORT),
    ) -> list[str]:
        """Company ids covered by a rep, or by a team or any of its members, sorted."""
        kinds_set = {str(k) for k in kinds}
        coverers: list[tuple[Label, str]] = []
        if rep_id is not None:
            coverers.append((Label.REP, rep_id))
        if team_id is not None:
            coverers.append((Label.TEAM, team_id))
            members = self.relationships(RelType.MEMBER_OF, to_ids=[team_id])
            coverers.extend((Label.REP, r.from_id) for r in members)
        if not coverers:
            return []
        covers = self.relationships(RelType.COVERS, from_ids=sorted({c for _, c in coverers}))
        wanted = set(coverers)
        return sorted(
            {
                r.to_id
                for r in covers
                if (r.from_label, r.from_id) in wanted and r.properties.get("kind") in kinds_set
            }
        )

    def plan_targets(self, company_ids: Sequence[str]) -> dict[str, list[PlannedTarget]]:
        """The relationship-plan targets (§3.18) of these accounts, ``{company id: targets
        by id}`` (every given id is a key). Four reads, whatever the number of targets."""
        out: dict[str, list[PlannedTarget]] = {c: [] for c in company_ids}
        plan_of = {
            r.from_id: r.to_id
            for r in self.relationships(RelType.PLAN_OF, to_ids=list(company_ids))
            if r.from_label == Label.PLAN_TARGET
        }
        if not plan_of:
            return out
        ids = sorted(plan_of)
        nodes = self.get_nodes(Label.PLAN_TARGET, ids)
        ends: dict[RelType, dict[str, str]] = {}
        for rel_type in (RelType.ASSIGNED_TO, RelType.TARGETS, RelType.PLAN_FOR):
            ends[rel_type] = {
                r.from_id: r.to_id for r in self.relationships(rel_type, from_ids=ids)
            }
        for target_id in ids:
            node = nodes.get(target_id)
            if not isinstance(node, PlanTarget):
                continue
            out[plan_of[target_id]].append(
                PlannedTarget(
                    target=node,
                    company_id=plan_of[target_id],
                    rep_id=ends[RelType.ASSIGNED_TO].get(target_id),
                    contact_id=ends[RelType.TARGETS].get(target_id),
                    opportunity_id=ends[RelType.PLAN_FOR].get(target_id),
                )
            )
        return out

    @abstractmethod
    def changes_since(
        self, since: datetime, *, contact_ids: Sequence[str] | None = None
    ) -> list[ChangeEvent]:
        """Change events at or after ``since``, oldest first."""

    @abstractmethod
    def changes_after(
        self,
        after: int = 0,
        *,
        contact_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[ChangeEvent]:
        """Change events whose ``seq`` is greater than ``after``, in ``seq`` order.

        ``seq`` increases in commit order (events are numbered under the store's
        write lock), so a poller that passes the last ``seq`` it saw never misses an
        event, unlike a time cursor: a transaction may commit after a later stamp
        was read."""

    @abstractmethod
    def export(self) -> GraphBatch:
        """Everything, in a stable order (label, id; type, from, to)."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Node counts per label, relationship counts per type, and ``changes``."""

    def find_by_emails(self, label: Label, emails: Sequence[str]) -> dict[str, str]:
        """Which node holds each address: contacts by ``emails``, reps by ``email``.

        Matching is case-insensitive (§3.15): the given addresses are put in canonical
        form (:func:`~stakegraph.graph.email_address.email_key`) and so are the keys of
        the result. An address no node holds is absent; so is an address held by more
        than one node of the label (ambiguous: a capture must not guess). One query.

        Raises
        ------
        ValueError
            When ``label`` is neither Contact nor Rep.
        """
        label = Label(label)
        if label not in EMAIL_LABELS:
            raise ValueError(f"{label} has no e-mail address; use Contact or Rep")
        wanted = sorted({email_key(e) for e in emails if e.strip()})
        if not wanted:
            return {}
        holders: dict[str, set[str]] = defaultdict(set)
        for address, node_id in self._email_holders(label, wanted):
            holders[address].add(node_id)
        return {a: next(iter(ids)) for a, ids in sorted(holders.items()) if len(ids) == 1}

    @abstractmethod
    def _email_holders(self, label: Label, addresses: Sequence[str]) -> list[tuple[str, str]]:
        """(lower-cased stored address, node id) for each stored address of ``label``
        (Contact ``emails``, Rep ``email``) that is among ``addresses``, in one query."""


def _apply_patch(label: Label, node_id: str, old: Node | None, fields: Mapping[str, Any]) -> Node:
    """The node ``old`` (as read inside the transaction) with ``fields`` set."""
    base = old.model_dump(exclude={"created_at", "updated_at"}) if old is not None else {}
    try:
        return LABEL_MODELS[label].model_validate(base | dict(fields) | {"id": node_id})
    except ValidationError as exc:
        raise InvalidWrite(
            [
                DatasetError(f"{label} {node_id!r}", node_id, _err_loc(e), e["msg"])
                for e in exc.errors()
            ]
        ) from exc


def _err_loc(err: Mapping[str, Any]) -> str:
    return ".".join(str(p) for p in err["loc"]) or "(record)"


def _apply_rel_patches(unit: WriteUnit, patches: Sequence[RelPatch]) -> list[Relationship]:
    """Relationships with the patches applied to their properties as they are now."""
    groups: dict[tuple[RelType, Label, Label], list[RelPatch]] = defaultdict(list)
    for p in patches:
        groups[(p.type, p.from_label, p.to_label)].append(p)
    out: list[Relationship] = []
    for (rel_type, fl, tl), group in groups.items():
        current = unit.fetch_relationships(rel_type, fl, tl, [(p.from_id, p.to_id) for p in group])
        merged: dict[tuple[str, str], dict[str, Any]] = {}
        for p in group:
            key = (p.from_id, p.to_id)
            props = merged.get(key, dict(current.get(key, {})))
            for k, v in p.fields.items():
                if v is None:
                    props.pop(k, None)
                else:
                    props[k] = v
            merged[key] = props
        for (fid, tid), props in merged.items():
            try:
                out.append(
                    Relationship(
                        type=rel_type,
                        from_label=fl,
                        from_id=fid,
                        to_label=tl,
                        to_id=tid,
                        properties=props,
                    )
                )
            except ValidationError as exc:
                raise InvalidWrite(
                    [
                        DatasetError(f"{rel_type} {fid}->{tid}", None, _err_loc(e), e["msg"])
                        for e in exc.errors()
                    ]
                ) from exc
    return out


def _contact_events(old: Node, new: Node, at: datetime, by: str) -> list[ChangeEvent]:
    events = []
    for f in TRACKED_CONTACT_FIELDS:
        before, after = getattr(old, f), getattr(new, f)
        if before != after:
            events.append(
                ChangeEvent(
                    entity=str(Label.CONTACT),
                    entity_id=new.id,
                    contact_id=new.id,
                    field=f,
                    old=None if before is None else str(before),
                    new=None if after is None else str(after),
                    at=at,
                    by=by,
                )
            )
    return events


def _last_of_each(nodes: Sequence[Node]) -> list[Node]:
    """The nodes, the last one of each (label, id) kept (where it first came)."""
    out: dict[tuple[Label, str], Node] = {}
    for node in nodes:
        out[(node.label, node.id)] = node
    return list(out.values())


def _batch_digest(batch: GraphBatch) -> str:
    """A digest of a batch's records (when the caller gives no document digest)."""
    h = hashlib.blake2b(_HASH_VERSION, digest_size=16)
    for node in batch.nodes:
        h.update(content_json(node).encode())
    for rel in batch.relationships:
        h.update(rel.model_dump_json().encode())
    for event in batch.changes:
        h.update(event.model_dump_json().encode())
    return h.hexdigest()


def _part_steps(
    part: ImportPart, summary: WriteSummary, by: str
) -> list[tuple[int, Callable[[WriteUnit, datetime], None]]]:
    """The statements of one part of an import: nodes by label, then relationships by
    (type, from label, to label), then change events, :data:`IMPORT_BATCH` each."""
    steps: list[tuple[int, Callable[[WriteUnit, datetime], None]]] = []
    by_label: dict[Label, list[Node]] = defaultdict(list)
    for node in part.nodes:
        by_label[node.label].append(node)
    for label in Label:
        for chunk in _batches(by_label.get(label, [])):
            steps.append((len(chunk), _node_step(label, chunk, summary, by)))
    groups: dict[tuple[RelType, Label, Label], dict[tuple[str, str], Relationship]] = defaultdict(
        dict
    )
    for rel in part.relationships:
        groups[(rel.type, rel.from_label, rel.to_label)][(rel.from_id, rel.to_id)] = rel
    for (rel_type, fl, tl), rels in groups.items():
        for rel_chunk in _batches(list(rels.values())):
            steps.append((len(rel_chunk), _rel_step(rel_type, fl, tl, rel_chunk, summary, by)))

    def insert(events: list[ChangeEvent]) -> Callable[[WriteUnit, datetime], None]:
        def step(unit: WriteUnit, _at: datetime) -> None:
            summary.changes_recorded += unit.insert_changes(events)

        return step

    steps += [(len(c), insert(c)) for c in _batches(part.changes)]
    return steps


def _batches(items: Sequence[T], size: int = IMPORT_BATCH) -> Iterable[list[T]]:
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


def _node_step(
    label: Label, nodes: Sequence[Node], summary: WriteSummary, by: str
) -> Callable[[WriteUnit, datetime], None]:
    """One batch of nodes of an import (:meth:`GraphStore.import_batch`)."""

    def step(unit: WriteUnit, at: datetime) -> None:
        rows = []
        for node in nodes:
            text = content_json(node)
            rows.append((node, text, content_hash(text)))
        created, stale = unit.import_nodes(label, rows, at)
        summary.nodes_created += created
        summary.nodes_unchanged += len(rows) - created - len(stale)
        if not stale:
            return
        same: list[tuple[str, str]] = []
        changed: list[Node] = []
        hashes: dict[str, str] = {}
        events: list[ChangeEvent] = []
        for node, text, digest in rows:
            old = stale.get(node.id)
            if old is None:
                continue
            if content_json(old) == text:
                same.append((node.id, digest))
                summary.nodes_unchanged += 1
                continue
            summary.nodes_updated += 1
            created_at = node.created_at or old.created_at or at
            stamped = node.model_copy(
                update={"created_at": created_at, "updated_at": node.updated_at or at}
            )
            changed.append(stamped)
            hashes[node.id] = digest
            if label == Label.CONTACT:
                events.extend(_contact_events(old, node, at, by))
        if same:
            unit.set_hashes(label, same)
        if changed:
            unit.upsert_nodes(label, changed, hashes)
        if events:
            summary.changes_recorded += unit.insert_changes(events)

    return step


def _rel_step(
    rel_type: RelType,
    from_label: Label,
    to_label: Label,
    rels: Sequence[Relationship],
    summary: WriteSummary,
    by: str,
) -> Callable[[WriteUnit, datetime], None]:
    """One batch of relationships of one (type, from label, to label) of an import."""

    def step(unit: WriteUnit, at: datetime) -> None:
        rows = [(r.from_id, r.to_id, r.properties) for r in rels]
        created, updated, dropped = unit.import_relationships(rel_type, from_label, to_label, rows)
        summary.relationships_deleted += dropped
        summary.relationships_created += created
        summary.relationships_updated += len(updated)
        summary.relationships_unchanged += len(rows) - created - len(updated)
        if not updated:
            return
        new_props = {(r.from_id, r.to_id): r.properties for r in rels}
        events: list[ChangeEvent] = []
        for fid, tid, old in updated:
            events += _rel_events(rel_type, fid, tid, old, new_props[(fid, tid)], at, by)
        if events:
            summary.changes_recorded += unit.insert_changes(events)

    return step
