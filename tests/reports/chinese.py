"""Helpers of the full-Chinese tests: the demo store, visible text, what must not show."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from stakegraph.graph import model as gm
from stakegraph.graph.dataset import import_dataset
from stakegraph.graph.embedded_store import EmbeddedStore
from stakegraph.influence import models as im
from stakegraph.influence.messages import fragments
from stakegraph.seeds import load_demo

#: Every enum whose values a page may show; none may show raw in a Chinese page.
ENUMS = (
    gm.Tier,
    gm.Seniority,
    gm.Stance,
    gm.DecisionRole,
    gm.ContactStatus,
    gm.Stage,
    gm.OpportunityStatus,
    gm.TeamKind,
    im.RelationshipGradeLevel,
    im.RepGradeLevel,
    im.RoleStatus,
    im.HoleKind,
    im.Verdict,
    im.HealthStatus,
    im.HealthSignalCode,
    im.DealWarningCode,
    im.FindingKind,
)
RAW_VALUES = sorted({str(v) for enum in ENUMS for v in enum})
_RAW = re.compile(
    r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, RAW_VALUES)) + r")(?![A-Za-z0-9_])"
)
#: The fixed English pieces of every template of the catalogue (>= 8 characters).
ENGLISH = fragments(8)


def demo_store(path: Path) -> EmbeddedStore:
    store = EmbeddedStore(path)
    import_dataset(store, load_demo())
    return store


def demo_account_ids() -> list[str]:
    return [c["id"] for c in load_demo()["companies"]]


class _Visible(HTMLParser):
    """Text a reader sees: text nodes outside script and style, titles and placeholders."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "placeholder", "aria-label") and v]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_in(text: str) -> list[str]:
    """The catalogue's English fragments found in a text."""
    flat = " ".join(text.split())
    return [f for f in ENGLISH if f in flat]


def raw_values_in(text: str) -> list[str]:
    """Raw enum values found in a text, each with a little context."""
    return [text[max(0, m.start() - 30) : m.end() + 10] for m in _RAW.finditer(text)]
