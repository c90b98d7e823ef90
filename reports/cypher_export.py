"""A Cypher script of account subgraphs: loads into a fresh Neo4j 5 as stakegraph's store.

The script holds no parameter: every value is a literal, escaped by
:func:`cypher_literal`; labels, types and keys are backtick-quoted identifiers from
the model's enums. It creates the store's constraints, MERGEs every node and
relationship with exactly the properties (and property types) the Neo4j store writes,
then the change events; loading it twice changes nothing. ``cypher-shell -f
account.cypher`` runs it; :func:`split_statements` cuts it into statements for a driver.

Computed results (influence, stance value, roles, grade, ...) are not properties of
the records (the store would refuse unknown properties): each analysed node gets an
``(:Analysis)`` node holding them, joined by ``HAS_ANALYSIS``::

    MATCH (c:Contact)-[:HAS_ANALYSIS]->(a) RETURN c.name, a.influence ORDER BY a.influence DESC
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from enum import Enum
from typing import Any

import networkx as nx

from stakegraph.graph.model import ChangeEvent, Label, RelType, split_node_key
from stakegraph.graph.neo4j_store import (
    EVENT_LABEL,
    change_event_record,
    node_record,
    relationship_record,
    schema_statements,
)
from stakegraph.graph.subgraph import graph_nodes, graph_relationships

__all__ = [
    "ANALYSIS_LABEL",
    "ANALYSIS_TYPE",
    "cypher_literal",
    "cypher_script",
    "split_statements",
]

ANALYSIS_LABEL = "Analysis"
ANALYSIS_TYPE = "HAS_ANALYSIS"
#: Rows per UNWIND statement.
CHUNK = 200
_IDENTIFIERS = (
    {str(x) for x in Label}
    | {str(x) for x in RelType}
    | {EVENT_LABEL, ANALYSIS_LABEL, ANALYSIS_TYPE}
)
_SIMPLE_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def _ident(name: str) -> str:
    if name not in _IDENTIFIERS:
        raise ValueError(f"not a stakegraph label or relationship type: {name!r}")
    return f"`{name}`"


def _key(name: str) -> str:
    return name if _SIMPLE_KEY.match(name) else "`" + name.replace("`", "``") + "`"


def _string(text: str) -> str:
    out = []
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_literal(value: Any) -> str:
    """A Python value as a Cypher literal (strings escaped, temporal values as functions).

    Examples
    --------
    >>> cypher_literal("O'Brien\\n王")
    "'O\\\\'Brien\\\\n王'"
    >>> cypher_literal([1, 2.5, True, None])
    '[1, 2.5, true, null]'
    >>> from datetime import UTC, datetime
    >>> cypher_literal(datetime(2026, 9, 15, 7, 0, tzinfo=UTC))
    "datetime('2026-09-15T07:00:00Z')"
    >>> cypher_literal({"a b": date(2025, 3, 20)})
    "{`a b`: date('2025-03-20')}"
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return cypher_literal(value.value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"no Cypher literal for {value!r}")
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a datetime without a time zone has no stored form")
        return f"datetime({_string(value.isoformat().replace('+00:00', 'Z'))})"
    if isinstance(value, date):
        return f"date({_string(value.isoformat())})"
    if isinstance(value, time):
        return f"time({_string(value.isoformat())})"
    if isinstance(value, Mapping):
        return (
            "{" + ", ".join(f"{_key(str(k))}: {cypher_literal(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    raise TypeError(f"no Cypher literal for a {type(value).__name__}")


def _unwind(rows: Sequence[Mapping[str, Any]], tail: str) -> Iterable[str]:
    for i in range(0, len(rows), CHUNK):
        chunk = rows[i : i + CHUNK]
        body = ",\n  ".join(cypher_literal(r) for r in chunk)
        yield f"UNWIND [\n  {body}\n] AS row {tail};"


def cypher_script(
    g: nx.MultiDiGraph,
    *,
    analysis: Mapping[str, Mapping[str, Any]] | None = None,
    title: str = "stakegraph export",
) -> str:
    """The Cypher script that recreates a (composed) account subgraph in Neo4j.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        An account subgraph, or several composed (``stakegraph.graph.model`` convention);
        ``g.graph["changes"]`` are written too.
    analysis : mapping, optional
        ``{node key: {name: scalar}}`` computed results, written as ``(:Analysis)``
        nodes (see the module docstring).
    title : str
        The first comment line.

    Returns
    -------
    str
        Statements each ending with ``;`` at the end of a line.
    """
    nodes = graph_nodes(g)
    rels = graph_relationships(g)
    changes: list[ChangeEvent] = list(g.graph.get("changes", []))
    lines = [
        f"// {title}",
        f"// {len(nodes)} nodes, {len(rels)} relationships, {len(changes)} change events.",
        "// Load into Neo4j 5: cypher-shell -f this-file.cypher (MERGE: loading twice is harmless)",
        *(f"{s};" for s in schema_statements()),
    ]
    by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    for node in sorted(nodes, key=lambda n: (n.label, n.id)):
        by_label[node.label].append(node_record(node))
    for label, records in by_label.items():
        lines += _unwind(records, f"MERGE (n:{_ident(label)} {{id: row.id}}) SET n = row")
    groups: dict[tuple[RelType, Label, Label], list[dict[str, Any]]] = defaultdict(list)
    for rel in sorted(rels, key=lambda r: r.key):
        groups[(rel.type, rel.from_label, rel.to_label)].append(
            {"f": rel.from_id, "t": rel.to_id, "props": relationship_record(rel.properties)}
        )
    for (rel_type, fl, tl), rows in groups.items():
        lines += _unwind(
            rows,
            f"MATCH (a:{_ident(fl)} {{id: row.f}}) MATCH (b:{_ident(tl)} {{id: row.t}}) "
            f"MERGE (a)-[r:{_ident(rel_type)}]->(b) SET r = row.props",
        )
    events = [change_event_record(e) for e in sorted(changes, key=lambda e: e.identity)]
    lines += _unwind(
        events, f"MERGE (e:{_ident(EVENT_LABEL)} {{key: row.key}}) ON CREATE SET e += row.props"
    )
    lines += _analysis_statements(analysis or {})
    return "\n".join(lines) + "\n"


def _analysis_statements(analysis: Mapping[str, Mapping[str, Any]]) -> list[str]:
    by_label: dict[Label, list[dict[str, Any]]] = defaultdict(list)
    for key in sorted(analysis):
        label, node_id = split_node_key(key)
        props = {k: v for k, v in analysis[key].items() if v is not None}
        by_label[label].append({"id": node_id, "props": {"key": key, **props}})
    lines: list[str] = []
    for label, rows in by_label.items():
        lines += _unwind(
            rows,
            f"MATCH (n:{_ident(label)} {{id: row.id}}) "
            f"MERGE (a:{_ident(ANALYSIS_LABEL)} {{key: row.props.key}}) SET a = row.props "
            f"MERGE (n)-[:{_ident(ANALYSIS_TYPE)}]->(a)",
        )
    return lines


def split_statements(script: str) -> list[str]:
    """The statements of a Cypher script (``;`` outside strings, identifiers and comments).

    Examples
    --------
    >>> split_statements("// note; here\\nRETURN 'a;b' AS x;\\nRETURN `c;d`;")
    ["RETURN 'a;b' AS x", 'RETURN `c;d`']
    """
    statements: list[str] = []
    current: list[str] = []
    i, n = 0, len(script)
    while i < n:
        ch = script[i]
        if ch in "'\"`":
            j = i + 1
            while j < n and script[j] != ch:
                j += 2 if script[j] == "\\" and ch != "`" else 1
            current.append(script[i : j + 1])
            i = j + 1
            continue
        if script.startswith("//", i):
            i = script.find("\n", i)
            i = n if i < 0 else i
            continue
        if script.startswith("/*", i):
            end = script.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        if ch == ";":
            text = "".join(current).strip()
            if text:
                statements.append(text)
            current = []
        else:
            current.append(ch)
        i += 1
    tail = "".join(current).strip()
    if tail:
        statements.append(tail)
    return statements
