"""The page as text: self-contained, escaped, encoded as the legend says."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from stakegraph.viz.facts import map_facts
from stakegraph.viz.mapdata import ROLE_MARKS, STANCE_COLOURS, build_map
from stakegraph.viz.page import (
    account_map_data,
    account_map_html,
    json_for_script,
    map_json,
    read_page_data,
)
from stakegraph.viz.sample import AS_OF, sample_subgraph
from tests.viz.conftest import HOSTILE_NAMES, ROOT


@pytest.fixture(scope="module")
def hostile_graph():
    return sample_subgraph(24, names=HOSTILE_NAMES)


def _data_block(html: str) -> dict:
    return read_page_data(html)


@pytest.mark.parametrize("view", ["org", "political"])
def test_page_fetches_nothing_from_the_network(hostile_graph, view: str) -> None:
    html = account_map_html(hostile_graph, view=view, as_of=AS_OF)
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=[\"']?(https?:)?//", html, re.I)
    assert "<link" not in html
    assert "cdn" not in html.lower().replace("cdn_resources", "")
    assert len(re.findall(r"^<script", html, re.M)) == 3  # data, vis-network, ours
    assert "sourceMappingURL" not in html


@pytest.mark.parametrize("view", ["org", "political"])
def test_hostile_names_never_appear_as_markup(hostile_graph, view: str) -> None:
    html = account_map_html(hostile_graph, view=view, as_of=AS_OF)
    for name in HOSTILE_NAMES:
        assert name not in html
    assert "<img" not in html and "<svg onload" not in html
    data = _data_block(html)
    names = {n["meta"]["name"] for n in data["nodes"]}
    assert set(HOSTILE_NAMES) <= names  # intact once parsed


def test_json_for_script_escapes_markup_characters() -> None:
    text = json_for_script({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_page_declares_its_content_security_policy(hostile_graph) -> None:
    html = account_map_html(hostile_graph, view="org", as_of=AS_OF, nonce="abc123")
    assert "script-src &#39;nonce-abc123&#39;" in html
    assert html.count('nonce="abc123"') == 3  # style, vis-network, ours


def test_org_view_nodes_and_encodings(hostile_graph) -> None:
    facts = map_facts(hostile_graph, as_of=AS_OF)
    data = build_map(hostile_graph, facts, view="org")
    kinds = [n["meta"]["kind"] for n in data["nodes"]]
    assert kinds.count("company") == 1
    assert kinds.count("department") == 6
    assert kinds.count("contact") == 24  # the other account's contact is not in the org chart
    assert kinds.count("rep") == 2
    assert data["options"]["physics"] == {"enabled": False}
    by_id = {n["meta"].get("contactId"): n for n in data["nodes"]}
    ceo = by_id["acme-c000"]
    assert ceo["shape"] == "box"  # a card: role mark, name, KDM mark, title
    assert ceo["label"].startswith(ROLE_MARKS["ECONOMIC_BUYER"] + " ")
    assert "KDM" in ceo["label"].split("\n")[0]
    assert ceo["borderWidth"] == 4 and ceo["meta"]["kdm"]
    assert ceo["color"]["background"] == STANCE_COLOURS[ceo["meta"]["stance"]]
    left = by_id["acme-c010"]
    assert left["meta"]["status"] == "LEFT" and left["opacity"] < 0.5
    unknown = next(n for n in data["nodes"] if n["meta"].get("stance") == "UNKNOWN")
    assert unknown["shapeProperties"]["borderDashes"]
    assert data["overlays"]["reps"] is False  # our reps are off in the org chart


def test_org_tree_and_collapsed_departments(hostile_graph) -> None:
    facts = map_facts(hostile_graph, as_of=AS_OF)
    depts = {
        n["id"]: n["meta"]
        for n in build_map(hostile_graph, facts, view="org")["nodes"]
        if n["meta"]["kind"] == "department"
    }
    data = build_map(hostile_graph, facts, view="org", collapse_above=4)
    tree = data["org"]
    assert tree["root"] == "Company:acme"
    placed = [k for kids in tree["children"].values() for k in kids]
    assert len(placed) == len(set(placed)) == len(data["nodes"]) - 1 - 2  # not the root, reps
    assert tree["collapsed"] == sorted(k for k, m in depts.items() if m["people"] > 4)
    assert tree["collapsed"] and len(tree["collapsed"]) < len(depts)
    for m in depts.values():
        assert 0 <= m["covered"] <= m["people"] and 0 <= m["kdmCovered"] <= m["kdm"]
        assert m["coverage"] in {"covered", "partial", "none"}
    assert sum(m["people"] for k, m in depts.items() if "/" not in k) >= 24


def test_political_view_draws_ties_once_and_styles_knows_by_level(hostile_graph) -> None:
    facts = map_facts(hostile_graph, as_of=AS_OF)
    data = build_map(hostile_graph, facts, view="political")
    kinds = {e["meta"]["kind"] for e in data["edges"]}
    assert kinds == {"INFLUENCES", "ALLY_OF", "RIVAL_OF", "KNOWS"}
    pairs = [
        (e["meta"]["kind"], *sorted((e["from"], e["to"])))
        for e in data["edges"]
        if e["meta"]["kind"] != "INFLUENCES"
    ]
    assert len(pairs) == len(set(pairs))
    knows = [e for e in data["edges"] if e["meta"]["kind"] == "KNOWS"]
    for e in knows:
        assert (e["dashes"] is not False) == (e["meta"]["level"] < 2)
        assert e["width"] == 1 + 1.5 * e["meta"]["level"]
    assert any(n["meta"].get("foreign") for n in data["nodes"])
    assert data["options"]["physics"]["stabilization"]["enabled"] is True


def test_chinese_labels(hostile_graph) -> None:
    html = account_map_html(hostile_graph, view="political", as_of=AS_OF, lang="zh")
    assert "政治版图" in html and "坚定支持" in html and "未知" in html


def test_unknown_language_is_refused(hostile_graph) -> None:
    with pytest.raises(ValueError):
        account_map_html(hostile_graph, view="org", as_of=AS_OF, lang="fr")


def test_cli_writes_a_standalone_map(tmp_path: Path) -> None:
    from stakegraph.graph.embedded_store import EmbeddedStore
    from stakegraph.viz.sample import sample_account

    db = tmp_path / "cli.db"
    store = EmbeddedStore(db)
    store.write(sample_account(12, company_id="acme"))
    store.close()
    out = tmp_path / "map.html"
    cmd = [sys.executable, "-m", "stakegraph.cli", "map", "acme", "-o", str(out)]
    cmd += ["--view", "political", "--lang", "zh", "--store", "embedded", "--db", str(db)]
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    html = out.read_text(encoding="utf-8")
    assert _data_block(html)["view"] == "political"
    assert "vis-network" in html and "政治版图" in html
    missing = subprocess.run(
        [*cmd[:4], "nope", *cmd[5:]], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert missing.returncode == 1
    assert "not found" in missing.stderr


def test_the_data_block_carries_each_style_once_and_reads_back_whole(hostile_graph) -> None:
    data = account_map_data(hostile_graph, view="org", as_of=AS_OF)
    block = json.loads(map_json(data))
    styles = block["nodeStyles"]
    assert (
        len(styles) < len(data["nodes"]) / 2 and len(block["edgeStyles"]) < len(data["edges"]) / 2
    )
    assert all(set(n) <= {"id", "label", "meta", "s"} for n in block["nodes"])
    assert [styles[n["s"]]["shape"] for n in block["nodes"]] == [n["shape"] for n in data["nodes"]]
    assert read_page_data(account_map_html(hostile_graph, view="org", as_of=AS_OF)) == json.loads(
        json_for_script(data)
    )
