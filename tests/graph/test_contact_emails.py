"""Contacts' e-mail addresses and phone (§2): canonical, validated, round-tripped."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from stakegraph.graph.dataset import export_dataset, import_dataset, parse_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.graph.errors import InvalidDataset
from stakegraph.graph.model import Contact, Label, Rep
from stakegraph.graph.store import GraphStore


def people() -> dict[str, Any]:
    return {
        "companies": [{"id": "co", "name": "Orient Precision"}],
        "departments": [{"id": "d", "name": "IT", "company_id": "co"}],
        "contacts": [
            {
                "id": "c-1",
                "name": "郑凯",
                "emails": [" ZhengKai@Orient-Precision.EXAMPLE.cn ", "kai.zheng@gmail.com"],
                "phone": "+86 512 6688 0001",
                "department_id": "d",
            },
            {"id": "c-2", "name": "冯静", "email": "FengJing@orient-precision.example.cn"},
            {"id": "c-3", "name": "No address"},
        ],
        "reps": [{"id": "r-1", "name": "林伟", "email": "Lin.Wei@Sales.Example.com"}],
    }


def test_addresses_are_stored_in_canonical_lower_case_form() -> None:
    contact = Contact(id="c", name="x", emails=[" Ding.YM@HuaxiaBank.Example.CN "])
    assert contact.emails == ["ding.ym@huaxiabank.example.cn"]
    assert Rep(id="r", name="y", email="Lin.Wei@Sales.Example.com").email == (
        "lin.wei@sales.example.com"
    )


def test_the_same_address_twice_is_kept_once() -> None:
    contact = Contact(id="c", name="x", emails=["a@x.example.com", "A@X.example.com"])
    assert contact.emails == ["a@x.example.com"]


def test_a_single_email_is_a_shorthand_for_the_first_of_emails() -> None:
    only = Contact(id="c", name="x", email="Bob@X.example.com")
    both = Contact(id="c", name="x", email="b@y.example.com", emails=["a@y.example.com"])
    assert only.emails == ["bob@x.example.com"]
    assert both.emails == ["b@y.example.com", "a@y.example.com"]
    # the shorthand is input only: nothing but `emails` is stored or exported
    assert "email" not in only.model_dump()


def test_an_invalid_address_is_refused_with_the_value_quoted() -> None:
    with pytest.raises(ValidationError) as info:
        Contact(id="c", name="x", emails=["ok@x.example.com", "bob@@x"])
    (error,) = info.value.errors()
    assert error["loc"] == ("emails", 1)
    assert error["msg"].startswith("'bob@@x' is not a valid e-mail address: ")


def test_a_dataset_with_a_bad_address_names_record_field_and_value() -> None:
    doc = people()
    doc["contacts"].append({"id": "c-9", "name": "Bob", "emails": ["bob@@x"]})
    doc["contacts"].append({"id": "c-10", "name": "Eve", "email": "eve at example"})
    doc["reps"].append({"id": "r-2", "name": "Rep", "email": "rep@"})
    with pytest.raises(InvalidDataset) as info:
        parse_dataset(doc)
    lines = [str(e) for e in info.value.errors]
    assert len(lines) == 3
    assert lines[0].startswith(
        "contacts[3] (id 'c-9'): emails[0]: 'bob@@x' is not a valid e-mail address: "
    )
    assert lines[1].startswith(
        "contacts[4] (id 'c-10'): email: 'eve at example' is not a valid e-mail address: "
    )
    assert lines[2].startswith("reps[1] (id 'r-2'): email: 'rep@' is not a valid e-mail address")


def test_nothing_is_written_when_one_address_is_bad(store: GraphStore) -> None:
    doc = people()
    doc["contacts"][1]["email"] = "bob@@x"
    with pytest.raises(InvalidDataset):
        import_dataset(store, doc)
    assert store.counts()["Contact"] == 0


def test_emails_and_phone_survive_export_then_import_on_both_stores(store: GraphStore) -> None:
    import_dataset(store, people())
    exported = export_dataset(store)
    contacts = {c["id"]: c for c in exported["contacts"]}
    assert contacts["c-1"]["emails"] == [
        "zhengkai@orient-precision.example.cn",
        "kai.zheng@gmail.com",
    ]
    assert contacts["c-1"]["phone"] == "+86 512 6688 0001"
    assert contacts["c-2"]["emails"] == ["fengjing@orient-precision.example.cn"]
    assert contacts["c-3"]["emails"] == []
    assert "email" not in contacts["c-2"]
    assert exported["reps"][0]["email"] == "lin.wei@sales.example.com"
    node = store.get_node(Label.CONTACT, "c-1")
    assert isinstance(node, Contact)
    assert node.emails == contacts["c-1"]["emails"]

    again = import_dataset(store, exported)
    assert again.nodes_created == again.nodes_updated == 0
    fresh = EmbeddedStore(":memory:")
    import_dataset(fresh, exported)
    assert export_dataset(fresh)["contacts"] == exported["contacts"]
    fresh.close()
