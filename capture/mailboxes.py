"""Messages from an mbox file or a folder of ``.eml`` files — their headers only.

Only ``From``, ``To``, ``Cc``, ``Date``, ``Message-ID`` and ``Subject`` are read: each
message is read up to the blank line that ends its header block and no further, so
no body or attachment is ever parsed or kept. mbox files are split by the standard
library's :class:`mailbox.mbox`; headers are parsed by :mod:`email` with its modern
policy, which decodes RFC 2047 encoded words (``=?GB2312?B?...?=``, ``=?UTF-8?Q?...?=``)
into names such as 丁一鸣. Addresses are put in canonical form
(:func:`stakegraph.graph.email_address.email_key`).
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import IO, Any, cast

from stakegraph.capture.errors import InvalidMailbox
from stakegraph.capture.events import Attendee, CanonicalAddresses, CapturedEvent, EventSource

__all__ = ["parse_mail"]

_PARSER = BytesHeaderParser(policy=policy.default)
_END_OF_HEADERS = (b"\n", b"\r\n")


def parse_mail(path: Path) -> list[CapturedEvent]:
    """The messages of an mbox file, an ``.eml`` file or a folder of ``.eml`` files.

    Parameters
    ----------
    path : Path
        An mbox file, one ``.eml`` file, or a folder whose ``*.eml`` files (searched
        recursively, in path order) are read.

    Returns
    -------
    list of CapturedEvent
        One per message in file order: ``organizer`` from ``From``, ``attendees``
        from ``To`` and ``Cc`` (``Bcc`` is not read), ``summary`` the decoded
        ``Subject``, ``start`` the ``Date`` in UTC (``None`` when unreadable), ``uid``
        the ``Message-ID`` without angle brackets.

    Raises
    ------
    InvalidMailbox
        When the path does not exist or a file is not an mbox (no ``From`` line).
    """
    path = Path(path)
    canonical = CanonicalAddresses()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.eml") if p.is_file())
        return [_message(_read_headers(f), canonical) for f in files]
    if not path.is_file():
        raise InvalidMailbox(f"{path}: no such file or folder")
    if path.suffix.lower() == ".eml":
        return [_message(_read_headers(path), canonical)]
    return [_message(h, canonical) for h in _mbox_headers(path)]


def _header_block(lines: Iterable[bytes]) -> bytes:
    """The bytes of a message up to the blank line ending its headers."""
    block: list[bytes] = []
    for line in lines:
        if line in _END_OF_HEADERS:
            break
        block.append(line)
    return b"".join(block)


def _read_headers(path: Path) -> EmailMessage:
    with path.open("rb") as fp:
        return _parse(_header_block(fp))


def _mbox_headers(path: Path) -> Iterator[EmailMessage]:
    box = mailbox.mbox(path, create=False)
    try:
        keys = box.keys()
        if not keys and path.stat().st_size > 0:
            raise InvalidMailbox(f"{path}: not an mbox file (no 'From ' separator line)")
        for key in keys:
            with cast(IO[bytes], box.get_file(key)) as fp:
                yield _parse(_header_block(fp))
    finally:
        box.close()


def _parse(block: bytes) -> EmailMessage:
    message = _PARSER.parsebytes(block)  # an EmailMessage under policy.default
    assert isinstance(message, EmailMessage)
    return message


def _addresses(message: EmailMessage, name: str, canonical: CanonicalAddresses) -> list[Attendee]:
    out: list[Attendee] = []
    for header in message.get_all(name, []):
        for address in cast(tuple[Address, ...], getattr(header, "addresses", ())):
            if address.addr_spec and address.addr_spec != "<>":
                out.append(Attendee(canonical[address.addr_spec], address.display_name or None))
    return out


def _date(message: EmailMessage) -> datetime | None:
    header: Any = message.get("Date")
    value = getattr(header, "datetime", None)
    if not isinstance(value, datetime):
        return None
    # RFC 5322 "-0000" (no zone information) parses as naive: it is UTC
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _message(message: EmailMessage, canonical: CanonicalAddresses) -> CapturedEvent:
    senders = _addresses(message, "From", canonical)
    attendees = tuple(_addresses(message, "To", canonical) + _addresses(message, "Cc", canonical))
    start = _date(message)
    subject = " ".join(str(message.get("Subject", "")).split())
    message_id = str(message.get("Message-ID", "")).strip().strip("<>").strip()
    if not message_id:
        message_id = "|".join(
            [
                "no-message-id",
                start.isoformat() if start else str(message.get("Date", "")).strip(),
                ",".join(a.address for a in senders),
                ",".join(a.address for a in attendees),
                subject,
            ]
        )
    return CapturedEvent(
        source=EventSource.MAIL,
        uid=message_id,
        start=start,
        summary=subject,
        organizer=senders[0] if senders else None,
        attendees=tuple(senders[1:]) + attendees,
    )
