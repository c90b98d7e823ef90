"""Store contract of ``find_by_emails`` (§3.15 matching), on both stores."""

from __future__ import annotations

import pytest

from stakegraph.graph.model import Contact, Label, Rep
from stakegraph.graph.store import GraphBatch, GraphStore


@pytest.fixture
def addressed(store: GraphStore) -> GraphStore:
    store.write(
        GraphBatch(
            nodes=[
                Contact(
                    id="c-1", name="郑凯", emails=["zhengkai@orient.example.cn", "kai@gmail.com"]
                ),
                Contact(id="c-2", name="冯静", emails=["fengjing@orient.example.cn"]),
                Contact(id="c-3", name="No address"),
                # two contacts share one address: ambiguous
                Contact(id="c-4", name="Old record", emails=["shared@orient.example.cn"]),
                Contact(id="c-5", name="New record", emails=["shared@orient.example.cn"]),
                Rep(id="r-1", name="林伟", email="lin.wei@sales.example.com"),
                Rep(id="r-2", name="No address"),
                # a rep's address is not a contact's, and the other way round
                Rep(id="r-3", name="Also a contact?", email="fengjing@orient.example.cn"),
            ]
        )
    )
    return store


def test_contacts_are_found_by_any_of_their_addresses_case_insensitively(
    addressed: GraphStore,
) -> None:
    found = addressed.find_by_emails(
        Label.CONTACT,
        ["ZhengKai@Orient.EXAMPLE.cn", " kai@GMAIL.com ", "FengJing@orient.example.cn"],
    )
    assert found == {
        "zhengkai@orient.example.cn": "c-1",
        "kai@gmail.com": "c-1",
        "fengjing@orient.example.cn": "c-2",
    }


def test_reps_are_found_by_their_email(addressed: GraphStore) -> None:
    found = addressed.find_by_emails(
        Label.REP, ["LIN.WEI@sales.example.com", "zhengkai@orient.example.cn"]
    )
    assert found == {"lin.wei@sales.example.com": "r-1"}


def test_the_label_decides_which_nodes_answer(addressed: GraphStore) -> None:
    assert addressed.find_by_emails(Label.REP, ["fengjing@orient.example.cn"]) == {
        "fengjing@orient.example.cn": "r-3"
    }
    assert addressed.find_by_emails(Label.CONTACT, ["lin.wei@sales.example.com"]) == {}


def test_unknown_invalid_and_ambiguous_addresses_are_absent(addressed: GraphStore) -> None:
    found = addressed.find_by_emails(
        Label.CONTACT,
        ["nobody@orient.example.cn", "bob@@x", "shared@orient.example.cn", "", "kai@gmail.com"],
    )
    assert found == {"kai@gmail.com": "c-1"}
    assert addressed.find_by_emails(Label.CONTACT, []) == {}


def test_only_contacts_and_reps_have_addresses(addressed: GraphStore) -> None:
    with pytest.raises(ValueError, match="Company has no e-mail address"):
        addressed.find_by_emails(Label.COMPANY, ["a@b.example.com"])


def test_an_address_changed_by_a_later_write_is_found_under_the_new_one(
    addressed: GraphStore,
) -> None:
    addressed.write(
        GraphBatch(nodes=[Contact(id="c-2", name="冯静", emails=["jing@new.example.cn"])])
    )
    assert addressed.find_by_emails(
        Label.CONTACT, ["fengjing@orient.example.cn", "jing@new.example.cn"]
    ) == {"jing@new.example.cn": "c-2"}


def test_many_addresses_are_answered_in_one_call(store: GraphStore) -> None:
    store.write(
        GraphBatch(
            nodes=[
                Contact(id=f"c-{i:04d}", name=f"P{i}", emails=[f"p{i}@many.example.com"])
                for i in range(1200)
            ]
        )
    )
    wanted = [f"P{i}@Many.Example.com" for i in range(0, 1200, 2)] + ["x@many.example.com"]
    found = store.find_by_emails(Label.CONTACT, wanted)
    assert len(found) == 600
    assert found["p1198@many.example.com"] == "c-1198"
