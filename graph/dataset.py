"""Dataset v1: the JSON interchange format (docs/analytics.md §4), import and export.

Import validates every record before writing anything and reports each bad record
with its position, field and reason (:class:`stakegraph.graph.errors.InvalidDataset`); it is an
upsert by id, so importing twice changes nothing; export writes the same format, so
export → import into an empty store yields the same graph.

Beyond §4 the format accepts (and export writes) ``from_label`` / ``to_label`` on a
relationship whose type may join several labels (``COVERS``, ``ATTENDED``, ``ABOUT``,
``PART_OF``), because ids are unique per label only, and a ``changes`` list carrying
the recorded change events, so an account's history survives a round trip.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any, NamedTuple

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stakegraph.graph.errors import DatasetError, InvalidDataset
from stakegraph.graph.gc_policy import gc_paused
from stakegraph.graph.model import (
    LABEL_MODELS,
    REL_ENDPOINTS,
    REL_PROPERTY_MODELS,
    SINGLE_TARGET,
    ChangeEvent,
    Company,
    Competitor,
    Contact,
    Department,
    Interaction,
    Label,
    Node,
    NoProps,
    Opportunity,
    PlanTarget,
    Relationship,
    RelType,
    Rep,
    Team,
    rel_properties,
)
from stakegraph.graph.store import GraphBatch, GraphStore, WriteSummary

__all__ = [
    "FORMAT_VERSION",
    "DatasetV1",
    "dataset_json_schema",
    "document_digest",
    "export_dataset",
    "import_dataset",
    "load_dataset_file",
    "parse_dataset",
]

FORMAT_VERSION = 1

# Shorthands of §4: field -> (relationship type, source label, target label)
SHORTHANDS: dict[Label, dict[str, tuple[RelType, Label]]] = {
    Label.CONTACT: {"department_id": (RelType.WORKS_IN, Label.DEPARTMENT)},
    Label.DEPARTMENT: {"company_id": (RelType.PART_OF, Label.COMPANY)},
    Label.OPPORTUNITY: {"company_id": (RelType.FOR, Label.COMPANY)},
    Label.PLAN_TARGET: {
        "company_id": (RelType.PLAN_OF, Label.COMPANY),
        "opportunity_id": (RelType.PLAN_FOR, Label.OPPORTUNITY),
        "contact_id": (RelType.TARGETS, Label.CONTACT),
        "rep_id": (RelType.ASSIGNED_TO, Label.REP),
    },
}
ATTENDEE_SHORTHANDS: dict[str, Label] = {"rep_ids": Label.REP, "contact_ids": Label.CONTACT}


# ---------------------------------------------------------------- JSON Schema model


class RelationshipRecord(BaseModel):
    """A relationship of the dataset; its properties sit beside type, from and to."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)

    type: RelType
    from_: str = Field(alias="from", min_length=1)
    to: str = Field(min_length=1)
    from_label: Label | None = None
    to_label: Label | None = None


class _ContactRecord(Contact):
    department_id: str | None = Field(default=None, description="shorthand for WORKS_IN")


class _DepartmentRecord(Department):
    company_id: str | None = Field(default=None, description="shorthand for PART_OF a Company")


class _OpportunityRecord(Opportunity):
    company_id: str | None = Field(default=None, description="shorthand for FOR")


class _PlanTargetRecord(PlanTarget):
    company_id: str | None = Field(default=None, description="shorthand for PLAN_OF")
    opportunity_id: str | None = Field(default=None, description="shorthand for PLAN_FOR")
    contact_id: str | None = Field(default=None, description="shorthand for TARGETS")
    rep_id: str | None = Field(default=None, description="shorthand for ASSIGNED_TO")


class _InteractionRecord(Interaction):
    rep_ids: list[str] = Field(default_factory=list, description="reps who ATTENDED")
    contact_ids: list[str] = Field(default_factory=list, description="contacts who ATTENDED")


class DatasetV1(BaseModel):
    """The stakegraph dataset, format version 1 (docs/analytics.md §4)."""

    model_config = ConfigDict(extra="forbid", title="stakegraph dataset v1")

    version: int = FORMAT_VERSION
    companies: list[Company] = Field(default_factory=list)
    departments: list[_DepartmentRecord] = Field(default_factory=list)
    contacts: list[_ContactRecord] = Field(default_factory=list)
    opportunities: list[_OpportunityRecord] = Field(default_factory=list)
    reps: list[Rep] = Field(default_factory=list)
    teams: list[Team] = Field(default_factory=list)
    interactions: list[_InteractionRecord] = Field(default_factory=list)
    competitors: list[Competitor] = Field(default_factory=list)
    plan_targets: list[_PlanTargetRecord] = Field(default_factory=list)
    relationships: list[RelationshipRecord] = Field(default_factory=list)
    changes: list[ChangeEvent] = Field(default_factory=list)


def dataset_json_schema() -> dict[str, Any]:
    """The JSON Schema of dataset v1, with one relationship shape per type."""
    schema = DatasetV1.model_json_schema(by_alias=True)
    variants = []
    for rel_type in RelType:
        props = REL_PROPERTY_MODELS[rel_type].model_json_schema()
        allowed_from, allowed_to = REL_ENDPOINTS[rel_type]
        variants.append(
            {
                "type": "object",
                "title": f"{rel_type} relationship",
                "properties": {
                    "type": {"const": str(rel_type)},
                    "from": {
                        "type": "string",
                        "description": f"id of a {' or '.join(sorted(allowed_from))}",
                    },
                    "to": {
                        "type": "string",
                        "description": f"id of a {' or '.join(sorted(allowed_to))}",
                    },
                    "from_label": {"enum": sorted(str(x) for x in allowed_from)},
                    "to_label": {"enum": sorted(str(x) for x in allowed_to)},
                    **props.get("properties", {}),
                },
                "required": ["type", "from", "to", *props.get("required", [])],
                "additionalProperties": False,
            }
        )
        schema.setdefault("$defs", {}).update(props.get("$defs", {}))
    schema["properties"]["relationships"] = {"type": "array", "items": {"oneOf": variants}}
    schema.get("$defs", {}).pop("RelationshipRecord", None)
    return schema


# ----------------------------------------------------------------------- parsing

_TOP_KEYS = {label.plural: label for label in Label}


def _loc(err: Mapping[str, Any]) -> str:
    """A pydantic error location as a field path: ``emails[0]``, ``profile.hobbies[1]``."""
    path = ""
    for part in err["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "(record)"


def _quote(value: Any) -> str:
    """An offending value as the error line shows it (``'GIGANTIC'``, ``7``, ``Infinity``)."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _reason(err: Mapping[str, Any]) -> str:
    """A pydantic error as a reason quoting the offending value:
    ``'GIGANTIC' is not one of STRATEGIC, KEY, SMB``."""
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "missing":
        return "required"
    value = err.get("input")
    if err["type"] == "enum":
        expected = str(err.get("ctx", {}).get("expected", ""))
        members = [m.strip().strip("'") for m in expected.replace(" or ", ", ").split(",")]
        return f"{_quote(value)} is not one of {', '.join(m for m in members if m)}"
    quoted = _quote(value)
    if msg.startswith(quoted):  # the validator quoted the value itself
        return msg
    return f"{quoted}: {msg[0].lower() + msg[1:] if msg else msg}"


def _pydantic_errors(
    position: str, record_id: str | None, exc: ValidationError
) -> list[DatasetError]:
    return [DatasetError(position, record_id, _loc(e), _reason(e)) for e in exc.errors()]


_SCALARS = (str, int, bool, type(None))
_SCALAR_TYPES = frozenset(_SCALARS)


def _non_finite(value: Any, path: str) -> list[tuple[str, float]]:
    """(field path, value) of every Infinity / NaN inside a JSON value (paths are only
    spelled out for containers that hold a float)."""
    if isinstance(value, float):
        return [] if math.isfinite(value) else [(path, value)]
    hits: list[tuple[str, float]] = []
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(v, _SCALARS):
                hits += _non_finite(v, f"{path}.{k}" if path else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            if not isinstance(v, _SCALARS):
                hits += _non_finite(v, f"{path}[{i}]")
    return hits


def _finite_errors(position: str, record_id: str | None, record: Any) -> list[DatasetError]:
    """Infinity and NaN (accepted by JSON parsers, meaningless here) are refused."""
    if isinstance(record, dict) and _SCALAR_TYPES.issuperset(map(type, record.values())):
        return []  # the usual record: nothing but strings, integers and booleans
    return [
        DatasetError(position, record_id, path, f"{_quote(v)} is not a finite number")
        for path, v in _non_finite(record, "")
    ]


def parse_dataset(
    doc: Any, *, known_ids: Callable[[Label, list[str]], set[str]] | None = None
) -> GraphBatch:
    """Validate a dataset document completely and turn it into a :class:`GraphBatch`.

    Parameters
    ----------
    doc : Any
        The parsed JSON document.
    known_ids : callable, optional
        ``known_ids(label, ids)`` returns those ids already in the target store, so
        relationships may point at records imported earlier.

    Raises
    ------
    InvalidDataset
        With one :class:`DatasetError` per problem; nothing has been written.
    """
    errors: list[DatasetError] = []
    if not isinstance(doc, dict):
        raise InvalidDataset([DatasetError("(document)", None, "(root)", "must be a JSON object")])
    for key in doc:
        if key not in _TOP_KEYS and key not in ("relationships", "changes", "version"):
            errors.append(DatasetError(key, None, key, f"unknown key {key!r}"))
    if doc.get("version", FORMAT_VERSION) != FORMAT_VERSION:
        errors.append(
            DatasetError(
                "version",
                None,
                "version",
                f"{_quote(doc.get('version'))}: must be {FORMAT_VERSION}",
            )
        )

    nodes: list[Node] = []
    plan_positions: dict[str, str] = {}
    ids: dict[Label, set[str]] = defaultdict(set)
    raw_rels: list[tuple[Position, Any]] = []  # to be checked
    checked: list[tuple[Position, _RelRecord]] = []  # the shorthands' well-formed ties
    for key, label in _TOP_KEYS.items():
        records = doc.get(key, [])
        if not isinstance(records, list):
            errors.append(DatasetError(key, None, key, "must be a list"))
            continue
        for i, record in enumerate(records):
            position = f"{key}[{i}]"
            node = _parse_node(label, position, record, errors, raw_rels, checked)
            if node is None:
                # keep the id of an invalid record so references to it are not
                # reported a second time as dangling
                if isinstance(record, dict) and isinstance(record.get("id"), str):
                    ids[label].add(record["id"])
                continue
            if node.id in ids[label]:
                errors.append(DatasetError(position, node.id, "id", f"duplicate {label} id"))
                continue
            ids[label].add(node.id)
            nodes.append(node)
            if label == Label.PLAN_TARGET:
                plan_positions[node.id] = position

    rel_records = doc.get("relationships", [])
    if not isinstance(rel_records, list):
        errors.append(DatasetError("relationships", None, "relationships", "must be a list"))
        rel_records = []
    raw_rels.extend(enumerate(rel_records))  # positions spelled out for errors only
    relationships = _parse_relationships(checked, raw_rels, ids, known_ids, errors)
    errors.extend(_plan_target_errors(nodes, plan_positions, relationships))

    changes: list[ChangeEvent] = []
    change_records = doc.get("changes", [])
    if not isinstance(change_records, list):
        errors.append(DatasetError("changes", None, "changes", "must be a list"))
        change_records = []
    for i, record in enumerate(change_records):
        try:
            changes.append(ChangeEvent.model_validate(record))
        except ValidationError as exc:
            errors.extend(_pydantic_errors(f"changes[{i}]", None, exc))
    if errors:
        raise InvalidDataset(errors)
    # every record validated above: the batch does not validate them again
    return GraphBatch.model_construct(nodes=nodes, relationships=relationships, changes=changes)


def _parse_node(
    label: Label,
    position: str,
    record: Any,
    errors: list[DatasetError],
    raw_rels: list[tuple[Position, Any]],
    checked: list[tuple[Position, _RelRecord]],
) -> Node | None:
    if not isinstance(record, dict):
        errors.append(DatasetError(position, None, "(record)", "must be a JSON object"))
        return None
    record = dict(record)
    record_id = record.get("id") if isinstance(record.get("id"), str) else None
    bad_numbers = _finite_errors(position, record_id, record)
    errors.extend(bad_numbers)
    for field, (rel_type, target) in SHORTHANDS.get(label, {}).items():
        target_id = record.pop(field, None)
        if target_id is None:
            continue
        if not isinstance(target_id, str):
            errors.append(
                DatasetError(
                    position, record_id, field, f"{_quote(target_id)}: must be a string id"
                )
            )
            continue
        if record_id and target_id:  # well-formed: no need to check it as a record
            checked.append(
                (f"{position}.{field}", (rel_type, record_id, target_id, label, target, {}))
            )
            continue
        raw_rels.append(
            (
                f"{position}.{field}",
                {
                    "type": str(rel_type),
                    "from": record_id,
                    "to": target_id,
                    "from_label": str(label),
                    "to_label": str(target),
                },
            )
        )
    if label == Label.INTERACTION:
        for field, attendee in ATTENDEE_SHORTHANDS.items():
            attendees = record.pop(field, [])
            if not isinstance(attendees, list) or not all(isinstance(a, str) for a in attendees):
                errors.append(
                    DatasetError(
                        position,
                        record_id,
                        field,
                        f"{_quote(attendees)}: must be a list of string ids",
                    )
                )
                continue
            for j, a in enumerate(attendees):
                at = f"{position}.{field}[{j}]"
                if a and record_id:  # well-formed: no need to check it as a record
                    checked.append(
                        (at, (RelType.ATTENDED, a, record_id, attendee, Label.INTERACTION, {}))
                    )
                else:
                    raw_rels.append(
                        (
                            at,
                            {
                                "type": str(RelType.ATTENDED),
                                "from": a,
                                "to": record_id,
                                "from_label": str(attendee),
                                "to_label": str(Label.INTERACTION),
                            },
                        )
                    )
    try:
        # the model's validator itself (what model_validate calls, without its wrapper)
        node = LABEL_MODELS[label].__pydantic_validator__.validate_python(record)
    except ValidationError as exc:
        reported = {e.field for e in bad_numbers}
        errors.extend(
            e for e in _pydantic_errors(position, record_id, exc) if e.field not in reported
        )
        return None
    return None if bad_numbers else node


def _plan_target_errors(
    nodes: Iterable[Node], positions: Mapping[str, str], relationships: Iterable[Relationship]
) -> list[DatasetError]:
    """What a plan target of the document needs beyond its own fields (§3.18): one
    account, one owning rep, a contact or a role (not both), and an opportunity of its
    own account (checked when the document gives the opportunity's account)."""
    if not positions:  # no plan target in the document: nothing to check
        return []
    ties: dict[RelType, dict[str, str]] = defaultdict(dict)
    opp_company: dict[str, str] = {}
    for rel in relationships:
        if rel.from_label == Label.PLAN_TARGET:
            ties[rel.type][rel.from_id] = rel.to_id
        elif rel.type == RelType.FOR:
            opp_company[rel.from_id] = rel.to_id
    errors: list[DatasetError] = []
    for node in nodes:
        if not isinstance(node, PlanTarget):
            continue
        pos, tid = positions[node.id], node.id
        company = ties[RelType.PLAN_OF].get(tid)
        if company is None:
            errors.append(DatasetError(pos, tid, "company_id", "required: the account of the plan"))
        if tid not in ties[RelType.ASSIGNED_TO]:
            errors.append(DatasetError(pos, tid, "rep_id", "required: the owning rep"))
        contact = ties[RelType.TARGETS].get(tid)
        if contact is not None and node.role is not None:
            errors.append(
                DatasetError(
                    pos,
                    tid,
                    "role",
                    f"{_quote(str(node.role))}: give a contact_id or a role, not both "
                    f"(contact_id is {contact!r})",
                )
            )
        elif contact is None and node.role is None:
            errors.append(
                DatasetError(pos, tid, "contact_id", "required: give a contact_id or a role")
            )
        opp = ties[RelType.PLAN_FOR].get(tid)
        if opp is not None and company is not None and opp_company.get(opp, company) != company:
            errors.append(
                DatasetError(
                    pos,
                    tid,
                    "opportunity_id",
                    f"{_quote(opp)}: an opportunity of {opp_company[opp]!r}, "
                    f"not of the plan's account {company!r}",
                )
            )
    return errors


def _resolve(
    node_id: str,
    given: Label | None,
    allowed: frozenset[Label],
    ids: Mapping[Label, set[str]],
    known: Mapping[Label, set[str]],
) -> tuple[Label | None, str | None]:
    """The label of an endpoint, or an error reason."""
    if given is not None:
        if given not in allowed:
            return None, f"{str(given)!r} is not one of {', '.join(sorted(allowed))}"
        candidates = [given]
    else:
        candidates = sorted(allowed)

    def exists(lab: Label) -> bool:
        return node_id in ids.get(lab, ()) or node_id in known.get(lab, ())

    found = [lab for lab in candidates if exists(lab)]
    if not found:
        elsewhere = [lab for lab in Label if lab not in candidates and exists(lab)]
        what = " or ".join(str(c) for c in candidates)
        if elsewhere:
            return None, f"{node_id!r} is a {elsewhere[0]}, but this end must be a {what}"
        return None, f"dangling reference: no {what} with id {node_id!r}"
    if len(found) > 1:
        return None, f"ambiguous id {node_id!r} ({', '.join(found)}): give from_label/to_label"
    return found[0], None


_LABEL_VALUES = {str(label): label for label in Label}


class _TypeFacts(NamedTuple):
    """What parsing a relationship of one type needs to know of the type."""

    allowed_from: frozenset[Label]
    allowed_to: frozenset[Label]
    only_from: Label | None  # the label its source must have, where only one is allowed
    only_to: Label | None
    with_props: bool  # properties to validate (even none given: defaults, required ones)
    single_target: bool


def _only(allowed: frozenset[Label]) -> Label | None:
    return next(iter(allowed)) if len(allowed) == 1 else None


_TYPE_FACTS: dict[RelType, _TypeFacts] = {
    t: _TypeFacts(
        REL_ENDPOINTS[t][0],
        REL_ENDPOINTS[t][1],
        _only(REL_ENDPOINTS[t][0]),
        _only(REL_ENDPOINTS[t][1]),
        REL_PROPERTY_MODELS[t] is not NoProps,
        t in SINGLE_TARGET,
    )
    for t in RelType
}
_TYPE_VALUES = {str(t): t for t in RelType}
_REL_KEYS = frozenset({"type", "from", "to", "from_label", "to_label"})


#: Where a relationship record is: a field path, or ``i`` for ``relationships[i]``.
Position = str | int


def _at(position: Position) -> str:
    return f"relationships[{position}]" if isinstance(position, int) else position


#: A relationship record of the dataset, its fields checked (its properties not yet):
#: (type, from id, to id, from label, to label, properties). A plain tuple: there are
#: tens of thousands of them.
_RelRecord = tuple[RelType, str, str, Label | None, Label | None, dict[str, Any]]


_PLAIN_VALUES = frozenset({str, int, bool, type(None)})


def _plain_relationship(raw: dict[str, Any]) -> _RelRecord | None:
    """The record of the usual relationship (type, from, to, labels given by name or
    not, properties of strings, integers and booleans only), checked in one pass;
    ``None`` for anything else (then checked field by field, and reported)."""
    rel_type, from_, to = raw.get("type"), raw.get("from"), raw.get("to")
    if not (
        type(rel_type) is str
        and rel_type in _TYPE_VALUES
        and type(from_) is str
        and from_
        and type(to) is str
        and to
    ):
        return None
    size = len(raw)
    if size == 3:
        return (_TYPE_VALUES[rel_type], from_, to, None, None, {})
    given: list[Label | None] = [None, None]
    for i, key in enumerate(("from_label", "to_label")):
        if key in raw:
            size -= 1
            value = raw[key]
            if value is not None:
                if type(value) is not str or value not in _LABEL_VALUES:
                    return None
                given[i] = _LABEL_VALUES[value]
    props: dict[str, Any] = {}
    if size > 3:
        props = {k: v for k, v in raw.items() if k not in _REL_KEYS}
        if "from_" in props or not _PLAIN_VALUES.issuperset(map(type, props.values())):
            return None
    return (_TYPE_VALUES[rel_type], from_, to, given[0], given[1], props)


def _relationship_record(raw: dict[str, Any]) -> _RelRecord | None:
    """The record of a well-formed relationship without running pydantic (``None``
    when anything is unusual: :class:`RelationshipRecord` then reports it)."""
    type_name = raw.get("type")
    rel_type = _TYPE_VALUES.get(type_name) if isinstance(type_name, str) else None
    from_, to = raw.get("from"), raw.get("to")
    if rel_type is None or not isinstance(from_, str) or not isinstance(to, str):
        return None
    if not from_ or not to or "from_" in raw:
        return None
    labels: list[Label | None] = []
    for key in ("from_label", "to_label"):
        value = raw.get(key)
        if value is not None and not (isinstance(value, str) and value in _LABEL_VALUES):
            return None
        labels.append(None if value is None else _LABEL_VALUES[value])
    extra = {k: v for k, v in raw.items() if k not in _REL_KEYS} if len(raw) > 3 else {}
    return (rel_type, from_, to, labels[0], labels[1], extra)


def _parse_relationships(
    checked: list[tuple[Position, _RelRecord]],
    raw_rels: list[tuple[Position, Any]],
    ids: Mapping[Label, set[str]],
    known_ids: Callable[[Label, list[str]], set[str]] | None,
    errors: list[DatasetError],
) -> list[Relationship]:
    """The relationships of the shorthands (``checked``: well-formed already, and first
    in the document) and of the records ``raw_rels``."""
    records = checked
    for position, raw in raw_rels:
        if type(raw) is dict:
            fast = _plain_relationship(raw)
            if fast is not None:
                records.append((position, fast))
                continue
        if not isinstance(raw, dict):
            errors.append(DatasetError(_at(position), None, "(record)", "must be a JSON object"))
            continue
        bad_numbers = _finite_errors(_at(position), None, raw)
        errors.extend(bad_numbers)
        rec = _relationship_record(raw)
        if rec is None:
            try:
                full = RelationshipRecord.model_validate(raw)
            except ValidationError as exc:
                errors.extend(_pydantic_errors(_at(position), None, exc))
                continue
            rec = (
                full.type,
                full.from_,
                full.to,
                full.from_label,
                full.to_label,
                dict(full.model_extra or {}),
            )
        if not bad_numbers:
            records.append((position, rec))

    # the same properties recur (INFLUENCES strength 1, HAS_ROLE role USER...): each
    # distinct set of scalar values (by type and value: True is no 1) validated once
    validated: dict[tuple[Any, ...], dict[str, Any]] = {}

    def valid_properties(rel_type: RelType, raw: dict[str, Any]) -> dict[str, Any]:
        try:
            key = (rel_type, tuple(raw.items()), tuple(map(type, raw.values())))
            hit = validated.get(key)
        except TypeError:  # a list or an object among them
            return rel_properties(rel_type, raw)
        if hit is None:
            hit = validated[key] = rel_properties(rel_type, raw)
        return dict(hit)

    if known_ids is None:
        return _tie(records, ids, {}, valid_properties, errors, in_file_only=False) or []
    # a whole document names no record outside it: its ties are checked against its own
    # ids alone, and the store is asked (then all is checked again) only when one is not
    tied = _tie(records, ids, {}, valid_properties, errors, in_file_only=True)
    if tied is not None:
        return tied
    known = _store_ids(records, ids, known_ids)
    return _tie(records, ids, known, valid_properties, errors, in_file_only=False) or []


def _store_ids(
    records: list[tuple[Position, _RelRecord]],
    ids: Mapping[Label, set[str]],
    known_ids: Callable[[Label, list[str]], set[str]],
) -> dict[Label, set[str]]:
    """The ids that relationships reference and the file does not hold, as the store
    has them: asked once per label, under the labels the end may have only (the others
    only for ends found under none of them, for the error line)."""
    known: dict[Label, set[str]] = defaultdict(set)

    def candidates(given: Label | None, allowed: frozenset[Label]) -> Collection[Label]:
        return (given,) if given is not None and given in allowed else allowed

    def ask(wanted: Mapping[Label, set[str]]) -> None:
        for lab, wanted_ids in wanted.items():
            if wanted_ids:
                known[lab] |= known_ids(lab, sorted(wanted_ids))

    wanted: dict[Label, set[str]] = defaultdict(set)
    missing: list[tuple[str, Collection[Label]]] = []  # ends under none of them in the file
    in_file = ids.get
    empty: frozenset[str] = frozenset()

    def look_up(node_id: str, given: Label | None, allowed: frozenset[Label]) -> None:
        labs = candidates(given, allowed)
        absent = 0
        for lab in labs:  # every candidate: an id under two of them is ambiguous
            if node_id not in in_file(lab, empty):
                wanted[lab].add(node_id)
                absent += 1
        if absent == len(labs):
            missing.append((node_id, labs))

    for _, (rel_type, from_, to, given_from, given_to, _props) in records:
        allowed_from, allowed_to = REL_ENDPOINTS[rel_type]
        look_up(from_, given_from, allowed_from)
        look_up(to, given_to, allowed_to)
    ask(wanted)
    elsewhere: dict[Label, set[str]] = defaultdict(set)
    for node_id, labs in missing:
        if not any(node_id in known[lab] for lab in labs):
            for lab in Label:
                if lab not in labs and node_id not in ids.get(lab, ()):
                    elsewhere[lab].add(node_id)
    ask(elsewhere)  # for the error line ("'p1' is a Contact, but ...") only

    return known


def _tie(
    records: list[tuple[Position, _RelRecord]],
    ids: Mapping[Label, set[str]],
    known: Mapping[Label, set[str]],
    valid_properties: Callable[[RelType, dict[str, Any]], dict[str, Any]],
    errors: list[DatasetError],
    *,
    in_file_only: bool,
) -> list[Relationship] | None:
    """The relationships of the records, their ends found in the file or in ``known``;
    the problems go to ``errors``. With ``in_file_only``, ``None`` (and no errors) as
    soon as an end is not found at once (then the store is to be asked)."""
    problems: list[DatasetError] = []
    out: dict[tuple[str, ...], tuple[RelType, Label, str, Label, str, dict[str, Any]]] = {}
    first_at: dict[tuple[str, ...], Position] = {}
    single: dict[tuple[RelType, Label, str], tuple[Label, str]] = {}
    ids_get, known_get = ids.get, known.get
    for position, rec in records:
        rel_type, from_, to, given_from, given_to, properties = rec
        allowed_from, allowed_to, only_from, only_to, with_props, single_target = _TYPE_FACTS[
            rel_type
        ]
        # the usual end: the one label it may have (or the given one), found in the
        # file or the store; anything else _resolve decides, and words the error
        fl = (
            only_from
            if given_from is None
            else (given_from if given_from in allowed_from else None)
        )
        if fl is not None and from_ not in ids_get(fl, ()) and from_ not in known_get(fl, ()):
            fl = None
        tl = only_to if given_to is None else (given_to if given_to in allowed_to else None)
        if tl is not None and to not in ids_get(tl, ()) and to not in known_get(tl, ()):
            tl = None
        if in_file_only and (fl is None or tl is None):
            return None
        found: list[DatasetError] = []
        if fl is None:
            fl, from_err = _resolve(from_, given_from, allowed_from, ids, known)
            if from_err:
                found.append(DatasetError(_at(position), None, "from", f"{rel_type}: {from_err}"))
        if tl is None:
            tl, to_err = _resolve(to, given_to, allowed_to, ids, known)
            if to_err:
                found.append(DatasetError(_at(position), None, "to", f"{rel_type}: {to_err}"))
        if from_ == to:
            from_end, to_end = fl or given_from, tl or given_to
            if from_end is None or to_end is None or from_end == to_end:
                found.append(
                    DatasetError(
                        _at(position),
                        None,
                        "to",
                        f"{rel_type}: {to!r}: a {from_end or to_end or 'record'} "
                        "cannot be tied to itself",
                    )
                )
        if properties or with_props:
            try:
                properties = valid_properties(rel_type, properties)
            except ValidationError as exc:
                found.extend(_pydantic_errors(_at(position), None, exc))
        if found or fl is None or tl is None:
            problems.extend(found)
            continue
        key = (rel_type, fl, from_, tl, to)
        before = out.get(key)
        if before is not None and before[5] != properties:
            problems.append(
                DatasetError(
                    _at(position),
                    None,
                    "(record)",
                    f"{rel_type} {from_!r}->{to!r} given again with other "
                    f"properties (first at {_at(first_at[key])}): "
                    f"{_quote(_json_props(properties))} is not "
                    f"{_quote(_json_props(before[5]))}",
                )
            )
            continue
        if single_target:
            source = (rel_type, fl, from_)
            target = (tl, to)
            if single.setdefault(source, target) != target:
                problems.append(
                    DatasetError(
                        _at(position),
                        None,
                        "to",
                        f"{fl} {from_!r} already has {rel_type} "
                        f"{single[source][1]!r}; it may have only one",
                    )
                )
                continue
        if before is None:
            first_at[key] = position
        # validated once: the ends above (or by _resolve), the properties just above
        out[key] = (rel_type, fl, from_, tl, to, properties)
    errors.extend(problems)
    return Relationship.trusted_many(out.values())


def load_dataset_file(path: str | Path) -> Any:
    """Read a dataset file, reporting a JSON syntax error with its line and column."""
    text = Path(path).read_text(encoding="utf-8")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidDataset(
            [DatasetError(f"line {exc.lineno}, column {exc.colno}", None, "(json)", exc.msg)]
        ) from exc


# ------------------------------------------------------------------ import/export


def import_dataset(
    store: GraphStore,
    doc: Any,
    *,
    by: str = "import",
    progress: Callable[[int, int], None] | None = None,
) -> WriteSummary:
    """Validate a whole dataset, then upsert it into ``store``.

    Nothing is written unless every record is valid. Writes go in batches of
    :data:`~stakegraph.graph.store.IMPORT_BATCH` records
    (:meth:`~stakegraph.graph.store.GraphStore.import_batch`: the embedded store in one
    transaction; Neo4j the shared records in one, then each account's nodes and
    relationships together, whole accounts per transaction, with an import journal of
    the document's :func:`document_digest`); ``progress(done, total)`` is called after
    each (it reports; it does not use the store, see ``import_batch``). A record whose stored content hash equals its own is left alone, so importing
    an interrupted document again completes it. Updates of existing records record
    their change events; records new to the store record none (the document's own
    ``changes`` are its history).
    """

    digest = document_digest(doc)
    repeat = store.repeat_of_last_import(digest)
    # the same document again, nothing written since: a no-op (unless it holds Infinity
    # or NaN, which its digest does not tell from null: parsing refuses it below)
    if repeat is not None and not _non_finite(doc, ""):
        if progress:
            total = repeat.nodes_unchanged + repeat.relationships_unchanged
            progress(total, total)
        return repeat

    def known(label: Label, wanted: list[str]) -> set[str]:
        return set(store.get_nodes(label, wanted))

    # an import creates several objects per record and keeps them: the collector
    # would run again and again over a heap that only grows (half the time of parsing a
    # large document, bench/bench_import.py); reference counting still frees the rest
    with gc_paused():
        batch = parse_dataset(doc, known_ids=known)
        summary = store.import_batch(batch, by=by, progress=progress, digest=digest)
        # freed by reference counting while the collector is still paused: its first
        # collection after the pause then does not traverse the whole batch once more
        del batch
    return summary


def document_digest(doc: Any) -> str:
    """A digest of a dataset document's content (key order and spacing aside): what
    the import journal names the import by.

    The document is written out with its keys sorted by ``orjson`` (about six times
    faster than the standard library here; what it cannot write, such as integers
    beyond 64 bits or keys that are no strings, falls back to ``json``). ``orjson``
    writes Infinity and NaN as ``null``: a document holding them is never taken for a
    repeat (:func:`import_dataset` checks), and is refused when parsed anyway.
    """
    try:
        text = orjson.dumps(doc, option=orjson.OPT_SORT_KEYS, default=str)
    except orjson.JSONEncodeError:
        text = json.dumps(
            doc,
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
            check_circular=False,
        ).encode()
    return hashlib.blake2b(text, digest_size=16).hexdigest()


def _multi_label(rel_type: RelType) -> tuple[bool, bool]:
    allowed_from, allowed_to = REL_ENDPOINTS[rel_type]
    return len(allowed_from) > 1, len(allowed_to) > 1


def batch_to_document(batch: GraphBatch) -> dict[str, Any]:
    """A :class:`GraphBatch` as a dataset v1 document (stable order)."""
    doc: dict[str, Any] = {"version": FORMAT_VERSION}
    by_label: dict[Label, list[Node]] = defaultdict(list)
    for node in batch.nodes:
        by_label[node.label].append(node)
    for label in Label:
        doc[label.plural] = [
            n.model_dump(mode="json", exclude_none=True)
            for n in sorted(by_label[label], key=lambda n: n.id)
        ]
    rels = []
    for rel in sorted(batch.relationships, key=lambda r: r.key):
        many_from, many_to = _multi_label(rel.type)
        record: dict[str, Any] = {"type": str(rel.type), "from": rel.from_id, "to": rel.to_id}
        if many_from:
            record["from_label"] = str(rel.from_label)
        if many_to:
            record["to_label"] = str(rel.to_label)
        record.update(_json_props(rel.properties))
        rels.append(record)
    doc["relationships"] = rels
    doc["changes"] = [
        e.model_dump(mode="json")
        for e in sorted(batch.changes, key=lambda e: (e.at, e.entity, e.entity_id, e.field))
    ]
    return doc


def _json_props(props: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(json.dumps(dict(props), default=_json_default))
    return out


def _json_default(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text.replace("+00:00", "Z") if "T" in text else text
    return str(value)


def export_dataset(store: GraphStore) -> dict[str, Any]:
    """Everything in ``store`` as a dataset v1 document."""
    return batch_to_document(store.export())
