"""Geometry of the pictures in the HTML report, as plain shapes.

Each function turns report data into the coordinates, colours and texts of a few SVG
primitives; the template (``templates/report_charts.html.j2``) writes the elements, so
every text passes through jinja2's autoescape. Nothing here decides anything about the
account: it only draws results computed by the analytics.

Colours are the Okabe–Ito palette used by the map widget (safe for the common
colour-vision deficiencies): blue for support through vermillion for opposition, grey
for an unknown stance.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from stakegraph.graph.model import ContactStatus, RelType, Stance
from stakegraph.influence.models import Balance, Coverage, Path, RoleStatus, TimelinePoint

if TYPE_CHECKING:
    from stakegraph.reports.model import ContactRow, Tie

__all__ = [
    "STANCE_COLOURS",
    "Chart",
    "balance_chart",
    "coverage_matrix",
    "distribution_chart",
    "path_diagrams",
    "political_map",
    "ranking_chart",
    "text_width",
    "timeline_chart",
]

STANCE_COLOURS: dict[str, str] = {
    Stance.CHAMPION: "#0072B2",
    Stance.SUPPORTER: "#56B4E9",
    Stance.NEUTRAL: "#F0E442",
    Stance.OPPONENT: "#E69F00",
    Stance.BLOCKER: "#D55E00",
    Stance.UNKNOWN: "#BBBBBB",
}
STATUS_COLOURS: dict[str, str] = {
    "MISSING": "#D55E00",
    "UNCOVERED": "#E69F00",
    "COVERED": "#009E73",
    "AT_RISK": "#CC79A7",
}
HEALTH_COLOURS = {"GREEN": "#009E73", "YELLOW": "#F0E442", "RED": "#D55E00"}
GRADE_COLOURS = {
    "NONE": "#BBBBBB",
    "BASIC": "#56B4E9",
    "INTERMEDIATE": "#0072B2",
    "STRONG": "#009E73",
}
TIE_COLOURS = {
    RelType.INFLUENCES: "#444444",
    RelType.REPORTS_TO: "#9A9A9A",
    RelType.ALLY_OF: "#009E73",
    RelType.RIVAL_OF: "#D55E00",
}
FONT = 12


def text_width(text: str, size: float = FONT) -> float:
    """Approximate rendered width: wide (CJK) characters 1 em, others 0.6 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in text)


def _fit(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with an ellipsis to fit ``width``."""
    if text_width(text, size) <= width:
        return text
    out = ""
    for ch in text:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


@dataclass
class Shape:
    kind: str  # rect | circle | line | text | path
    attrs: dict[str, object]
    text: str = ""
    title: str = ""


@dataclass
class Chart:
    width: float
    height: float
    label: str
    shapes: list[Shape] = field(default_factory=list)

    def rect(
        self, x: float, y: float, w: float, h: float, fill: str, title: str = "", **kw: object
    ) -> None:
        attrs = {"x": _r(x), "y": _r(y), "width": _r(max(w, 0.0)), "height": _r(h), "fill": fill}
        self.shapes.append(Shape("rect", attrs | kw, title=title))

    def text(self, x: float, y: float, text: str, title: str = "", **kw: object) -> None:
        self.shapes.append(Shape("text", {"x": _r(x), "y": _r(y)} | kw, text=text, title=title))

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str, **kw: object) -> None:
        attrs = {"x1": _r(x1), "y1": _r(y1), "x2": _r(x2), "y2": _r(y2), "stroke": stroke}
        self.shapes.append(Shape("line", attrs | kw))

    def circle(
        self, cx: float, cy: float, r: float, fill: str, title: str = "", **kw: object
    ) -> None:
        attrs = {"cx": _r(cx), "cy": _r(cy), "r": _r(r), "fill": fill}
        self.shapes.append(Shape("circle", attrs | kw, title=title))


def _r(value: float) -> float:
    return round(value, 1)


# ------------------------------------------------------------------------------ balance


def balance_chart(
    balance: Balance, words: Mapping[str, str], *, threshold: float = 0.25, width: float = 640
) -> Chart:
    """A gauge of the balance on −1 … +1 with the verdict bands, and a bar splitting the
    summed influence of supporters and opponents."""
    chart = Chart(width, 118, words["sec.balance"])
    left, right = 40.0, width - 40.0
    span = right - left

    def x_of(v: float) -> float:
        return left + (v + 1.0) / 2.0 * span

    bands = (
        (-1.0, -threshold, "#F6D3C2", words["verdict.UNFAVORABLE"]),
        (-threshold, threshold, "#EEEEEE", words["verdict.CONTESTED"]),
        (threshold, 1.0, "#CDE7F5", words["verdict.FAVORABLE"]),
    )
    for lo, hi, fill, name in bands:
        chart.rect(x_of(lo), 18, x_of(hi) - x_of(lo), 22, fill, title=name)
        chart.text(
            (x_of(lo) + x_of(hi)) / 2, 33, name, **{"text-anchor": "middle", "class": "muted"}
        )
    for tick in (-1.0, -threshold, 0.0, threshold, 1.0):
        chart.line(x_of(tick), 40, x_of(tick), 45, "#666")
        chart.text(x_of(tick), 57, f"{tick:+.2f}", **{"text-anchor": "middle", "class": "small"})
    if balance.value is not None:
        x = x_of(balance.value)
        chart.line(x, 12, x, 46, "#000", **{"stroke-width": 3})
        chart.text(x, 10, f"{balance.value:+.2f}", **{"text-anchor": "middle", "class": "strong"})
    total = balance.supporter_influence + balance.opponent_influence
    y = 72
    if total <= 0:
        chart.rect(left, y, span, 22, "#EEEEEE", title=words["na"])
        chart.text(left + span / 2, y + 15, words["na"], **{"text-anchor": "middle"})
        return chart
    w_for = span * balance.supporter_influence / total
    tip_for = f"{words['f.supporters']}: {balance.supporters} · Σ {balance.supporter_influence:.2f}"
    tip_against = (
        f"{words['f.opponents']}: {balance.opponents} · Σ {balance.opponent_influence:.2f}"
    )
    chart.rect(left, y, w_for, 22, STANCE_COLOURS[Stance.CHAMPION], title=tip_for)
    chart.rect(left + w_for, y, span - w_for, 22, STANCE_COLOURS[Stance.BLOCKER], title=tip_against)
    chart.text(left, y + 38, tip_for, **{"class": "small"})
    chart.text(right, y + 38, tip_against, **{"text-anchor": "end", "class": "small"})
    return chart


# ----------------------------------------------------------------------------- coverage


def coverage_matrix(
    coverage: Coverage, words: Mapping[str, str], names: Mapping[str, str]
) -> Chart:
    """Required roles (rows) × status (columns); the cell of the role's status is filled
    and names its holders."""
    columns = [
        str(RoleStatus.MISSING),
        str(RoleStatus.UNCOVERED),
        str(RoleStatus.COVERED),
        "AT_RISK",
    ]
    label_w, cell_w, cell_h, top = 170.0, 130.0, 34.0, 26.0
    chart = Chart(
        label_w + cell_w * len(columns) + 4,
        top + cell_h * len(coverage.roles) + 4,
        words["sec.matrix"],
    )
    for j, col in enumerate(columns):
        x = label_w + j * cell_w
        chart.text(
            x + cell_w / 2,
            18,
            words[f"rolestatus.{col}"],
            **{"text-anchor": "middle", "class": "strong"},
        )
    for i, rc in enumerate(coverage.roles):
        y = top + i * cell_h
        chart.text(4, y + cell_h / 2 + 4, _fit(words[f"role.{rc.role}"], label_w - 8))
        holders = ", ".join(names.get(f"Contact:{h}", h) for h in rc.holder_ids)
        for j, col in enumerate(columns):
            x = label_w + j * cell_w
            on = col == rc.status or (col == "AT_RISK" and rc.at_risk)
            fill = STATUS_COLOURS[col] if on else "#F7F7F7"
            tip = f"{words[f'role.{rc.role}']}: {words[f'rolestatus.{col}']}" + (
                f" — {holders}" if on and holders else ""
            )
            chart.rect(x + 2, y + 2, cell_w - 4, cell_h - 4, fill, title=tip, rx=4)
            if on:
                mark = _fit(holders or "✕", cell_w - 12, 11) if col != "MISSING" else "✕"
                chart.text(
                    x + cell_w / 2,
                    y + cell_h / 2 + 4,
                    mark,
                    **{"text-anchor": "middle", "class": "on"},
                )
    return chart


# ------------------------------------------------------------------------------ ranking


def ranking_chart(
    contacts: Sequence[ContactRow], words: Mapping[str, str], *, limit: int = 20, width: float = 640
) -> Chart:
    """Horizontal bars of the most influential active contacts, coloured by stance."""
    rows = [c for c in contacts if c.influence is not None][:limit]
    label_w, bar_h, gap = 190.0, 18.0, 6.0
    chart = Chart(width, max(len(rows), 1) * (bar_h + gap) + 8, words["sec.ranking"])
    span = width - label_w - 60
    for i, c in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        marks = ("★" if c.hidden else "") + ("◆" if c.kdm else "")
        name = _fit(f"{marks} {c.name}".strip(), label_w - 10)
        chart.text(label_w - 6, y + 13, name, **{"text-anchor": "end"})
        tip = f"{c.name} — {words['f.influence']} {c.influence:.3f} · {words[f'stance.{c.stance}']}"
        chart.rect(
            label_w,
            y,
            span * (c.influence or 0.0),
            bar_h,
            STANCE_COLOURS[c.stance],
            title=tip,
            stroke="#666",
            **{"stroke-width": 0.5},
        )
        chart.text(
            label_w + span * (c.influence or 0.0) + 6,
            y + 13,
            f"{c.influence or 0.0:.2f}",
            **{"class": "small"},
        )
    return chart


# -------------------------------------------------------------------------------- paths


def path_diagrams(
    paths: Sequence[Path], names: Mapping[str, str], words: Mapping[str, str], *, limit: int = 6
) -> list[Chart]:
    """One row of boxes and arrows per path: rep → … → economic buyer, each step with its p."""
    charts = []
    for path in paths[:limit]:
        keys = path.node_keys
        labels = [_fit(names.get(k, k.partition(":")[2]), 150) for k in keys]
        widths = [text_width(t) + 20 for t in labels]
        arrow = 96.0
        total = sum(widths) + arrow * (len(keys) - 1) + 8
        title = f"{words['f.probability']} {path.probability:.3f}"
        chart = Chart(total, 58, title)
        x = 4.0
        for i, (key, text, w) in enumerate(zip(keys, labels, widths, strict=True)):
            fill = "#E8F1F8" if key.startswith("Rep:") else "#FFFFFF"
            chart.rect(x, 20, w, 26, fill, title=names.get(key, key), stroke="#0072B2", rx=6)
            chart.text(x + w / 2, 37, text, **{"text-anchor": "middle"})
            x += w
            if i < len(path.steps):
                step = path.steps[i]
                chart.line(x + 4, 33, x + arrow - 8, 33, "#444", **{"marker-end": "url(#sg-arrow)"})
                chart.text(
                    x + arrow / 2,
                    15,
                    f"{words[f'edge.{step.type}']} {step.probability:.2f}",
                    **{"text-anchor": "middle", "class": "small"},
                )
                x += arrow
        charts.append(chart)
    return charts


# --------------------------------------------------------------------------------- map


def political_map(
    contacts: Sequence[ContactRow],
    ties: Sequence[Tie],
    words: Mapping[str, str],
    *,
    cap: int = 60,
    size: float = 640,
) -> tuple[Chart, int, int]:
    """Active contacts on a circle, grouped by department (then by influence), coloured
    by stance, sized by influence, with their ties as chords; the ``cap`` most
    influential only. The layout is a pure function of the data (no randomness).

    Returns the chart, how many contacts it shows and how many are active."""
    active = [c for c in contacts if c.status == ContactStatus.ACTIVE]
    shown = active[:cap]
    chart = Chart(size, size, words["sec.map"])
    if not shown:
        return chart, 0, len(active)
    order = sorted(shown, key=lambda c: (c.department or "", -(c.influence or 0.0), c.contact_id))
    centre, radius = size / 2, size / 2 - 90
    pos: dict[str, tuple[float, float, float]] = {}
    for i, c in enumerate(order):
        angle = 2 * math.pi * i / len(order) - math.pi / 2
        pos[c.contact_id] = (
            centre + radius * math.cos(angle),
            centre + radius * math.sin(angle),
            angle,
        )
    for t in ties:
        if t.from_id not in pos or t.to_id not in pos or t.from_id == t.to_id:
            continue
        (x1, y1, _), (x2, y2, _) = pos[t.from_id], pos[t.to_id]
        kw: dict[str, object] = {"stroke-opacity": 0.7}
        if t.type == RelType.INFLUENCES:
            kw |= {"stroke-width": 0.8 + (t.strength or 1) * 0.8, "marker-end": "url(#sg-arrow)"}
            x2, y2 = _shorten(x1, y1, x2, y2, 16)
        elif t.type == RelType.RIVAL_OF:
            kw |= {"stroke-dasharray": "6 4", "stroke-width": 1.5}
        elif t.type == RelType.ALLY_OF:
            kw |= {"stroke-width": 2}
        chart.line(x1, y1, x2, y2, TIE_COLOURS[t.type], **kw)
    label_all = len(order) <= 30
    named = {c.contact_id for c in shown[:15]}
    for c in order:
        x, y, angle = pos[c.contact_id]
        r = 5 + 11 * (c.influence or 0.0)
        roles = ", ".join(words[f"role.{role}"] for role in c.roles)
        tip = f"{c.name} — {words[f'stance.{c.stance}']} · {words['f.influence']} {c.influence or 0:.2f}"
        tip += f" · {c.department}" if c.department else ""
        tip += f" · {roles}" if roles else ""
        stroke = (
            {"stroke": "#000", "stroke-width": 3}
            if c.kdm
            else {"stroke": "#555", "stroke-width": 1}
        )
        chart.circle(x, y, r, STANCE_COLOURS[c.stance], title=tip, **stroke)
        if label_all or c.contact_id in named:
            lx, ly = x + (r + 6) * math.cos(angle), y + (r + 6) * math.sin(angle) + 4
            anchor = (
                "start" if math.cos(angle) > 0.2 else "end" if math.cos(angle) < -0.2 else "middle"
            )
            chart.text(lx, ly, _fit(c.name, 80, 11), **{"text-anchor": anchor, "class": "small"})
    return chart, len(shown), len(active)


def _shorten(x1: float, y1: float, x2: float, y2: float, by: float) -> tuple[float, float]:
    d = math.hypot(x2 - x1, y2 - y1)
    if d <= by:
        return x2, y2
    return x2 - (x2 - x1) * by / d, y2 - (y2 - y1) * by / d


# ------------------------------------------------------------------------ distribution


def distribution_chart(
    counts: Mapping[str, int],
    colours: Mapping[str, str],
    words: Mapping[str, str],
    prefix: str,
    label: str,
    *,
    width: float = 640,
) -> Chart:
    """One stacked bar of counts per category (e.g. accounts per grade)."""
    chart = Chart(width, 56, label)
    total = sum(counts.values())
    x, span = 4.0, width - 8
    if total == 0:
        chart.rect(x, 4, span, 24, "#EEEEEE", title=words["na"])
        return chart
    for key, n in counts.items():
        if n == 0:
            continue
        w = span * n / total
        name = words[f"{prefix}.{key}"]
        chart.rect(x, 4, w, 24, colours.get(key, "#BBBBBB"), title=f"{name}: {n}", stroke="#fff")
        if w > 40:
            chart.text(x + w / 2, 20, str(n), **{"text-anchor": "middle", "class": "on"})
        x += w
    legend_x = 4.0
    for key, n in counts.items():
        name = f"{words[f'{prefix}.{key}']} {n}"
        chart.rect(legend_x, 36, 10, 10, colours.get(key, "#BBBBBB"))
        chart.text(legend_x + 14, 45, name, **{"class": "small"})
        legend_x += text_width(name, 10) + 30
    return chart


# ----------------------------------------------------------------------------- timeline


def timeline_chart(
    points: Sequence[TimelinePoint], words: Mapping[str, str], *, width: float = 640
) -> Chart:
    """The grade score (0–100) at each point of a timeline as a line, each point a dot
    coloured by its grade with a health bar below; a ring marks a point moved by events."""
    top, plot_h, left, right = 12.0, 140.0, 40.0, 16.0
    chart = Chart(width, top + plot_h + 48, words["sec.timeline"])
    span = width - left - right
    for v in (0, 50, 100):
        y = top + plot_h * (1 - v / 100)
        chart.line(left, y, width - right, y, "#DDDDDD")
        chart.text(left - 6, y + 4, str(v), **{"text-anchor": "end", "class": "small"})
    n = len(points)
    xs = [left + (span * i / (n - 1) if n > 1 else span / 2) for i in range(n)]
    ys = [top + plot_h * (1 - p.score / 100) for p in points]
    for i in range(1, n):
        chart.line(xs[i - 1], ys[i - 1], xs[i], ys[i], "#444444", **{"stroke-width": 1.5})
    every = max(1, math.ceil(n / 8))
    for i, (p, x, y) in enumerate(zip(points, xs, ys, strict=True)):
        tip = (
            f"{p.at.isoformat()} — {words['f.grade']} {words[f'grade.{p.grade.value}']}, "
            f"{words['f.score']} {p.score:.1f}, {words['f.ratio']} {p.coverage_ratio:.0%}, "
            f"{words['f.balance']} {'–' if p.balance is None else f'{p.balance:+.2f}'}, "
            f"{words['f.health']} {words[f'health.{p.health.value}']}, "
            f"{words['f.events']} {len(p.events)}"
        )
        if p.events:
            ring: dict[str, object] = {"stroke": "#444444", "stroke-width": 1}
            chart.circle(x, y, 7, "none", "", **ring)
        chart.circle(x, y, 4.5, GRADE_COLOURS[p.grade.value], title=tip, stroke="#444444")
        chart.rect(x - 6, top + plot_h + 8, 12, 6, HEALTH_COLOURS[p.health.value], title=tip)
        if i % every == 0 or i == n - 1:
            chart.text(
                x,
                top + plot_h + 30,
                p.at.isoformat()[:7] if p.at.day > 27 else p.at.isoformat()[5:],
                **{"text-anchor": "middle", "class": "small"},
            )
    return chart
