"""Import rules of the dataset format (docs/analytics.md §4): a tie from a contact to
itself and a relationship given twice with other properties are bad records; every
error line quotes the offending value; a record with two problems reports both;
Infinity and NaN are refused. Nothing is written when a record is bad (both stores)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from stakegraph.graph.dataset import import_dataset, parse_dataset
from stakegraph.graph.errors import InvalidDataset
from stakegraph.graph.store import GraphStore


def base() -> dict[str, Any]:
    return {
        "companies": [{"id": "acme", "name": "Acme", "tier": "KEY"}],
        "departments": [{"id": "d1", "name": "IT", "company_id": "acme"}],
        "contacts": [
            {"id": "p1", "name": "Ada", "department_id": "d1"},
            {"id": "p2", "name": "Bob", "department_id": "d1"},
        ],
        "reps": [{"id": "r1", "name": "Rita"}],
        "relationships": [{"type": "KNOWS", "from": "r1", "to": "p1", "level": 2}],
    }


def refused(store: GraphStore, doc: Any) -> list[str]:
    with pytest.raises(InvalidDataset) as info:
        import_dataset(store, doc)
    assert sum(store.counts().values()) == 0  # nothing written
    return [str(e) for e in info.value.errors]


def test_an_enum_error_quotes_the_value_and_names_the_members(store: GraphStore) -> None:
    doc = base()
    doc["companies"][0]["tier"] = "GIGANTIC"
    assert refused(store, doc) == [
        "companies[0] (id 'acme'): tier: 'GIGANTIC' is not one of STRATEGIC, KEY, SMB"
    ]


def test_a_record_with_two_problems_reports_both(store: GraphStore) -> None:
    doc = base()
    doc["companies"][0] |= {"tier": "GIGANTIC", "strategic_fit": 9}
    doc["relationships"].append({"type": "INFLUENCES", "from": "p1", "to": "ghost", "strength": 7})
    lines = refused(store, doc)
    assert "companies[0] (id 'acme'): tier: 'GIGANTIC' is not one of STRATEGIC, KEY, SMB" in lines
    assert any(line.startswith("companies[0] (id 'acme'): strategic_fit: 9:") for line in lines)
    rel = [line for line in lines if line.startswith("relationships[1]")]
    assert len(rel) == 2, lines
    assert any("to:" in line and "'ghost'" in line for line in rel)
    assert any("strength: 7:" in line for line in rel)


def test_a_tie_from_a_contact_to_itself_is_refused(store: GraphStore) -> None:
    doc = base()
    doc["relationships"].append({"type": "INFLUENCES", "from": "p2", "to": "p2", "strength": 2})
    assert refused(store, doc) == [
        "relationships[1]: to: INFLUENCES: 'p2': a Contact cannot be tied to itself"
    ]


def test_the_same_relationship_twice_with_other_properties_is_refused(store: GraphStore) -> None:
    doc = base()
    doc["relationships"].append({"type": "KNOWS", "from": "r1", "to": "p1", "level": 3})
    (line,) = refused(store, doc)
    assert line.startswith("relationships[1]: (record): KNOWS 'r1'->'p1' given again")
    assert "{'level': 3}" in line and "{'level': 2}" in line
    doc["relationships"][1]["level"] = 2  # the same twice is no conflict
    assert import_dataset(store, doc).relationships_created == 4  # PART_OF, 2 WORKS_IN, KNOWS


@pytest.mark.parametrize("constant", ["Infinity", "-Infinity", "NaN"])
def test_infinity_and_nan_are_refused_with_the_value_quoted(
    store: GraphStore, constant: str
) -> None:
    text = json.dumps(base()).replace(
        '"tier": "KEY"', f'"tier": "KEY", "annual_revenue": {constant}'
    )
    doc = json.loads(text)
    assert refused(store, doc) == [
        f"companies[0] (id 'acme'): annual_revenue: {constant} is not a finite number"
    ]


def test_a_non_finite_relationship_property_is_refused() -> None:
    doc = base()
    doc["relationships"][0]["level"] = float("nan")
    with pytest.raises(InvalidDataset, match=r"relationships\[0\]: level: NaN is not a finite"):
        parse_dataset(doc)
