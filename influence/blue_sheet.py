"""Miller Heiman's Blue Sheet: buying influences, modes, red flags (see :mod:`stakegraph.influence.methods`)."""

from __future__ import annotations

from collections.abc import Sequence

import networkx as nx

from stakegraph.graph.model import InfluenceRating
from stakegraph.influence._deal import AMBER, GREEN, RED, Deal, deal_context, make_view
from stakegraph.influence.method_models import (
    MethodElement,
    MethodPerson,
    MethodView,
    RedFlag,
)
from stakegraph.influence.method_settings import (
    DEFAULT_METHOD_SETTINGS,
    BlueSheetSettings,
    SalesMethodSettings,
)
from stakegraph.influence.models import AccountAnalysis, HealthSignalCode
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["blue_sheet_view"]

# -------------------------------------------------------------------- Blue Sheet


def _degree(deal: Deal, contact_id: str, b: BlueSheetSettings) -> str:
    rating = deal.attr(contact_id, "influence_rating")
    if b.rating_first and rating is not None:
        return str(InfluenceRating(rating))
    score = deal.influence(contact_id)
    if score >= b.degree_high:
        return str(InfluenceRating.HIGH)
    return str(InfluenceRating.MEDIUM if score >= b.degree_medium else InfluenceRating.LOW)


def _blue_person(deal: Deal, contact_id: str, box: str, b: BlueSheetSettings) -> MethodPerson:
    stance = deal.stance(contact_id)
    mode = b.modes.get(stance)
    return MethodPerson(
        contact_id=contact_id,
        name=str(deal.attr(contact_id, "name")),
        title=deal.attr(contact_id, "title"),
        group=box,
        attributes={
            "degree": _degree(deal, contact_id, b),
            "mode": None if mode is None else str(mode),
            "rating": b.ratings.get(stance),
            "stance": str(stance),
            "covered": deal.influenced(contact_id),
            "covered_by": ", ".join(deal.covered_by(contact_id)) or None,
            "effective_level": deal.level(contact_id),
            "influence": round(deal.influence(contact_id), 4),
        },
    )


def _box(
    deal: Deal, code: str, name: str, people: Sequence[MethodPerson], b: BlueSheetSettings
) -> MethodElement:
    ids = [p.contact_id for p in people]
    evidence = [deal.evidence(p.contact_id, f"{name}", mode=p.attributes["mode"]) for p in people]
    if not people:
        return MethodElement(
            code=code,
            name=name,
            status=RED,
            state="not identified",
            summary=f"no {name.lower()} identified",
        )
    covered = [p for p in people if p.attributes["covered"]]
    receptive = {str(m) for m in b.receptive_modes}
    top_mode = people[0].attributes["mode"]
    if not covered:
        status, state, summary = AMBER, "not covered", f"{len(people)} identified; we cover none"
    elif top_mode not in receptive:
        status, state = AMBER, "covered, not receptive"
        summary = f"the most influential is in mode {top_mode or 'unknown'}"
    else:
        status, state, summary = GREEN, "covered", f"we cover {len(covered)} of {len(people)}"
    return MethodElement(
        code=code,
        name=name,
        status=status,
        state=state,
        summary=summary,
        contact_ids=ids,
        evidence=evidence,
    )


def blue_sheet_view(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    *,
    opportunity_id: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    methods: SalesMethodSettings = DEFAULT_METHOD_SETTINGS,
) -> MethodView:
    """The opportunity's buying influences as on a Miller Heiman Blue Sheet.

    Parameters and errors as :func:`meddpicc_view`. Elements are the boxes
    ``ECONOMIC``, ``USER``, ``TECHNICAL`` and ``COACH``; ``people`` lists each buying
    influence per box with its degree, mode, rating and coverage; ``red_flags`` the
    missing information, uncovered influences, an unclear economic buyer and a
    reorganisation (a KDM or champion who left, §3.9).

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> view = blue_sheet_view(g, analyze_account(g, as_of=AS_OF))
    >>> [(p.group, p.contact_id, p.attributes["mode"]) for p in view.people][:2]
    [('ECONOMIC', 'c-ceo', 'GROWTH'), ('USER', 'c-eng', 'EVEN_KEEL')]
    """
    deal = deal_context(g, analysis, opportunity_id, settings)
    b = methods.blue_sheet
    members = {
        "ECONOMIC": deal.holders(b.economic_roles),
        "USER": deal.holders(b.user_roles),
        "TECHNICAL": deal.holders(b.technical_roles),
        "COACH": deal.ranked(
            c
            for c in deal.members()
            if deal.stance(c) in b.coach_stances and deal.level(c) >= b.coach_min_level
        ),
    }
    people = {box: [_blue_person(deal, c, box, b) for c in ids] for box, ids in members.items()}
    elements = [_box(deal, box, b.names[box], people[box], b) for box in b.names if box in people]
    flags = _blue_flags(deal, members, [p for ps in people.values() for p in ps], b)
    return make_view(
        deal,
        "BLUE_SHEET",
        elements,
        people=[p for box in b.names if box in people for p in people[box]],
        columns=[
            "degree",
            "mode",
            "rating",
            "covered",
            "covered_by",
            "effective_level",
            "influence",
        ],
        flags=flags,
    )


def _blue_flags(
    deal: Deal, members: dict[str, list[str]], people: list[MethodPerson], b: BlueSheetSettings
) -> list[RedFlag]:
    flags = [
        RedFlag(kind="MISSING_INFORMATION", detail=f"no {b.names[box].lower()} identified")
        for box, ids in members.items()
        if not ids and box in b.names
    ]
    unknown = sorted({p.contact_id for p in people if p.attributes["mode"] is None})
    if unknown:
        flags.append(
            RedFlag(
                kind="MISSING_INFORMATION",
                contact_ids=unknown,
                detail="stance unknown: no response mode",
            )
        )
    uncovered = sorted({p.contact_id for p in people if not p.attributes["covered"]})
    if uncovered:
        flags.append(
            RedFlag(
                kind="UNCOVERED",
                contact_ids=uncovered,
                detail="buying influences we cannot influence yet",
            )
        )
    if len(members.get("ECONOMIC", [])) > 1:
        flags.append(
            RedFlag(
                kind="UNCERTAINTY",
                contact_ids=members["ECONOMIC"],
                detail="more than one economic buying influence",
            )
        )
    for signal in deal.analysis.health.signals:
        if signal.code in (HealthSignalCode.KDM_LEFT, HealthSignalCode.CHAMPION_LOST):
            flags.append(
                RedFlag(
                    kind="REORGANISATION", contact_ids=signal.contact_ids, detail=signal.evidence
                )
            )
    return flags
