"""Widget write tokens (issue 13): a token minted for one rep, one account and ``write``,
sent in ``X-Stakegraph-Token``, edits that account through the same mutations and rules
as the rep — recorded with the rep as ``by`` — and nothing else; a read-only, expired,
other-account or other-rep token writes nothing and gets a clear error."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from stakegraph.service.embed import mint_embed_token
from tests.gql.conftest import Api, make_settings

SECRET = make_settings().embed_secret.get_secret_value()  # type: ignore[union-attr]

MINT = """mutation($a: ID!, $w: Boolean!, $r: ID) {
  embedToken(accountId: $a, write: $w, repId: $r) { token url }
}"""
SET_STANCE = "mutation($c: ID!, $s: Stance!) { setStance(contactId: $c, stance: $s) { id stance } }"
CHANGES = 'query { account(id: "acme") { changes { field new by contactId } } }'


def _mint(api: Api, account: str = "acme", *, write: bool = True, rep: str | None = "r-amy") -> str:
    data = api.data(MINT, {"a": account, "w": write, "r": rep})
    return str(data["embedToken"]["token"])


def _with_token(api: Api, token: str, query: str, variables: dict[str, Any]) -> Any:
    return api.client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"X-Stakegraph-Token": token},
    )


def _stance(api: Api, contact: str) -> str:
    g = api.store.account_subgraph("acme" if contact.startswith("a-") else "globex")
    return str(g.nodes[f"Contact:{contact}"]["stance"])


def test_a_write_token_edits_its_account_as_its_rep(api: Api) -> None:
    token = _mint(api)  # minted by the CRM backend's ADMIN key, for rep r-amy
    answer = _with_token(api, token, SET_STANCE, {"c": "a-ceo", "s": "CHAMPION"})
    assert answer.status_code == 200 and not answer.json().get("errors"), answer.text
    assert _stance(api, "a-ceo") == "CHAMPION"
    events = api.data(CHANGES)["account"]["changes"]
    mine = [e for e in events if e["contactId"] == "a-ceo" and e["new"] == "CHAMPION"]
    assert [e["by"] for e in mine] == ["rep"]  # r-amy's own key (named "rep"), not "admin"

    level = _with_token(
        api,
        token,
        'mutation { setRelationshipLevel(repId: "r-amy", contactId: "a-ceo", level: 3) { id } }',
        {},
    )
    assert not level.json().get("errors"), level.text
    rels = api.store.account_subgraph("acme").get_edge_data("Rep:r-amy", "Contact:a-ceo")
    assert any(r.get("level") == 3 for r in rels.values())


def test_a_read_only_token_writes_nothing(api: Api) -> None:
    token = _mint(api, write=False, rep=None)
    answer = _with_token(api, token, SET_STANCE, {"c": "a-ceo", "s": "BLOCKER"})
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert "read-only" in error["message"]
    assert _stance(api, "a-ceo") == "SUPPORTER"


def test_an_expired_token_writes_nothing(api: Api) -> None:
    old = datetime.now(UTC) - timedelta(hours=2)
    token = mint_embed_token(
        SECRET, "acme", "org", 60, subject="admin", now=old, write=True, rep_id="r-amy"
    )
    answer = _with_token(api, token, SET_STANCE, {"c": "a-ceo", "s": "BLOCKER"})
    assert answer.status_code == 401
    assert "widget token refused: token expired" in answer.text
    assert _stance(api, "a-ceo") == "SUPPORTER"


def test_another_accounts_token_writes_nothing(api: Api) -> None:
    token = _mint(api, "globex", rep="r-bob")  # for globex: acme is out of its scope
    answer = _with_token(api, token, SET_STANCE, {"c": "a-ceo", "s": "BLOCKER"})
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] == "NOT_FOUND" and "a-ceo" in error["message"]
    assert _stance(api, "a-ceo") == "SUPPORTER"


def test_a_token_acts_for_its_rep_only(api: Api) -> None:
    token = _mint(api)  # r-amy
    answer = _with_token(
        api,
        token,
        'mutation { setRelationshipLevel(repId: "r-bob", contactId: "a-ceo", level: 4) { id } }',
        {},
    )
    error = answer.json()["errors"][0]
    assert error["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND"), error
    rels = api.store.account_subgraph("acme").get_edge_data("Rep:r-bob", "Contact:a-ceo") or {}
    assert not any(r.get("level") == 4 for r in rels.values())


def test_a_foreign_contact_is_refused(api: Api) -> None:
    token = _mint(api)
    stance = _with_token(api, token, SET_STANCE, {"c": "g-ceo", "s": "BLOCKER"})
    assert stance.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    line = _with_token(
        api,
        token,
        'mutation { link(type: INFLUENCES, fromId: "a-ceo", toId: "g-ceo", strength: 2) '
        "{ relationshipsCreated } }",
        {},
    )
    assert line.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert _stance(api, "g-ceo") != "BLOCKER"
    assert not api.store.account_subgraph("acme").has_edge("Contact:a-ceo", "Contact:g-ceo")


def test_minting_a_write_token_needs_the_right_to_act_for_the_rep(api: Api) -> None:
    bob = api.error(MINT, {"a": "globex", "w": True, "r": "r-amy"}, role="REP_BOB")
    assert bob["extensions"]["code"] in ("FORBIDDEN", "NOT_FOUND")
    analyst = api.error(MINT, {"a": "acme", "w": True, "r": "r-amy"}, role="ANALYST")
    assert analyst["extensions"]["code"] == "FORBIDDEN"
    own = api.data(MINT, {"a": "acme", "w": True, "r": None}, role="REP")  # own rep
    assert own["embedToken"]["token"]


def test_a_token_and_an_api_key_together_are_refused(api: Api) -> None:
    token = _mint(api)
    answer = api.client.post(
        "/graphql",
        json={"query": SET_STANCE, "variables": {"c": "a-ceo", "s": "BLOCKER"}},
        headers={"X-Stakegraph-Token": token, "X-API-Key": "admin-key"},
    )
    assert answer.status_code == 401
    assert _stance(api, "a-ceo") == "SUPPORTER"
