"""The embedded store: one durable SQLite file, no server (the default backend).

Nodes, relationships and change events are three tables; node and relationship
properties are JSON documents validated by the same pydantic models as Neo4j's, so
both stores return the same records and the same account subgraphs.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import networkx as nx

from stakegraph.graph import embedded_reads, querylog
from stakegraph.graph.errors import StoreUnavailable
from stakegraph.graph.import_journal import (
    ImportJournal,
    ImportPart,
    account_roots,
    in_account_order,
)
from stakegraph.graph.model import (
    LABEL_MODELS,
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
    CONTENT_VERSION,
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
    drop_other_targets,
    new_generation,
)

__all__ = ["EmbeddedStore"]

log = logging.getLogger(__name__)

T = TypeVar("T")
_CHUNK = 500  # SQLite host-parameter lists stay well under its limit

#: The relationships' secondary indexes: an import into an empty store drops them and
#: builds them again at its end, in its transaction (sorting once is quicker than
#: keeping them up to date row by row).
_REL_INDEXES = (
    "CREATE INDEX IF NOT EXISTS rels_from ON rels (from_label, from_id, type)",
    "CREATE INDEX IF NOT EXISTS rels_to ON rels (to_label, to_id, type)",
)
_REL_INDEX_NAMES = ("rels_from", "rels_to")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS nodes (
    label TEXT NOT NULL,
    id TEXT NOT NULL,
    props TEXT NOT NULL,
    name_lc TEXT,
    hash TEXT,
    PRIMARY KEY (label, id)
);
CREATE TABLE IF NOT EXISTS rels (
    type TEXT NOT NULL,
    from_label TEXT NOT NULL,
    from_id TEXT NOT NULL,
    to_label TEXT NOT NULL,
    to_id TEXT NOT NULL,
    props TEXT NOT NULL,
    PRIMARY KEY (type, from_label, from_id, to_label, to_id)
);
{rel_indexes}
CREATE TABLE IF NOT EXISTS changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    contact_id TEXT,
    field TEXT NOT NULL,
    old TEXT,
    new TEXT,
    at TEXT NOT NULL,
    by TEXT NOT NULL,
    UNIQUE (entity, entity_id, field, at)
);
CREATE INDEX IF NOT EXISTS changes_contact ON changes (contact_id, at);
CREATE INDEX IF NOT EXISTS changes_at ON changes (at);
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS cache (
    key TEXT PRIMARY KEY,
    generation TEXT NOT NULL,
    payload BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS cache_generation ON cache (generation);
""".replace("{rel_indexes}", ";\n".join(_REL_INDEXES) + ";")
_EMPTY = "SELECT NOT EXISTS (SELECT 1 FROM nodes) AND NOT EXISTS (SELECT 1 FROM rels)"
_SET_GENERATION = "INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)"
#: The import journal (:mod:`stakegraph.graph.import_journal`), one JSON row of ``meta``.
_PUT_JOURNAL = "INSERT OR REPLACE INTO meta (key, value) VALUES ('import', ?)"
_GET_JOURNAL = "SELECT value FROM meta WHERE key = 'import'"


#: Stored addresses among a JSON array of wanted ones, per label (one statement).
_EMAIL_HOLDERS: dict[Label, str] = {
    Label.CONTACT: (
        "SELECT lower(e.value) AS address, n.id AS id "
        "FROM nodes AS n, json_each(n.props, '$.emails') AS e "
        "WHERE n.label = ? AND lower(e.value) IN (SELECT value FROM json_each(?))"
    ),
    Label.REP: (
        "SELECT lower(json_extract(props, '$.email')) AS address, id FROM nodes "
        "WHERE label = ? AND lower(json_extract(props, '$.email')) IN "
        "(SELECT value FROM json_each(?))"
    ),
}


#: SQLite result codes of a database that cannot be read or written now (locked by
#: another process, missing, unreadable, not a database, corrupt, disk trouble).
_UNAVAILABLE_CODES = (
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_CANTOPEN",
    "SQLITE_NOTADB",
    "SQLITE_CORRUPT",
    "SQLITE_IOERR",
    "SQLITE_READONLY",
    "SQLITE_PERM",
    "SQLITE_FULL",
    "SQLITE_PROTOCOL",
)


@contextmanager
def _available(path: str, *, logged: bool = False) -> Iterator[None]:
    """Turn the errors of a database that cannot be used into ``StoreUnavailable``
    (the SQLite message goes to the log, not to the caller; ``logged``: it has been
    logged already, with the query's duration)."""
    try:
        yield
    except (sqlite3.Error, OSError) as exc:
        name = getattr(exc, "sqlite_errorname", "") or ""
        closed = isinstance(exc, sqlite3.ProgrammingError) and "closed" in str(exc)
        if not (isinstance(exc, OSError) or closed or name.startswith(_UNAVAILABLE_CODES)):
            raise
        if not logged:
            log.warning("embedded store %s is unavailable: %s (%s)", path, exc, name or "-")
        raise StoreUnavailable("the embedded store cannot be read or written") from exc


def _at_text(at: datetime) -> str:
    """Fixed-width UTC text, so that SQL string order is time order."""
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _chunks(items: Sequence[T], size: int = _CHUNK) -> Iterator[Sequence[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _json_time(at: datetime) -> str:
    """A UTC time as pydantic writes it in JSON (``"2026-01-02T03:04:05.123456Z"``)."""
    return '"' + at.astimezone(UTC).isoformat().replace("+00:00", "Z") + '"'


def _rel_text(props: Mapping[str, Any]) -> str:
    """A relationship's properties as stored (and compared on import)."""
    return json.dumps(props, default=str) if props else "{}"


def _name_lc(node: Node) -> str | None:
    return (getattr(node, "name", None) or "").casefold() or None


def _node_from_row(label: str, props: str) -> Node:
    return LABEL_MODELS[Label(label)].model_validate_json(props)


def _event_from_row(row: sqlite3.Row) -> ChangeEvent:
    return ChangeEvent(
        entity=row["entity"],
        entity_id=row["entity_id"],
        contact_id=row["contact_id"],
        field=row["field"],
        old=json.loads(row["old"]),
        new=json.loads(row["new"]),
        at=datetime.fromisoformat(row["at"]),
        by=row["by"],
        seq=row["seq"],
    )


class _SqliteUnit(WriteUnit):
    def __init__(self, conn: sqlite3.Connection, *, empty: bool = False) -> None:
        self.conn = conn
        #: the store held nothing when this (import) transaction began, and the import
        #: writes each record once: nothing it looks for can be there yet
        self.empty = empty

    def lock_nodes(self, label: Label, ids: Sequence[str]) -> None:
        """Nothing to do: the transaction began ``IMMEDIATE`` (the database's write
        lock is held from its first statement)."""

    def patch_nodes(self, label: Label, rows: Sequence[tuple[Node, frozenset[str]]]) -> None:
        params = []
        for node, fields in rows:
            whole = json.loads(node.model_dump_json(exclude_none=True))
            keys = {*fields, "id", "created_at", "updated_at"}
            patch = {k: whole.get(k) for k in keys}  # null removes (RFC 7396)
            params.append(
                (
                    json.dumps(patch),
                    (getattr(node, "name", None) or "").casefold() or None,
                    str(label),
                    node.id,
                )
            )
        self.conn.executemany(
            "UPDATE nodes SET props = json_patch(props, ?), name_lc = ?, hash = NULL "
            "WHERE label = ? AND id = ?",
            params,
        )

    def fetch_nodes(self, label: Label, ids: Sequence[str]) -> dict[str, Node]:
        return _fetch_nodes(self.conn, label, ids)

    def existing_ids(self, label: Label, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids):
            rows = self.conn.execute(
                f"SELECT id FROM nodes WHERE label = ? AND id IN ({_marks(len(chunk))})",
                [str(label), *chunk],
            )
            found.update(r[0] for r in rows)
        return found

    def fetch_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        pairs: Sequence[tuple[str, str]],
    ) -> dict[tuple[str, str], dict[str, Any]]:
        out: dict[tuple[str, str], dict[str, Any]] = {}
        wanted = set(pairs)
        for chunk in _chunks(sorted({f for f, _ in pairs})):
            rows = self.conn.execute(
                "SELECT from_id, to_id, props FROM rels WHERE type = ? AND from_label = ? "
                f"AND to_label = ? AND from_id IN ({_marks(len(chunk))})",
                [str(rel_type), str(from_label), str(to_label), *chunk],
            )
            for fid, tid, props in rows:
                if (fid, tid) in wanted:
                    out[(fid, tid)] = rel_properties(rel_type, json.loads(props))
        return out

    def upsert_nodes(
        self, label: Label, nodes: Sequence[Node], hashes: Mapping[str, str] | None = None
    ) -> None:
        self.conn.executemany(
            "INSERT INTO nodes (label, id, props, name_lc, hash) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (label, id) DO UPDATE SET props = excluded.props, "
            "name_lc = excluded.name_lc, hash = excluded.hash",
            [
                (
                    str(label),
                    n.id,
                    n.model_dump_json(exclude_none=True),
                    _name_lc(n),
                    hashes[n.id] if hashes and n.id in hashes else content_hash(content_json(n)),
                )
                for n in nodes
            ],
        )

    def import_nodes(
        self, label: Label, rows: Sequence[tuple[Node, str, str]], at: datetime
    ) -> tuple[int, dict[str, Node]]:
        stored: dict[str, str] = (
            {}
            if self.empty
            else dict(
                self.conn.execute(
                    "SELECT n.id, n.hash FROM json_each(?) AS j CROSS JOIN nodes AS n "
                    "ON n.label = ? AND n.id = j.value",
                    (json.dumps([node.id for node, _, _ in rows]), str(label)),
                ).fetchall()
            )
        )
        at_text = _json_time(at)
        label_text = str(label)
        new = []
        stale: list[str] = []
        for node, text, digest in rows:
            node_id = node.id
            if node_id in stored:
                if stored[node_id] != digest:
                    stale.append(node_id)
                continue
            created_at, updated_at = node.created_at, node.updated_at
            created = _json_time(created_at) if created_at else at_text
            updated = _json_time(updated_at) if updated_at else at_text
            props = f'{text[:-1]},"created_at":{created},"updated_at":{updated}}}'
            new.append((label_text, node_id, props, _name_lc(node), digest))
        self.conn.executemany(
            "INSERT INTO nodes (label, id, props, name_lc, hash) VALUES (?, ?, ?, ?, ?)", new
        )
        return len(new), _fetch_nodes(self.conn, label, stale) if stale else {}

    def set_hashes(self, label: Label, rows: Sequence[tuple[str, str]]) -> None:
        self.conn.executemany(
            "UPDATE nodes SET hash = ? WHERE label = ? AND id = ?",
            [(digest, str(label), node_id) for node_id, digest in rows],
        )

    def import_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
    ) -> tuple[int, list[tuple[str, str, dict[str, Any]]], int]:
        stored: dict[tuple[str, str], str] = {}
        dropped = 0
        if not self.empty and rel_type in SINGLE_TARGET:
            wanted = {(f, str(to_label), t) for f, t, _ in rows}
            dropped = drop_other_targets(self, rel_type, from_label, wanted)
        if not self.empty:
            stored = {
                (f, t): props
                for f, t, props in self.conn.execute(
                    "SELECT r.from_id, r.to_id, r.props FROM json_each(?) AS j CROSS JOIN rels AS r "
                    "ON r.type = ? AND r.from_label = ? AND r.from_id = j.value AND r.to_label = ?",
                    (
                        json.dumps(sorted({f for f, _, _ in rows})),
                        str(rel_type),
                        str(from_label),
                        str(to_label),
                    ),
                )
            }
        created = 0
        updated: list[tuple[str, str, dict[str, Any]]] = []
        params = []
        rel_type_text, fl_text, tl_text = str(rel_type), str(from_label), str(to_label)
        texts: dict[tuple[Any, ...], str] = {}  # the same properties recur: dumped once

        def text_of(props: dict[str, Any]) -> str:
            try:
                key = (tuple(props.items()), tuple(map(type, props.values())))
                return texts.get(key) or texts.setdefault(key, _rel_text(props))
            except TypeError:  # a list among them
                return _rel_text(props)

        if not stored:  # none of them there yet (a fresh import): all created
            params = [
                (rel_type_text, fl_text, f, tl_text, t, text_of(props) if props else "{}")
                for f, t, props in rows
            ]
            created = len(params)
        for f, t, props in rows if stored else ():
            text = text_of(props) if props else "{}"
            old_text = stored.get((f, t))
            if old_text == text:
                continue
            if old_text is None:
                created += 1
            else:
                old = rel_properties(rel_type, json.loads(old_text))
                if old != props:
                    updated.append((f, t, old))
            params.append((rel_type_text, fl_text, f, tl_text, t, text))
        self.conn.executemany(
            "INSERT INTO rels (type, from_label, from_id, to_label, to_id, props) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (type, from_label, from_id, to_label, to_id) "
            "DO UPDATE SET props = excluded.props",
            params,
        )
        return created, updated, dropped

    def upsert_relationships(
        self,
        rel_type: RelType,
        from_label: Label,
        to_label: Label,
        rows: Sequence[tuple[str, str, dict[str, Any]]],
    ) -> None:
        self.conn.executemany(
            "INSERT INTO rels (type, from_label, from_id, to_label, to_id, props) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (type, from_label, from_id, to_label, to_id) "
            "DO UPDATE SET props = excluded.props",
            [
                (str(rel_type), str(from_label), f, str(to_label), t, _rel_text(p))
                for f, t, p in rows
            ],
        )

    def targets_of(
        self, rel_type: RelType, from_label: Label, from_ids: Sequence[str]
    ) -> list[tuple[str, str, str]]:
        out: list[tuple[str, str, str]] = []
        for chunk in () if self.empty else _chunks(from_ids):
            rows = self.conn.execute(
                "SELECT from_id, to_label, to_id FROM rels WHERE type = ? AND from_label = ? "
                f"AND from_id IN ({_marks(len(chunk))})",
                [str(rel_type), str(from_label), *chunk],
            )
            out.extend((r[0], r[1], r[2]) for r in rows)
        return out

    def delete_relationships(self, keys: Sequence[RelKey]) -> int:
        deleted = 0
        for key in keys:
            cur = self.conn.execute(
                "DELETE FROM rels WHERE type = ? AND from_label = ? AND from_id = ? "
                "AND to_label = ? AND to_id = ?",
                [str(k) for k in key],
            )
            deleted += cur.rowcount
        return deleted

    def delete_nodes(self, label: Label, ids: Sequence[str]) -> int:
        deleted = 0
        for chunk in _chunks(ids):
            m = _marks(len(chunk))
            self.conn.execute(
                f"DELETE FROM rels WHERE (from_label = ? AND from_id IN ({m})) "
                f"OR (to_label = ? AND to_id IN ({m}))",
                [str(label), *chunk, str(label), *chunk],
            )
            cur = self.conn.execute(
                f"DELETE FROM nodes WHERE label = ? AND id IN ({m})", [str(label), *chunk]
            )
            deleted += cur.rowcount
        return deleted

    def put_journal(self, journal: ImportJournal) -> None:
        self.conn.execute(_PUT_JOURNAL, (journal.model_dump_json(),))

    def insert_changes(self, events: Sequence[ChangeEvent]) -> int:
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT OR IGNORE INTO changes (entity, entity_id, contact_id, field, old, new, at, by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.entity,
                    e.entity_id,
                    e.contact_id,
                    e.field,
                    json.dumps(e.old),
                    json.dumps(e.new),
                    _at_text(e.at),
                    e.by,
                )
                for e in events
            ],
        )
        return self.conn.total_changes - before


def _fetch_nodes(conn: sqlite3.Connection, label: Label, ids: Sequence[str]) -> dict[str, Node]:
    out: dict[str, Node] = {}
    for chunk in _chunks(list(ids)):
        rows = conn.execute(
            f"SELECT id, props FROM nodes WHERE label = ? AND id IN ({_marks(len(chunk))})",
            [str(label), *chunk],
        )
        for node_id, props in rows:
            out[node_id] = _node_from_row(str(label), props)
    return out


class EmbeddedStore(GraphStore):
    """A durable graph in one SQLite file (``:memory:`` for a throw-away one)."""

    backend: ClassVar[str] = "embedded"

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout: float = 5.0,
        slow_query_seconds: float | None = 0.5,
    ) -> None:
        """Open (creating) the store at ``path``; ``busy_timeout`` bounds the wait for a
        database another process holds locked. ``StoreUnavailable`` when the file
        cannot be opened or is not a stakegraph database. Statements (and write
        transactions) taking ``slow_query_seconds`` or longer are logged (``None``:
        never), failed ones always, with their duration."""
        self.path = str(path)
        self.busy_timeout = busy_timeout
        self.slow_query_seconds = slow_query_seconds
        self._lock = threading.RLock()
        self._closed = False
        with _available(self.path):
            if self.path != ":memory:":
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=busy_timeout
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = OFF")
        self.ensure_schema()

    @contextmanager
    def _using(self, what: str) -> Iterator[sqlite3.Connection]:
        """The connection, held by this thread, for ``what`` (a statement or the name of
        an operation: timed and logged when slow or failed, see :mod:`querylog`); SQLite
        errors of an unreadable or locked database become ``StoreUnavailable``."""
        with (
            self._lock,
            _available(self.path, logged=True),
            querylog.timed(
                log, "embedded", what, self.slow_query_seconds, (sqlite3.Error, OSError)
            ),
        ):
            yield self._conn

    # ------------------------------------------------------------------ lifecycle
    def ensure_schema(self) -> None:
        with self._using("schema"):
            self._conn.executescript(_SCHEMA)
            columns = {r[1] for r in self._conn.execute("PRAGMA table_info(nodes)")}
            if "hash" not in columns:  # a file of an earlier version: no content hashes yet
                self._conn.execute("ALTER TABLE nodes ADD COLUMN hash TEXT")

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self._conn.close()

    def health(self) -> StoreHealth:
        """Whether the database file can be read, within ``busy_timeout`` (a separate
        read-only connection, so a long write of this process does not hold it up)."""
        try:
            if self._closed:
                raise sqlite3.ProgrammingError("the store is closed")
            if self.path == ":memory:":
                with self._lock:
                    self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            else:
                uri = Path(self.path).resolve().as_uri() + "?mode=ro"
                probe = sqlite3.connect(uri, uri=True, timeout=self.busy_timeout)
                try:
                    probe.execute("SELECT count(*) FROM sqlite_master").fetchone()
                finally:
                    probe.close()
        except sqlite3.Error as exc:
            log.warning("embedded store %s is not readable: %s", self.path, exc)
            return StoreHealth(
                backend=self.backend, location=self.path, reachable=False, detail=str(exc)
            )
        return StoreHealth(backend=self.backend, location=self.path, reachable=True)

    def clear(self) -> None:
        with self._tx("clear") as conn:
            conn.execute("DELETE FROM rels")
            conn.execute("DELETE FROM nodes")
            conn.execute("DELETE FROM changes")
            conn.execute("DELETE FROM cache")
            conn.execute("DELETE FROM meta WHERE key = 'import'")

    @contextmanager
    def _tx(
        self, what: str = "write transaction", generation: str | None = None
    ) -> Iterator[sqlite3.Connection]:
        with self._using(what) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute(_SET_GENERATION, (generation or new_generation(),))
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _in_write_transaction(
        self, work: Callable[[WriteUnit], T], *, generation: str | None = None
    ) -> T:
        with self._tx(generation=generation) as conn:
            return work(_SqliteUnit(conn))

    def _import_cut(self, nodes: list[Node], batch: GraphBatch) -> list[ImportPart]:
        """One part: the whole import is one transaction here, so fewer, larger
        statements (a company counts as one account). Into a store holding records,
        those records in the order of the accounts, so that the change events the
        import records (and the document's) are numbered as on Neo4j. Into an empty
        store (a bulk load, which updates nothing and so records no event of its own)
        nodes and relationships in the document's order, only the document's change
        events in the accounts' (finding the accounts of all records costs more)."""
        if not self._empty():
            whole = ImportPart()
            for part in super()._import_cut(nodes, batch):
                whole.extend(part)
            return [whole]
        companies = sum(1 for n in nodes if n.label is Label.COMPANY)
        changes = list(batch.changes)
        if changes:
            contacts = {(Label.CONTACT, e.contact_id) for e in changes if e.contact_id}
            roots = account_roots(nodes, batch.relationships, of=contacts)
            changes = in_account_order(changes, roots)
        return [ImportPart(nodes, list(batch.relationships), changes, companies)]

    def _empty(self, conn: sqlite3.Connection | None = None) -> bool:
        """No node and no relationship stored (read in ``conn``'s transaction if given)."""
        if conn is not None:
            return bool(conn.execute(_EMPTY).fetchone()[0])
        return bool(self._query(_EMPTY)[0][0])

    def _import_parts(
        self,
        journal: ImportJournal,
        parts: Sequence[tuple[int, Sequence[tuple[int, Callable[[WriteUnit, datetime], None]]]]],
        advance: Callable[[int], None],
    ) -> None:
        """The whole import in one transaction (``executemany`` per batch), the journal
        saying ``done`` in it."""
        done, token = journal.advanced(sum(a for a, _ in parts), last=True).finished_with(
            new_generation(), CONTENT_VERSION
        )
        with self._tx("import", generation=token) as conn:
            empty = self._empty(conn)
            if empty:  # a bulk load: the indexes are built once, at the end
                for name in _REL_INDEX_NAMES:
                    conn.execute(f"DROP INDEX IF EXISTS {name}")
            unit, at = _SqliteUnit(conn, empty=empty), datetime.now(UTC)
            for _accounts, steps in parts:
                for n, step in steps:
                    step(unit, at)
                    advance(n)
            if empty:
                for statement in _REL_INDEXES:
                    conn.execute(statement)
            unit.put_journal(done)

    def import_journal(self) -> ImportJournal | None:
        rows = self._query(_GET_JOURNAL)
        return ImportJournal.model_validate_json(rows[0]["value"]) if rows else None

    def generation(self) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = 'generation'")
        return str(rows[0]["value"]) if rows else None

    def cached(self, keys: Sequence[str]) -> dict[str, CacheEntry]:
        rows = self._query(
            "SELECT key, generation, payload FROM cache WHERE key IN (SELECT value FROM json_each(?))",
            (json.dumps(list(keys)),),
        )
        return {r["key"]: CacheEntry(r["key"], r["generation"], bytes(r["payload"])) for r in rows}

    def cache(self, entries: Sequence[CacheEntry]) -> None:
        if not entries:
            return
        with self._using(f"cache ({len(entries)} entries)") as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
                current = None if row is None else str(row[0])
                fresh = [e for e in entries if e.generation == current]
                if fresh:  # an entry of an older generation could never be read back
                    conn.execute(  # nor can the others' entries: only the current kept
                        "DELETE FROM cache WHERE generation < ? OR generation > ?",
                        (current, current),
                    )
                    conn.executemany(
                        "INSERT OR REPLACE INTO cache (key, generation, payload) VALUES (?, ?, ?)",
                        [(e.key, e.generation, e.payload) for e in fresh],
                    )
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._using(sql):
            return self._conn.execute(sql, list(params)).fetchall()

    # ---------------------------------------------------------------------- reads
    def get_nodes(self, label: Label, ids: Sequence[str]) -> dict[str, Node]:
        with self._using(f"get_nodes {label} ({len(ids)} ids)"):
            return _fetch_nodes(self._conn, Label(label), ids)

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
        clauses = ["label = ?"]
        params: list[Any] = [str(label)]
        for prop, value in (where or {}).items():
            if prop not in model.model_fields:
                raise ValueError(f"{label} has no property {prop!r}")
            values = value if isinstance(value, list | tuple | set) else [value]
            clauses.append(f"json_extract(props, ?) IN ({_marks(len(values))})")
            params.extend([f"$.{prop}", *[_json_scalar(v) for v in values]])
        if name_contains:
            clauses.append("instr(name_lc, ?) > 0")
            params.append(name_contains.casefold())
        if ids is not None:
            id_list = list(ids) or [""]
            clauses.append(f"id IN ({_marks(len(id_list))})")
            params.extend(id_list)
        base = " AND ".join(clauses)
        total = self._query(f"SELECT count(*) FROM nodes WHERE {base}", params)[0][0]
        page_clause, page_params = base, list(params)
        if after:
            page_clause += " AND id > ?"
            page_params.append(decode_cursor(after))
        rows = self._query(
            f"SELECT id, props FROM nodes WHERE {page_clause} ORDER BY id LIMIT ?",
            [*page_params, first + 1],
        )
        fetched = [_node_from_row(str(label), r["props"]) for r in rows]
        return Page.of_nodes(fetched, first, total)

    def relationships(
        self,
        rel_type: RelType,
        *,
        from_ids: Sequence[str] | None = None,
        to_ids: Sequence[str] | None = None,
    ) -> list[Relationship]:
        clauses, params = ["type = ?"], [str(rel_type)]
        rows: list[sqlite3.Row] = []
        if from_ids is None and to_ids is None:
            rows = self._query(f"SELECT * FROM rels WHERE {clauses[0]}", params)
        for column, values in (("from_id", from_ids), ("to_id", to_ids)):
            if values is None:
                continue
            for chunk in _chunks(list(values)):
                rows.extend(
                    self._query(
                        f"SELECT * FROM rels WHERE type = ? AND {column} IN ({_marks(len(chunk))})",
                        [*params, *chunk],
                    )
                )
        if from_ids is not None and to_ids is not None:
            f, t = set(from_ids), set(to_ids)
            rows = [r for r in rows if r["from_id"] in f and r["to_id"] in t]
        seen: dict[tuple[str, ...], Relationship] = {}
        for r in rows:
            rel = _rel_from_row(r)
            seen[rel.key] = rel
        return [seen[k] for k in sorted(seen)]

    def account_subgraphs(
        self, company_ids: Sequence[str], *, path_depth: int = DEFAULT_PATH_DEPTH
    ) -> dict[str, nx.MultiDiGraph]:
        hops = check_path_depth(path_depth) - 1
        with self._using(f"account_subgraphs ({len(company_ids)} accounts, {hops} hops)"):
            return embedded_reads.account_subgraphs(self._conn, list(company_ids), hops)

    def owning_accounts(self, label: Label, ids: Sequence[str]) -> dict[str, str]:
        with self._using(f"owning_accounts {label} ({len(ids)} ids)"):
            return embedded_reads.owning_accounts(self._conn, Label(label), list(ids))

    def changes_since(
        self, since: datetime, *, contact_ids: Sequence[str] | None = None
    ) -> list[ChangeEvent]:
        since_text = "0000" if since == datetime.min else _at_text(_aware(since))
        if contact_ids is None:
            rows = self._query("SELECT * FROM changes WHERE at >= ? ORDER BY at, seq", [since_text])
        else:
            rows = []
            for chunk in _chunks(list(contact_ids)):
                rows.extend(
                    self._query(
                        f"SELECT * FROM changes WHERE at >= ? AND contact_id IN ({_marks(len(chunk))})",
                        [since_text, *chunk],
                    )
                )
            rows.sort(key=lambda r: (r["at"], r["seq"]))
        return [_event_from_row(r) for r in rows]

    def changes_after(
        self,
        after: int = 0,
        *,
        contact_ids: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[ChangeEvent]:
        clauses, params = ["seq > ?"], [after]
        if contact_ids is not None:
            clauses.append("contact_id IN (SELECT value FROM json_each(?))")
            params.append(json.dumps(list(contact_ids)))  # type: ignore[arg-type]
        sql = f"SELECT * FROM changes WHERE {' AND '.join(clauses)} ORDER BY seq"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        return [_event_from_row(r) for r in self._query(sql, params)]

    def export(self) -> GraphBatch:
        nodes = [
            _node_from_row(r["label"], r["props"])
            for r in self._query("SELECT label, props FROM nodes ORDER BY label, id")
        ]
        rels = [
            _rel_from_row(r)
            for r in self._query(
                "SELECT * FROM rels ORDER BY type, from_label, from_id, to_label, to_id"
            )
        ]
        changes = [
            _event_from_row(r)
            for r in self._query("SELECT * FROM changes ORDER BY at, entity, entity_id, field")
        ]
        return GraphBatch(nodes=nodes, relationships=rels, changes=changes)

    def counts(self) -> dict[str, int]:
        out = {str(label): 0 for label in Label} | {str(t): 0 for t in RelType}
        for r in self._query("SELECT label, count(*) AS n FROM nodes GROUP BY label"):
            out[r["label"]] = r["n"]
        for r in self._query("SELECT type, count(*) AS n FROM rels GROUP BY type"):
            out[r["type"]] = r["n"]
        out["changes"] = self._query("SELECT count(*) FROM changes")[0][0]
        return out

    def _email_holders(self, label: Label, addresses: Sequence[str]) -> list[tuple[str, str]]:
        rows = self._query(_EMAIL_HOLDERS[Label(label)], [str(label), json.dumps(list(addresses))])
        return [(r["address"], r["id"]) for r in rows]


def _aware(value: datetime) -> datetime:
    from datetime import UTC

    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json_scalar(value: Any) -> Any:
    """What ``json_extract`` returns for a stored value (booleans are 0/1)."""
    if isinstance(value, bool):
        return int(value)
    if hasattr(value, "value"):
        return value.value
    return value


def _rel_from_row(r: sqlite3.Row) -> Relationship:
    return Relationship(
        type=r["type"],
        from_label=r["from_label"],
        from_id=r["from_id"],
        to_label=r["to_label"],
        to_id=r["to_id"],
        properties=json.loads(r["props"]),
    )
