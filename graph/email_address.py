"""E-mail addresses of contacts and reps in one canonical form (§2, §3.15).

Addresses are matched case-insensitively (docs/analytics.md §3.15), so the
graph keeps each one in a single canonical form: surrounding blanks stripped, the
syntax checked by ``email-validator`` (syntax only: no DNS look-up, so the check is
offline and repeatable), its normalised form taken (Unicode NFC, IDNA domain) and the
whole address lower-cased. Two spellings of one address therefore compare equal as
plain strings, in Python and in either store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from email_validator import EmailNotValidError, validate_email
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

__all__ = [
    "EmailAddress",
    "EmailAddresses",
    "InvalidEmail",
    "email_key",
    "normalise_email",
]


class InvalidEmail(ValueError):
    """An address that is not a syntactically valid e-mail address."""

    def __init__(self, value: str, reason: str) -> None:
        super().__init__(f"{value!r} is not a valid e-mail address: {reason}")
        self.value = value
        self.reason = reason


def normalise_email(value: str) -> str:
    """The canonical form of an e-mail address.

    Parameters
    ----------
    value : str
        An address as written (``" Zheng.Kai@Orient-Precision.EXAMPLE.cn "``).

    Returns
    -------
    str
        The address stripped, normalised by ``email-validator`` and lower-cased.

    Raises
    ------
    InvalidEmail
        When the syntax is not that of an e-mail address; the message quotes the value.

    Examples
    --------
    >>> normalise_email(" Zheng.Kai@Orient-Precision.EXAMPLE.cn ")
    'zheng.kai@orient-precision.example.cn'
    >>> normalise_email("bob@@x")
    Traceback (most recent call last):
    ...
    stakegraph.graph.email_address.InvalidEmail: 'bob@@x' is not a valid e-mail address: ...
    """
    try:
        checked = validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise InvalidEmail(value, str(exc)) from exc
    return checked.normalized.lower()


def email_key(value: str) -> str:
    """The form an address is looked up by: canonical when valid, else merely
    stripped and lower-cased (so an invalid address never matches a stored one).

    >>> email_key("DING@HuaxiaBank.example.cn"), email_key(" Not An Address ")
    ('ding@huaxiabank.example.cn', 'not an address')
    """
    try:
        return normalise_email(value)
    except InvalidEmail:
        return value.strip().lower()


def _checked(value: str) -> str:
    try:
        return normalise_email(value)
    except InvalidEmail as exc:
        raise PydanticCustomError(
            "email",
            "{value} is not a valid e-mail address: {reason}",
            {"value": repr(value), "reason": exc.reason},
        ) from exc


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


#: A validated, canonical e-mail address (a pydantic field type).
EmailAddress = Annotated[str, AfterValidator(_checked)]
#: A list of canonical addresses, in the given order, each once.
EmailAddresses = Annotated[list[EmailAddress], AfterValidator(_unique)]
