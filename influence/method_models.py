"""Result models of the sales-method views (:mod:`stakegraph.influence.methods`)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Evidence", "MethodElement", "MethodPerson", "MethodStatus", "MethodView", "RedFlag"]

Scalar = str | int | float | bool | None


class _Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class MethodStatus(StrEnum):
    """Traffic light of one letter or box: GREEN done, AMBER started, RED open, UNKNOWN
    when the graph cannot say."""

    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"
    UNKNOWN = "UNKNOWN"


class Evidence(_Result):
    """One fact behind a status: a contact (or other record) and the values that count."""

    contact_id: str | None = None
    name: str | None = None
    detail: str
    values: dict[str, Scalar] = Field(default_factory=dict)


class MethodElement(_Result):
    """One letter of MEDDPICC, one box of the Blue Sheet, one check of an Altify map."""

    code: str
    name: str
    status: MethodStatus
    state: str = Field(description="the method's word for where it stands, e.g. 'tested'")
    summary: str
    contact_ids: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class MethodPerson(_Result):
    """One person of a Blue Sheet or an Altify relationship map, with the method's attributes."""

    contact_id: str
    name: str
    title: str | None = None
    group: str = Field(description="Blue Sheet box or Altify decision role")
    attributes: dict[str, Scalar] = Field(default_factory=dict)


class RedFlag(_Result):
    kind: str
    detail: str
    contact_ids: list[str] = Field(default_factory=list)


class MethodView(_Result):
    """An opportunity in one method's vocabulary."""

    method: str = Field(description="MEDDPICC, BLUE_SHEET or ALTIFY")
    company_id: str
    opportunity_id: str
    opportunity_name: str
    as_of: date
    status: MethodStatus = Field(description="the whole view at a glance")
    elements: list[MethodElement] = Field(default_factory=list)
    people: list[MethodPerson] = Field(default_factory=list)
    person_columns: list[str] = Field(
        default_factory=list, description="the attributes of people, in the order shown"
    )
    red_flags: list[RedFlag] = Field(default_factory=list)

    def element(self, code: str) -> MethodElement:
        """The element with this code (``"E"``, ``"C1"``, ``"COACH"`` ...)."""
        for e in self.elements:
            if e.code == code:
                return e
        raise KeyError(code)
