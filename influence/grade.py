"""Relationship grade of an account and rep grades (客户关系等级, 大客户销售分级;
docs/analytics.md §3.7–3.8).

Readings taken here: a KDM "in" a key department works in it or in a department nested
in it; the grade reads the contacts' own stances (a per-deal override grades no
account); f_kdm and f_dept are 0 when there are no KDMs or key departments; a null
balance counts 0. Rep grades count only owned STRATEGIC and KEY accounts (an untiered
company is SMB) and list every rep, NOVICE when it owns nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import networkx as nx

from stakegraph.graph.model import Label, Rep, Tier, node_key
from stakegraph.influence._num import ceil_fraction, clamp
from stakegraph.influence.balance import supporter_balance
from stakegraph.influence.coverage import decision_chain_coverage
from stakegraph.influence.coverage_model import owned_accounts
from stakegraph.influence.index import AccountIndex, account_index
from stakegraph.influence.levels import effective_levels, influenced, stance_value
from stakegraph.influence.models import (
    AccountAnalysis,
    Balance,
    Coverage,
    InfluenceResult,
    KeyDepartmentStatus,
    RelationshipGrade,
    RelationshipGradeLevel,
    RepGrade,
    RepGradeLevel,
)
from stakegraph.influence.score import influence_scores
from stakegraph.influence.settings import DEFAULT_SETTINGS, AnalysisSettings

__all__ = ["grade_from", "grade_score", "relationship_grade", "rep_grade", "rep_grades"]


def relationship_grade(
    g: nx.MultiDiGraph,
    *,
    as_of: date,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    company_id: str | None = None,
    influence: InfluenceResult | None = None,
    levels: Mapping[str, int] | None = None,
    coverage: Coverage | None = None,
    balance: Balance | None = None,
    index: AccountIndex | None = None,
) -> RelationshipGrade:
    """The account's relationship grade and its 0–100 ranking score.

    * ``STRONG``: at least one key department; every key department has >= 1 KDM and
      we can influence at least ⌈0.8·n⌉ of its n KDMs; no KDM has stance < 0;
    * ``INTERMEDIATE``: we can influence >= 1 KDM who sits in a key department;
    * ``BASIC``: we can influence >= 1 active contact;
    * ``NONE`` otherwise. The highest grade whose rule holds wins.

    ``score = 100·(0.35·f_kdm + 0.25·f_dept + 0.25·(balance+1)/2 + 0.15·ratio)``:
    f_kdm the share of KDMs we can influence, f_dept the share of key departments with
    an active member we can influence (both 0 when there are none), balance the
    account's (null → 0), ratio the account's coverage ratio (0 when no chain).

    A KDM "of" or "in" a department works in it or in a department nested in it; the
    stance is the contact's own (a per-deal ``HAS_ROLE`` override does not grade the
    account).

    Parameters
    ----------
    g : networkx.MultiDiGraph
    as_of : datetime.date
    settings : AnalysisSettings
        ``strong_kdm_fraction`` (0.8) and the ``score_*_weight`` fields.
    company_id : str, optional
    influence, levels, coverage, balance : optional
        Precomputed results for the account (coverage and balance of the account, not of
        one opportunity); computed when missing.
    index : AccountIndex, optional
        Precomputed :func:`~stakegraph.influence.index.account_index`.

    Returns
    -------
    RelationshipGrade

    Examples
    --------
    >>> from stakegraph.influence._example import tiny_account, AS_OF
    >>> grade = relationship_grade(tiny_account(), as_of=AS_OF)
    >>> grade.grade.value, round(grade.score, 2)
    ('INTERMEDIATE', 45.36)
    >>> [(d.department_id, len(d.kdm_ids), d.required) for d in grade.key_departments]
    [('d-exec', 1, 1), ('d-it', 1, 1)]

    References
    ----------
    docs/analytics.md §3.7; KAM practice (初级 / 中级 / 强关系).
    """
    if coverage is not None and coverage.opportunity_id is not None:
        raise ValueError("relationship_grade needs the account's coverage, not an opportunity's")
    if balance is not None and balance.opportunity_id is not None:
        raise ValueError("relationship_grade needs the account's balance, not an opportunity's")
    ix = index if index is not None else account_index(g, settings=settings, company_id=company_id)
    if influence is None:
        influence = influence_scores(g, settings=settings, index=ix)
    if levels is None:
        levels = effective_levels(g, as_of=as_of, settings=settings)
    if coverage is None:
        coverage = decision_chain_coverage(
            g,
            as_of=as_of,
            settings=settings,
            influence=influence,
            levels=levels,
            suggest=False,
            index=ix,
        )
    if balance is None:
        balance = supporter_balance(g, settings=settings, influence=influence, index=ix)
    can = influenced(dict(levels), settings=settings)
    return grade_from(g, ix, can, balance.value, coverage.ratio, settings=settings)


def grade_from(
    g: nx.MultiDiGraph,
    index: AccountIndex,
    can: set[str] | frozenset[str],
    balance: float | None,
    ratio: float,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> RelationshipGrade:
    """The grade and score of §3.7 given whom we can influence, the balance and the ratio.

    The rule of :func:`relationship_grade` once its inputs are known; what-if rankings
    call it with hypothetical ``can`` sets.

    References
    ----------
    §3.7
    """
    ix = index
    active = ix.contacts
    kdms = ix.kdms
    statuses = []
    for dept in ix.key_departments:
        members = set(ix.membership.get(dept, []))
        dept_kdms = [k for k in kdms if k in members]
        statuses.append(
            KeyDepartmentStatus(
                department_id=dept,
                name=g.nodes[node_key(Label.DEPARTMENT, dept)].get("name", dept),
                kdm_ids=dept_kdms,
                influenced_kdm_ids=[k for k in dept_kdms if k in can],
                required=ceil_fraction(settings.strong_kdm_fraction, len(dept_kdms)),
                influenced_contact_ids=[c for c in active if c in members and c in can],
            )
        )
    opposing = [k for k in kdms if (stance_value(g, k) or 0) < 0]
    influenced_kdms = [k for k in kdms if k in can]

    if (
        statuses
        and all(s.kdm_ids and len(s.influenced_kdm_ids) >= s.required for s in statuses)
        and not opposing
    ):
        level = RelationshipGradeLevel.STRONG
    elif any(s.influenced_kdm_ids for s in statuses):
        level = RelationshipGradeLevel.INTERMEDIATE
    elif any(c in can for c in active):
        level = RelationshipGradeLevel.BASIC
    else:
        level = RelationshipGradeLevel.NONE

    f_kdm = len(influenced_kdms) / len(kdms) if kdms else 0.0
    f_dept = (
        sum(bool(s.influenced_contact_ids) for s in statuses) / len(statuses) if statuses else 0.0
    )
    value = balance if balance is not None else 0.0
    return RelationshipGrade(
        grade=level,
        score=grade_score(f_kdm, f_dept, value, ratio, settings=settings),
        f_kdm=f_kdm,
        f_dept=f_dept,
        balance=value,
        ratio=ratio,
        kdm_ids=kdms,
        influenced_kdm_ids=influenced_kdms,
        opposing_kdm_ids=opposing,
        key_departments=statuses,
    )


def grade_score(
    f_kdm: float,
    f_dept: float,
    balance: float,
    ratio: float,
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> float:
    """``100·(0.35·f_kdm + 0.25·f_dept + 0.25·(balance+1)/2 + 0.15·ratio)``, in [0, 100].

    Examples
    --------
    >>> grade_score(1.0, 1.0, 1.0, 1.0), grade_score(0.0, 0.0, -1.0, 0.0)
    (100.0, 0.0)

    References
    ----------
    §3.7
    """
    score = 100 * (
        settings.score_kdm_weight * f_kdm
        + settings.score_department_weight * f_dept
        + settings.score_balance_weight * (balance + 1) / 2
        + settings.score_ratio_weight * ratio
    )
    return clamp(score, 0.0, 100.0)


def rep_grade(
    accounts: Mapping[str, tuple[Tier | str | None, RelationshipGradeLevel | str]],
    *,
    industry_expert: bool = False,
    rep_id: str | None = None,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
) -> RepGrade:
    """Grade a rep from the accounts it owns: ``{company id: (tier, relationship grade)}``.

    Only STRATEGIC and KEY accounts count: b = graded >= BASIC, m = >= INTERMEDIATE,
    s = STRONG. ``SENIOR`` b >= 9 and m >= 4 and s >= 1; ``TOP`` SENIOR and an industry
    expert; ``INTERMEDIATE`` b >= 8 and m >= 3; ``JUNIOR`` b >= 1; else ``NOVICE``.

    Parameters
    ----------
    accounts : mapping
        The accounts the rep ``COVERS`` as ``OWNER`` (see :func:`rep_grades` to read them
        from a portfolio graph), each with its tier and relationship grade.
    industry_expert : bool
        The rep's ``industry_expert`` flag.
    rep_id : str, optional
        Carried into the result.
    settings : AnalysisSettings
        ``rep_grade_tiers`` and the ``*_min_*`` thresholds.

    Returns
    -------
    RepGrade

    Examples
    --------
    >>> owned = {f"k{i}": ("KEY", "BASIC") for i in range(8)}
    >>> rep_grade(owned).grade.value
    'JUNIOR'
    >>> owned |= {"k5": ("KEY", "INTERMEDIATE"), "k6": ("KEY", "INTERMEDIATE"),
    ...           "k7": ("STRATEGIC", "STRONG")}
    >>> rep_grade(owned).grade.value
    'INTERMEDIATE'

    References
    ----------
    docs/analytics.md §3.8; KAM practice (小白 … 顶级).
    """
    tiers = {Tier(t) for t in settings.rep_grade_tiers}
    counted = sorted(
        cid for cid, (tier, _) in accounts.items() if tier is not None and Tier(tier) in tiers
    )
    ranks = [RelationshipGradeLevel(accounts[c][1]).rank for c in counted]
    b = sum(r >= RelationshipGradeLevel.BASIC.rank for r in ranks)
    m = sum(r >= RelationshipGradeLevel.INTERMEDIATE.rank for r in ranks)
    s = sum(r >= RelationshipGradeLevel.STRONG.rank for r in ranks)
    senior = (
        b >= settings.senior_min_basic
        and m >= settings.senior_min_intermediate
        and s >= settings.senior_min_strong
    )
    if senior and industry_expert:
        grade = RepGradeLevel.TOP
    elif senior:
        grade = RepGradeLevel.SENIOR
    elif b >= settings.intermediate_min_basic and m >= settings.intermediate_min_intermediate:
        grade = RepGradeLevel.INTERMEDIATE
    elif b >= settings.junior_min_basic:
        grade = RepGradeLevel.JUNIOR
    else:
        grade = RepGradeLevel.NOVICE
    return RepGrade(
        rep_id=rep_id,
        grade=grade,
        basic=b,
        intermediate=m,
        strong=s,
        industry_expert=industry_expert,
        account_ids=counted,
    )


def _level_of(
    value: RelationshipGradeLevel | str | RelationshipGrade | AccountAnalysis,
) -> RelationshipGradeLevel:
    if isinstance(value, AccountAnalysis):
        return value.grade.grade
    if isinstance(value, RelationshipGrade):
        return value.grade
    return RelationshipGradeLevel(value)


def rep_grades(
    portfolio: nx.MultiDiGraph,
    grades: Mapping[str, RelationshipGradeLevel | str | RelationshipGrade | AccountAnalysis],
    *,
    settings: AnalysisSettings = DEFAULT_SETTINGS,
    reps: Iterable[Rep | str] | None = None,
) -> list[RepGrade]:
    """Grade every rep from per-account results; a rep owning nothing is NOVICE.

    §3.10 lists every rep, so the reps to grade can be given: a portfolio graph built
    from account subgraphs holds only the reps tied to those accounts.

    Parameters
    ----------
    portfolio : networkx.MultiDiGraph
        Companies (with ``tier``), reps (with ``industry_expert``) and ``COVERS`` edges,
        as described in :mod:`stakegraph.influence.coverage_model`.
    grades : mapping
        ``{company id: grade}`` — a :class:`RelationshipGradeLevel`, a
        :class:`RelationshipGrade` or an :class:`AccountAnalysis`. An owned account
        missing here counts as ``NONE``.
    settings : AnalysisSettings
    reps : iterable of Rep or str, optional
        The reps to list (models or ids); by default every rep of ``portfolio``. A rep
        not in ``portfolio`` owns nothing there: NOVICE, with the model's
        ``industry_expert`` (false for a bare id).

    Returns
    -------
    list of RepGrade
        One per rep, sorted by rep id.

    References
    ----------
    §3.8, §3.10
    """
    listed: dict[str, bool] = {}
    if reps is None:
        for _, attrs in portfolio.nodes(data=True):
            if attrs.get("label") == Label.REP:
                listed[attrs["id"]] = bool(attrs.get("industry_expert"))
    else:
        for rep in reps:
            rid = rep if isinstance(rep, str) else rep.id
            key = node_key(Label.REP, rid)
            if key in portfolio:
                listed[rid] = bool(portfolio.nodes[key].get("industry_expert"))
            else:
                listed[rid] = False if isinstance(rep, str) else bool(rep.industry_expert)
    out = []
    for rid in sorted(listed):
        accounts = {}
        for cid in owned_accounts(portfolio, rid):
            tier = portfolio.nodes[node_key(Label.COMPANY, cid)].get("tier")
            level = _level_of(grades[cid]) if cid in grades else RelationshipGradeLevel.NONE
            accounts[cid] = (tier, level)
        out.append(rep_grade(accounts, industry_expert=listed[rid], rep_id=rid, settings=settings))
    return out
