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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

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
    FieldSpec,
    RefSpec,
    SheetSpec,
    TableMapping,
    load_mapping,
)
from stakegraph.graph.table_sources import Cell, Table, TableRow, read_tables
from stakegraph.graph.table_values import (
    CellError,
    field_kind,
    natural_id,
    normalise,
    salesforce_id,
    text_of,
    to_bool,
    to_date,
    to_datetime,
    to_enum,
    to_float,
    to_int,
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


# ----------------------------------------------------------------- row records


@dataclass
class _Cellref:
    sheet: str
    row: int
    column: str | None
    value: Cell


@dataclass
class _Record:
    label: Label
    id: str
    at: _Cellref
    derived: bool
    values: dict[str, Any] = field(default_factory=dict)  # dotted field → value (None: reset)
    cells: dict[str, _Cellref] = field(default_factory=dict)  # dotted field → its cell
    bad: bool = False  # a cell was refused: not validated again, never written


@dataclass
class _Target:
    label: Label
    id: str | None  # None until a key is looked up (:meth:`_Builder.finish`)
    key: list[str] | None
    at: _Cellref


@dataclass
class _Ref:
    spec: RefSpec
    targets: list[_Target]


@dataclass
class _Link:
    type: RelType
    mine: tuple[Label, str]  # the row's record (or the relationship sheet's from end)
    ref: _Ref
    reverse: bool
    at: _Cellref
    props: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, _Cellref] = field(default_factory=dict)
    owner: tuple[Label, str] | None = None  # the derived record this link comes with
    from_ref: _Ref | None = None  # relationship sheets: the from end, still to resolve
    bad: bool = False


@dataclass
class _Rel:
    type: RelType
    from_: tuple[Label, str]
    to: tuple[Label, str]
    props: dict[str, Any]
    at: _Cellref
    cells: dict[str, _Cellref]
    bad: bool


class _Builder:
    def __init__(self, mapping: TableMapping) -> None:
        self.mapping = mapping
        self.errors: list[TableError] = []
        self.records: dict[tuple[Label, str], _Record] = {}
        self.derived: dict[tuple[Label, str], _Record] = {}
        self.keys: dict[Label, dict[tuple[str, ...], str]] = defaultdict(dict)
        self.links: list[_Link] = []
        self.warnings: list[str] = []
        self.rows: dict[str, int] = {}

    # ------------------------------------------------------------------ errors
    def error(self, at: _Cellref, reason: str) -> None:
        self.errors.append(TableError.at(at.sheet, at.row, at.column, text_of(at.value), reason))

    # ------------------------------------------------------------------ tables
    def add_table(self, spec: SheetSpec, table: Table) -> None:
        table = _spelled_as(table, _spec_columns(spec))
        filled = tuple(c for c in spec.fill if c not in table.columns)
        if filled:  # a filled column is there on every row, even when the file lacks it
            table = replace(table, columns=table.columns + filled)
        if not self._columns_present(spec, table):
            return
        count = 0
        for row in table.rows:
            cells = dict(row.cells)
            for column, text in spec.fill.items():
                if cells.get(column) is None:
                    cells[column] = text
            if not self._selected(spec, cells):
                continue
            count += 1
            current = TableRow(row.number, cells)
            if spec.label is not None:
                self._node_row(spec, table, current)
            else:
                self._relationship_row(spec, table, current)
        key = f"{table.name} ({spec.label or spec.relationship})"
        self.rows[key] = self.rows.get(key, 0) + count
        skipped = len(table.rows) - count
        if skipped and spec.where:
            self.warnings.append(
                f"sheet {table.name!r}: {skipped} row(s) skipped by the mapping's filter "
                f"({', '.join(spec.where)})"
            )

    def _columns_present(self, spec: SheetSpec, table: Table) -> bool:
        needed = [spec.id] if spec.id else []
        needed += spec.key + spec.required_columns
        if spec.relationship is not None:
            assert spec.from_ is not None and spec.to is not None
            needed += spec.from_.columns + spec.to.columns
        have = set(table.columns)
        missing = [c for c in dict.fromkeys(needed) if c not in have]
        if spec.derived:
            return not missing  # the table does not name such records: nothing to derive
        for column in missing:
            self.errors.append(
                TableError.at(table.name, table.header_row, column, None, "missing column")
            )
        return not missing

    def _selected(self, spec: SheetSpec, cells: Mapping[str, Cell]) -> bool:
        for column, allowed in spec.where.items():
            if normalise(text_of(cells.get(column)) or "") not in {normalise(a) for a in allowed}:
                return False
        return all(text_of(cells.get(c)) is not None for c in spec.skip_blank)

    # ------------------------------------------------------------------- nodes
    def _node_row(self, spec: SheetSpec, table: Table, row: TableRow) -> None:
        assert spec.label is not None
        label = spec.label
        record_id, at = self._record_id(spec, table, row)
        if record_id is None:
            return
        record = _Record(label=label, id=record_id, at=at, derived=spec.derived)
        model = LABEL_MODELS[label]
        for name, fs in spec.fields.items():
            if not self._fill(record.values, record.cells, model, name, fs, table, row):
                record.bad = True
        owner = (label, record_id) if spec.derived else None
        if not self._register(record):
            return
        for link in spec.links:
            if any(text_of(row.cells.get(c)) is not None for c in link.unless):
                continue
            ref = self._ref(link, table, row)
            if ref is None:
                continue
            new = _Link(link.type, (label, record_id), ref, link.reverse, at, owner=owner)
            rel_model = REL_PROPERTY_MODELS[link.type]
            for name, fs in link.fields.items():
                if not self._fill(new.props, new.cells, rel_model, name, fs, table, row):
                    new.bad = True
            self.links.append(new)

    def _record_id(
        self, spec: SheetSpec, table: Table, row: TableRow
    ) -> tuple[str | None, _Cellref]:
        assert spec.label is not None
        parts = [text_of(row.cells.get(c)) for c in spec.key]
        if spec.id:
            at = _Cellref(table.name, row.number, spec.id, row.cells.get(spec.id))
            record_id = self._id_text(at)
            if record_id is None:
                return None, at
        else:
            at = _Cellref(table.name, row.number, spec.key[0], row.cells.get(spec.key[0]))
            blank = [c for c, p in zip(spec.key, parts, strict=True) if p is None]
            if blank:
                if not spec.derived:
                    self.error(
                        _Cellref(table.name, row.number, blank[0], None),
                        "blank, but it is part of the record's key",
                    )
                return None, at
            record_id = natural_id(spec.label, [p for p in parts if p is not None])
        if spec.key and all(p is not None for p in parts):
            key = tuple(normalise(p) for p in parts if p is not None)
            self.keys[spec.label].setdefault(key, record_id)
        return record_id, at

    def _id_text(self, at: _Cellref) -> str | None:
        text = text_of(at.value)
        if text is None:
            self.error(at, "blank id")
            return None
        if self.mapping.id_format == "salesforce":
            try:
                return salesforce_id(text)
            except CellError as exc:
                self.error(at, str(exc))
                return None
        return text

    def _register(self, record: _Record) -> bool:
        key = (record.label, record.id)
        if record.derived:
            if key not in self.derived:
                self.derived[key] = record
            return True
        first = self.records.get(key)
        if first is not None:
            self.error(
                record.at,
                f"a second {record.label} with the same "
                f"{'id' if first.at.column == record.at.column else 'key'} as "
                f"sheet {first.at.sheet!r} row {first.at.row}",
            )
            return False
        self.records[key] = record
        return True

    # ------------------------------------------------------------ relationships
    def _relationship_row(self, spec: SheetSpec, table: Table, row: TableRow) -> None:
        assert spec.relationship is not None and spec.from_ is not None and spec.to is not None
        from_ref = self._ref(spec.from_, table, row)
        to_ref = self._ref(spec.to, table, row)
        if from_ref is None or to_ref is None:
            return
        first = spec.from_.columns[0]
        at = _Cellref(table.name, row.number, first, row.cells.get(first))
        link = _Link(spec.relationship, (Label.CONTACT, ""), to_ref, False, at, from_ref=from_ref)
        model = REL_PROPERTY_MODELS[spec.relationship]
        for name, fs in spec.fields.items():
            if not self._fill(link.props, link.cells, model, name, fs, table, row):
                link.bad = True
        self.links.append(link)

    def _ref(self, ref: RefSpec, table: Table, row: TableRow) -> _Ref | None:
        """The candidates a reference names; ``None`` when it names none (or is bad)."""
        column = ref.columns[-1]
        at = _Cellref(table.name, row.number, column, row.cells.get(column))
        if ref.id:
            texts = self._split(text_of(row.cells.get(ref.id)), ref.split)
            if not texts:
                if ref.required:
                    self.error(at, "blank, but a reference is required here")
                return None
            targets = []
            for text in texts:
                label = self._label_of(ref, text)
                if label is None:
                    continue
                cell = _Cellref(at.sheet, at.row, column, text)
                if self.mapping.id_format == "salesforce":
                    try:
                        text = salesforce_id(text)
                    except CellError as exc:
                        self.error(cell, str(exc))
                        return None
                targets.append(_Target(label, text, None, cell))
            return _Ref(ref, targets) if targets else None
        parts = [text_of(row.cells.get(c)) for c in ref.key]
        if any(p is None for p in parts):
            if ref.required:
                blank = next(c for c, p in zip(ref.key, parts, strict=True) if p is None)
                self.error(
                    _Cellref(at.sheet, at.row, blank, None), "blank, but a reference is required"
                )
            return None
        head = [p for p in parts[:-1] if p is not None]
        targets = [
            _Target(ref.labels[0], None, [*head, last], _Cellref(at.sheet, at.row, column, last))
            for last in self._split(parts[-1], ref.split)
        ]
        return _Ref(ref, targets)

    def finish(self) -> None:
        """Look up the keys references give, now that every sheet's keys are known."""
        for link in self.links:
            for ref in (link.ref, link.from_ref):
                for t in ref.targets if ref is not None else ():
                    if t.id is None and t.key is not None:
                        found = self.keys[t.label].get(tuple(normalise(p) for p in t.key))
                        t.id = found or natural_id(t.label, t.key)

    def _label_of(self, ref: RefSpec, text: str) -> Label | None:
        if not ref.prefixes:
            return ref.labels[0]
        for prefix in sorted(ref.prefixes, key=len, reverse=True):
            if text.startswith(prefix):
                return ref.prefixes[prefix]
        return None

    def _split(self, text: str | None, split: str | list[str] | None) -> list[str]:
        if text is None:
            return []
        if split is None:
            return [text]
        seps = [split] if isinstance(split, str) else split
        parts = re.split("|".join(re.escape(s) for s in seps), text)
        return [p.strip() for p in parts if p.strip()]

    # ------------------------------------------------------------------ fields
    def _fill(
        self,
        values: dict[str, Any],
        cells: dict[str, _Cellref],
        model: type[BaseModel],
        name: str,
        fs: FieldSpec,
        table: Table,
        row: TableRow,
    ) -> bool:
        """Set ``values[name]`` from the row; ``False`` when its cell is refused."""
        if fs.value is None and not any(c in table.columns for c in fs.columns):
            return True  # the table does not hold this field: leave it as it is
        kind, enum = field_kind(model, name)
        at = _Cellref(table.name, row.number, fs.columns[0] if fs.columns else None, None)
        cells[name] = at
        try:
            values[name] = self._value(fs, kind, enum, row, at)
        except CellError as exc:
            self.error(at, str(exc))
            return False
        return True

    def _source(self, fs: FieldSpec, row: TableRow, at: _Cellref) -> Any:
        columns = [fs.column] if isinstance(fs.column, str) else list(fs.column or [])
        for column in columns:
            value = row.cells.get(column)
            if text_of(value) is not None:
                at.column, at.value = column, value
                return value
        if fs.template:
            slots = re.findall(r"\{([^{}]+)\}", fs.template)
            texts = {s: text_of(row.cells.get(s)) or "" for s in slots}
            if any(texts.values()):
                text = re.sub(r"\{([^{}]+)\}", lambda m: texts[m[1]], fs.template)
                text = "\n".join(" ".join(line.split()) for line in text.splitlines())
                at.column = next(s for s in slots if texts[s])
                at.value = text.strip()
                return text.strip() or None
        return fs.value

    def _value(self, fs: FieldSpec, kind: str, enum: Any, row: TableRow, at: _Cellref) -> Any:
        raw = self._source(fs, row, at)
        value = raw
        if raw is not None and (fs.map or fs.patterns):
            value = self._translate(fs, raw, kind, enum)
        if value is None and fs.fallback is not None:
            sub = _Cellref(at.sheet, at.row, fs.fallback.columns[0], None)
            try:
                value = self._value(fs.fallback, kind, enum, row, sub)
            finally:
                if sub.value is not None:
                    at.column, at.value = sub.column, sub.value
        if value is None:
            value = fs.default
        if value is None:
            return None
        return self._convert(value, kind, enum, fs)

    def _translate(self, fs: FieldSpec, raw: Any, kind: str, enum: Any) -> Any:
        text = text_of(raw) or ""
        if fs.map:
            table = {normalise(k): v for k, v in fs.map.items()}
            hit = table.get(normalise(text))
            if hit is not None:
                return hit
        for pattern, value in fs.patterns:
            if re.search(pattern, text):
                return value
        if fs.other is not None:
            return fs.other
        if fs.map and kind == "enum":
            try:
                return to_enum(raw, enum)
            except CellError:
                known = ", ".join(dict.fromkeys(str(k) for k in fs.map))
                raise CellError(f"unknown value; expected one of: {known}") from None
        return None if fs.patterns and not fs.map else raw

    def _convert(self, value: Any, kind: str, enum: Any, fs: FieldSpec) -> Any:
        if kind == "str":
            return text_of(value)
        if kind == "enum":
            return to_enum(value, enum)
        if kind == "bool":
            return to_bool(value)
        if kind == "int":
            return to_int(value, scale=fs.scale)
        if kind == "float":
            return to_float(value, scale=fs.scale)
        if kind == "date":
            return to_date(value).isoformat()
        if kind == "datetime":
            return to_datetime(value, zone=self.mapping.zone).isoformat()
        if kind == "list":
            if isinstance(value, list):
                return [text_of(v) for v in value if text_of(v) is not None]
            seps = fs.split if fs.split is not None else self.mapping.list_separators
            return self._split(text_of(value), seps)
        return value


def _spec_columns(spec: SheetSpec) -> list[str]:
    """Every column name a sheet spec reads."""
    names = ([spec.id] if spec.id else []) + spec.key + list(spec.fill) + spec.skip_blank
    names += list(spec.where) + spec.required_columns
    refs: list[RefSpec] = [r for r in (spec.from_, spec.to) if r is not None]
    refs += spec.links
    for ref in refs:
        names += ref.columns
    for link in spec.links:
        names += link.unless
        for fs in link.fields.values():
            names += fs.columns
    for fs in spec.fields.values():
        names += fs.columns
    return names


def _spelled_as(table: Table, names: Sequence[str]) -> Table:
    """The table with its columns spelled as the mapping spells them (``ID`` → ``Id``):
    Data Loader writes upper-case headers, the weekly export the API names."""
    wanted = {normalise(n): n for n in names}
    rename = {c: wanted.get(normalise(c), c) for c in table.columns}
    if all(k == v for k, v in rename.items()):
        return table
    rows = tuple(
        TableRow(r.number, {rename.get(k, k): v for k, v in r.cells.items()}) for r in table.rows
    )
    return replace(table, columns=tuple(rename[c] for c in table.columns), rows=rows)


# ---------------------------------------------------------------- resolution


class _Resolver:
    def __init__(self, builder: _Builder, existing: Existing | None) -> None:
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

    def kept_derived(self) -> dict[tuple[Label, str], _Record]:
        return {
            k: r
            for k, r in self.b.derived.items()
            if k not in self.b.records and k[1] not in self.stored[k[0]]
        }

    def relationships(self, kept: Mapping[tuple[Label, str], _Record]) -> list[_Rel]:
        out: list[_Rel] = []
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
                    out.append(_Rel(link.type, src, dst, link.props, at, link.cells, link.bad))
        return out

    def ends(self, ref: _Ref) -> list[tuple[Label, str, _Cellref]]:
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


def _record_doc(record: _Record, stored: Node | None) -> dict[str, Any]:
    base: dict[str, Any] = (
        stored.model_dump(mode="json", exclude={"created_at", "updated_at"}, exclude_none=True)
        if stored is not None and not record.derived
        else {}
    )
    base["id"] = record.id
    for name, value in record.values.items():
        _nested_set(base, name, value)
    return base


def _cell_of(cells: Mapping[str, _Cellref], at: _Cellref, loc: Sequence[Any]) -> _Cellref:
    names = [str(p) for p in loc if not isinstance(p, int)]
    for n in range(len(names), 0, -1):
        hit = cells.get(".".join(names[:n]))
        if hit is not None:
            return hit
    return at


def _model_errors(
    b: _Builder,
    model: type[BaseModel],
    data: dict[str, Any],
    at: _Cellref,
    cells: Mapping[str, _Cellref],
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
    b = _Builder(mapping)
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
    places: dict[str, list[tuple[_Cellref, Mapping[str, _Cellref]]]] = defaultdict(list)
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
    store: GraphStore | None, rels: Sequence[_Rel]
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
    doc: dict[str, Any], places: dict[str, list[tuple[_Cellref, Mapping[str, _Cellref]]]]
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
    b: _Builder,
    doc: dict[str, Any],
    places: Mapping[str, list[tuple[_Cellref, Mapping[str, _Cellref]]]],
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
    err: DatasetError, places: Mapping[str, list[tuple[_Cellref, Mapping[str, _Cellref]]]]
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
