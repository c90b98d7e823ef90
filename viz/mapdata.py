"""The vis-network data of the two map views, assembled with pyvis.

:func:`build_map` turns an account subgraph and its :class:`~stakegraph.viz.facts.MapFacts` into
one JSON-ready dict: vis ``nodes`` and ``edges`` (collected with
``pyvis.network.Network``; each carries a ``meta`` dict the page's script reads to
build tooltips, filters and overlays), the vis ``options``, and the overlays' data.

* ``org`` (组织架构): company, departments and a card per contact, with the tree
  (``org``: root, children in display order, the departments collapsed at first) that
  the page lays out as a tidy tree and re-lays out when a department is opened or
  closed; physics off;
* ``political`` (政治版图): contacts (and tied contacts of other accounts) under a
  force layout over ``INFLUENCES``, ``ALLY_OF`` and ``RIVAL_OF``; physics stops once
  stable.

Both views draw our reps with their ``KNOWS`` edges styled by effective level.
Encodings: colour = stance, size = influence, shape = decision role, thick black
border = KDM, faded = left or moved, dashed border = stance unknown.

Nothing here is HTML: names travel as JSON data, are drawn on a canvas by vis, and
are put in tooltips by the page's script as text nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import networkx as nx
from pyvis.network import Network

from stakegraph.graph.model import ContactStatus, DecisionRole, Label, RelType, Stance, node_key
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.messages import text_of
from stakegraph.influence.models import DataGap
from stakegraph.viz.facts import MapFacts
from stakegraph.viz.i18n import strings

__all__ = [
    "EDGE_STYLE",
    "ROLE_SHAPES",
    "STANCE_COLOURS",
    "VIEWS",
    "build_map",
]

VIEWS = ("org", "political")

#: Okabe–Ito colours (safe for the common colour-vision deficiencies), blue for
#: support through orange/vermillion for opposition; UNKNOWN is grey and its border
#: dashed, so it never reads as NEUTRAL (yellow).
STANCE_COLOURS: dict[str, str] = {
    Stance.CHAMPION: "#0072B2",
    Stance.SUPPORTER: "#56B4E9",
    Stance.NEUTRAL: "#F0E442",
    Stance.OPPONENT: "#E69F00",
    Stance.BLOCKER: "#D55E00",
    Stance.UNKNOWN: "#BBBBBB",
}
#: The most important role a contact holds decides its shape.
ROLE_SHAPES: dict[str, str] = {
    DecisionRole.ECONOMIC_BUYER: "star",
    DecisionRole.TECHNICAL_EVALUATOR: "diamond",
    DecisionRole.FINANCIAL_CONTROLLER: "square",
    DecisionRole.USER: "triangle",
    DecisionRole.INFLUENCER: "triangleDown",
    "NONE": "dot",
}
EDGE_STYLE: dict[str, dict[str, Any]] = {
    RelType.REPORTS_TO: {"color": {"color": "#7F7F7F"}, "width": 1.5, "arrows": "to"},
    RelType.INFLUENCES: {"color": {"color": "#444444"}, "arrows": "to"},
    RelType.ALLY_OF: {"color": {"color": "#009E73"}, "width": 2.5, "arrows": ""},
    RelType.RIVAL_OF: {
        "color": {"color": "#D55E00"},
        "width": 2,
        "dashes": [8, 6],
        "arrows": "",
    },
    RelType.KNOWS: {"color": {"color": "#7B3294"}, "arrows": "to"},
    RelType.PART_OF: {"color": {"color": "#C8C8C8"}, "width": 1, "arrows": ""},
    RelType.WORKS_IN: {"color": {"color": "#C8C8C8"}, "width": 1, "arrows": ""},
}
_POLITICAL_TIES = (RelType.INFLUENCES, RelType.ALLY_OF, RelType.RIVAL_OF)
_LARGE = 120
_MAX_LABEL = 40
_KNOWS_FONT = {"size": 10, "color": "#7B3294", "strokeWidth": 3}


def _label(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= _MAX_LABEL else text[: _MAX_LABEL - 1] + "…"


def _contacts(g: nx.MultiDiGraph, *, foreign: bool) -> list[str]:
    """Contact node keys of the account (and of other accounts when ``foreign``)."""
    return sorted(
        k
        for k, a in g.nodes(data=True)
        if a.get("label") == Label.CONTACT and (foreign or not a.get("foreign"))
    )


def _department_of(g: nx.MultiDiGraph, key: str) -> str | None:
    for _, dept, rel in g.out_edges(key, keys=True):
        if rel == RelType.WORKS_IN:
            return str(dept)
    return None


def _primary_role(roles: Iterable[str]) -> str:
    held = set(roles)
    return next((r for r in ROLE_SHAPES if r in held), "NONE")


def _contact_node(
    g: nx.MultiDiGraph,
    key: str,
    facts: MapFacts,
    dept_ids: list[str],
) -> dict[str, Any]:
    a = g.nodes[key]
    cid = a["id"]
    stance = facts.stances.get(cid, str(a.get("stance", Stance.UNKNOWN)))
    roles = facts.roles.get(cid, [])
    influence = facts.influence.get(cid)
    kdm = cid in facts.kdm_ids
    active = a.get("status", ContactStatus.ACTIVE) == ContactStatus.ACTIVE
    foreign = bool(a.get("foreign"))
    dept_key = _department_of(g, key)
    touch = facts.last_touch.get(cid)
    dashes: list[int] | bool = (
        [1, 4] if foreign else ([5, 4] if stance == Stance.UNKNOWN else False)
    )
    colour = STANCE_COLOURS.get(stance, STANCE_COLOURS[Stance.UNKNOWN])
    return {
        "label": _label(a.get("name", cid)),
        "shape": ROLE_SHAPES[_primary_role(roles)],
        "size": round(10 + 22 * (influence or 0.0), 1) if influence is not None else 9,
        "color": {
            "background": colour,
            "border": "#000000" if kdm else "#3A3A3A",
            "highlight": {"background": colour, "border": "#000000"},
            "hover": {"background": colour, "border": "#000000"},
        },
        "borderWidth": 4 if kdm else 1.5,
        "borderWidthSelected": 5 if kdm else 3,
        "shapeProperties": {"borderDashes": dashes},
        "opacity": 1.0 if active else 0.3,
        "widthConstraint": {"maximum": 150},
        "font": {"color": "#1A1A1A" if active else "#9A9A9A"},
        "meta": {
            "kind": "contact",
            "contactId": cid,
            "name": str(a.get("name", cid)),
            "title": a.get("title"),
            "department": g.nodes[dept_key].get("name") if dept_key else None,
            "departmentIds": dept_ids,
            "roles": roles,
            "stance": stance,
            "level": facts.levels.get(cid, 0),
            "lastTouch": touch.isoformat() if touch else None,
            "influence": round(influence, 3) if influence is not None else None,
            "kdm": kdm,
            "status": str(a.get("status", ContactStatus.ACTIVE)),
            "foreign": foreign,
        },
    }


def _dept_ids_by_contact(membership: dict[str, list[str]]) -> dict[str, list[str]]:
    """Every department (and enclosing department) a contact belongs to."""
    out: dict[str, list[str]] = {}
    for dept, members in membership.items():
        for c in members:
            out.setdefault(c, []).append(dept)
    return out


def _add_reps(
    net: Network,
    g: nx.MultiDiGraph,
    facts: MapFacts,
    shown: set[str],
    *,
    faint: bool = False,
    labels: bool = True,
) -> None:
    reps = sorted(k for k, a in g.nodes(data=True) if a.get("label") == Label.REP)
    for rep in reps:
        knows = [
            (c, attrs)
            for _, c, rel, attrs in g.out_edges(rep, keys=True, data=True)
            if rel == RelType.KNOWS and c in shown
        ]
        if not knows:
            continue
        a = g.nodes[rep]
        net.add_node(
            rep,
            label=_label(a.get("name", a["id"])),
            shape="box",
            color={"background": "#2B2B2B", "border": "#000000"},
            font={"color": "#FFFFFF", "strokeWidth": 0},
            meta={"kind": "rep", "repId": a["id"], "name": str(a.get("name", a["id"]))},
        )
        for c, attrs in knows:
            level = facts.knows_levels.get((a["id"], g.nodes[c]["id"]), 0)
            style = EDGE_STYLE[RelType.KNOWS]
            net.add_edge(
                rep,
                c,
                id=f"KNOWS|{rep}|{c}",
                color=dict(style["color"], opacity=0.45 if faint else 1.0),
                arrows=style["arrows"],
                width=(0.5 if faint else 1) + (0.8 if faint else 1.5) * level,
                dashes=[4, 4] if level < 2 else False,
                smooth={"type": "curvedCW", "roundness": 0.15},
                meta={"kind": "KNOWS", "level": level, "stored": attrs.get("level")},
                **({"label": f"L{level}", "font": _KNOWS_FONT} if labels else {}),
            )


def _tie_edge(net: Network, u: str, v: str, rel: str, attrs: dict[str, Any], **extra: Any) -> None:
    style = dict(EDGE_STYLE[rel])
    if rel == RelType.INFLUENCES:
        style["width"] = 1 + attrs.get("strength", 1)
    net.add_edge(u, v, id=f"{rel}|{u}|{v}", meta={"kind": rel, **_props(attrs)}, **style, **extra)


def _props(attrs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in attrs.items() if k == "strength"}


#: Departments with more people than this start collapsed in the org chart.
ORG_COLLAPSE_ABOVE = 12
#: Our relationship level from which a contact counts as covered on a department box.
_COVERED_LEVEL = 2
#: Decision-role marks drawn before the name on an org-chart card.
ROLE_MARKS: dict[str, str] = {
    DecisionRole.ECONOMIC_BUYER: "\u2605",
    DecisionRole.TECHNICAL_EVALUATOR: "\u25c6",
    DecisionRole.FINANCIAL_CONTROLLER: "\u25a0",
    DecisionRole.USER: "\u25b2",
    DecisionRole.INFLUENCER: "\u25bc",
    "NONE": "",
}
#: Stances whose colour is dark enough for white text on the card.
_DARK = {Stance.CHAMPION, Stance.BLOCKER}
_CARD_FONT = 14
_CARD_WIDTH = 136
_DEPT_WIDTH = 144
_MAX_TITLE = 24
_MAX_DEPT = 20


def _short(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _card(node: dict[str, Any], kdm_mark: str = "KDM") -> dict[str, Any]:
    """An org-chart card: the contact node as a box reading "mark Name · KDM / title"."""
    m = node["meta"]
    mark = ROLE_MARKS[_primary_role(m["roles"])]
    first = (
        (mark + " " if mark else "")
        + _label(m["name"])
        + (" \u00b7 " + kdm_mark if m["kdm"] else "")
    )
    title = _short(str(m["title"] or ""), _MAX_TITLE)
    dark = m["stance"] in _DARK and m["status"] == ContactStatus.ACTIVE
    card = dict(node)
    card.update(
        label=first + ("\n" + title if title else ""),
        shape="box",
        margin={"top": 6, "bottom": 6, "left": 6, "right": 6},
        widthConstraint={"minimum": _CARD_WIDTH, "maximum": _CARD_WIDTH},
        font={
            "size": _CARD_FONT,
            "color": "#FFFFFF" if dark else node["font"]["color"],
            "strokeWidth": 0,
        },
    )
    card.pop("size", None)
    return card


def _org(
    net: Network,
    g: nx.MultiDiGraph,
    facts: MapFacts,
    collapse_above: int,
    ix: AccountIndex,
    lang: str = "en",
) -> dict[str, Any]:
    """Add the org chart's nodes and edges; return its tree (laid out by the page)."""
    company = node_key(Label.COMPANY, g.graph["company_id"])
    depts = [node_key(Label.DEPARTMENT, d) for d in ix.departments]
    contacts = _contacts(g, foreign=False)
    in_dept = {c: _department_of(g, c) for c in contacts}
    children: dict[str, list[str]] = {company: []}
    tree_edges: list[tuple[str, str, str]] = []
    sub_departments: list[tuple[str, str]] = []
    for d in sorted(depts, key=lambda k: g.nodes[k].get("name", "")):
        parent = next(
            (p for _, p, rel in g.out_edges(d, keys=True) if rel == RelType.PART_OF), company
        )
        sub_departments.append((parent, d))
        tree_edges.append((parent, d, RelType.PART_OF))
    cross: list[tuple[str, str, dict[str, Any]]] = []
    managers: dict[str, str] = {}
    for c in sorted(contacts, key=lambda k: (_seniority_rank(g, k), g.nodes[k].get("name", ""))):
        boss = next(
            (
                (b, attrs)
                for _, b, rel, attrs in g.out_edges(c, keys=True, data=True)
                if rel == RelType.REPORTS_TO and b in in_dept and b != c
            ),
            None,
        )
        if boss is not None:
            managers[c] = boss[0]
        if boss is not None and in_dept[boss[0]] == in_dept[c]:
            children.setdefault(boss[0], []).append(c)
            tree_edges.append((boss[0], c, RelType.REPORTS_TO))
            continue
        if boss is not None:
            cross.append((c, boss[0], boss[1]))
        home = in_dept[c] or company
        children.setdefault(home, []).append(c)
        tree_edges.append((home, c, RelType.WORKS_IN))
    for parent, d in sub_departments:  # a department's own people first, then its units
        children.setdefault(parent, []).append(d)
    name = g.nodes[company].get("name", g.graph["company_id"])
    net.add_node(
        company,
        label=_label(name),
        shape="box",
        color={"background": "#4D4D4D", "border": "#000000"},
        font={"color": "#FFFFFF", "size": 18, "strokeWidth": 0},
        margin={"top": 8, "bottom": 8, "left": 8, "right": 8},
        widthConstraint={"maximum": 260},
        meta={"kind": "company", "name": str(name)},
    )
    dept_ids = _dept_ids_by_contact(ix.membership)
    members = ix.membership
    collapsed: list[str] = []
    for d in depts:
        dname = g.nodes[d].get("name", d)
        people = [
            c
            for c in (node_key(Label.CONTACT, x) for x in members.get(g.nodes[d]["id"], ()))
            if c in in_dept
        ]
        ids = [g.nodes[c]["id"] for c in people]
        kdms = [i for i in ids if i in facts.kdm_ids]
        covered = [i for i in ids if facts.levels.get(i, 0) >= _COVERED_LEVEL]
        kdm_covered = [i for i in kdms if facts.levels.get(i, 0) >= _COVERED_LEVEL]
        if len(people) > collapse_above:
            collapsed.append(d)
        net.add_node(
            d,
            label=_short(str(dname), _MAX_DEPT),
            shape="box",
            color={"background": "#F2F2F2", "border": "#8C8C8C"},
            font={"color": "#1A1A1A", "size": 15, "strokeWidth": 0},
            borderWidth=2 if g.nodes[d].get("is_key") else 1,
            margin={"top": 6, "bottom": 6, "left": 6, "right": 6},
            widthConstraint={"minimum": _DEPT_WIDTH, "maximum": _DEPT_WIDTH},
            meta={
                "kind": "department",
                "name": str(dname),
                "key": bool(g.nodes[d].get("is_key")),
                "people": len(people),
                "covered": len(covered),
                "kdm": len(kdms),
                "kdmCovered": len(kdm_covered),
                "coverage": _coverage_state(len(people), len(covered), len(kdms), len(kdm_covered)),
            },
        )
    kdm_mark = strings(lang)["kdm.short"]
    for c in contacts:
        node = _card(_contact_node(g, c, facts, dept_ids.get(g.nodes[c]["id"], [])), kdm_mark)
        node["meta"]["manager"] = managers.get(c)
        net.add_node(c, **node)
    for parent, child, rel in tree_edges:
        if rel == RelType.REPORTS_TO:
            _tie_edge(net, child, parent, rel, {})
        else:
            style = EDGE_STYLE[rel]
            edge_id = f"{rel}|{child}|{parent}"
            net.add_edge(parent, child, id=edge_id, meta={"kind": rel}, **style)
    for c, manager, attrs in cross:
        _tie_edge(net, c, manager, RelType.REPORTS_TO, attrs, dashes=[2, 4])
    _add_reps(net, g, facts, set(contacts), faint=True, labels=False)
    return {"root": company, "children": children, "collapsed": sorted(collapsed)}


def _coverage_state(people: int, covered: int, kdms: int, kdm_covered: int) -> str:
    """``covered`` (every KDM and someone known at level 2+), ``partial`` or ``none``."""
    if not covered:
        return "none"
    return "covered" if kdm_covered == kdms else "partial"


def _seniority_rank(g: nx.MultiDiGraph, key: str) -> int:
    order = ["EXECUTIVE", "VP", "DIRECTOR", "MANAGER", "STAFF"]
    sen = g.nodes[key].get("seniority")
    return order.index(sen) if sen in order else len(order)


def _political(net: Network, g: nx.MultiDiGraph, facts: MapFacts, ix: AccountIndex) -> None:
    contacts = _contacts(g, foreign=True)
    dept_ids = _dept_ids_by_contact(ix.membership)
    shown = set(contacts)
    for c in contacts:
        net.add_node(c, **_contact_node(g, c, facts, dept_ids.get(g.nodes[c]["id"], [])))
    seen: set[tuple[str, str, str]] = set()
    for u, v, rel, attrs in sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]):
        if rel not in _POLITICAL_TIES or u not in shown or v not in shown or u == v:
            continue
        if rel != RelType.INFLUENCES:  # symmetric in meaning: draw once
            low, high = sorted((u, v))
            pair = (rel, low, high)
            if pair in seen:
                continue
            seen.add(pair)
        length = {RelType.ALLY_OF: 90, RelType.RIVAL_OF: 320}.get(rel, 150)
        _tie_edge(net, u, v, rel, attrs, length=length)
    _add_reps(net, g, facts, shown)


def _options(view: str, size: int) -> dict[str, Any]:
    """vis-network options: a constant of this module, never user input."""
    large = size > _LARGE
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {
            "font": {"size": 16, "face": "system-ui, sans-serif", "strokeWidth": 4},
            "scaling": {"label": {"drawThreshold": 6}},
        },
        "edges": {"smooth": {"type": "continuous"}, "selectionWidth": 2},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": large,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": False,
        },
        "layout": {"randomSeed": 7, "improvedLayout": not large},
    }
    if view == "org":  # the page lays the tree out itself
        options["physics"] = {"enabled": False}
        options["layout"]["improvedLayout"] = False
        options["nodes"]["scaling"] = {"label": {"drawThreshold": 1}}
        options["edges"]["smooth"] = {"type": "cubicBezier", "forceDirection": "vertical"}
        return options
    options["physics"] = {
        "enabled": True,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {
            "gravitationalConstant": -70,
            "centralGravity": 0.012,
            "springLength": 140,
            "springConstant": 0.06,
            "avoidOverlap": 0.4,
        },
        "minVelocity": 1.5,
        "maxVelocity": 60,
        "stabilization": {
            "enabled": True,
            "iterations": 600 if large else 400,
            "updateInterval": 50,
            "fit": True,
        },
        "timestep": 0.4,
    }
    return options


def _legend(lang: str) -> dict[str, Any]:
    s = strings(lang)
    return {
        "stances": [
            {"key": str(k), "label": s[f"stance.{k}"], "color": c}
            for k, c in STANCE_COLOURS.items()
        ],
        "roles": [
            {"key": str(k), "label": s[f"role.{k}"], "shape": v} for k, v in ROLE_SHAPES.items()
        ],
    }


def _name(g: nx.MultiDiGraph, key: str) -> str:
    return (
        str(g.nodes[key].get("name", key.partition(":")[2])) if key in g else key.partition(":")[2]
    )


def _gap(g: nx.MultiDiGraph, gap: DataGap, words: dict[str, str]) -> dict[str, str]:
    """One §3.14 data gap as the sidebar lists it: what is missing, and its record."""
    if gap.contact_id is not None:
        record = _name(g, node_key(Label.CONTACT, gap.contact_id))
    elif gap.opportunity_id is not None:
        record = _name(g, node_key(Label.OPPORTUNITY, gap.opportunity_id))
        if gap.role is not None:
            record += " · " + words.get(f"role.{gap.role}", str(gap.role))
    else:
        record = _name(g, node_key(Label.COMPANY, gap.company_id or g.graph["company_id"]))
    return {"label": words.get(f"gap.{gap.kind}", str(gap.kind)), "record": record}


def build_map(
    g: nx.MultiDiGraph,
    facts: MapFacts,
    *,
    view: str,
    lang: str = "en",
    collapse_above: int = ORG_COLLAPSE_ABOVE,
) -> dict[str, Any]:
    """The JSON-ready data of one map view (see the module docstring).

    ``collapse_above``: in the org chart, departments with more people start collapsed
    (the page collapses more when the chart would not read at 12 px).

    Raises
    ------
    ValueError
        On an unknown view.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    net = Network(directed=True, cdn_resources="remote")
    ix = account_index(g)  # departments and their members, for every part of the map
    org = _org(net, g, facts, collapse_above, ix, lang) if view == "org" else None
    if org is None:
        _political(net, g, facts, ix)
    nodes, edges = net.nodes, net.edges
    shown = {n["id"] for n in nodes}
    company_key = node_key(Label.COMPANY, g.graph["company_id"])
    opp = facts.opportunity_id
    opp_key = node_key(Label.OPPORTUNITY, opp) if opp else None
    words = strings(lang)
    dept_names = {d: g.nodes[node_key(Label.DEPARTMENT, d)].get("name", d) for d in ix.departments}
    return {
        "view": view,
        "lang": lang,
        "strings": words,
        "asOf": facts.as_of.isoformat(),
        "account": {
            "id": g.graph["company_id"],
            "name": str(g.nodes[company_key].get("name", g.graph["company_id"])),
        },
        "opportunity": (
            {"id": opp, "name": str(g.nodes[opp_key].get("name", opp))}
            if opp_key and opp_key in g
            else None
        ),
        "nodes": nodes,
        "edges": edges,
        "options": _options(view, len(nodes)),
        "departments": [
            {"id": d, "name": str(n)} for d, n in sorted(dept_names.items(), key=lambda x: x[1])
        ],
        "roles": [str(r) for r in DecisionRole],
        "holes": [
            {
                "kind": h.kind,
                "name": h.name,
                "reason": h.reason if h.hole is None else text_of(h.hole, lang=lang, words=words),
                "nodes": [k for c in h.contact_ids if (k := node_key(Label.CONTACT, c)) in shown],
                "suggestions": [
                    k for c in h.suggestion_ids if (k := node_key(Label.CONTACT, c)) in shown
                ],
            }
            for h in facts.holes
        ],
        "coverageRatio": facts.coverage_ratio,
        "paths": {
            node_key(Label.CONTACT, c): [
                {"p": round(p.probability, 4), "nodes": list(p.node_keys)} for p in found
            ]
            for c, found in facts.paths.items()
            if node_key(Label.CONTACT, c) in shown
        },
        "whatif": [
            {
                "node": node_key(Label.CONTACT, n.contact_id),
                "ratioGain": round(n.ratio_gain, 4),
                "closes": list(n.closes),
                "gradeBefore": n.grade_before,
                "gradeAfter": n.grade_after,
                "scoreGain": None if n.score_gain is None else round(n.score_gain, 2),
            }
            for n in facts.next_best
            if node_key(Label.CONTACT, n.contact_id) in shown
        ],
        "brokers": [
            {
                "node": k,
                "name": _name(g, k),
                "betweenness": round(b.betweenness, 3),
            }
            for b in facts.brokers
            if (k := node_key(Label.CONTACT, b.contact_id)) in g
        ],
        "gaps": [_gap(g, gap, words) for gap in facts.data_gaps],
        "warnings": [
            {
                "label": words.get(f"warning.{w.code}", str(w.code)),
                "opportunity": _name(g, node_key(Label.OPPORTUNITY, w.opportunity_id)),
                "text": text_of(w, lang=lang, words=words),
            }
            for w in facts.deal_warnings
        ],
        "suggestions": [
            {
                "rep": _name(g, node_key(Label.REP, x.rep_id)),
                "contact": _name(g, node_key(Label.CONTACT, x.contact_id)),
                "current": x.current_level,
                "suggested": x.suggested_level,
                "interactions": x.interactions,
                "last": x.last_at.isoformat(),
            }
            for x in facts.suggestions
        ],
        "whitespace": _whitespace(facts),
        "plan": _plan(g, facts, words),
        "legend": _legend(lang),
        "org": org,
        # the org chart starts without our reps: their KNOWS edges cross everything
        "overlays": {"reps": view != "org"},
    }


def _plan(
    g: nx.MultiDiGraph, facts: MapFacts, words: dict[str, str]
) -> list[dict[str, Any]] | None:
    """§3.18 the plan's open targets for the sidebar, overdue first (names as given:
    escaped when drawn); an owning rep the map does not show is left unnamed."""
    if facts.plan_gap is None:
        return None
    rows = []
    for item in facts.plan_gap:
        who = None if item.contact_id is None else node_key(Label.CONTACT, item.contact_id)
        rep = None if item.rep_id is None else node_key(Label.REP, item.rep_id)
        rows.append(
            {
                "target": words.get(f"role.{item.role}", str(item.role))
                if item.role is not None
                else _name(g, who or ""),
                "workOn": _name(g, who) if who is not None and item.role is not None else None,
                "level": item.level,
                "targetLevel": item.target_level,
                "due": None if item.due is None else item.due.isoformat(),
                "overdue": item.overdue,
                "rep": _name(g, rep) if rep is not None and rep in g else None,
                "scoreGain": round(item.score_gain, 1),
            }
        )
    return rows


def _whitespace(facts: MapFacts) -> dict[str, Any] | None:
    """§3.13 the group's whitespace for the sidebar (names as given: escaped when drawn)."""
    ws = facts.whitespace
    if ws is None:
        return None
    return {
        "headquarters": ws.headquarters,
        "isHeadquarters": ws.is_headquarters,
        "rows": [
            {
                "branch": r.branch,
                "product": r.product,
                "buyers": [
                    {"name": b.name, "won": b.won.isoformat() if b.won else None} for b in r.buyers
                ],
            }
            for r in ws.rows
        ],
        "programmes": [
            {
                "product": p.product,
                "branches": p.branches,
                "first": p.first_won.isoformat() if p.first_won else None,
                "last": p.last_won.isoformat() if p.last_won else None,
            }
            for p in ws.programmes
        ],
    }
