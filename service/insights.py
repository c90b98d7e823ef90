"""Use cases over the analytics beside the grade: brokers (§3.4), data gaps (§3.14),
suggested levels (§3.15) and deal warnings (§3.16) — each on visible accounts only.

Brokers, data gaps and deal warnings come from the account's analysis (computed once
per scope); entry points name their contacts through the account's view, so a contact
of an account the caller may not see stays masked.

Suggested levels are computed per account (:func:`~stakegraph.influence.suggestions.level_suggestions`)
and lose the ones a user dismissed. A dismissal is stored on the rep
(``Rep.dismissed_suggestions``) as an *evidence key*: the contact, the suggested level
and the interactions the suggestion rests on (:func:`evidence_key`). A suggestion does
not return while its evidence is the dismissed one or part of it (the window sliding
past an old interaction does not bring it back); a new interaction does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from stakegraph.graph.model import Label, RelType
from stakegraph.influence.models import Broker, DataGap, DealWarning, LevelSuggestion
from stakegraph.influence.suggestions import level_suggestions
from stakegraph.service.analysis import require_opportunity
from stakegraph.service.errors import NotFound
from stakegraph.service.scope import AccountView, Scope

__all__ = [
    "AccountWarnings",
    "account_suggestions",
    "brokers",
    "current_suggestion",
    "data_gaps",
    "deal_warnings",
    "dismissed_keys",
    "evidence_key",
    "is_dismissed",
    "opportunity_warnings",
    "portfolio_warnings",
    "rep_accounts_met",
    "rep_suggestions",
]


def brokers(scope: Scope, company_id: str, as_of: date | None = None) -> list[Broker]:
    """§3.4 the account's brokers, highest betweenness first."""
    return list(scope.analysis(company_id, as_of).brokers)


def data_gaps(scope: Scope, company_id: str, as_of: date | None = None) -> list[DataGap]:
    """§3.14 what the account's analysis could not know."""
    return list(scope.analysis(company_id, as_of).data_gaps)


def deal_warnings(scope: Scope, company_id: str, as_of: date | None = None) -> list[DealWarning]:
    """§3.16 the warnings of every OPEN opportunity of the account."""
    return list(scope.analysis(company_id, as_of).deal_warnings)


def opportunity_warnings(
    scope: Scope, company_id: str, opportunity_id: str, as_of: date | None = None
) -> list[DealWarning]:
    """§3.16 the warnings of one opportunity of the account (none when it is not OPEN)."""
    require_opportunity(scope, company_id, opportunity_id)
    return [
        w for w in deal_warnings(scope, company_id, as_of) if w.opportunity_id == opportunity_id
    ]


@dataclass(frozen=True)
class AccountWarnings:
    company_id: str
    view: AccountView
    warnings: list[DealWarning]


def portfolio_warnings(
    scope: Scope, company_ids: Sequence[str], as_of: date | None = None
) -> list[AccountWarnings]:
    """§3.16 the deal warnings of many visible accounts (accounts without any omitted)."""
    out = []
    for cid, view, analysis in scope.stream_analyses(company_ids, as_of, keep_views=True):
        if analysis.deal_warnings and view is not None:
            out.append(AccountWarnings(cid, view, list(analysis.deal_warnings)))
    return out


# ------------------------------------------------------------------ suggestions §3.15


def evidence_key(s: LevelSuggestion) -> str:
    """The key a dismissal of ``s`` is stored under: contact, level and interactions."""
    return json.dumps([s.contact_id, s.suggested_level, sorted(s.interaction_ids)])


def is_dismissed(s: LevelSuggestion, keys: Iterable[str]) -> bool:
    """Whether a dismissal covers ``s``: same contact and level, and no interaction
    the dismissed evidence did not hold."""
    ids = set(s.interaction_ids)
    for key in keys:
        try:
            contact, level, dismissed = json.loads(key)
        except (ValueError, TypeError):
            continue
        if contact == s.contact_id and level == s.suggested_level and ids <= set(dismissed):
            return True
    return False


def dismissed_keys(scope: Scope, rep_ids: Sequence[str]) -> dict[str, list[str]]:
    """Rep id → the evidence keys dismissed for that rep."""
    nodes = scope.nodes(Label.REP, sorted(set(rep_ids)))
    return {i: list(getattr(n, "dismissed_suggestions", [])) for i, n in nodes.items()}


def _open_suggestions(
    scope: Scope, company_id: str, as_of: date | None, rep_id: str | None = None
) -> list[LevelSuggestion]:
    found = level_suggestions(
        scope.raw_subgraph(company_id),
        as_of=scope.as_of(as_of),
        settings=scope.analysis_settings,
        company_id=company_id,
    )
    if rep_id is not None:
        found = [s for s in found if s.rep_id == rep_id]
    keys = dismissed_keys(scope, [s.rep_id for s in found])
    return [s for s in found if not is_dismissed(s, keys.get(s.rep_id, []))]


def account_suggestions(
    scope: Scope, company_id: str, as_of: date | None = None
) -> list[LevelSuggestion]:
    """§3.15 the suggested levels of a visible account not dismissed, by rep then contact.

    Raises
    ------
    NotFound
        When the account does not exist or is not visible.
    """
    return _open_suggestions(scope, company_id, as_of)


def rep_accounts_met(scope: Scope, rep_id: str) -> list[str]:
    """Visible accounts whose contacts attended an interaction with the rep, sorted."""
    mine = scope.relationships(RelType.ATTENDED, from_ids=[rep_id])
    ids = sorted({r.to_id for r in mine if r.from_label == Label.REP})
    if not ids:
        return []
    attended = scope.relationships(RelType.ATTENDED, to_ids=ids)
    contacts = sorted({r.from_id for r in attended if r.from_label == Label.CONTACT})
    owners = scope.owners(Label.CONTACT, contacts)
    return sorted({c for c in owners.values() if scope.sees(c)})


def rep_suggestions(
    scope: Scope, rep_id: str, as_of: date | None = None
) -> list[tuple[str, LevelSuggestion]]:
    """§3.15 ``(account id, suggestion)`` of one rep across the accounts the caller may
    see, by account then contact.

    Raises
    ------
    NotFound
        When the rep does not exist or the caller may not see it in full.
    """
    scope.record(Label.REP, rep_id, field="rep")
    return [
        (cid, s)
        for cid in rep_accounts_met(scope, rep_id)
        for s in _open_suggestions(scope, cid, as_of, rep_id)
    ]


def current_suggestion(
    scope: Scope, rep_id: str, contact_id: str, as_of: date | None = None
) -> tuple[str, LevelSuggestion]:
    """``(account id, suggestion)`` open now for the rep and a visible contact.

    Raises
    ------
    NotFound
        When the contact is not visible, or no open suggestion concerns the pair.
    """
    _, company_id = scope.record(Label.CONTACT, contact_id, field="contactId")
    if company_id is None:
        raise NotFound.of(Label.CONTACT, contact_id, field="contactId")
    for s in _open_suggestions(scope, company_id, as_of, rep_id):
        if s.contact_id == contact_id:
            return company_id, s
    raise NotFound(
        f"no open level suggestion for rep {rep_id!r} and contact {contact_id!r}",
        field="contactId",
    )
