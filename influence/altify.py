"""The Altify relationship map and its status (see :mod:`stakegraph.influence.methods`)."""

from __future__ import annotations

import networkx as nx

from stakegraph.graph.model import DecisionRole, Stance
from stakegraph.influence._deal import AMBER, GREEN, RED, Deal, deal_context, make_view
from stakegraph.influence.method_models import (
    MethodElement,
    MethodPerson,
    MethodView,
)
from stakegraph.influence.method_settings import (
    DEFAULT_METHOD_SETTINGS,
    SalesMethodSettings,
)
from stakegraph.influence.models import AccountAnalysis
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["altify_view"]

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
    deal = deal_context(g, analysis, opportunity_id, settings)
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
            status=GREEN,
            state="supportive key player decides",
            summary="a supportive key player is a decision maker or approver",
            contact_ids=deciding,
            evidence=[deal.evidence(c, "supportive, decides") for c in deciding],
        )
    elif supportive:
        map_el = MethodElement(
            code="MAP",
            name="Relationship map",
            status=AMBER,
            state="supportive key players",
            contact_ids=supportive,
            summary=f"{len(supportive)} supportive key player(s); none decides",
            evidence=[deal.evidence(c, "supportive") for c in supportive],
        )
    else:
        map_el = MethodElement(
            code="MAP",
            name="Relationship map",
            status=RED,
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
    return make_view(
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


def _altify_person(deal: Deal, c: str, key: bool, methods: SalesMethodSettings) -> MethodPerson:
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


def _key_players(deal: Deal, keys: list[str]) -> MethodElement:
    covered = [c for c in keys if deal.influenced(c)]
    evidence = [deal.evidence(c, "key player") for c in keys]
    if not keys:
        status, state = RED, "no key player known"
    elif len(covered) == len(keys):
        status, state = GREEN, "all covered"
    elif covered:
        status, state = AMBER, "partly covered"
    else:
        status, state = RED, "none covered"
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
    deal: Deal, on_map: list[str], keys: list[str], words: dict[Stance, str]
) -> MethodElement:
    mentors = [c for c in on_map if deal.stance(c) == Stance.CHAMPION]
    word = words.get(Stance.CHAMPION, "Mentor")
    key_mentors = [c for c in mentors if c in keys]
    if key_mentors:
        status, state = GREEN, f"{word.lower()} is a key player"
    elif mentors:
        status, state = AMBER, f"{word.lower()}, not a key player"
    else:
        status, state = RED, f"no {word.lower()}"
    return MethodElement(
        code="MENTOR",
        name=word,
        status=status,
        state=state,
        summary=f"{len(mentors)} {word.lower()}(s) on the map",
        contact_ids=mentors,
        evidence=[deal.evidence(c, word) for c in mentors],
    )


def _opposition(deal: Deal, keys: list[str]) -> MethodElement:
    enemies = [c for c in keys if deal.stance(c) == Stance.BLOCKER]
    against = [c for c in keys if deal.stance(c) == Stance.OPPONENT]
    if enemies:
        status, state = RED, "key player is an enemy"
    elif against:
        status, state = AMBER, "key player is a non-supporter"
    else:
        status, state = GREEN, "no key player against us"
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
