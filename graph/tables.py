"""Spreadsheet and CRM import: tables + a mapping file → a dataset v1 document → the store.

:func:`tables_to_dataset` turns the tables read by :mod:`stakegraph.graph.table_sources`
into a dataset v1 document (§4) following a :class:`~stakegraph.graph.table_mapping.TableMapping`;
:func:`import_tables` then writes it through the ordinary validate-then-write import
(:func:`stakegraph.graph.dataset.import_dataset`).

* Every bad cell is reported with its sheet, row, column, value and reason
  (:class:`~stakegraph.graph.errors.TableError`), all of them at once, and nothing is
  written when there is one.
* Records without an id column get a stable id from their natural key
  (:func:`~stakegraph.graph.table_values.natural_id`), so importing the same sheet twice
  changes nothing.
* A record already in the store keeps the fields the sheet does not hold (a stance set
  in stakegraph survives a re-import of the CRM's contacts), and so does a
  relationship (a deal-specific stance on ``HAS_ROLE``); a column present but blank
  resets its field.
* A ``derived`` sheet only creates what is missing: a department named in a contact
  list never overwrites the department a department sheet or the store describes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from stakegraph.graph._table_rows import Cellref, Record, Ref, Rel, RowBuilder
from stakegraph.graph.dataset import import_dataset, parse_dataset
from stakegraph.graph.errors import DatasetError, InvalidDataset, InvalidTables, TableError
from stakegraph.graph.model import (
    LABEL_MODELS,
    REL_PROPERTY_MODELS,
    Label,
    Node,
    RelType,
)
from stakegraph.graph.store import GraphStore, WriteSummary
from stakegraph.graph.table_mapping import (
    TableMapping,
    load_mapping,
)
from stakegraph.graph.table_sources import Table, read_tables
from stakegraph.graph.table_values import (
    normalise,
    text_of,
)

__all__ = ["TableDataset", "TableImport", "import_tables", "tables_to_dataset"]

#: ``existing(label, ids)`` → the records of those ids already in the store.
Existing = Callable[[Label, list[str]], Mapping[str, Node]]
_CONTACT_TIES = frozenset(
    {RelType.REPORTS_TO, RelType.INFLUENCES, RelType.ALLY_OF, RelType.RIVAL_OF}
)


@dataclass
class TableDataset:
    """The dataset v1 document built from tables, and what was noticed on the way."""

    document: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


@dataclass
class TableImport:
    """What :func:`import_tables` wrote."""

    summary: WriteSummary
    dataset: TableDataset


# ---------------------------------------------------------------- resolution


class _Resolver:
    def __init__(self, builder: RowBuilder, existing: Existing | None) -> None:
        self.b = builder
        self.existing_fn = existing
        self.stored: dict[Label, dict[str, Node]] = defaultdict(dict)

    def load_existing(self) -> None:
        if self.existing_fn is None:
            return
        wanted: dict[Label, set[str]] = defaultdict(set)
        for label, rid in [*self.b.records, *self.b.derived]:
            wanted[label].add(rid)
        for link in self.b.links:
            for ref in (link.ref, link.from_ref):
                for t in ref.targets if ref is not None else ():
                    if t.id is not None:
                        wanted[t.label].add(t.id)
        for label, ids in wanted.items():
            self.stored[label] = dict(self.existing_fn(label, sorted(ids)))

    def known(self, label: Label, rid: str) -> bool:
        key = (label, rid)
        return key in self.b.records or key in self.b.derived or rid in self.stored[label]

    def kept_derived(self) -> dict[tuple[Label, str], Record]:
        return {
            k: r
            for k, r in self.b.derived.items()
            if k not in self.b.records and k[1] not in self.stored[k[0]]
        }

    def relationships(self, kept: Mapping[tuple[Label, str], Record]) -> list[Rel]:
        out: list[Rel] = []
        for link in self.b.links:
            if link.owner is not None and link.owner not in kept:
                continue  # the derived record was not needed: neither are its links
            mine = [(*link.mine, link.at)] if link.from_ref is None else self.ends(link.from_ref)
            for m in mine:
                for end in self.ends(link.ref):
                    src, dst = (end[:2], m[:2]) if link.reverse else (m[:2], end[:2])
                    at = end[2] if link.from_ref is None else link.at
                    if src == dst and link.type in _CONTACT_TIES:
                        self.b.error(at, f"{link.type}: a contact cannot be tied to itself")
                        continue
                    out.append(Rel(link.type, src, dst, link.props, at, link.cells, link.bad))
        return out

    def ends(self, ref: Ref) -> list[tuple[Label, str, Cellref]]:
        out = []
        for t in ref.targets:
            assert t.id is not None
            if self.known(t.label, t.id):
                out.append((t.label, t.id, t.at))
            elif ref.spec.missing == "error":
                what = "id" if ref.spec.id else "name" if len(ref.spec.key) == 1 else "key"
                self.b.error(t.at, f"no {t.label} with this {what} in the sheets or the store")
        return out


def _nested_set(doc: dict[str, Any], dotted: str, value: Any) -> None:
    head, _, rest = dotted.partition(".")
    if not rest:
        if value is None:
            doc.pop(head, None)
        else:
            doc[head] = value
        return
    inner = doc.get(head)
    if not isinstance(inner, dict):
        inner = {}
    _nested_set(inner, rest, value)
    if inner:
        doc[head] = inner
    else:
        doc.pop(head, None)


def _record_doc(record: Record, stored: Node | None) -> dict[str, Any]:
    base: dict[str, Any] = (
        stored.model_dump(mode="json", exclude={"created_at", "updated_at"}, exclude_none=True)
        if stored is not None and not record.derived
        else {}
    )
    base["id"] = record.id
    for name, value in record.values.items():
        _nested_set(base, name, value)
    return base


def _cell_of(cells: Mapping[str, Cellref], at: Cellref, loc: Sequence[Any]) -> Cellref:
    names = [str(p) for p in loc if not isinstance(p, int)]
    for n in range(len(names), 0, -1):
        hit = cells.get(".".join(names[:n]))
        if hit is not None:
            return hit
    return at


def _model_errors(
    b: RowBuilder,
    model: type[BaseModel],
    data: dict[str, Any],
    at: Cellref,
    cells: Mapping[str, Cellref],
) -> bool:
    try:
        model.model_validate(data)
    except ValidationError as exc:
        for e in exc.errors():
            cell = _cell_of(cells, at, e["loc"])
            field = ".".join(str(p) for p in e["loc"])
            reason = e["msg"].removeprefix("Value error, ")
            b.error(cell, reason if cell.column else f"{field}: {reason}")
        return False
    return True


def tables_to_dataset(
    tables: Sequence[Table],
    mapping: TableMapping,
    *,
    store: GraphStore | None = None,
    rename: Mapping[str, str] | None = None,
) -> TableDataset:
    """Build the dataset v1 document the tables describe, checking every cell.

    Parameters
    ----------
    tables : sequence of Table
        From :func:`~stakegraph.graph.table_sources.read_tables` (or built by hand).
    mapping : TableMapping
        Which table holds what (:func:`~stakegraph.graph.table_mapping.load_mapping`).
    store : GraphStore, optional
        The store the document is meant for; only read. References may point at its
        records, the fields and relationship properties the tables do not hold are
        kept from it, and derived records it already has are not written again.
        Without a store this checks the tables on their own (a dry run).
    rename : mapping, optional
        ``{table name: sheet name of the mapping}`` for files named otherwise.

    Returns
    -------
    TableDataset

    Raises
    ------
    InvalidTables
        With one :class:`~stakegraph.graph.errors.TableError` per bad cell.

    Examples
    --------
    >>> from stakegraph.graph.table_mapping import load_mapping
    >>> from stakegraph.graph.table_sources import read_table_bytes
    >>> csv = "客户,部门,姓名,职位,态度\\n东方制造,信息部,王磊,CIO,支持\\n".encode("gbk")
    >>> doc = tables_to_dataset(read_table_bytes("联系人.csv", csv), load_mapping("cn-template")).document
    >>> [(c["name"], c["stance"], c["seniority"]) for c in doc["contacts"]]
    [('王磊', 'SUPPORTER', 'EXECUTIVE')]
    >>> [d["name"] for d in doc["departments"]], [c["name"] for c in doc["companies"]]
    (['信息部'], ['东方制造'])
    """
    b = RowBuilder(mapping)
    renames = {normalise(k): v for k, v in (rename or {}).items()}
    for table in tables:
        name = normalise(renames.get(normalise(table.name), table.name))
        specs = [s for s in mapping.sheets if name in {normalise(n) for n in s.names}]
        if not specs:
            expected = ", ".join(dict.fromkeys(s.table for s in mapping.sheets))
            b.warnings.append(
                f"sheet {table.name!r} ignored: the mapping {mapping.name!r} reads {expected}"
            )
        for spec in specs:
            b.add_table(spec, table)

    b.finish()
    existing: Existing | None = store.get_nodes if store is not None else None
    r = _Resolver(b, existing)
    r.load_existing()
    kept = r.kept_derived()
    rels = r.relationships(kept)

    doc: dict[str, Any] = {"version": 1, **{label.plural: [] for label in Label}}
    places: dict[str, list[tuple[Cellref, Mapping[str, Cellref]]]] = defaultdict(list)
    for record in [*b.records.values(), *kept.values()]:
        if record.bad:
            continue
        data = _record_doc(record, r.stored[record.label].get(record.id))
        if _model_errors(b, LABEL_MODELS[record.label], data, record.at, record.cells):
            doc[record.label.plural].append(data)
            places[record.label.plural].append((record.at, record.cells))
    doc["relationships"] = []
    stored_props = _stored_properties(store, rels)
    for rel in rels:
        key = (rel.type, *rel.from_, *rel.to)
        props = dict(stored_props.get(key, {}))
        for name, value in rel.props.items():
            if value is None:
                props.pop(name, None)
            else:
                props[name] = value
        rel.props = props
        if rel.bad or not _model_errors(
            b, REL_PROPERTY_MODELS[rel.type], dict(rel.props), rel.at, rel.cells
        ):
            continue
        item: dict[str, Any] = {
            "type": str(rel.type),
            "from": rel.from_[1],
            "to": rel.to[1],
            "from_label": str(rel.from_[0]),
            "to_label": str(rel.to[0]),
        }
        item.update({k: v for k, v in rel.props.items() if v is not None})
        doc["relationships"].append(item)
        places["relationships"].append((rel.at, rel.cells))
    _stable_order(doc, places)
    if not b.errors:
        _dataset_errors(b, doc, places, existing)
    if b.errors:
        raise InvalidTables(_sorted(b.errors, tables))
    return TableDataset(document=doc, warnings=b.warnings, rows=b.rows)


def _stored_properties(
    store: GraphStore | None, rels: Sequence[Rel]
) -> dict[tuple[str, ...], dict[str, Any]]:
    """Properties the store holds for these relationships (those with properties)."""
    if store is None:
        return {}
    sources: dict[RelType, set[str]] = defaultdict(set)
    for rel in rels:
        if REL_PROPERTY_MODELS[rel.type].model_fields:
            sources[rel.type].add(rel.from_[1])
    out: dict[tuple[str, ...], dict[str, Any]] = {}
    for rel_type, ids in sources.items():
        for held in store.relationships(rel_type, from_ids=sorted(ids)):
            out[held.key] = {
                k: v.isoformat() if hasattr(v, "isoformat") else v
                for k, v in held.properties.items()
            }
    return out


def _stable_order(
    doc: dict[str, Any], places: dict[str, list[tuple[Cellref, Mapping[str, Cellref]]]]
) -> None:
    """Records by id, relationships by key: the same tables give the same document
    whatever the order of the files or sheets."""

    def rel_key(item: dict[str, Any]) -> tuple[str, ...]:
        return (item["type"], item["from_label"], item["from"], item["to_label"], item["to"])

    for key, items in list(doc.items()):
        if not isinstance(items, list) or not items:
            continue
        sort_key = rel_key if key == "relationships" else (lambda item: (item["id"],))
        order = sorted(range(len(items)), key=lambda i: sort_key(items[i]))
        doc[key] = [items[i] for i in order]
        places[key] = [places[key][i] for i in order]


def _dataset_errors(
    b: RowBuilder,
    doc: dict[str, Any],
    places: Mapping[str, list[tuple[Cellref, Mapping[str, Cellref]]]],
    existing: Existing | None,
) -> None:
    """The checks of the dataset import itself, reported at the cells they concern."""

    def known(label: Label, ids: list[str]) -> set[str]:
        return set(existing(label, ids)) if existing is not None else set()

    try:
        parse_dataset(doc, known_ids=known)
    except InvalidDataset as exc:
        for err in exc.errors:
            b.errors.append(_translate(err, places))


def _translate(
    err: DatasetError, places: Mapping[str, list[tuple[Cellref, Mapping[str, Cellref]]]]
) -> TableError:
    match = re.match(r"^(\w+)\[(\d+)\]", err.position)
    if match and match[1] in places and int(match[2]) < len(places[match[1]]):
        at, cells = places[match[1]][int(match[2])]
        cell = cells.get(err.field, at)
        return TableError.at(cell.sheet, cell.row, cell.column, text_of(cell.value), err.reason)
    return TableError.at("(dataset)", None, err.field, None, f"{err.position}: {err.reason}")


def _sorted(errors: list[TableError], tables: Sequence[Table]) -> list[TableError]:
    """Errors in reading order: sheet by sheet as given, row by row, column by column."""
    sheets = {t.name: i for i, t in reversed(list(enumerate(tables)))}
    columns = {t.name: {c: i for i, c in enumerate(t.columns)} for t in reversed(tables)}

    def key(e: TableError) -> tuple[int, int, int, str]:
        col = columns.get(e.sheet, {}).get(e.column or "", -1)
        return (sheets.get(e.sheet, -1), e.row or 0, col, e.column or "")

    return sorted(dict.fromkeys(errors), key=key)


def import_tables(
    store: GraphStore,
    sources: Sequence[str | Path] | Sequence[Table],
    mapping: TableMapping | str | Path,
    *,
    encoding: str | None = None,
    rename: Mapping[str, str] | None = None,
    by: str = "import",
    progress: Callable[[int, int], None] | None = None,
) -> TableImport:
    """Import spreadsheets or CSV files into ``store`` through a mapping; all or nothing.

    Parameters
    ----------
    store : GraphStore
    sources : sequence of paths, or of Table
        CSV files, ``.xlsx`` workbooks, directories or ``.zip`` archives (see
        :mod:`stakegraph.graph.table_sources`), or tables already read.
    mapping : TableMapping, str or Path
        A mapping, the name of a packaged one (``"salesforce"``, ``"cn-template"``)
        or the path of a TOML mapping file.
    encoding : str, optional
        Force the encoding of CSV text (detected otherwise).
    rename : mapping, optional
        ``{table name: sheet name of the mapping}``.
    by : str
        Who the change events of updated records name.
    progress : callable, optional
        Passed to :func:`~stakegraph.graph.dataset.import_dataset`.

    Returns
    -------
    TableImport
        The write summary and the dataset written (with its warnings).

    Raises
    ------
    InvalidTables
        One :class:`~stakegraph.graph.errors.TableError` per bad cell; nothing written.
    """
    spec = mapping if isinstance(mapping, TableMapping) else load_mapping(mapping)
    if all(isinstance(s, Table) for s in sources):
        tables = [s for s in sources if isinstance(s, Table)]
    else:
        tables = read_tables([s for s in sources if not isinstance(s, Table)], encoding=encoding)

    dataset = tables_to_dataset(tables, spec, store=store, rename=rename)
    summary = import_dataset(store, dataset.document, by=by, progress=progress)
    return TableImport(summary=summary, dataset=dataset)
