"""Rows of tables → records and links, cell by cell (the first half of :mod:`stakegraph.graph.tables`).

:class:`RowBuilder` reads each row a sheet spec covers into a :class:`Record` (a node)
or a :class:`Link` (a relationship still to resolve), collecting a
:class:`~stakegraph.graph.errors.TableError` for every refused cell.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pydantic import BaseModel

from stakegraph.graph.errors import TableError
from stakegraph.graph.model import LABEL_MODELS, REL_PROPERTY_MODELS, Label, RelType
from stakegraph.graph.table_mapping import FieldSpec, RefSpec, SheetSpec, TableMapping
from stakegraph.graph.table_sources import Cell, Table, TableRow
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

__all__ = [
    "Cellref",
    "Link",
    "Record",
    "Ref",
    "Rel",
    "RowBuilder",
    "Target",
    "spec_columns",
    "spelled_as",
]

# ----------------------------------------------------------------- row records


@dataclass
class Cellref:
    sheet: str
    row: int
    column: str | None
    value: Cell


@dataclass
class Record:
    label: Label
    id: str
    at: Cellref
    derived: bool
    values: dict[str, Any] = field(default_factory=dict)  # dotted field → value (None: reset)
    cells: dict[str, Cellref] = field(default_factory=dict)  # dotted field → its cell
    bad: bool = False  # a cell was refused: not validated again, never written


@dataclass
class Target:
    label: Label
    id: str | None  # None until a key is looked up (:meth:`RowBuilder.finish`)
    key: list[str] | None
    at: Cellref


@dataclass
class Ref:
    spec: RefSpec
    targets: list[Target]


@dataclass
class Link:
    type: RelType
    mine: tuple[Label, str]  # the row's record (or the relationship sheet's from end)
    ref: Ref
    reverse: bool
    at: Cellref
    props: dict[str, Any] = field(default_factory=dict)
    cells: dict[str, Cellref] = field(default_factory=dict)
    owner: tuple[Label, str] | None = None  # the derived record this link comes with
    from_ref: Ref | None = None  # relationship sheets: the from end, still to resolve
    bad: bool = False


@dataclass
class Rel:
    type: RelType
    from_: tuple[Label, str]
    to: tuple[Label, str]
    props: dict[str, Any]
    at: Cellref
    cells: dict[str, Cellref]
    bad: bool


class RowBuilder:
    def __init__(self, mapping: TableMapping) -> None:
        self.mapping = mapping
        self.errors: list[TableError] = []
        self.records: dict[tuple[Label, str], Record] = {}
        self.derived: dict[tuple[Label, str], Record] = {}
        self.keys: dict[Label, dict[tuple[str, ...], str]] = defaultdict(dict)
        self.links: list[Link] = []
        self.warnings: list[str] = []
        self.rows: dict[str, int] = {}

    # ------------------------------------------------------------------ errors
    def error(self, at: Cellref, reason: str) -> None:
        self.errors.append(TableError.at(at.sheet, at.row, at.column, text_of(at.value), reason))

    # ------------------------------------------------------------------ tables
    def add_table(self, spec: SheetSpec, table: Table) -> None:
        table = spelled_as(table, spec_columns(spec))
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
        record = Record(label=label, id=record_id, at=at, derived=spec.derived)
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
            new = Link(link.type, (label, record_id), ref, link.reverse, at, owner=owner)
            rel_model = REL_PROPERTY_MODELS[link.type]
            for name, fs in link.fields.items():
                if not self._fill(new.props, new.cells, rel_model, name, fs, table, row):
                    new.bad = True
            self.links.append(new)

    def _record_id(
        self, spec: SheetSpec, table: Table, row: TableRow
    ) -> tuple[str | None, Cellref]:
        assert spec.label is not None
        parts = [text_of(row.cells.get(c)) for c in spec.key]
        if spec.id:
            at = Cellref(table.name, row.number, spec.id, row.cells.get(spec.id))
            record_id = self._id_text(at)
            if record_id is None:
                return None, at
        else:
            at = Cellref(table.name, row.number, spec.key[0], row.cells.get(spec.key[0]))
            blank = [c for c, p in zip(spec.key, parts, strict=True) if p is None]
            if blank:
                if not spec.derived:
                    self.error(
                        Cellref(table.name, row.number, blank[0], None),
                        "blank, but it is part of the record's key",
                    )
                return None, at
            record_id = natural_id(spec.label, [p for p in parts if p is not None])
        if spec.key and all(p is not None for p in parts):
            key = tuple(normalise(p) for p in parts if p is not None)
            self.keys[spec.label].setdefault(key, record_id)
        return record_id, at

    def _id_text(self, at: Cellref) -> str | None:
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

    def _register(self, record: Record) -> bool:
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
        at = Cellref(table.name, row.number, first, row.cells.get(first))
        link = Link(spec.relationship, (Label.CONTACT, ""), to_ref, False, at, from_ref=from_ref)
        model = REL_PROPERTY_MODELS[spec.relationship]
        for name, fs in spec.fields.items():
            if not self._fill(link.props, link.cells, model, name, fs, table, row):
                link.bad = True
        self.links.append(link)

    def _ref(self, ref: RefSpec, table: Table, row: TableRow) -> Ref | None:
        """The candidates a reference names; ``None`` when it names none (or is bad)."""
        column = ref.columns[-1]
        at = Cellref(table.name, row.number, column, row.cells.get(column))
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
                cell = Cellref(at.sheet, at.row, column, text)
                if self.mapping.id_format == "salesforce":
                    try:
                        text = salesforce_id(text)
                    except CellError as exc:
                        self.error(cell, str(exc))
                        return None
                targets.append(Target(label, text, None, cell))
            return Ref(ref, targets) if targets else None
        parts = [text_of(row.cells.get(c)) for c in ref.key]
        if any(p is None for p in parts):
            if ref.required:
                blank = next(c for c, p in zip(ref.key, parts, strict=True) if p is None)
                self.error(
                    Cellref(at.sheet, at.row, blank, None), "blank, but a reference is required"
                )
            return None
        head = [p for p in parts[:-1] if p is not None]
        targets = [
            Target(ref.labels[0], None, [*head, last], Cellref(at.sheet, at.row, column, last))
            for last in self._split(parts[-1], ref.split)
        ]
        return Ref(ref, targets)

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
        cells: dict[str, Cellref],
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
        at = Cellref(table.name, row.number, fs.columns[0] if fs.columns else None, None)
        cells[name] = at
        try:
            values[name] = self._value(fs, kind, enum, row, at)
        except CellError as exc:
            self.error(at, str(exc))
            return False
        return True

    def _source(self, fs: FieldSpec, row: TableRow, at: Cellref) -> Any:
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

    def _value(self, fs: FieldSpec, kind: str, enum: Any, row: TableRow, at: Cellref) -> Any:
        raw = self._source(fs, row, at)
        value = raw
        if raw is not None and (fs.map or fs.patterns):
            value = self._translate(fs, raw, kind, enum)
        if value is None and fs.fallback is not None:
            sub = Cellref(at.sheet, at.row, fs.fallback.columns[0], None)
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


def spec_columns(spec: SheetSpec) -> list[str]:
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


def spelled_as(table: Table, names: Sequence[str]) -> Table:
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
