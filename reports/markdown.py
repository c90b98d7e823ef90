"""Markdown that reads as plain text and renders safely.

A value goes into a Markdown table cell escaped only where Markdown would read it
otherwise: backslash escapes for ``|``, emphasis, code and link characters, ``<``
before something a renderer would take for an HTML tag, ``&`` before something it
would take for an entity, ``_`` at the edge of a word (``FINANCIAL_CONTROLLER`` stays
as it is), ``#`` at the start. ``>=`` and ``A & B`` stay as a reader expects them.

>>> md_cell("Acme <Ltd> & Co | *boss* FINANCIAL_CONTROLLER >= 3")
'Acme \\\\<Ltd> & Co \\\\| \\\\*boss\\\\* FINANCIAL_CONTROLLER >= 3'
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["md_cell"]

_SPECIAL = re.compile(r"([\\`*\[\]|])")
_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_EDGE_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def md_cell(value: Any) -> Any:
    """Escape one value for a Markdown table cell; ``None`` is empty, non-text as is."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = _SPECIAL.sub(r"\\\1", value)
    text = _TAG.sub(r"\\<", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _EDGE_UNDERSCORE.sub(r"\\_", text)
    if text.startswith("#"):
        text = "\\" + text
    return " ".join(text.split())
