"""The store interface: one ``GraphStore`` contract, one file per backend.

Callers depend on :class:`GraphStore` only; the backend is chosen once from
configuration (:func:`stakegraph.service.settings.open_store`). The shared write logic —
timestamps, change detection, change events (docs/analytics.md §2), endpoint checks — lives
here; a backend supplies the primitives of a :class:`WriteUnit` run inside one
transaction, and the reads.
"""

from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, TypeVar

import networkx as nx
from pydantic import BaseModel, ConfigDict, Field, computed_field

from stakegraph.graph.email_address import email_key
from stakegraph.graph.errors import DatasetError, InvalidWrite
from stakegraph.graph.model import (
    SINGLE_TARGET,
    TRACKED_CONTACT_FIELDS,
    ChangeEvent,
    CoverKind,
    Label,
    Node,
    Relationship,
    RelType,
)
from stakegraph.graph.selection import DEFAULT_PATH_DEPTH

__all__ = [
    "EMAIL_LABELS",
    "GraphBatch",
    "GraphStore",
    "Page",
    "RelKey",
    "StoreHealth",
    "WriteSummary",
    "WriteUnit",
    "decode_cursor",
    "encode_cursor",
]

#: (type, from label, from id, to label, to id)
RelKey = tuple[str, str, str, str, str]
N = TypeVar("N")
T = TypeVar("T")
#: Labels whose nodes carry e-mail addresses (:meth:`GraphStore.find_by_emails`).
EMAIL_LABELS: frozenset[Label] = frozenset({Label.CONTACT, Label.REP})


class GraphBatch(BaseModel):
    """Records written together, atomically."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    nodes: list[Node] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    changes: list[ChangeEvent] = Field(default_factory=list)


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
    def upsert_nodes(self, label: Label, nodes: Sequence[Node]) -> None: ...

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
    def _in_write_transaction(self, work: Callable[[WriteUnit], T]) -> T:
        """Run ``work`` in one write transaction (retried on transient errors)."""

    # --------------------------------------------------------------------- writes
    def write(
        self,
        batch: GraphBatch,
        *,
        by: str = "system",
        at: datetime | None = None,
        record_creations: bool = True,
    ) -> WriteSummary:
        """Upsert nodes and relationships (by id / by key), atomically.

        A node's properties are replaced by the given model's; ``created_at`` and
        ``updated_at`` are kept from the input when given, else ``created_at`` is the
        first write and ``updated_at`` the last write that changed something, so
        writing the same records twice changes nothing.
        """
        stamp = at or _now()
        return self._in_write_transaction(
            lambda unit: self._write(unit, batch, by, stamp, record_creations)
        )

    def _write(
        self, unit: WriteUnit, batch: GraphBatch, by: str, at: datetime, record_creations: bool
    ) -> WriteSummary:
        summary = WriteSummary()
        events: list[ChangeEvent] = []
        by_label: dict[Label, dict[str, Node]] = defaultdict(dict)
        for node in batch.nodes:
            by_label[node.label][node.id] = node  # last one wins within a batch
        for label, incoming in by_label.items():
            existing = unit.fetch_nodes(label, list(incoming))
            to_write: list[Node] = []
            for node_id, node in incoming.items():
                old = existing.get(node_id)
                if old is not None and _content(old) == _content(node):
                    summary.nodes_unchanged += 1
                    continue
                created = node.created_at or (old.created_at if old else None) or at
                updated = node.updated_at or at
                to_write.append(
                    node.model_copy(update={"created_at": created, "updated_at": updated})
                )
                if old is None:
                    summary.nodes_created += 1
                    continue
                summary.nodes_updated += 1
                if label == Label.CONTACT:
                    events.extend(_contact_events(old, node, at, by))
            if to_write:
                unit.upsert_nodes(label, to_write)

        self._check_endpoints(unit, batch, by_label)
        groups: dict[tuple[RelType, Label, Label], dict[tuple[str, str], Relationship]] = (
            defaultdict(dict)
        )
        for rel in batch.relationships:
            groups[(rel.type, rel.from_label, rel.to_label)][(rel.from_id, rel.to_id)] = rel
        summary.relationships_deleted += self._drop_other_targets(unit, batch.relationships)
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
        stale: list[RelKey] = []
        for (rel_type, from_label), targets in wanted.items():
            sources = sorted({fid for fid, _, _ in targets})
            stale += [
                (str(rel_type), str(from_label), fid, tl, tid)
                for fid, tl, tid in unit.targets_of(rel_type, from_label, sources)
                if (fid, tl, tid) not in targets
            ]
        return unit.delete_relationships(stale) if stale else 0

    @staticmethod
    def _check_endpoints(
        unit: WriteUnit, batch: GraphBatch, by_label: Mapping[Label, Mapping[str, Node]]
    ) -> None:
        wanted: dict[Label, set[str]] = defaultdict(set)
        for rel in batch.relationships:
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
        for i, rel in enumerate(batch.relationships):
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
        stamp = at or _now()

        def work(unit: WriteUnit) -> int:
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

    @abstractmethod
    def changes_since(
        self, since: datetime, *, contact_ids: Sequence[str] | None = None
    ) -> list[ChangeEvent]:
        """Change events at or after ``since``, oldest first."""

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
