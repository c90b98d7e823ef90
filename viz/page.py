"""The map page: one HTML document, standalone (saved) or referencing its assets (served).

The page is our own jinja2 template (autoescaped), never pyvis's: pyvis 0.3.2's
templates fetch Bootstrap or vis-network from CDNs (pyvis #228, #229) and render
``set_options`` unescaped. The page needs three assets — :data:`MAP_ASSETS`:

* the vis-network 9.1.2 build that ships inside the pyvis package;
* our script (``static/map.js``) and style sheet (``static/map.css``);

and its data, the map as JSON in ``<script type="application/json">``, with ``<``,
``>`` and ``&`` escaped as ``\\u003c`` … so no text can close the element; the script
reads it with ``JSON.parse`` and puts every text into the DOM as text.

Standalone (``stakegraph map -o``, the default) the assets are inlined: one file that
fetches nothing. Served (``assets_base="/static/map"``) the page carries only its data
and ``<script src>`` / ``<link>`` references to content-hashed file names
(``vis-network.<sha256[:12]>.min.js``, :func:`map_assets`) with ``integrity``
hashes, so a browser may cache them forever and a changed asset gets a new URL.

Scripts and styles carry a per-response nonce, and the page declares a
Content-Security-Policy ``<meta>`` (the HTTP routes send the same policy as a header,
with ``frame-ancestors``), so an injected script would not run even if one got in.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pyvis
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from stakegraph.graph.model import ContactStatus, InteractionKind, InteractionPurpose, Stance
from stakegraph.influence.models import LevelSuggestion, PlanGapItem
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings
from stakegraph.viz.facts import GroupWhitespaceView, map_facts
from stakegraph.viz.i18n import LANGS, strings
from stakegraph.viz.mapdata import ORG_COLLAPSE_ABOVE, build_map

__all__ = [
    "MAP_ASSETS",
    "VIS_NETWORK_JS",
    "Asset",
    "account_map_data",
    "account_map_html",
    "content_security_policy",
    "edit_config",
    "expand_map_data",
    "json_for_script",
    "map_assets",
    "map_json",
    "new_nonce",
    "read_page_data",
    "render_map_page",
    "with_keys",
]

#: The vis-network build shipped inside pyvis (no CDN, works offline).
VIS_NETWORK_JS = (
    Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
)

_SCRIPT_END = re.compile(r"</script", re.IGNORECASE)


def new_nonce() -> str:
    """A fresh CSP nonce (one per response)."""
    return secrets.token_urlsafe(18)


@lru_cache(maxsize=1)
def _vis_network_js() -> str:
    text = VIS_NETWORK_JS.read_text(encoding="utf-8")
    text = re.sub(r"\n//# sourceMappingURL=\S+\s*$", "\n", text)
    if _SCRIPT_END.search(text):  # pragma: no cover - a broken vendored build
        raise RuntimeError("vis-network.min.js contains </script")
    return text


def _static(name: str) -> str:
    return resources.files("stakegraph.viz").joinpath("static", name).read_text(encoding="utf-8")


#: The page's assets: plain name → media type.
MAP_ASSETS: dict[str, str] = {
    "vis-network.min.js": "text/javascript; charset=utf-8",
    "map.js": "text/javascript; charset=utf-8",
    "map.css": "text/css; charset=utf-8",
    "edit.js": "text/javascript; charset=utf-8",
}


@dataclass(frozen=True)
class Asset:
    """One asset of the page: its text and its content-hashed file name.

    Examples
    --------
    >>> a = Asset.of("map.js", "var x = 1;\\n")
    >>> a.filename
    'map.b9a604979c9b.js'
    >>> Asset.of("map.js", "var x = 2;\\n").filename != a.filename
    True
    """

    name: str
    text: str
    media_type: str
    sha256: str
    integrity: str

    @classmethod
    def of(cls, name: str, text: str, media_type: str = "text/plain; charset=utf-8") -> Asset:
        raw = text.encode("utf-8")
        digest = hashlib.sha256(raw)
        return cls(
            name=name,
            text=text,
            media_type=media_type,
            sha256=digest.hexdigest(),
            integrity="sha256-" + base64.b64encode(digest.digest()).decode("ascii"),
        )

    @property
    def filename(self) -> str:
        """``stem.<sha256[:12]>.ext``: ``vis-network.min.js`` → ``vis-network.<h>.min.js``."""
        stem, dot, ext = self.name.partition(".")
        return f"{stem}.{self.sha256[:12]}{dot}{ext}"

    @property
    def body(self) -> bytes:
        return self.text.encode("utf-8")


@lru_cache(maxsize=1)
def map_assets() -> dict[str, Asset]:
    """The page's assets by plain name (``vis-network.min.js``, ``map.js``, ``map.css``),
    read once per process."""
    texts = {
        "vis-network.min.js": _vis_network_js(),
        "map.js": _static("map.js"),
        "map.css": _static("map.css"),
        "edit.js": _static("edit.js"),
    }
    return {name: Asset.of(name, texts[name], media) for name, media in MAP_ASSETS.items()}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    """The page templates' environment, made once: it keeps each template compiled."""
    return Environment(
        loader=PackageLoader("stakegraph.viz", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element.

    Examples
    --------
    >>> json_for_script({"name": "</script><b>&"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, default=str)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


#: Keys every node and edge keeps as they are: what tells items apart, and what the
#: page's scripts read straight from the data block.
_OWN_KEYS = frozenset({"id", "label", "meta", "from", "to", "x", "y", "title"})

#: The lists of the map data whose styles :func:`map_json` tables, and where it puts
#: each list's table.
_STYLED = (("nodes", "nodeStyles"), ("edges", "edgeStyles"))

#: The key under which an item names its style (an index into the list's table).
_STYLE = "s"


def _tabled(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``items`` with their style (every key but :data:`_OWN_KEYS`) replaced by its
    index in a table of the distinct styles, and that table."""
    table: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    out = []
    for item in items:
        style = {k: v for k, v in item.items() if k not in _OWN_KEYS}
        own = {k: v for k, v in item.items() if k in _OWN_KEYS}
        if style:
            text = json.dumps(style, sort_keys=True, default=str)
            if text not in index:
                index[text] = len(table)
                table.append(style)
            own[_STYLE] = index[text]
        out.append(own)
    return out, table


def map_json(data: dict[str, Any]) -> str:
    """The page's data block: ``data`` as script-safe JSON (:func:`json_for_script`),
    where each node and edge names its style (colours, borders, font, shape: every key
    but its id, ends, label and facts) by an index ``s`` into ``nodeStyles`` or
    ``edgeStyles``, each distinct style travelling once (a 3,000-contact map has about
    twenty node styles); :func:`expand_map_data` and the map script put the styles back.

    Examples
    --------
    >>> nodes = [{"id": k, "label": k, "shape": "box"} for k in "ab"]
    >>> block = json.loads(map_json({"nodes": nodes}))
    >>> block["nodes"], block["nodeStyles"]
    ([{'id': 'a', 'label': 'a', 's': 0}, {'id': 'b', 'label': 'b', 's': 0}], [{'shape': 'box'}])
    >>> expand_map_data(block)["nodes"] == nodes
    True
    """
    out = dict(data)
    for items, styles in _STYLED:
        if isinstance(data.get(items), list):
            out[items], out[styles] = _tabled(data[items])
    return json_for_script(out)


def expand_map_data(data: dict[str, Any]) -> dict[str, Any]:
    """The map data read from a :func:`map_json` text, with every node and edge whole
    again (and no ``nodeStyles`` or ``edgeStyles``)."""
    out = dict(data)
    for items, styles in _STYLED:
        table = out.pop(styles, None)
        if table is not None and isinstance(out.get(items), list):
            whole = []
            for item in out[items]:
                own = dict(item)
                at = own.pop(_STYLE, None)
                whole.append(own if at is None else table[at] | own)
            out[items] = whole
    return out


def read_page_data(html: str) -> dict[str, Any]:
    """The map data of a rendered map page (its ``map-data`` block), items whole.

    Raises
    ------
    ValueError
        When the page has no data block.
    """
    found = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', html, re.S)
    if found is None:
        raise ValueError("the page has no map-data block")
    return expand_map_data(json.loads(found.group(1)))


def with_keys(data_json: str, extras: dict[str, Any]) -> str:
    """``data_json`` (a JSON object from :func:`json_for_script`) with the keys of
    ``extras`` added after its own (a later key wins, in ``JSON.parse`` as in
    ``json.loads``).

    Examples
    --------
    >>> with_keys(json_for_script({"a": 1}), {"b": "<"})
    '{"a": 1, "b": "\\\\u003c"}'
    >>> with_keys("{}", {"b": 2})
    '{"b": 2}'
    """
    if not extras:
        return data_json
    body = data_json.rstrip()
    if not body.endswith("}"):
        raise ValueError("data_json must be a JSON object")
    added = ", ".join(f"{json_for_script(k)}: {json_for_script(v)}" for k, v in extras.items())
    inner = body[:-1].rstrip()
    return f"{inner}{', ' if inner != '{' else ''}{added}}}"


def content_security_policy(
    nonce: str, *, frame_ancestors: list[str] | None = None, connect_self: bool = False
) -> str:
    """The page's CSP: only its own nonce-bearing scripts and styles, nothing fetched
    (with ``connect_self``, an editing page may call its own origin's GraphQL).

    ``frame_ancestors`` ``None`` leaves the directive out (a ``<meta>`` policy cannot
    carry it); an empty list means ``'none'``.
    """
    parts = [
        "default-src 'none'",
        f"script-src 'nonce-{nonce}'",
        f"style-src 'nonce-{nonce}'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if connect_self:
        parts.append("connect-src 'self'")
    if frame_ancestors is not None:
        parts.append("frame-ancestors " + (" ".join(frame_ancestors) or "'none'"))
    return "; ".join(parts)


def render_map_page(
    data: dict[str, Any],
    *,
    nonce: str | None = None,
    embed: dict[str, Any] | None = None,
    assets_base: str | None = None,
    edit: dict[str, Any] | None = None,
    data_json: str | None = None,
) -> str:
    """Render the map page for :func:`stakegraph.viz.mapdata.build_map` data.

    Parameters
    ----------
    data : dict
        The map data.
    nonce : str, optional
        The CSP nonce of the response (a fresh one when not given).
    embed : dict, optional
        Widget mode: ``{"allowedOrigins": [...]}`` — the parent origins the page may
        post its selection messages to.
    assets_base : str, optional
        Where the served assets are (``"/static/map"``): the page references
        ``{assets_base}/{Asset.filename}``. ``None`` (standalone): everything inlined.
    edit : dict, optional
        Editing on (:func:`edit_config`; served pages only — a standalone page never
        edits): the edit script is referenced and the page may call its own GraphQL.
    data_json : str, optional
        ``map_json(data)`` when the caller has it already (a cached map's text): the
        page's data block is then that text with ``embed`` and ``edit`` added, not
        ``data`` serialised again.
    """
    nonce = nonce or new_nonce()
    extras: dict[str, Any] = {}
    if embed is not None:
        extras["embed"] = {"allowedOrigins": list(embed.get("allowedOrigins", []))}
    editing = edit is not None and assets_base is not None
    if editing:
        extras["edit"] = edit
    s = strings(str(data.get("lang", "en")))
    template = _environment().get_template("map.html.j2")
    assets = map_assets()
    base = None if assets_base is None else assets_base.rstrip("/")
    return template.render(
        s=s,
        lang="zh-CN" if data.get("lang") == "zh" else "en",
        title=f"{data['account']['name']} · {s['title.' + data['view']]}",
        data=data | extras,
        embed=embed is not None,
        nonce=nonce,
        csp=content_security_policy(nonce, connect_self=editing),
        editing=editing,
        data_json=Markup(with_keys(map_json(data) if data_json is None else data_json, extras)),
        inline=base is None,
        vis_js=Markup(assets["vis-network.min.js"].text),
        map_js=Markup(assets["map.js"].text),
        map_css=Markup(assets["map.css"].text),
        refs={}
        if base is None
        else {
            key: {"url": f"{base}/{a.filename}", "integrity": a.integrity}
            for key, a in (
                ("vis_js", assets["vis-network.min.js"]),
                ("map_js", assets["map.js"]),
                ("map_css", assets["map.css"]),
                ("edit_js", assets["edit.js"]),
            )
        },
    )


def account_map_data(
    g: nx.MultiDiGraph,
    *,
    view: str,
    as_of: date,
    opportunity_id: str | None = None,
    lang: str = "en",
    path_to: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    suggestions: Sequence[LevelSuggestion] = (),
    whitespace: GroupWhitespaceView | None = None,
    plan_gap: Sequence[PlanGapItem] | None = None,
    collapse_above: int = ORG_COLLAPSE_ABOVE,
) -> dict[str, Any]:
    """The data of one account view (facts and vis data, :func:`build_map`), what
    :func:`render_map_page` draws; ``collapse_above``: the org chart's departments with
    more people start collapsed (``Settings.org_collapse_above``).

    Raises
    ------
    ValueError
        On an unknown view or language.
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}")
    facts = map_facts(
        g, as_of=as_of, settings=settings, opportunity_id=opportunity_id, path_to=path_to
    )
    facts.suggestions = list(suggestions)
    facts.whitespace = whitespace
    facts.plan_gap = None if plan_gap is None else list(plan_gap)
    return build_map(g, facts, view=view, lang=lang, collapse_above=collapse_above)


def account_map_html(
    g: nx.MultiDiGraph,
    *,
    view: str,
    as_of: date,
    opportunity_id: str | None = None,
    lang: str = "en",
    path_to: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    nonce: str | None = None,
    embed: dict[str, Any] | None = None,
    assets_base: str | None = None,
    suggestions: Sequence[LevelSuggestion] = (),
    whitespace: GroupWhitespaceView | None = None,
    plan_gap: Sequence[PlanGapItem] | None = None,
    edit: dict[str, Any] | None = None,
    collapse_above: int = ORG_COLLAPSE_ABOVE,
) -> str:
    """The whole page of one account view: :func:`account_map_data` rendered by
    :func:`render_map_page` (standalone unless ``assets_base`` is given).

    Raises
    ------
    ValueError
        On an unknown view or language.
    stakegraph.graph.errors.NotFound
        When ``opportunity_id`` is not an opportunity of the account.
    """
    data = account_map_data(
        g,
        view=view,
        as_of=as_of,
        opportunity_id=opportunity_id,
        lang=lang,
        path_to=path_to,
        settings=settings,
        suggestions=suggestions,
        whitespace=whitespace,
        plan_gap=plan_gap,
        collapse_above=collapse_above,
    )
    return render_map_page(data, nonce=nonce, embed=embed, assets_base=assets_base, edit=edit)


def edit_config(
    *, token: str, account_id: str, rep_id: str, data_url: str, graphql_url: str = "/graphql"
) -> dict[str, Any]:
    """What the edit script needs: the write token it sends in ``X-Stakegraph-Token``,
    the rep it edits as, where GraphQL is and where the map's fresh data is read after an
    edit (the widget URL of the same token), and the choices of its forms.

    Examples
    --------
    >>> c = edit_config(token="t", account_id="a", rep_id="r", data_url="/embed/accounts/a?token=t")
    >>> c["stances"][0], c["statuses"], c["levels"]
    ('CHAMPION', ['ACTIVE', 'LEFT', 'MOVED'], [0, 1, 2, 3, 4])
    """
    return {
        "token": token,
        "accountId": account_id,
        "repId": rep_id,
        "graphql": graphql_url,
        "dataUrl": data_url,
        "stances": [s.value for s in Stance],
        "statuses": [s.value for s in ContactStatus],
        "levels": [0, 1, 2, 3, 4],
        "kinds": [k.value for k in InteractionKind],
        "purposes": [p.value for p in InteractionPurpose],
        "ties": ["INFLUENCES", "REPORTS_TO"],
    }
