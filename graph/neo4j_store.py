"""The production store: Neo4j 5 through the official driver.

Every query is a parameterised module constant; the only identifiers spliced in are
labels and relationship types taken from the :class:`~stakegraph.graph.model.Label` and
:class:`~stakegraph.graph.model.RelType` enums, checked and backtick-quoted by :func:`_ident`.
Writes are batched ``UNWIND`` statements in managed transactions (the driver retries
them on transient errors); an account's whole subgraph is one query.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, ClassVar, LiteralString, TypeVar, get_args

import neo4j
import networkx as nx
from neo4j import GraphDatabase, ManagedTransaction, Query, SummaryCounters
from neo4j.exceptions import (
    DatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)
from neo4j.time import Date as NeoDate
from neo4j.time import DateTime as NeoDateTime

from stakegraph.graph import neo4j_reads, querylog
from stakegraph.graph.bounded import BoundedCalls
from stakegraph.graph.errors import StoreMisconfigured, StoreUnavailable
from stakegraph.graph.import_journal import ImportJournal
from stakegraph.graph.model import (
    JSON_FIELDS,
    LABEL_MODELS,
    REL_ENDPOINTS,
    REL_PROPERTY_MODELS,
    SINGLE_TARGET,
    ChangeEvent,
    Label,
    Node,
    Relationship,
    RelType,
    rel_properties,
)
from stakegraph.graph.selection import DEFAULT_PATH_DEPTH, check_path_depth
from stakegraph.graph.store import (
    IMPORT_PART_ROWS,
    CacheEntry,
    GraphBatch,
    GraphStore,
    Page,
    RelKey,
    StoreHealth,
    WriteUnit,
    content_hash,
    content_json,
    decode_cursor,
    new_generation,
)

__all__ = [
    "EVENT_LABEL",
    "Neo4jStore",
    "change_event_record",
    "node_record",
    "relationship_record",
    "schema_statements",
]

T = TypeVar("T")
log = logging.getLogger(__name__)
#: Relationship types whose changes are recorded: their sources are locked on import.
_TRACKED_RELS = frozenset({RelType.KNOWS, RelType.HAS_ROLE})
EVENT_LABEL = "ChangeEvent"


def _ident(value: Label | RelType | str) -> str:
    """Backtick-quote a label or type after checking it against the enums."""
    text = str(value)
    if text not in _ALLOWED_IDENTS:
        raise ValueError(f"not a known label or relationship type: {text!r}")
    return f"`{text}`"


_ALLOWED_IDENTS = {str(x) for x in Label} | {str(x) for x in RelType} | {EVENT_LABEL}


def _q(template: str, **idents: Label | RelType | str) -> LiteralString:
    """Fill ``{name}`` slots of a query template with checked identifiers only."""
    query: LiteralString = template.format(**{k: _ident(v) for k, v in idents.items()})
    return query


# ------------------------------------------------------------------------ queries

CONSTRAINT = "CREATE CONSTRAINT {name} IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
EVENT_CONSTRAINT = (
    "CREATE CONSTRAINT change_event_key IF NOT EXISTS FOR (e:ChangeEvent) REQUIRE e.key IS UNIQUE"
)
SEQ_CONSTRAINT = (
    "CREATE CONSTRAINT change_seq_name IF NOT EXISTS FOR (s:ChangeSeq) REQUIRE s.name IS UNIQUE"
)
INDEXES = (
    "CREATE INDEX change_event_seq IF NOT EXISTS FOR (e:ChangeEvent) ON (e.seq)",
    "CREATE INDEX change_event_contact IF NOT EXISTS FOR (e:ChangeEvent) ON (e.contact_id)",
    "CREATE INDEX change_event_at IF NOT EXISTS FOR (e:ChangeEvent) ON (e.at)",
    "CREATE INDEX company_tier IF NOT EXISTS FOR (n:Company) ON (n.tier)",
    "CREATE INDEX contact_stance IF NOT EXISTS FOR (n:Contact) ON (n.stance)",
    "CREATE INDEX cache_generation IF NOT EXISTS FOR (c:CacheEntry) ON (c.generation)",
)

FETCH_NODES = "MATCH (n:{label}) WHERE n.id IN $ids RETURN properties(n) AS props"
EXISTING_IDS = "MATCH (n:{label}) WHERE n.id IN $ids RETURN n.id AS id"
UPSERT_NODES = "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) SET n = row"
#: Only the given properties (a null removes one).
PATCH_NODES = "UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n += row.props"
#: A write lock on each node, held to the end of the transaction (reads after it see
#: the last committed state, and other writers of these nodes wait).
LOCK_NODES = "MATCH (n:{label}) WHERE n.id IN $ids SET n._lock = true REMOVE n._lock"
FETCH_RELS = (
    "UNWIND $pairs AS pair "
    "MATCH (a:{fl} {{id: pair[0]}})-[r:{type}]->(b:{tl} {{id: pair[1]}}) "
    "RETURN a.id AS f, b.id AS t, properties(r) AS props"
)
UPSERT_RELS = (
    "UNWIND $rows AS row "
    "MATCH (a:{fl} {{id: row.f}}) MATCH (b:{tl} {{id: row.t}}) "
    "MERGE (a)-[r:{type}]->(b) SET r = row.props"
)
TARGETS_OF = (
    "MATCH (a:{fl})-[r:{type}]->(b) WHERE a.id IN $ids "
    "RETURN a.id AS f, labels(b) AS labels, b.id AS t"
)
DELETE_RELS = (
    "UNWIND $pairs AS pair "
    "MATCH (a:{fl} {{id: pair[0]}})-[r:{type}]->(b:{tl} {{id: pair[1]}}) "
    "DELETE r RETURN count(r) AS n"
)
#: Import (:meth:`GraphStore.import_batch`): create what is missing, leave alone what has
#: the same content hash, return (write-locked) the existing nodes whose hash differs.
#: Times travel as ISO text (the driver's own conversion of a ``datetime`` costs more
#: than the rest of the row) and become temporal values here: ``row.tz`` those with a
#: time zone, ``row.local`` those without; ``{times}`` sets the label's time fields.
IMPORT_NODES = (
    "UNWIND $rows AS row MERGE (n:{label} {{id: row.id}}) "
    "ON CREATE SET n += row.props, n._hash = row.hash, "
    "n.created_at = datetime(coalesce(row.created_at, $at)), "
    "n.updated_at = datetime(coalesce(row.updated_at, $at)){times} "
    "WITH n, row WHERE n._hash IS NULL OR n._hash <> row.hash "
    "SET n._lock = true REMOVE n._lock "
    "RETURN properties(n) AS props"
)
SET_HASHES = "UNWIND $rows AS row MATCH (n:{label} {{id: row.id}}) SET n._hash = row.hash"
#: Relationships whose properties differ are set; their old properties come back. A row
#: is a list, ``[from id, to id, properties]`` (and the ISO times, see
#: :func:`_import_rels_query`): half the driver's packing of a map per row.
IMPORT_RELS = (
    "UNWIND $rows AS row MATCH (a:{fl} {{id: row[0]}}) MATCH (b:{tl} {{id: row[1]}}) "
    "MERGE (a)-[r:{type}]->(b) ON CREATE SET r = row[2] "
    "WITH r, row, properties(r) AS old WHERE old <> row[2] "
    "SET r = row[2] RETURN row[0] AS f, row[1] AS t, old"
)
#: The same, with the source write-locked first (its change events form one chain).
IMPORT_RELS_LOCKED = IMPORT_RELS.replace(
    "MATCH (b:", "SET a._lock = true REMOVE a._lock WITH a, row MATCH (b:", 1
)
#: Of a type a source has one of (a contact works in one department...): the source's
#: other targets of the type, of the labels it allows (``{targets}``), are dropped in the
#: statement that writes the new one (a document gives each source one target; the
#: driver's counters tell how many went).
DROP_OTHER_TARGETS = (
    "CALL (a, b) {{ MATCH (a)-[o:{type}]->(x) WHERE x <> b AND ({targets}) DELETE o }}"
)
DELETE_NODES = "MATCH (n:{label}) WHERE n.id IN $ids DETACH DELETE n RETURN count(n) AS n"
#: Events numbered from one counter node: its write lock, held to the commit, makes
#: ``seq`` increase in commit order (a cursor that never misses an event). ``at``
#: travels as ISO text (see :data:`IMPORT_NODES`).
INSERT_CHANGES = (
    "MERGE (s:ChangeSeq {name: 'changes'}) "
    "SET s.value = coalesce(s.value, 0) + size($rows) "
    "WITH s.value - size($rows) AS base "
    "UNWIND range(0, size($rows) - 1) AS i "
    "WITH base + i + 1 AS seq, $rows[i] AS row "
    "MERGE (e:ChangeEvent {key: row.key}) "
    "ON CREATE SET e += row.props, e.at = datetime(row.at), e.seq = seq "
    "WITH e, seq WHERE e.seq = seq RETURN count(e) AS n"
)
CHANGES_AFTER = (
    "MATCH (e:ChangeEvent) WHERE e.seq > $after "
    "AND ($contacts IS NULL OR e.contact_id IN $contacts) "
    "RETURN properties(e) AS props ORDER BY e.seq LIMIT $limit"
)
_LIST_WHERE = (
    "all(k IN keys($where) WHERE n[k] IN $where[k]) "
    "AND ($name IS NULL OR toLower(n.name) CONTAINS $name) "
    "AND ($ids IS NULL OR n.id IN $ids)"
)
LIST_NODES = (
    "CALL {{ MATCH (n:{label}) WHERE " + _LIST_WHERE + " RETURN count(n) AS total }} "
    "CALL {{ MATCH (n:{label}) WHERE " + _LIST_WHERE + " AND ($after IS NULL OR n.id > $after) "
    "WITH n ORDER BY n.id LIMIT $limit RETURN collect(properties(n)) AS page }} "
    "RETURN total, page"
)
RELS_BY_TYPE = (
    "MATCH (a)-[r:{type}]->(b) "
    "WHERE ($from IS NULL OR a.id IN $from) AND ($to IS NULL OR b.id IN $to) "
    "RETURN labels(a) AS fl, a.id AS f, labels(b) AS tl, b.id AS t, properties(r) AS props"
)
CHANGES_SINCE = (
    "MATCH (e:ChangeEvent) WHERE e.at >= $since "
    "AND ($contacts IS NULL OR e.contact_id IN $contacts) "
    "RETURN properties(e) AS props ORDER BY e.at, e.entity, e.entity_id, e.field"
)
EXPORT_NODES = "MATCH (n:{label}) RETURN properties(n) AS props ORDER BY n.id"
EXPORT_RELS = (
    "MATCH (a:{fl})-[r:{type}]->(b:{tl}) "
    "RETURN a.id AS f, b.id AS t, properties(r) AS props ORDER BY f, t"
)
COUNT_LABEL = "MATCH (n:{label}) RETURN count(n) AS n"
COUNT_TYPE = "MATCH ()-[r:{type}]->() RETURN count(r) AS n"
#: Relationships first, then nodes, 10,000 per transaction: one transaction holding a
#: large store's deletions runs out of transaction memory.
CLEAR_RELS = "MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS"
CLEAR = "MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
#: The store's generation and its cache: nodes outside the graph model (their labels
#: are not :class:`Label` values, so reads, exports and counts never see them).
META_LABEL = "StoreMeta"
CACHE_LABEL = "CacheEntry"
SET_GENERATION = "MERGE (m:StoreMeta {key: 'generation'}) SET m.value = $token"
GET_GENERATION = "MATCH (m:StoreMeta {key: 'generation'}) RETURN m.value AS token"
#: The import journal (:mod:`stakegraph.graph.import_journal`) as JSON text.
PUT_JOURNAL = "MERGE (m:StoreMeta {key: 'import'}) SET m.value = $journal"
GET_JOURNAL = "MATCH (m:StoreMeta {key: 'import'}) RETURN m.value AS journal"
CACHED = (
    "UNWIND $keys AS k MATCH (c:CacheEntry {key: k}) "
    "RETURN c.key AS key, c.generation AS generation, c.payload AS payload"
)
#: Entries of other generations can never be valid again: dropped when the current
#: generation's are stored (a range on the indexed generation, so finding none is cheap).
DROP_STALE_CACHE = (
    "MATCH (c:CacheEntry) WHERE c.generation < $current OR c.generation > $current DELETE c"
)
PUT_CACHE = (
    "UNWIND $rows AS row MERGE (c:CacheEntry {key: row.key}) "
    "SET c.generation = row.generation, c.payload = row.payload"
)
META_CONSTRAINTS = [
    "CREATE CONSTRAINT stakegraph_meta_key IF NOT EXISTS FOR (m:StoreMeta) REQUIRE m.key IS UNIQUE",
    "CREATE CONSTRAINT stakegraph_cache_key IF NOT EXISTS "
    "FOR (c:CacheEntry) REQUIRE c.key IS UNIQUE",
]

#: Stored addresses (lower-cased) among the wanted ones, per label.
EMAIL_HOLDERS: dict[Label, str] = {
    Label.CONTACT: (
        "MATCH (n:Contact) UNWIND coalesce(n.emails, []) AS e "
        "WITH n, toLower(e) AS address WHERE address IN $emails "
        "RETURN address, n.id AS id"
    ),
    Label.REP: (
        "MATCH (n:Rep) WITH n, toLower(n.email) AS address WHERE address IN $emails "
        "RETURN address, n.id AS id"
    ),
}

# ----------------------------------------------------------------- value mapping


def _mentions_datetime(annotation: Any) -> bool:
    return annotation is datetime or any(_mentions_datetime(a) for a in get_args(annotation))


#: The fields of each label holding a ``datetime`` (the timestamps aside).
_TIME_FIELDS: dict[Label, tuple[str, ...]] = {
    label: tuple(
        sorted(
            name
            for name, info in model.model_fields.items()
            if name not in ("created_at", "updated_at") and _mentions_datetime(info.annotation)
        )
    )
    for label, model in LABEL_MODELS.items()
}


def _import_nodes_query(label: Label) -> LiteralString:
    """:data:`IMPORT_NODES` for one label (its time fields are model field names)."""
    times = ""
    for name in _TIME_FIELDS[label]:
        if not name.isidentifier():
            raise ValueError(f"not a field name: {name!r}")
        times += (
            f", n.`{name}` = coalesce(datetime(row.tz.`{name}`), localdatetime(row.local.`{name}`))"
        )
    query: LiteralString = IMPORT_NODES.format(label=_ident(label), times=times)
    return query


_IMPORT_NODES_QUERIES = {label: _import_nodes_query(label) for label in Label}


def _iso(value: datetime) -> str:
    return value.isoformat()


#: The properties of each relationship type holding a ``datetime``.
_REL_TIME_FIELDS: dict[RelType, tuple[str, ...]] = {
    rel_type: tuple(
        sorted(
            name for name, info in model.model_fields.items() if _mentions_datetime(info.annotation)
        )
    )
    for rel_type, model in REL_PROPERTY_MODELS.items()
}


@functools.cache
def _import_rels_query(
    rel_type: RelType, from_label: Label, to_label: Label, times: tuple[str, ...]
) -> LiteralString:
    """:data:`IMPORT_RELS` (sources locked for tracked types; for a single-target type,
    the sources' other targets dropped first, :data:`DROP_OTHER_TARGETS`) for rows whose time
    properties ``times`` (model field names) travel as ISO text in a fourth item,
    ``row[3]``: they become temporal values before anything is compared or set."""
    template = IMPORT_RELS_LOCKED if rel_type in _TRACKED_RELS else IMPORT_RELS
    if rel_type in SINGLE_TARGET:
        targets = " OR ".join(f"x:{_ident(t)}" for t in sorted(REL_ENDPOINTS[rel_type][1]))
        drop = DROP_OTHER_TARGETS.replace("{targets}", targets)
        template = template.replace(" MERGE (a)", f" {drop} MERGE (a)", 1)
    query: LiteralString = _q(template, fl=from_label, tl=to_label, type=rel_type)
    if not times:
        return query
    for name in times:
        if name not in REL_PROPERTY_MODELS[rel_type].model_fields or not name.isidentifier():
            raise ValueError(f"not a property of {rel_type}: {name!r}")
    converted = ", ".join(f"`{name}`: datetime(row[3].`{name}`)" for name in times)
    query = (
        query.replace("row[2]", "props")
        .replace("WITH r, row, ", "WITH r, row, props, ")
        .replace("WITH a, row ", "WITH a, row, props ")
        .replace(
            "UNWIND $rows AS row ",
            "UNWIND $rows AS row WITH row, row[2] AS given "
            f"WITH row, given {{.*, {converted}}} AS props ",
            1,
        )
    )
    return query


def _to_native(value: Any) -> Any:
    if isinstance(value, NeoDateTime | NeoDate):
        return value.to_native()
    if isinstance(value, list):
        return [_to_native(v) for v in value]
    return value


def _encode_node(node: Node) -> dict[str, Any]:
    props = node.model_dump(exclude_none=True)
    for key in JSON_FIELDS.get(node.label, ()):
        if key in props:
            props[key] = json.dumps(props[key], ensure_ascii=False, sort_keys=True)
    return {k: (v._value_ if isinstance(v, Enum) else v) for k, v in props.items()}


def _decode_node(label: Label, props: Mapping[str, Any]) -> Node:
    data = {k: _to_native(v) for k, v in props.items() if not k.startswith("_")}
    for key in JSON_FIELDS.get(label, ()):
        if isinstance(data.get(key), str):
            data[key] = json.loads(data[key])
    return LABEL_MODELS[label].model_validate(data)


def _encode_props(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (v._value_ if isinstance(v, Enum) else v) for k, v in props.items()}


def _our_label(labels: Sequence[str]) -> Label | None:
    for lab in labels:
        if lab in Label.__members__.values() or lab in {str(x) for x in Label}:
            return Label(lab)
    return None


def _decode_event(props: Mapping[str, Any]) -> ChangeEvent:
    data = {k: _to_native(v) for k, v in props.items() if k != "key"}
    for key in ("old", "new"):
        if isinstance(data.get(key), str):
            data[key] = json.loads(data[key])
    return ChangeEvent.model_validate(data)


def _encode_event(event: ChangeEvent) -> dict[str, Any]:
    key = "|".join((event.entity, event.entity_id, event.field, event.at.isoformat()))
    props: dict[str, Any] = {
        "entity": event.entity,
        "entity_id": event.entity_id,
        "field": event.field,
        "old": json.dumps(event.old),
        "new": json.dumps(event.new),
        "at": event.at,
        "by": event.by,
    }
    if event.contact_id is not None:
        props["contact_id"] = event.contact_id
    return {"key": key, "props": props}


# ---------------------------------------------------------------------- the unit


class Rows(list[Any]):
    """The rows of one batched statement: sent as a list, described as a count.

    The driver describes every statement it sends for its debug log, log on or off
    (it joins the ``repr`` of the parameters before calling ``log.debug``): for the
    ~10,000 rows of a batch that description alone cost about 170 ms of an import of
    20,000 contacts. A count costs nothing to describe, and keeps the rows of batches
    (customer data) out of the driver's debug log (a single value, such as a name
    filter, still shows there).

    A batch is emptied once its statement has run (:func:`_sent`): the driver's result
    keeps its parameters and sits in reference cycles, so the rows of every batch of
    an import would otherwise live on until the collector's next pass (measured at 200
    accounts x 100 contacts: 164,000 objects, freed in one 0.15 s collection at the end).

    >>> Rows([{"id": "c-1"}, {"id": "c-2"}])
    <2 rows>
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _sent(params: Mapping[str, Any]) -> None:
    """Empty the batches of a statement that has run (see :class:`Rows`)."""
    for value in params.values():
        if isinstance(value, Rows):
            value.clear()


class _Neo4jUnit(WriteUnit):
    def __init__(self, tx: ManagedTransaction) -> None:
        self.tx = tx

    def _run(
        self, query: LiteralString, **params: Any
    ) -> tuple[list[neo4j.Record], SummaryCounters]:
        """One statement: its records and what it changed; its batches emptied once it
        has run (see :class:`Rows`)."""
        result = self.tx.run(query, **params)
        records = list(result)
        counters = result.consume().counters
        _sent(params)
        return records, counters

    def _count(self, query: LiteralString, **params: Any) -> int:
        """:meth:`_run` of a statement returning one count, ``n``."""
        records, _ = self._run(query, **params)
        return int(records[0]["n"]) if records else 0

    def lock_nodes(self, label: Label, ids: Sequence[str]) -> None:
        self._run(_q(LOCK_NODES, label=label), ids=Rows(ids))

    def patch_nodes(self, label: Label, rows: Sequence[tuple[Node, frozenset[str]]]) -> None:
        out = []
        for node, fields in rows:
            whole = _encode_node(node)
            keys = {*fields, "created_at", "updated_at"}
            props = {k: whole.get(k) for k in keys} | {"_hash": None}  # compared again on import
            out.append({"id": node.id, "props": props})
        self._run(_q(PATCH_NODES, label=label), rows=Rows(out))

    def fetch_nodes(self, label: Label, ids: Sequence[str]) -> dict[str, Node]:
        rows, _ = self._run(_q(FETCH_NODES, label=label), ids=Rows(ids))
        return {r["props"]["id"]: _decode_node(label, r["props"]) for r in rows}

    def existing_ids(self, label: Label, ids: Sequence[str]) -> set[str]:
        rows, _ = self._run(_q(EXISTING_IDS, label=label), ids=Rows(ids))
        return {r["id"] for r in rows}

    def fetch_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        pairs: Sequence[tuple[str, str]],
    ) -> dict[tuple[str, str], dict[str, Any]]:
        rows, _ = self._run(
            _q(FETCH_RELS, fl=from_label, tl=to_label, type=rel_type),
            pairs=Rows(list(p) for p in pairs),
        )
        return {
            (r["f"], r["t"]): rel_properties(
                rel_type, {k: _to_native(v) for k, v in r["props"].items()}
            )
            for r in rows
        }

    def upsert_nodes(
        self, label: Label, nodes: Sequence[Node], hashes: Mapping[str, str] | None = None
    ) -> None:
        rows = [
            _encode_node(n)
            | {
                "_hash": hashes[n.id]
                if hashes and n.id in hashes
                else content_hash(content_json(n))
            }
            for n in nodes
        ]
        self._run(_q(UPSERT_NODES, label=label), rows=Rows(rows))

    def import_nodes(
        self, label: Label, rows: Sequence[tuple[Node, str, str]], at: datetime
    ) -> tuple[int, dict[str, Node]]:
        params = Rows()
        time_fields = _TIME_FIELDS[label]
        for node, _text, digest in rows:
            props = _encode_node(node)
            tz: dict[str, str] = {}
            local: dict[str, str] = {}
            row = {"id": node.id, "hash": digest, "props": props}
            for stamp in ("created_at", "updated_at"):
                if stamp in props:
                    row[stamp] = _iso(props.pop(stamp))  # always with a zone (UtcDatetime)
            for name in time_fields:
                value = props.get(name)
                if isinstance(value, datetime):
                    (local if value.tzinfo is None else tz)[name] = _iso(props.pop(name))
            if tz:  # absent: row.tz is null, and so is each of its fields
                row["tz"] = tz
            if local:
                row["local"] = local
            params.append(row)
        records, counters = self._run(_IMPORT_NODES_QUERIES[label], rows=params, at=_iso(at))
        return counters.nodes_created, {
            r["props"]["id"]: _decode_node(label, r["props"]) for r in records
        }

    def set_hashes(self, label: Label, rows: Sequence[tuple[str, str]]) -> None:
        params = Rows({"id": node_id, "hash": digest} for node_id, digest in rows)
        self._run(_q(SET_HASHES, label=label), rows=params)

    def import_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
    ) -> tuple[int, list[tuple[str, str, dict[str, Any]]], int]:
        time_fields = _REL_TIME_FIELDS[rel_type]
        # rows by the time properties they carry (as ISO text, see _import_rels_query)
        groups: dict[tuple[str, ...], Rows] = defaultdict(Rows)
        for f, t, p in rows:
            props = _encode_props(p)
            tz: dict[str, str] = {}
            for name in time_fields:
                value = props.get(name)
                if isinstance(value, datetime) and value.tzinfo is not None:
                    tz[name] = _iso(props.pop(name))
            groups[tuple(tz)].append([f, t, props, tz] if tz else [f, t, props])
        new = {(f, t): p for f, t, p in rows}
        created = dropped = 0
        updated = []
        for times, params in groups.items():
            records, counters = self._run(
                _import_rels_query(rel_type, from_label, to_label, times), rows=params
            )
            for r in records:
                old = rel_properties(rel_type, {k: _to_native(v) for k, v in r["old"].items()})
                if old != new[(r["f"], r["t"])]:
                    updated.append((r["f"], r["t"], old))
            created += counters.relationships_created
            dropped += counters.relationships_deleted
        return created, updated, dropped

    def upsert_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
    ) -> None:
        self._run(
            _q(UPSERT_RELS, fl=from_label, tl=to_label, type=rel_type),
            rows=Rows({"f": f, "t": t, "props": _encode_props(p)} for f, t, p in rows),
        )

    def targets_of(
        self, rel_type: RelType, from_label: Label, from_ids: Sequence[str]
    ) -> list[tuple[str, str, str]]:
        rows, _ = self._run(_q(TARGETS_OF, fl=from_label, type=rel_type), ids=Rows(from_ids))
        out = []
        for r in rows:
            label = _our_label(r["labels"])
            if label is not None:
                out.append((r["f"], str(label), r["t"]))
        return out

    def delete_relationships(self, keys: Sequence[RelKey]) -> int:
        groups: dict[tuple[str, str, str], list[list[str]]] = defaultdict(list)
        for t, fl, fid, tl, tid in keys:
            groups[(t, fl, tl)].append([fid, tid])
        deleted = 0
        for (t, fl, tl), pairs in groups.items():
            deleted += self._count(_q(DELETE_RELS, fl=fl, tl=tl, type=t), pairs=Rows(pairs))
        return deleted

    def delete_nodes(self, label: Label, ids: Sequence[str]) -> int:
        return self._count(_q(DELETE_NODES, label=label), ids=Rows(ids))

    def put_journal(self, journal: ImportJournal) -> None:
        self.tx.run(PUT_JOURNAL, journal=journal.model_dump_json()).consume()

    def insert_changes(self, events: Sequence[ChangeEvent]) -> int:
        if not events:
            return 0
        rows = []
        for event in events:
            row = _encode_event(event)
            row["at"] = _iso(row["props"].pop("at"))  # ISO text: see IMPORT_NODES
            rows.append(row)
        return self._count(INSERT_CHANGES, rows=Rows(rows))


class _Abandoned(Exception):
    """A write whose caller was told the store is unavailable: roll it back."""


#: Driver errors that mean "the server cannot be reached / cannot serve now".
_UNAVAILABLE = (ServiceUnavailable, SessionExpired, DatabaseUnavailable, OSError)


class Neo4jStore(GraphStore):
    """A :class:`GraphStore` over a Neo4j 5 database.

    Every call fails within a few seconds with
    :class:`~stakegraph.graph.errors.StoreUnavailable` when Neo4j is down or frozen,
    and works again by itself once Neo4j is back:

    * the driver refuses to wait long: ``connection_timeout`` (TCP connect),
      ``acquisition_timeout`` (getting a pooled connection, which bounds the Bolt
      handshake, the login and the liveness check of a connection idle longer than
      ``liveness_check_timeout``), ``max_retry_time`` (retries of a failed transaction);
    * a server that accepts TCP but never answers leaves a socket read blocked for
      ever, which no driver setting bounds: each call runs on a worker thread
      (:class:`~stakegraph.graph.bounded.BoundedCalls`), and once it has gone
      ``stall_timeout`` seconds without an answer the server is probed (a connectivity
      check, bounded); a busy server keeps its call, a silent one gets it abandoned;
    * ``query_timeout`` is the server-side limit of a read (writes: at least 600 s);
    * :meth:`health` answers within ``health_timeout``;
    * an import writes about ``import_part_rows`` records (whole accounts) per
      transaction (:data:`~stakegraph.graph.store.IMPORT_PART_ROWS`).

    Calls taking ``slow_query_seconds`` or longer are logged with their duration and
    query text (``None``: never); failed ones always (never the parameters' values).
    """

    backend: ClassVar[str] = "neo4j"

    def __init__(
        self,
        uri: str,
        user: str = "neo4j",
        password: str | None = None,
        *,
        database: str = "neo4j",
        query_timeout: float = 30.0,
        connection_timeout: float = 2.0,
        acquisition_timeout: float = 3.0,
        max_retry_time: float = 2.0,
        liveness_check_timeout: float | None = 1.0,
        stall_timeout: float = 2.0,
        health_timeout: float = 3.0,
        max_connection_pool_size: int = 50,
        slow_query_seconds: float | None = 0.5,
        import_part_rows: int = IMPORT_PART_ROWS,
    ) -> None:
        if import_part_rows < 1:
            raise ValueError(f"import_part_rows: {import_part_rows!r} is not a positive count")
        self.uri = uri
        self.import_part_rows = import_part_rows
        self.slow_query_seconds = slow_query_seconds
        self.database = database
        self.query_timeout = query_timeout
        self.write_timeout = max(query_timeout, 600.0)
        self.health_timeout = health_timeout
        self._driver = GraphDatabase.driver(
            uri,
            auth=(user, password) if password is not None else None,
            notifications_min_severity="OFF",
            max_connection_pool_size=max_connection_pool_size,
            connection_timeout=connection_timeout,
            connection_acquisition_timeout=acquisition_timeout,
            max_transaction_retry_time=max_retry_time,
            liveness_check_timeout=liveness_check_timeout,
        )
        self._calls = BoundedCalls(
            self._driver.verify_connectivity,
            stall_after=stall_timeout,
            probe_timeout=acquisition_timeout + 0.5,
            workers=max_connection_pool_size,
            name="neo4j",
        )
        try:
            self._call(
                lambda _: self._driver.verify_connectivity(),
                limit=acquisition_timeout + 1,
                what="verify connectivity",
            )
            self.ensure_schema()
        except StoreUnavailable:
            self.close()
            raise
        except neo4j.exceptions.AuthError as exc:
            self.close()
            raise StoreMisconfigured(
                f"Neo4j at {uri} refused the credentials of user {user!r} "
                "(NEO4J_USERNAME / NEO4J_PASSWORD)"
            ) from exc
        except neo4j.exceptions.ClientError as exc:
            self.close()
            if "DatabaseNotFound" in (exc.code or ""):
                raise StoreMisconfigured(
                    f"NEO4J_DATABASE {database!r}: no such database on {uri}"
                ) from exc
            raise

    # ------------------------------------------------------------------ lifecycle
    def _call(self, work: Callable[[threading.Event], T], *, limit: float, what: str) -> T:
        """``work`` on a worker thread, bounded (see the class docstring); driver errors
        of an unreachable server become ``StoreUnavailable`` (detail in the log).
        ``what`` (the query, or the operation) is logged when slow or failed."""

        def guarded(abandoned: threading.Event) -> T:
            try:
                return work(abandoned)
            except _UNAVAILABLE as exc:
                log.warning("Neo4j at %s is not reachable: %s", self.uri, exc)
                raise StoreUnavailable("Neo4j is not reachable") from exc

        with querylog.timed(
            log,
            "neo4j",
            what,
            self.slow_query_seconds,
            (Neo4jError, DriverError, StoreUnavailable),
        ):
            return self._calls.run(guarded, limit=limit)

    def _run(self, query: str, **params: Any) -> list[neo4j.Record]:
        def work(_abandoned: threading.Event) -> list[neo4j.Record]:
            records, _summary, _keys = self._driver.execute_query(
                Query(query, timeout=self.query_timeout),
                parameters_=params,
                database_=self.database,
                routing_=neo4j.RoutingControl.READ,
            )
            return records

        records = self._call(work, limit=self.query_timeout + 10, what=query)
        _sent(params)  # retried with the same parameters until here; not after an error
        return records

    def ensure_schema(self) -> None:
        statements = [
            _q(CONSTRAINT.replace("{name}", _constraint_name(label)), label=label)
            for label in Label
        ]
        statements += [EVENT_CONSTRAINT, SEQ_CONSTRAINT, *INDEXES, *META_CONSTRAINTS]

        def work(_abandoned: threading.Event) -> None:
            for statement in statements:
                self._driver.execute_query(statement, database_=self.database)

        self._call(work, limit=self.write_timeout, what="schema")

    def close(self) -> None:
        self._calls.close()
        self._driver.close()

    def health(self) -> StoreHealth:
        """Whether Neo4j answers a query, within ``health_timeout`` seconds."""
        try:
            self._call(
                lambda _: self._driver.execute_query("RETURN 1", database_=self.database),
                limit=self.health_timeout,
                what="health check",
            )
        except (StoreUnavailable, Neo4jError) as exc:
            cause = exc.__cause__ or exc
            log.warning("Neo4j health check failed: %s", cause)
            return StoreHealth(
                backend=self.backend, location=self.uri, reachable=False, detail=str(cause)
            )
        return StoreHealth(backend=self.backend, location=self.uri, reachable=True)

    def clear(self) -> None:
        def work(_: threading.Event) -> None:
            with self._driver.session(database=self.database) as session:
                session.run(CLEAR_RELS).consume()
                session.run(CLEAR).consume()
                session.run(SET_GENERATION, token=new_generation()).consume()

        self._call(work, limit=self.write_timeout, what="clear")

    def _in_write_transaction(
        self, work: Callable[[WriteUnit], T], *, generation: str | None = None
    ) -> T:
        def call(abandoned: threading.Event) -> T:
            def unit_of_work(tx: ManagedTransaction) -> T:
                result = work(_Neo4jUnit(tx))
                tx.run(SET_GENERATION, token=generation or new_generation()).consume()
                if abandoned.is_set():  # the caller was told it failed: do not commit
                    raise _Abandoned
                return result

            with self._driver.session(database=self.database) as session:
                return session.execute_write(
                    neo4j.unit_of_work(timeout=self.write_timeout)(unit_of_work)
                )

        return self._call(call, limit=self.write_timeout + 10, what="write transaction")

    # ------------------------------------------------------- generation and cache
    def generation(self) -> str | None:
        rows = self._run(GET_GENERATION)
        return str(rows[0]["token"]) if rows else None

    def import_journal(self) -> ImportJournal | None:
        rows = self._run(GET_JOURNAL)
        return ImportJournal.model_validate_json(rows[0]["journal"]) if rows else None

    def cached(self, keys: Sequence[str]) -> dict[str, CacheEntry]:
        rows = self._run(CACHED, keys=list(keys))
        return {r["key"]: CacheEntry(r["key"], r["generation"], bytes(r["payload"])) for r in rows}

    def cache(self, entries: Sequence[CacheEntry]) -> None:
        if not entries:
            return
        rows = [{"key": e.key, "generation": e.generation, "payload": e.payload} for e in entries]

        def put(tx: ManagedTransaction) -> None:
            found = tx.run(GET_GENERATION).single()
            current = None if found is None else found["token"]
            fresh = [r for r in rows if r["generation"] == current]
            if fresh:  # an entry of an older generation could never be read back
                tx.run(DROP_STALE_CACHE, current=current).consume()
                batch = Rows(fresh)  # built again by a retry
                tx.run(PUT_CACHE, rows=batch).consume()
                batch.clear()

        def work(_: threading.Event) -> None:
            with self._driver.session(database=self.database) as session:
                session.execute_write(put)  # retried on a deadlock like every write

        self._call(work, limit=self.write_timeout, what="cache")

    # ---------------------------------------------------------------------- reads
    def get_nodes(self, label: Label, ids: Sequence[str]) -> dict[str, Node]:
        label = Label(label)
        rows = self._run(_q(FETCH_NODES, label=label), ids=Rows(ids))
        return {r["props"]["id"]: _decode_node(label, r["props"]) for r in rows}

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
        label = Label(label)
        model = LABEL_MODELS[label]
        filters: dict[str, list[Any]] = {}
        for prop, value in (where or {}).items():
            if prop not in model.model_fields:
                raise ValueError(f"{label} has no property {prop!r}")
            values = value if isinstance(value, list | tuple | set) else [value]
            filters[prop] = [_encode_value(v) for v in values]
        rows = self._run(
            _q(LIST_NODES, label=label),
            where=filters,
            name=name_contains.lower() if name_contains else None,
            ids=list(ids) if ids is not None else None,
            after=decode_cursor(after) if after else None,
            limit=first + 1,
        )
        record = rows[0]
        fetched = [_decode_node(label, dict(n)) for n in record["page"]]
        return Page.of_nodes(fetched, first, record["total"])

    def relationships(
        self,
        rel_type: RelType,
        *,
        from_ids: Sequence[str] | None = None,
        to_ids: Sequence[str] | None = None,
    ) -> list[Relationship]:
        rows = self._run(
            _q(RELS_BY_TYPE, type=rel_type),
            **{
                "from": list(from_ids) if from_ids is not None else None,
                "to": list(to_ids) if to_ids is not None else None,
            },
        )
        rels = [
            _decode_rel(str(rel_type), r["fl"], r["f"], r["tl"], r["t"], r["props"]) for r in rows
        ]
        return sorted((r for r in rels if r is not None), key=lambda r: r.key)

    def account_subgraphs(
        self, company_ids: Sequence[str], *, path_depth: int = DEFAULT_PATH_DEPTH
    ) -> dict[str, nx.MultiDiGraph]:
        query = neo4j_reads.account_subgraphs_query(check_path_depth(path_depth) - 1)
        rows = self._run(query, ids=Rows(dict.fromkeys(company_ids)))
        return neo4j_reads.subgraphs(rows)

    def owning_accounts(self, label: Label, ids: Sequence[str]) -> dict[str, str]:
        query = neo4j_reads.owning_accounts_query(Label(label))
        if query is None or not ids:
            return {}
        return {r["id"]: r["company"] for r in self._run(query, ids=Rows(dict.fromkeys(ids)))}

    def changes_since(
        self, since: datetime, *, contact_ids: Sequence[str] | None = None
    ) -> list[ChangeEvent]:
        since_value = since if since != datetime.min else datetime(1, 1, 1, tzinfo=_utc())
        if since_value.tzinfo is None:
            since_value = since_value.replace(tzinfo=_utc())
        rows = self._run(
            CHANGES_SINCE,
            since=since_value,
            contacts=list(contact_ids) if contact_ids is not None else None,
        )
        return [_decode_event(r["props"]) for r in rows]

    def changes_after(
        self,
        after: int = 0,
        *,
        contact_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[ChangeEvent]:
        rows = self._run(
            CHANGES_AFTER,
            after=after,
            contacts=list(contact_ids) if contact_ids is not None else None,
            limit=limit if limit is not None else 2**62,
        )
        return [_decode_event(r["props"]) for r in rows]

    def export(self) -> GraphBatch:
        nodes: list[Node] = []
        for label in Label:
            nodes.extend(
                _decode_node(label, r["props"]) for r in self._run(_q(EXPORT_NODES, label=label))
            )

        rels: list[Relationship] = []
        for rel_type in RelType:
            allowed_from, allowed_to = REL_ENDPOINTS[rel_type]
            for fl in sorted(allowed_from):
                for tl in sorted(allowed_to):
                    for r in self._run(_q(EXPORT_RELS, fl=fl, tl=tl, type=rel_type)):
                        rels.append(
                            Relationship(
                                type=rel_type,
                                from_label=fl,
                                from_id=r["f"],
                                to_label=tl,
                                to_id=r["t"],
                                properties={k: _to_native(v) for k, v in r["props"].items()},
                            )
                        )
        rels.sort(key=lambda r: r.key)
        return GraphBatch(nodes=nodes, relationships=rels, changes=self.changes_since(datetime.min))

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for label in Label:
            out[str(label)] = self._run(_q(COUNT_LABEL, label=label))[0]["n"]
        for rel_type in RelType:
            out[str(rel_type)] = self._run(_q(COUNT_TYPE, type=rel_type))[0]["n"]
        out["changes"] = self._run(_q(COUNT_LABEL, label=EVENT_LABEL))[0]["n"]
        return out

    def _email_holders(self, label: Label, addresses: Sequence[str]) -> list[tuple[str, str]]:
        rows = self._run(EMAIL_HOLDERS[Label(label)], emails=list(addresses))
        return [(r["address"], r["id"]) for r in rows]


def _constraint_name(label: Label) -> str:
    return f"{str(label).lower()}_id_unique"


def _utc() -> Any:
    from datetime import UTC

    return UTC


def _encode_value(value: Any) -> Any:
    if hasattr(value, "value"):
        return value.value
    if isinstance(value, date | datetime):
        return value
    return value


def _decode_rel(
    rel_type: str,
    from_labels: Sequence[str],
    from_id: str,
    to_labels: Sequence[str],
    to_id: str,
    props: Mapping[str, Any],
) -> Relationship | None:
    fl, tl = _our_label(from_labels), _our_label(to_labels)
    if fl is None or tl is None or rel_type not in {str(t) for t in RelType}:
        return None
    return Relationship(
        type=rel_type,
        from_label=fl,
        from_id=from_id,
        to_label=tl,
        to_id=to_id,
        properties={k: _to_native(v) for k, v in props.items()},
    )


# ------------------------------------------------------- storage format, for scripts


def schema_statements() -> list[str]:
    """The constraint and index statements :meth:`Neo4jStore.ensure_schema` runs."""
    statements = [
        _q(CONSTRAINT.replace("{name}", _constraint_name(label)), label=label) for label in Label
    ]
    return [*statements, EVENT_CONSTRAINT, SEQ_CONSTRAINT, *INDEXES]


def node_record(node: Node) -> dict[str, Any]:
    """A node's properties exactly as this store keeps them (for Cypher scripts)."""
    return _encode_node(node)


def relationship_record(props: Mapping[str, Any]) -> dict[str, Any]:
    """A relationship's properties exactly as this store keeps them."""
    return _encode_props(props)


def change_event_record(event: ChangeEvent) -> dict[str, Any]:
    """``{"key": ..., "props": {...}}`` of a change event as this store keeps it."""
    return _encode_event(event)
