"""Sales-method views: an opportunity in MEDDPICC, Blue Sheet or Altify words.

Each view is a pure function of an account subgraph and its
:func:`~stakegraph.influence.analysis.analyze_account` result; the crosswalk from the
method's vocabulary to stakegraph's roles, stances and levels is
:class:`~stakegraph.influence.method_settings.SalesMethodSettings`. Every letter or box
carries its status, the method's word for it and its evidence (contact ids, levels,
influence, stances), so a seller can check it against the graph.

* MEDDPICC — E (economic buyer), D (decision criteria), P (paper process) and I
  (identify pain) are answered by the holders of their roles: none → RED; held, but
  we can influence no holder (§3.2) → AMBER; influenced → GREEN, AMBER again when the
  most influential holder opposes (stance < 0). D (decision process) is the deal's
  coverage of the required roles (§3.5). C (champion) is tested when a CHAMPION has
  effective level ≥ 3 and influence ≥ 0.5. C (competition) reads ``COMPETES_FOR``
  and ``FAVORS``. M (metrics) is not held in the graph: UNKNOWN, with the deal's
  amount as evidence.
* Blue Sheet — Economic, User and Technical buying influences are the holders of
  their roles; a Coach is a CHAMPION (for this deal) whom we know at level ≥ 3. Each
  person gets a degree of influence, a response mode and a rating read from the
  stance, and whether we cover them; red flags name the missing, the uncovered and
  the unclear.
* Altify — the relationship map: decision role, status (Mentor … Enemy), coverage
  (No Contact … In Depth), key player and political standing of each person, and
  the map status (RED: no supportive key player; AMBER: some; GREEN: a supportive
  key player decides or approves).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx

from stakegraph.graph.model import DecisionRole, InfluenceRating, Label, RelType, Stance, node_key
from stakegraph.influence.chain import account_contacts, decision_chain, open_opportunities
from stakegraph.influence.levels import knows_levels, stance_of
from stakegraph.influence.method_models import (
    Evidence,
    MethodElement,
    MethodPerson,
    MethodStatus,
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

__all__ = ["METHODS", "Method", "altify_view", "blue_sheet_view", "meddpicc_view", "method_view"]

Method = Literal["meddpicc", "blue_sheet", "altify"]
METHODS: tuple[str, ...] = ("meddpicc", "blue_sheet", "altify")
_G, _A, _R, _U = MethodStatus.GREEN, MethodStatus.AMBER, MethodStatus.RED, MethodStatus.UNKNOWN
_SEVERITY = {_U: 0, _G: 1, _A: 2, _R: 3}


# --------------------------------------------------------------------- the deal


@dataclass(frozen=True)
class _Deal:
    g: nx.MultiDiGraph
    analysis: AccountAnalysis
    settings: AnalysisSettings
    company_id: str
    opportunity_id: str
    chain: dict[DecisionRole, list[str]]
    knows: dict[tuple[str, str], int]

    def level(self, contact_id: str) -> int:
        return self.analysis.effective_levels.get(contact_id, 0)

    def influence(self, contact_id: str) -> float:
        return self.analysis.influence.score_of(contact_id)

    def influenced(self, contact_id: str) -> bool:
        return self.level(contact_id) >= self.settings.can_influence_level

    def stance(self, contact_id: str) -> Stance:
        return stance_of(self.g, contact_id, opportunity_id=self.opportunity_id)

    def attr(self, contact_id: str, name: str) -> Any:
        return self.g.nodes[node_key(Label.CONTACT, contact_id)].get(name)

    def roles_of(self, contact_id: str) -> list[DecisionRole]:
        return [r for r in DecisionRole if contact_id in self.chain.get(r, [])]

    def holders(self, roles: Iterable[DecisionRole]) -> list[str]:
        ids = {c for r in roles for c in self.chain.get(r, [])}
        return self.ranked(ids)

    def ranked(self, ids: Iterable[str]) -> list[str]:
        return sorted(set(ids), key=lambda c: (-self.influence(c), c))

    def members(self) -> list[str]:
        return account_contacts(self.g, self.company_id)

    def covered_by(self, contact_id: str) -> list[str]:
        """Our reps who can influence the contact, best relationship first."""
        reps = [(lvl, r) for (r, c), lvl in self.knows.items() if c == contact_id]
        floor = self.settings.can_influence_level
        return [r for lvl, r in sorted(reps, key=lambda x: (-x[0], x[1])) if lvl >= floor]

    def evidence(self, contact_id: str, detail: str, **extra: Any) -> Evidence:
        stance = self.stance(contact_id)
        values: dict[str, Any] = {
            "roles": ", ".join(str(r) for r in self.roles_of(contact_id)) or None,
            "stance": str(stance),
            "effective_level": self.level(contact_id),
            "influence": round(self.influence(contact_id), 4),
            "can_influence": self.influenced(contact_id),
            **extra,
        }
        return Evidence(
            contact_id=contact_id, name=self.attr(contact_id, "name"), detail=detail, values=values
        )

    def opportunity(self, name: str) -> Any:
        return self.g.nodes[node_key(Label.OPPORTUNITY, self.opportunity_id)].get(name)


def _deal(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    opportunity_id: str | None,
    settings: AnalysisSettings,
) -> _Deal:
    cid = analysis.company_id
    opp = opportunity_id or analysis.opportunity_id
    if opp is None:
        candidates = open_opportunities(g, cid)
        if not candidates:
            raise ValueError(f"account {cid!r} has no open opportunity: name the one to view")
        opp = candidates[0]
    chain = decision_chain(g, opportunity_id=opp, company_id=cid)  # NotFound when not its own
    knows = knows_levels(g, as_of=analysis.as_of, settings=settings)
    return _Deal(g, analysis, settings, cid, opp, chain, knows)


def _view(
    deal: _Deal,
    method: str,
    elements: Sequence[MethodElement],
    *,
    status: MethodStatus | None = None,
    people: Sequence[MethodPerson] = (),
    columns: Sequence[str] = (),
    flags: Sequence[RedFlag] = (),
) -> MethodView:
    worst = max((e.status for e in elements), key=lambda s: _SEVERITY[s], default=_U)
    return MethodView(
        method=method,
        company_id=deal.company_id,
        opportunity_id=deal.opportunity_id,
        opportunity_name=str(deal.opportunity("name")),
        as_of=deal.analysis.as_of,
        status=status or worst,
        elements=list(elements),
        people=list(people),
        person_columns=list(columns),
        red_flags=list(flags),
    )


# --------------------------------------------------------------------- MEDDPICC


def _role_element(
    deal: _Deal, code: str, name: str, roles: Sequence[DecisionRole]
) -> MethodElement:
    """Holders of the roles: RED none, AMBER not influenced or opposed, GREEN engaged."""
    held = " / ".join(str(r) for r in roles)
    holders = deal.holders(roles)
    if not holders:
        return MethodElement(
            code=code,
            name=name,
            status=_R,
            state="not identified",
            summary=f"no contact holds {held} in this deal",
        )
    influenced = [c for c in holders if deal.influenced(c)]
    top = holders[0]
    weight = deal.stance(top).weight
    evidence = [deal.evidence(c, f"holds {held}") for c in holders]
    if not influenced:
        status, state = _A, "identified, not engaged"
        summary = f"{len(holders)} holder(s) of {held}; we can influence none"
    elif weight is not None and weight < 0:
        status, state = _A, "engaged, at risk"
        summary = f"the most influential holder of {held} is {deal.stance(top)}"
    else:
        status, state = _G, "engaged"
        summary = f"we can influence {len(influenced)} of {len(holders)} holder(s) of {held}"
    return MethodElement(
        code=code,
        name=name,
        status=status,
        state=state,
        summary=summary,
        contact_ids=holders,
        evidence=evidence,
    )


def _metrics(deal: _Deal, name: str) -> MethodElement:
    values = {k: deal.opportunity(k) for k in ("amount", "currency", "close_date")}
    products = deal.opportunity("products") or []
    values = {k: (str(v) if k == "close_date" and v is not None else v) for k, v in values.items()}
    evidence = Evidence(
        detail="the deal", values={**values, "products": ", ".join(products) or None}
    )
    return MethodElement(
        code="M",
        name=name,
        status=_U,
        state="not tracked",
        summary="the graph holds no success metrics; the deal's value is shown",
        evidence=[evidence],
    )


def _decision_process(deal: _Deal, name: str) -> MethodElement:
    required = deal.settings.required_roles
    evidence, states = [], []
    for role in required:
        holders = deal.holders([role])
        state = (
            "COVERED"
            if any(deal.influenced(c) for c in holders)
            else ("UNCOVERED" if holders else "MISSING")
        )
        states.append(state)
        evidence.append(
            Evidence(
                detail=f"{role}: {state}",
                values={"role": str(role), "status": state, "holders": ", ".join(holders) or None},
            )
        )
    chain = deal.holders(DecisionRole)
    covered = states.count("COVERED")
    if not chain:
        status, state = _R, "not mapped"
    elif covered == len(required):
        status, state = _G, "mapped and covered"
    else:
        status, state = _A, "partly mapped"
    return MethodElement(
        code="D2",
        name=name,
        status=status,
        state=state,
        summary=f"{covered} of {len(required)} required roles covered; {len(chain)} people in "
        "the decision chain",
        contact_ids=chain,
        evidence=evidence,
    )


def _champion(deal: _Deal, name: str, methods: SalesMethodSettings) -> MethodElement:
    m = methods.meddpicc
    pool = deal.holders(DecisionRole) if m.champion_in_chain_only else deal.members()
    champions = deal.ranked(c for c in pool if deal.stance(c) in m.champion_stances)

    def tested(c: str) -> bool:
        return (
            deal.level(c) >= m.champion_min_level and deal.influence(c) >= m.champion_min_influence
        )

    proven = [c for c in champions if tested(c)]
    evidence = [
        deal.evidence(c, "tested" if tested(c) else "untested", tested=tested(c)) for c in champions
    ]
    if proven:
        status, state = _G, "tested"
        summary = f"{len(proven)} champion(s) at level ≥ {m.champion_min_level} with influence ≥ {m.champion_min_influence}"
    elif champions:
        status, state = _A, "untested"
        summary = f"{len(champions)} champion(s), none at level ≥ {m.champion_min_level} with influence ≥ {m.champion_min_influence}"
    else:
        status, state = _R, "none"
        summary = "no CHAMPION for this deal"
    return MethodElement(
        code="C1",
        name=name,
        status=status,
        state=state,
        summary=summary,
        contact_ids=champions,
        evidence=evidence,
    )


def _competitors(deal: _Deal) -> tuple[list[str], dict[str, list[str]]]:
    """Competitors of the deal, and ``{contact: competitors it favours}`` in the account."""
    opp = node_key(Label.OPPORTUNITY, deal.opportunity_id)
    g = deal.g
    rivals = sorted(
        g.nodes[u]["id"] for u, _, k in g.in_edges(opp, keys=True) if k == RelType.COMPETES_FOR
    )
    favours: dict[str, list[str]] = {}
    for c in deal.members():
        key = node_key(Label.CONTACT, c)
        liked = sorted(
            g.nodes[v]["id"] for _, v, k in g.out_edges(key, keys=True) if k == RelType.FAVORS
        )
        if liked:
            favours[c] = liked
    return rivals, favours


def _competition(deal: _Deal, name: str) -> MethodElement:
    rivals, favours = _competitors(deal)
    chain = set(deal.holders(DecisionRole))
    inside = deal.ranked(c for c in favours if c in chain)
    outside = deal.ranked(c for c in favours if c not in chain)
    names = {
        r: deal.g.nodes[node_key(Label.COMPETITOR, r)].get("name", r)
        for r in {*rivals, *(x for v in favours.values() for x in v)}
    }
    evidence = [
        Evidence(detail="competes for the deal", values={"competitor": names[r]}) for r in rivals
    ]
    evidence += [
        deal.evidence(
            c,
            "favours " + ", ".join(names[x] for x in favours[c]),
            favours=", ".join(favours[c]),
            in_chain=c in chain,
        )
        for c in inside + outside
    ]
    if inside:
        status, state = _R, "a buyer favours a competitor"
        summary = f"{len(inside)} member(s) of the decision chain favour a competitor"
    elif outside:
        status, state = _A, "competitors have friends"
        summary = f"{len(outside)} contact(s) outside the chain favour a competitor"
    elif rivals:
        status, state = _G, "known, no buyer favours them"
        summary = f"{len(rivals)} competitor(s) known; no contact favours them"
    else:
        status, state = _U, "not recorded"
        summary = "no competitor recorded for this deal"
    return MethodElement(
        code="C2",
        name=name,
        status=status,
        state=state,
        summary=summary,
        contact_ids=inside + outside,
        evidence=evidence,
    )


def meddpicc_view(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    *,
    opportunity_id: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    methods: SalesMethodSettings = DEFAULT_METHOD_SETTINGS,
) -> MethodView:
    """The opportunity letter by letter in MEDDPICC.

    Parameters
    ----------
    g : networkx.MultiDiGraph
        The account subgraph the analysis was computed on.
    analysis : AccountAnalysis
        ``analyze_account(g, ...)``: levels, influence and health come from it.
    opportunity_id : str, optional
        The deal; default the one the analysis was asked about, else the account's
        first open opportunity.
    settings : AnalysisSettings
        The analysis' settings (``can_influence_level``, ``required_roles``).
    methods : SalesMethodSettings
        The crosswalk.

    Returns
    -------
    MethodView
        Elements M, E, D1, D2, P, I, C1, C2.

    Raises
    ------
    ValueError
        When no opportunity is named and the account has no open one.
    stakegraph.graph.errors.NotFound
        When the opportunity is not the account's.

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> view = meddpicc_view(g, analyze_account(g, as_of=AS_OF))
    >>> [(e.code, e.status.value) for e in view.elements][:3]
    [('M', 'UNKNOWN'), ('E', 'GREEN'), ('D1', 'AMBER')]

    References
    ----------
    §3.2, §3.3, §3.5, §3.16 (CHAMPION_UNTESTED)
    """
    deal = _deal(g, analysis, opportunity_id, settings)
    m = methods.meddpicc
    n = m.names
    elements = {
        "M": _metrics(deal, n["M"]),
        "E": _role_element(deal, "E", n["E"], m.economic_buyer_roles),
        "D1": _role_element(deal, "D1", n["D1"], m.decision_criteria_roles),
        "D2": _decision_process(deal, n["D2"]),
        "P": _role_element(deal, "P", n["P"], m.paper_process_roles),
        "I": _role_element(deal, "I", n["I"], m.pain_roles),
        "C1": _champion(deal, n["C1"], methods),
        "C2": _competition(deal, n["C2"]),
    }
    return _view(deal, "MEDDPICC", [elements[code] for code in n if code in elements])


# -------------------------------------------------------------------- Blue Sheet


def _degree(deal: _Deal, contact_id: str, b: BlueSheetSettings) -> str:
    rating = deal.attr(contact_id, "influence_rating")
    if b.rating_first and rating is not None:
        return str(InfluenceRating(rating))
    score = deal.influence(contact_id)
    if score >= b.degree_high:
        return str(InfluenceRating.HIGH)
    return str(InfluenceRating.MEDIUM if score >= b.degree_medium else InfluenceRating.LOW)


def _blue_person(deal: _Deal, contact_id: str, box: str, b: BlueSheetSettings) -> MethodPerson:
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
    deal: _Deal, code: str, name: str, people: Sequence[MethodPerson], b: BlueSheetSettings
) -> MethodElement:
    ids = [p.contact_id for p in people]
    evidence = [deal.evidence(p.contact_id, f"{name}", mode=p.attributes["mode"]) for p in people]
    if not people:
        return MethodElement(
            code=code,
            name=name,
            status=_R,
            state="not identified",
            summary=f"no {name.lower()} identified",
        )
    covered = [p for p in people if p.attributes["covered"]]
    receptive = {str(m) for m in b.receptive_modes}
    top_mode = people[0].attributes["mode"]
    if not covered:
        status, state, summary = _A, "not covered", f"{len(people)} identified; we cover none"
    elif top_mode not in receptive:
        status, state = _A, "covered, not receptive"
        summary = f"the most influential is in mode {top_mode or 'unknown'}"
    else:
        status, state, summary = _G, "covered", f"we cover {len(covered)} of {len(people)}"
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
    deal = _deal(g, analysis, opportunity_id, settings)
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
    return _view(
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
    deal: _Deal, members: dict[str, list[str]], people: list[MethodPerson], b: BlueSheetSettings
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


# ------------------------------------------------------------------------ Altify


def altify_view(
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    *,
    opportunity_id: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    methods: SalesMethodSettings = DEFAULT_METHOD_SETTINGS,
) -> MethodView:
    """The opportunity's Altify relationship map and its status.

    Parameters and errors as :func:`meddpicc_view`. ``people`` are the deal's decision
    chain and the account's key players, each with decision role, status, coverage,
    key player and political standing; elements are ``MAP`` (the map status, which is
    the view's status), ``KEY_PLAYERS`` (coverage of key players), ``MENTOR`` and
    ``OPPOSITION``.

    Examples
    --------
    >>> from stakegraph.influence import analyze_account
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> g = tiny_account()
    >>> view = altify_view(g, analyze_account(g, as_of=AS_OF))
    >>> view.status.value, view.element("MAP").state
    ('GREEN', 'supportive key player decides')
    """
    deal = _deal(g, analysis, opportunity_id, settings)
    a = methods.altify
    kdms = set(analysis.grade.kdm_ids)

    def key_player(c: str) -> bool:
        return c in kdms or deal.influence(c) >= a.key_player_min_influence

    chain = deal.holders(DecisionRole)
    on_map = deal.ranked([*chain, *(c for c in deal.members() if key_player(c))])
    people = [_altify_person(deal, c, key_player(c), methods) for c in on_map]
    keys = [c for c in on_map if key_player(c)]
    supportive = [c for c in keys if deal.stance(c) in a.supportive_stances]
    deciding = [c for c in supportive if set(deal.roles_of(c)) & set(a.deciding_roles)]
    if deciding:
        map_el = MethodElement(
            code="MAP",
            name="Relationship map",
            status=_G,
            state="supportive key player decides",
            summary="a supportive key player is a decision maker or approver",
            contact_ids=deciding,
            evidence=[deal.evidence(c, "supportive, decides") for c in deciding],
        )
    elif supportive:
        map_el = MethodElement(
            code="MAP",
            name="Relationship map",
            status=_A,
            state="supportive key players",
            contact_ids=supportive,
            summary=f"{len(supportive)} supportive key player(s); none decides",
            evidence=[deal.evidence(c, "supportive") for c in supportive],
        )
    else:
        map_el = MethodElement(
            code="MAP",
            name="Relationship map",
            status=_R,
            state="no supportive key player",
            contact_ids=keys,
            summary="no key player is a mentor or supporter",
        )
    elements = [
        map_el,
        _key_players(deal, keys),
        _mentor(deal, on_map, keys, a.statuses),
        _opposition(deal, keys),
    ]
    return _view(
        deal,
        "ALTIFY",
        elements,
        status=map_el.status,
        people=people,
        columns=[
            "decision_role",
            "status",
            "coverage",
            "key_player",
            "political",
            "effective_level",
            "influence",
        ],
    )


def _altify_person(deal: _Deal, c: str, key: bool, methods: SalesMethodSettings) -> MethodPerson:
    a = methods.altify
    roles = deal.roles_of(c)
    words = [a.decision_roles[r] for r in roles if r in a.decision_roles]
    has_tie = any(contact == c for _, contact in deal.knows)
    coverage = a.coverage.get(deal.level(c), "Unknown") if has_tie else "Unknown"
    score = deal.influence(c)
    political = (
        "Inner Circle"
        if key and score >= a.inner_circle_min_influence
        else ("Political Structure" if key else None)
    )
    return MethodPerson(
        contact_id=c,
        name=str(deal.attr(c, "name")),
        title=deal.attr(c, "title"),
        group=words[0] if words else "—",
        attributes={
            "decision_role": ", ".join(words) or None,
            "status": a.statuses.get(deal.stance(c)),
            "coverage": coverage,
            "key_player": key,
            "political": political,
            "effective_level": deal.level(c),
            "influence": round(score, 4),
        },
    )


def _key_players(deal: _Deal, keys: list[str]) -> MethodElement:
    covered = [c for c in keys if deal.influenced(c)]
    evidence = [deal.evidence(c, "key player") for c in keys]
    if not keys:
        status, state = _R, "no key player known"
    elif len(covered) == len(keys):
        status, state = _G, "all covered"
    elif covered:
        status, state = _A, "partly covered"
    else:
        status, state = _R, "none covered"
    return MethodElement(
        code="KEY_PLAYERS",
        name="Key player coverage",
        status=status,
        state=state,
        summary=f"we cover {len(covered)} of {len(keys)} key players",
        contact_ids=keys,
        evidence=evidence,
    )


def _mentor(
    deal: _Deal, on_map: list[str], keys: list[str], words: dict[Stance, str]
) -> MethodElement:
    mentors = [c for c in on_map if deal.stance(c) == Stance.CHAMPION]
    word = words.get(Stance.CHAMPION, "Mentor")
    key_mentors = [c for c in mentors if c in keys]
    if key_mentors:
        status, state = _G, f"{word.lower()} is a key player"
    elif mentors:
        status, state = _A, f"{word.lower()}, not a key player"
    else:
        status, state = _R, f"no {word.lower()}"
    return MethodElement(
        code="MENTOR",
        name=word,
        status=status,
        state=state,
        summary=f"{len(mentors)} {word.lower()}(s) on the map",
        contact_ids=mentors,
        evidence=[deal.evidence(c, word) for c in mentors],
    )


def _opposition(deal: _Deal, keys: list[str]) -> MethodElement:
    enemies = [c for c in keys if deal.stance(c) == Stance.BLOCKER]
    against = [c for c in keys if deal.stance(c) == Stance.OPPONENT]
    if enemies:
        status, state = _R, "key player is an enemy"
    elif against:
        status, state = _A, "key player is a non-supporter"
    else:
        status, state = _G, "no key player against us"
    ids = enemies + against
    return MethodElement(
        code="OPPOSITION",
        name="Opposition",
        status=status,
        state=state,
        summary=f"{len(enemies)} enemy, {len(against)} non-supporter key player(s)",
        contact_ids=ids,
        evidence=[deal.evidence(c, "against us") for c in ids],
    )


# ------------------------------------------------------------------------- all

_VIEWS: dict[str, Callable[..., MethodView]] = {
    "meddpicc": meddpicc_view,
    "blue_sheet": blue_sheet_view,
    "altify": altify_view,
}


def method_view(
    method: Method,
    g: nx.MultiDiGraph,
    analysis: AccountAnalysis,
    *,
    opportunity_id: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    methods: SalesMethodSettings = DEFAULT_METHOD_SETTINGS,
) -> MethodView:
    """The view of one method by name (``"meddpicc"``, ``"blue_sheet"``, ``"altify"``).

    Raises
    ------
    ValueError
        For an unknown method.
    """
    view = _VIEWS.get(method)
    if view is None:
        raise ValueError(f"unknown sales method {method!r}; choose one of {', '.join(METHODS)}")
    return view(g, analysis, opportunity_id=opportunity_id, settings=settings, methods=methods)
