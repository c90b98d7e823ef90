"""GraphQL interchange: ``account { graphml }`` (masked like everything else) and
``opportunity { methodView }`` of the demo deal, checked by hand (the facts: the module
docstring of tests/influence/test_methods.py)."""

from __future__ import annotations

import io
from collections.abc import Iterator

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from stakegraph.gql.app import create_app
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.store import GraphStore
from stakegraph.seeds import DEMO_TODAY, load_demo
from tests.gql.conftest import Api, make_settings

GRAPHML = 'query($id: ID!) { account(id: $id) { graphml(asOf: "2026-06-30") } }'


def _graph(api: Api, role: str, account: str = "acme") -> nx.MultiDiGraph:
    text = api.data(GRAPHML, {"id": account}, role=role)["account"]["graphml"]
    return nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True)


def test_graphml_of_an_account_reads_back_and_masks_foreign_contacts(api: Api) -> None:
    admin = _graph(api, "ADMIN")
    assert set(admin.nodes) == set(api.store.account_subgraph("acme").nodes)
    assert admin.nodes["Contact:g-cto"]["name"] == "Gus"  # globex's CTO influences acme's CIO
    assert admin.nodes["Contact:a-cio"]["influence"] >= 0
    amy = _graph(api, "REP")
    assert "Contact:g-cto" not in amy and "Contact:a-cio" in amy
    masked = [n for n, a in amy.nodes(data=True) if a.get("masked")]
    assert masked and all(amy.nodes[n]["name"] == "(other account)" for n in masked)
    text = api.data(GRAPHML, {"id": "acme"}, role="REP")["account"]["graphml"]
    assert "Gus" not in text and "g-cto" not in text
    assert len(amy) == len(admin)


def test_graphml_of_an_account_the_caller_may_not_see_is_not_found(api: Api) -> None:
    error = api.error(GRAPHML, {"id": "globex"}, role="REP")
    assert error["extensions"]["code"] == "NOT_FOUND"


@pytest.fixture
def demo_api(store: GraphStore) -> Iterator[Api]:
    import_dataset(store, load_demo())
    with TestClient(create_app(make_settings(), store)) as client:
        yield Api(client, store)


METHOD_VIEW = """query($m: SalesMethod!, $d: Date) { opportunity(id: "opp-or-sfdp") {
  methodView(method: $m, asOf: $d) {
    method companyId opportunityId asOf status
    elements { code status state contactIds evidence { contactId values } }
    people { contactId group attributes }
    redFlags { kind contactIds }
  } } }"""


def _view(api: Api, method: str) -> dict:
    d = api.data(METHOD_VIEW, {"m": method, "d": DEMO_TODAY.isoformat()})
    view: dict = d["opportunity"]["methodView"]
    return view


def test_the_meddpicc_view_of_the_demo_deal_by_hand(demo_api: Api) -> None:
    view = _view(demo_api, "MEDDPICC")
    assert (view["method"], view["companyId"], view["asOf"]) == (
        "MEDDPICC",
        "co-orient",
        "2026-11-20",
    )
    el = {e["code"]: e for e in view["elements"]}
    assert list(el) == ["M", "E", "D1", "D2", "P", "I", "C1", "C2"]
    # the economic buyer c-or-01: level 2, 66 days since the last contact → we influence him
    assert (el["E"]["status"], el["E"]["state"], el["E"]["contactIds"]) == (
        "GREEN", "engaged", ["c-or-01"],
    )  # fmt: skip
    assert el["E"]["evidence"][0]["values"]["effective_level"] == 2
    # c-or-27 LEFT: not a holder of FINANCIAL_CONTROLLER; neither remaining one is influenced
    assert (el["P"]["status"], set(el["P"]["contactIds"])) == ("AMBER", {"c-or-24", "c-or-28"})
    # the most influential user c-or-14 is a BLOCKER
    assert (el["I"]["state"], el["I"]["contactIds"][0]) == ("engaged, at risk", "c-or-14")
    assert (el["D2"]["status"], el["D2"]["state"]) == ("AMBER", "partly mapped")
    # champions at level ≥ 3 and influence ≥ 0.5: c-or-07 (4), c-or-10 (3); c-or-20 is at 2
    tested = {e["contactId"]: e["values"]["tested"] for e in el["C1"]["evidence"]}
    assert (el["C1"]["state"], tested) == (
        "tested", {"c-or-07": True, "c-or-10": True, "c-or-20": False},
    )  # fmt: skip
    assert (el["C2"]["status"], el["C2"]["contactIds"]) == (
        "RED",
        ["c-or-14", "c-or-03", "c-or-29"],
    )
    assert el["M"]["status"] == "UNKNOWN"
    assert el["M"]["evidence"][0]["values"]["amount"] == 6_800_000.0


def test_the_blue_sheet_view_of_the_demo_deal_by_hand(demo_api: Api) -> None:
    view = _view(demo_api, "BLUE_SHEET")
    boxes = {e["code"]: e["contactIds"] for e in view["elements"]}
    assert boxes == {
        "ECONOMIC": ["c-or-01"],
        "USER": ["c-or-14", "c-or-15", "c-or-20"],
        "TECHNICAL": ["c-or-24", "c-or-08", "c-or-28", "c-or-11"],
        "COACH": ["c-or-07", "c-or-10"],  # c-or-20 is a CHAMPION we know at level 2 only
    }
    person = {(p["group"], p["contactId"]): p["attributes"] for p in view["people"]}
    assert person[("ECONOMIC", "c-or-01")]["mode"] == "EVEN_KEEL"  # NEUTRAL
    assert person[("USER", "c-or-14")]["rating"] == -5  # BLOCKER
    assert person[("USER", "c-or-15")]["rating"] == 3  # HAS_ROLE stance SUPPORTER
    assert person[("COACH", "c-or-07")]["covered_by"] == "rep-chen-hao"
    flags = {(f["kind"], tuple(f["contactIds"])) for f in view["redFlags"]}
    assert ("REORGANISATION", ("c-or-27",)) in flags


def test_altify_and_an_opportunity_of_an_invisible_account(demo_api: Api) -> None:
    view = _view(demo_api, "ALTIFY")
    assert view["method"] == "ALTIFY" and view["status"] == "AMBER"
    error = demo_api.error(METHOD_VIEW, {"m": "MEDDPICC"}, role="REP")  # amy covers no demo deal
    assert error["extensions"]["code"] == "NOT_FOUND"
