"""Turning spreadsheet cells into dataset v1 values: text, numbers, dates, enums, ids.

Each converter takes a cell (text from CSV, or a typed workbook value) and returns the
value for the model field, or raises :class:`CellError` with the reason shown to the
user. :func:`natural_id` derives the stable id of a record from its natural key, so a
re-import of the same sheet upserts the same records.
"""

from __future__ import annotations

import hashlib
import re
import types
import unicodedata
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, tzinfo
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from stakegraph.graph.model import Label
from stakegraph.graph.table_sources import Cell

__all__ = [
    "FALSE_WORDS",
    "TRUE_WORDS",
    "CellError",
    "FieldKind",
    "field_kind",
    "natural_id",
    "normalise",
    "salesforce_id",
    "text_of",
    "to_bool",
    "to_date",
    "to_datetime",
    "to_enum",
    "to_float",
    "to_int",
]


class CellError(ValueError):
    """A cell that cannot become the field's value; the message is the reason."""


FieldKind = Literal["str", "enum", "bool", "int", "float", "date", "datetime", "list", "other"]

TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x", "是", "对", "有", "√", "✓", "✔", "t"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "否", "无", "不是", "×", "✗", "f"})

_ID_PREFIX: dict[Label, str] = {
    Label.COMPANY: "co",
    Label.DEPARTMENT: "dept",
    Label.CONTACT: "ct",
    Label.OPPORTUNITY: "opp",
    Label.REP: "rep",
    Label.TEAM: "team",
    Label.INTERACTION: "int",
    Label.COMPETITOR: "cmp",
}


def normalise(text: str) -> str:
    """Text as compared in keys and value maps: NFKC, trimmed, one space, case-folded.

    Examples
    --------
    >>> normalise("  Decision   Maker ") == normalise("decision maker")
    True
    >>> normalise("支持（强）")
    '支持(强)'
    """
    return " ".join(unicodedata.normalize("NFKC", text).split()).casefold()


def text_of(value: Cell) -> str | None:
    """A cell as text: ``None`` when blank; whole floats without ``.0``; dates in ISO form.

    Examples
    --------
    >>> text_of(1001.0), text_of("  Li Lei "), text_of(None), text_of(date(2025, 3, 1))
    ('1001', 'Li Lei', None, '2025-03-01')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def natural_id(label: Label, parts: Sequence[str]) -> str:
    """The stable id of a record known by its natural key (e.g. company + contact name).

    The same key (compared with :func:`normalise`) always gives the same id, so
    importing a sheet without an id column twice upserts the same records.

    Examples
    --------
    >>> natural_id(Label.CONTACT, ["华夏银行", "王 总"]) == natural_id(Label.CONTACT, ["华夏银行 ", "王  总"])
    True
    >>> natural_id(Label.COMPANY, ["ACME"])[:3]
    'co-'
    """
    joined = "\x1f".join([str(label), *(normalise(p) for p in parts)])
    digest = hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]
    return f"{_ID_PREFIX[label]}-{digest}"


_SF_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
_SF_ID = re.compile(r"^[A-Za-z0-9]{15}([A-Za-z0-5]{3})?$")


def salesforce_id(text: str) -> str:
    """A Salesforce record id in its 18-character form (a 15-character id gains its suffix).

    Raises
    ------
    CellError
        When the text is no Salesforce id, or an 18-character id's suffix does not
        match its first 15 characters.

    Examples
    --------
    >>> salesforce_id("001D000000IqhSL")
    '001D000000IqhSLIAZ'
    >>> salesforce_id("001D000000IqhSLIAZ")
    '001D000000IqhSLIAZ'
    """
    text = text.strip()
    if not _SF_ID.match(text):
        raise CellError("not a Salesforce id (15 or 18 letters and digits)")
    suffix = ""
    for block in range(3):
        chunk = text[block * 5 : block * 5 + 5]
        bits = sum(1 << i for i, ch in enumerate(chunk) if "A" <= ch <= "Z")
        suffix += _SF_ALPHABET[bits]
    if len(text) == 18 and text[15:].upper() != suffix:
        raise CellError(f"not a valid 18-character Salesforce id (its suffix should be {suffix})")
    return text[:15] + suffix


# ------------------------------------------------------------------- field kinds


def _unwrap(annotation: Any) -> Any:
    """Strip ``Optional`` / ``Annotated`` around a field annotation."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def field_kind(model: type[BaseModel], name: str) -> tuple[FieldKind, type[Enum] | None]:
    """How to convert a cell for ``model.name`` (a dotted name reaches a nested model).

    Examples
    --------
    >>> from stakegraph.graph.model import Contact
    >>> field_kind(Contact, "stance")[0], field_kind(Contact, "profile.hobbies")[0]
    ('enum', 'list')
    """
    head, _, rest = name.partition(".")
    info = model.model_fields.get(head)
    if info is None:
        raise KeyError(name)
    annotation = _unwrap(info.annotation)
    if rest:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            return field_kind(annotation, rest)
        raise KeyError(name)
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return "enum", annotation
        if annotation is bool:
            return "bool", None
        if annotation is int:
            return "int", None
        if annotation is float:
            return "float", None
        if annotation is datetime:
            return "datetime", None
        if annotation is date:
            return "date", None
        if annotation is str:
            return "str", None
    if get_origin(annotation) is list:
        return "list", None
    return "other", None


# -------------------------------------------------------------------- converters


def to_enum(value: Any, enum: type[Enum]) -> str:
    """An enum value from its name in any case, spaces and hyphens as underscores.

    Examples
    --------
    >>> from stakegraph.graph.model import DecisionRole
    >>> to_enum("economic buyer", DecisionRole)
    'ECONOMIC_BUYER'
    """
    text = text_of(value) or ""
    candidate = re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", text).strip()).upper()
    allowed = [str(m.value) for m in enum]
    if candidate in allowed:
        return candidate
    raise CellError(f"not one of {', '.join(allowed)}")


def to_bool(value: Any) -> bool:
    """Yes/no from the words people type (是/否, Y/N, true/false, 1/0, √/×).

    Examples
    --------
    >>> to_bool("是"), to_bool("N"), to_bool(1)
    (True, False, True)
    """
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = normalise(text_of(value) or "")
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise CellError("not a yes/no value (是/否, yes/no, true/false, 1/0)")


_NUMBER_NOISE = re.compile(r"[,\s¥￥$€£_]|元$|(?<=\d)(CNY|RMB|USD|EUR)$", re.IGNORECASE)


def _number_text(value: Any) -> str:
    text = unicodedata.normalize("NFKC", text_of(value) or "")
    return _NUMBER_NOISE.sub("", text)


def to_float(value: Any, *, scale: float | None = None) -> float:
    """A number, ignoring thousands separators and currency signs; times ``scale``.

    Examples
    --------
    >>> to_float("¥1,200,000"), to_float("120", scale=10000)
    (1200000.0, 1200000.0)
    """
    if isinstance(value, bool):
        raise CellError("not a number")
    if isinstance(value, int | float):
        number = float(value)
    else:
        try:
            number = float(_number_text(value))
        except ValueError:
            raise CellError("not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise CellError("not a finite number")
    return number * scale if scale is not None else number


def to_int(value: Any, *, scale: float | None = None) -> int:
    """A whole number (``"1,200"`` → 1200; ``3.0`` → 3; ``3.5`` is refused).

    Examples
    --------
    >>> to_int("1,200"), to_int(3.0)
    (1200, 3)
    """
    if isinstance(value, bool):
        raise CellError("not a whole number")
    try:
        number = to_float(value, scale=scale)
    except CellError:
        raise CellError("not a whole number") from None
    if not number.is_integer():
        raise CellError("not a whole number")
    return int(number)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_TIME = re.compile(r"^[T\s]*(\d{1,2})[:时](\d{2})(?:[:分](\d{2})(?:\.(\d{1,6})\d*)?)?秒?\s*$")


def to_date(value: Any) -> date:
    """A date from a workbook date, ISO text, ``2025/3/1``, ``2025.3.1`` or ``2025年3月1日``.

    Examples
    --------
    >>> to_date("2025年3月1日"), to_date("2025/03/01 00:00")
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 1))
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFKC", text_of(value) or "")
    match = _DATE.match(text)
    if match is None:
        raise CellError("not a date (write it as YYYY-MM-DD)")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise CellError(f"not a date: {exc}") from None


def to_datetime(value: Any, *, zone: tzinfo = UTC) -> datetime:
    """A moment; a time without a zone is taken in ``zone``; a bare date is its midnight.

    Examples
    --------
    >>> to_datetime("2025-03-01T09:30:00.000Z")
    datetime.datetime(2025, 3, 1, 9, 30, tzinfo=datetime.timezone.utc)
    >>> to_datetime("2025/3/1 9:30").isoformat()
    '2025-03-01T09:30:00+00:00'
    """
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime.combine(value, time())
    else:
        text = unicodedata.normalize("NFKC", text_of(value) or "")
        moment = _parse_moment(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.astimezone(UTC)


def _parse_moment(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.match(text)
    if match is None:
        raise CellError("not a date and time (write it as YYYY-MM-DD HH:MM)")
    rest = text[match.end() :]
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise CellError(f"not a date: {exc}") from None
    if not rest.strip():
        return datetime.combine(day, time())
    clock = _TIME.match(rest)
    if clock is None:
        raise CellError("not a time of day (write it as HH:MM)")
    try:
        micro = int((clock[4] or "0").ljust(6, "0"))
        return datetime.combine(day, time(int(clock[1]), int(clock[2]), int(clock[3] or 0), micro))
    except ValueError as exc:
        raise CellError(f"not a time of day: {exc}") from None
