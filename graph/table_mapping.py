"""Mapping files: which table holds which label, and which column fills which field.

A mapping is a TOML document (see ``docs/import-tables.md`` for the user guide)::

    format = 1
    name = "my-crm"
    timezone = "Asia/Shanghai"        # for times written without a zone
    id_format = "plain"               # or "salesforce": ids are checked, 15 → 18 chars

    [[sheets]]
    table = "Contact"                 # sheet title or CSV file stem
    aliases = ["Contacts"]
    label = "Contact"                 # a node sheet ...
    id = "Id"                         # ... whose records carry an id, or
    key = ["AccountId", "LastName"]   # ... are known by a natural key (stable ids)
    [sheets.fields]
    name = { template = "{FirstName} {LastName}" }
    title = "Title"                                   # a column
    stance = { column = "态度", map = { "支持" = "SUPPORTER" } }
    [[sheets.links]]                  # relationships from each row's record
    type = "REPORTS_TO"
    to = "Contact"
    id = "ReportsToId"

A relationship sheet (``relationship = "HAS_ROLE"``) has ``from`` and ``to`` references
and its ``fields`` fill the relationship's properties. A ``derived = true`` sheet only
creates records that nothing else gives and the store does not hold (departments named
in a contact list, say). :func:`load_mapping` reads a packaged mapping by name
(:func:`packaged_mappings`) or a file.
"""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from stakegraph.graph.errors import InvalidTables, TableError
from stakegraph.graph.model import LABEL_MODELS, REL_ENDPOINTS, REL_PROPERTY_MODELS, Label, RelType
from stakegraph.graph.table_values import field_kind

__all__ = [
    "FieldSpec",
    "LinkSpec",
    "RefSpec",
    "SheetSpec",
    "TableMapping",
    "load_mapping",
    "packaged_mappings",
]

_TEMPLATE_SLOT = re.compile(r"\{([^{}]+)\}")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class FieldSpec(_Spec):
    """Where a field's value comes from and how a cell becomes it.

    Sources, tried in this order until one gives a value: ``column`` (a name, or a list
    whose first non-blank cell wins), ``template`` (``"{FirstName} {LastName}"``,
    blank slots dropped), ``value`` (a constant). Then ``map`` (keys compared
    trimmed and case-folded) or ``patterns`` (``[regex, value]`` pairs, first match)
    translate the text; ``other`` is the value for text the map does not know
    (otherwise an unknown value of an enum field is an error). ``default`` fills a
    blank result, ``fallback`` is tried before it. ``split`` cuts a list field's
    text (default: the mapping's ``list_separators``); ``scale`` multiplies numbers
    (``10000`` for a column in 万元).
    """

    column: str | list[str] | None = None
    template: str | None = None
    value: Any = None
    map: dict[str, Any] = Field(default_factory=dict)
    patterns: list[tuple[str, Any]] = Field(default_factory=list)
    other: Any = None
    default: Any = None
    fallback: FieldSpec | None = None
    split: str | list[str] | None = None
    scale: float | None = None

    @property
    def columns(self) -> list[str]:
        """Every column this field reads (its own, its template's, its fallback's)."""
        cols = [self.column] if isinstance(self.column, str) else list(self.column or [])
        if self.template:
            cols += _TEMPLATE_SLOT.findall(self.template)
        if self.fallback is not None:
            cols += self.fallback.columns
        return cols

    @field_validator("fallback", mode="before")
    @classmethod
    def _bare_fallback(cls, value: Any) -> Any:
        return {"column": value} if isinstance(value, str | list) else value

    @field_validator("patterns")
    @classmethod
    def _compile(cls, patterns: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
        for pattern, _ in patterns:
            re.compile(pattern)
        return patterns


def _fields_of(value: Any) -> Any:
    """A field given as a bare column name (or list of names) is ``{column = ...}``."""
    if not isinstance(value, dict):
        return value
    return {k: {"column": v} if isinstance(v, str | list) else v for k, v in value.items()}


class RefSpec(_Spec):
    """A reference from a row to a record: by ``id`` column or by natural ``key`` columns.

    ``to`` is the label (or labels, with ``prefixes`` telling which one an id's
    leading characters name: Salesforce's ``001`` Account, ``003`` Contact, ...;
    an id with another prefix is skipped). A blank reference is skipped unless
    ``required``; one to nothing known is an error unless ``missing = "skip"``.
    ``split`` cuts a cell naming several records (the last key column, or the id).
    """

    to: Label | list[Label]
    id: str | None = None
    key: list[str] = Field(default_factory=list)
    prefixes: dict[str, Label] = Field(default_factory=dict)
    missing: Literal["error", "skip"] = "error"
    required: bool = False
    split: str | list[str] | None = None

    @property
    def labels(self) -> list[Label]:
        return [self.to] if isinstance(self.to, Label) else list(self.to)

    @property
    def columns(self) -> list[str]:
        return [self.id] if self.id else list(self.key)

    @model_validator(mode="after")
    def _one_way(self) -> RefSpec:
        if bool(self.id) == bool(self.key):
            raise ValueError("a reference gives either id (a column) or key (columns)")
        if len(self.labels) > 1 and not self.prefixes:
            raise ValueError("a reference to several labels needs prefixes")
        return self


class LinkSpec(RefSpec):
    """A relationship from each row's record to the referenced one (``reverse``: to it).

    ``unless`` lists columns that, when any is filled, turn the link off for that row
    (a department is ``PART_OF`` its parent department, else of its company).
    ``fields`` fill the relationship's properties.
    """

    type: RelType
    reverse: bool = False
    unless: list[str] = Field(default_factory=list)
    fields: dict[str, FieldSpec] = Field(default_factory=dict)

    @field_validator("fields", mode="before")
    @classmethod
    def _fields(cls, value: Any) -> Any:
        return _fields_of(value)


class SheetSpec(_Spec):
    """How one table becomes records: nodes of a ``label`` or relationships of a type."""

    table: str
    aliases: list[str] = Field(default_factory=list)
    label: Label | None = None
    relationship: RelType | None = None
    id: str | None = None
    key: list[str] = Field(default_factory=list)
    derived: bool = False
    fill: dict[str, str] = Field(default_factory=dict)
    skip_blank: list[str] = Field(default_factory=list)
    where: dict[str, list[str]] = Field(default_factory=dict)
    fields: dict[str, FieldSpec] = Field(default_factory=dict)
    links: list[LinkSpec] = Field(default_factory=list)
    from_: RefSpec | None = Field(default=None, alias="from")
    to: RefSpec | None = None
    required_columns: list[str] = Field(default_factory=list)

    @field_validator("fields", mode="before")
    @classmethod
    def _fields(cls, value: Any) -> Any:
        return _fields_of(value)

    @property
    def names(self) -> list[str]:
        return [self.table, *self.aliases]

    @model_validator(mode="after")
    def _check(self) -> SheetSpec:
        if (self.label is None) == (self.relationship is None):
            raise ValueError(f"sheet {self.table!r}: give label or relationship")
        if self.label is not None:
            if not self.id and not self.key:
                raise ValueError(f"sheet {self.table!r}: give id (a column) or key (columns)")
            model = LABEL_MODELS[self.label]
            for name in self.fields:
                if name == "id" or name.split(".")[0] not in model.model_fields:
                    raise ValueError(f"sheet {self.table!r}: {self.label} has no field {name!r}")
                field_kind(model, name)
            for link in self.links:
                ends = REL_ENDPOINTS[link.type][1 if not link.reverse else 0]
                mine = REL_ENDPOINTS[link.type][0 if not link.reverse else 1]
                if self.label not in mine or not set(link.labels) <= ends:
                    raise ValueError(
                        f"sheet {self.table!r}: {link.type} cannot join "
                        f"{self.label} and {'/'.join(link.labels)}"
                    )
                _check_props(self.table, link.type, link.fields)
        else:
            assert self.relationship is not None
            if self.from_ is None or self.to is None:
                raise ValueError(f"sheet {self.table!r}: a relationship sheet needs from and to")
            _check_props(self.table, self.relationship, self.fields)
        return self


def _check_props(table: str, rel_type: RelType, fields: dict[str, FieldSpec]) -> None:
    model = REL_PROPERTY_MODELS[rel_type]
    for name in fields:
        if name not in model.model_fields:
            raise ValueError(f"sheet {table!r}: {rel_type} has no property {name!r}")


class TableMapping(_Spec):
    """A whole mapping file."""

    format: Literal[1] = 1
    name: str
    description: str = ""
    timezone: str = "UTC"
    id_format: Literal["plain", "salesforce"] = "plain"
    list_separators: list[str] = Field(default_factory=lambda: [";", "；", "、", "|"])
    sheets: list[SheetSpec]

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def packaged_mappings() -> list[str]:
    """Names of the mappings shipped with stakegraph (``load_mapping(name)``).

    Examples
    --------
    >>> packaged_mappings()
    ['cn-template', 'salesforce']
    """
    folder = resources.files("stakegraph.graph").joinpath("mappings")
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def load_mapping(source: str | Path) -> TableMapping:
    """A mapping: a packaged one by name (``"salesforce"``) or a TOML file.

    Raises
    ------
    InvalidTables
        When the file is no valid TOML or no valid mapping (each problem named).
    """
    name = str(source)
    if isinstance(source, str) and name in packaged_mappings():
        text = (
            resources.files("stakegraph.graph").joinpath(f"mappings/{name}.toml").read_text("utf-8")
        )
    else:
        path = Path(source)
        if not path.is_file():
            known = ", ".join(packaged_mappings())
            raise InvalidTables(
                [TableError.at(name, None, None, None, f"no such mapping file (packaged: {known})")]
            )
        text = path.read_text("utf-8")
    return parse_mapping(text, source=name)


def parse_mapping(text: str, *, source: str = "(mapping)") -> TableMapping:
    """Parse and check the TOML text of a mapping."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidTables([TableError.at(source, None, None, None, f"not TOML: {exc}")]) from exc
    try:
        return TableMapping.model_validate(doc)
    except ValidationError as exc:
        raise InvalidTables(
            [
                TableError.at(
                    source,
                    None,
                    ".".join(str(p) for p in e["loc"]) or None,
                    None,
                    e["msg"].removeprefix("Value error, "),
                )
                for e in exc.errors()
            ]
        ) from exc
