"""Reward periods end to end: preview → finalize (immutable) → correction → CSV, appeals."""

import csv
import io
from typing import Any

import httpx
import pytest
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.identity.models import Role
from backend.rewards.calculation import CalculationInputs, calculate
from backend.rewards.models import ImmutableRecordError, RewardStatement, RewardVersion
from tests.backend.conftest import TeamFactory, UserFactory
from tests.backend.helpers import login
from tests.backend.surveys.factories import add_answers, make_template

PERIOD = "2026-10"


@pytest.fixture
async def rated(
    session: AsyncSession, make_user: UserFactory, make_team: TeamFactory
) -> dict[str, Any]:
    template = await make_template(session)
    student = await make_user()
    good, fair, poor = await make_team(), await make_team(), await make_team()
    await add_answers(session, student, good, PERIOD, [5] * 8 + [4] * 2, template=template)
    await add_answers(session, student, fair, PERIOD, [4] * 9 + [3], template=template)
    await add_answers(session, student, poor, PERIOD, [2] * 10, template=template)
    flagged = await add_answers(
        session, student, fair, PERIOD, [5] * 5, template=template, counted=False
    )
    admin = await make_user(role=Role.logistics_admin)
    return {"teams": (good, fair, poor), "admin": admin, "flagged": flagged}


async def create_period(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.post(
        "/api/v1/admin/rewards/periods",
        json={
            "period": PERIOD,
            "name_en": "October rewards",
            "name_zh": "十月奖励",
            "pool_fen": 1_000_001,
            "rules": {"baseline": "3.5", "min_responses": 5, "prior_weight": "5"},
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_preview_finalize_is_idempotent_and_immutable(
    session: AsyncSession, client: httpx.AsyncClient, rated: dict[str, Any]
) -> None:
    good, fair, poor = rated["teams"]
    headers = await login(client, rated["admin"])
    period_id = await create_period(client, headers)
    base = f"/api/v1/admin/rewards/periods/{period_id}"
    preview = (await client.get(f"{base}/preview", headers=headers)).json()
    amounts = {s["team"]["slug"]: s["amount_fen"] for s in preview["statements"]}
    assert sum(amounts.values()) == preview["distributed_fen"] == 1_000_001
    assert amounts[poor.slug] == 0
    assert amounts[good.slug] > amounts[fair.slug] > 0
    first = await client.post(f"{base}/finalize", headers=headers)
    assert first.status_code == 201, first.text
    assert first.json()["version"] == 1
    assert first.json()["inputs_sha256"] == preview["inputs_sha256"]
    assert first.json()["finalized_by"] == rated["admin"].id
    again = await client.post(f"{base}/finalize", headers=headers)
    assert again.status_code == 200
    assert again.json() == first.json()
    versions = (await session.exec(select(RewardVersion))).all()
    assert len(versions) == 1
    # the stored inputs reproduce the stored statements exactly
    stored_inputs = CalculationInputs.from_json(versions[0].inputs)
    assert stored_inputs.sha256() == versions[0].inputs_sha256
    recomputed = {s.team.team_id: s.amount_fen for s in calculate(stored_inputs).statements}
    statements = (await session.exec(select(RewardStatement))).all()
    assert {s.team_id: s.amount_fen for s in statements} == recomputed
    # a finalized statement can never change, nor be deleted
    statement = statements[0]
    statement.amount_fen += 1
    session.add(statement)
    with pytest.raises(ImmutableRecordError):
        await session.flush()
    await session.rollback()
    await session.delete(versions[0])
    with pytest.raises(ImmutableRecordError):
        await session.flush()
    await session.rollback()


async def test_a_correction_is_a_new_version_and_never_edits_the_old(
    session: AsyncSession,
    client: httpx.AsyncClient,
    rated: dict[str, Any],
    make_user: UserFactory,
) -> None:
    good, fair, _ = rated["teams"]
    headers = await login(client, rated["admin"])
    period_id = await create_period(client, headers)
    base = f"/api/v1/admin/rewards/periods/{period_id}"
    early = await client.post(f"{base}/corrections", json={"reason": "too early"}, headers=headers)
    assert early.status_code == 409
    assert early.json()["error"] == "NotFinalized"
    v1 = (await client.post(f"{base}/finalize", headers=headers)).json()
    nothing = await client.post(
        f"{base}/corrections", json={"reason": "no change"}, headers=headers
    )
    assert nothing.status_code == 409
    assert nothing.json()["error"] == "NothingToCorrect"
    # the fair team appeals: its five flagged answers were genuine
    staff = await make_user(role=Role.technician, team_id=fair.id)
    staff_headers = await login(client, staff)
    fair_statement = next(s for s in v1["statements"] if s["team"]["slug"] == fair.slug)
    appeal = await client.post(
        f"/api/v1/rewards/statements/{fair_statement['id']}/appeals",
        json={"reason": "Five answers from our open day were wrongly flagged."},
        headers=staff_headers,
    )
    assert appeal.status_code == 201, appeal.text
    for response in rated["flagged"]:
        cleared = await client.post(
            f"/api/v1/admin/surveys/responses/{response.id}/clear-flag",
            json={"note": "open day, verified"},
            headers=headers,
        )
        assert cleared.status_code == 200
    v2 = await client.post(
        f"{base}/corrections",
        json={"reason": "Cleared 5 flags (appeal)", "appeal_id": appeal.json()["id"]},
        headers=headers,
    )
    assert v2.status_code == 201, v2.text
    assert v2.json()["version"] == 2
    assert v2.json()["supersedes_version"] == 1
    assert v2.json()["inputs_sha256"] != v1["inputs_sha256"]
    old = (await client.get(f"{base}/versions/1", headers=headers)).json()
    assert [s["amount_fen"] for s in old["statements"]] == [
        s["amount_fen"] for s in v1["statements"]
    ]
    assert all(s["superseded"] for s in old["statements"])
    fair_v2 = next(s for s in v2.json()["statements"] if s["team"]["slug"] == fair.slug)
    assert fair_v2["amount_fen"] > fair_statement["amount_fen"]
    mine = (await client.get("/api/v1/rewards/statements", headers=staff_headers)).json()
    assert [(s["version"], s["superseded"]) for s in mine["data"]] == [(2, False), (1, True)]
    appeals = (await client.get("/api/v1/admin/rewards/appeals", headers=headers)).json()
    assert appeals["data"][0]["status"] == "upheld"
    assert appeals["data"][0]["correction_version"] == 2
    csv_response = await client.get(f"{base}/export.csv", params={"version": 1}, headers=headers)
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_response.text)))
    assert sum(int(r["amount_fen"]) for r in rows) == v1["distributed_fen"]
    assert {r["version"] for r in rows} == {"1"}
    assert good.slug in {r["team_slug"] for r in rows}


async def test_statements_and_appeals_by_role(
    session: AsyncSession,
    client: httpx.AsyncClient,
    rated: dict[str, Any],
    make_user: UserFactory,
) -> None:
    good, fair, _ = rated["teams"]
    headers = await login(client, rated["admin"])
    period_id = await create_period(client, headers)
    v1 = (
        await client.post(f"/api/v1/admin/rewards/periods/{period_id}/finalize", headers=headers)
    ).json()
    good_statement = next(s for s in v1["statements"] if s["team"]["slug"] == good.slug)
    url = f"/api/v1/rewards/statements/{good_statement['id']}"
    own = await make_user(role=Role.technician, team_id=good.id)
    other = await make_user(role=Role.technician, team_id=fair.id)
    student = await make_user()
    own_view = await client.get(url, headers=await login(client, own))
    assert own_view.status_code == 200
    assert own_view.json()["explanation"]["formula_zh"]
    assert (await client.get(url, headers=await login(client, other))).status_code == 404
    assert (await client.get(url, headers=await login(client, student))).status_code == 403
    body = {"reason": "We think our count of answers is wrong."}
    assert (
        await client.post(f"{url}/appeals", json=body, headers=await login(client, other))
    ).status_code == 404
    first = await client.post(f"{url}/appeals", json=body, headers=await login(client, own))
    assert first.status_code == 201
    second = await client.post(f"{url}/appeals", json=body, headers=await login(client, own))
    assert second.status_code == 409
    resolve = f"/api/v1/admin/rewards/appeals/{first.json()['id']}/resolve"
    denied = await client.post(
        resolve, json={"decision": "rejected", "note": "no"}, headers=await login(client, own)
    )
    assert denied.status_code == 403
    rejected = await client.post(
        resolve, json={"decision": "rejected", "note": "Flags confirmed."}, headers=headers
    )
    assert rejected.json()["status"] == "rejected"
    closed = await client.post(
        resolve, json={"decision": "upheld", "note": "x" * 5}, headers=headers
    )
    assert closed.status_code == 409


async def test_rules_are_validated(client: httpx.AsyncClient, rated: dict[str, Any]) -> None:
    headers = await login(client, rated["admin"])
    base = {"period": PERIOD, "name_en": "x", "name_zh": "x", "pool_fen": 100}
    for rules, status in [
        ({"baseline": "6"}, 422),
        ({"baseline": "3.12345"}, 422),
        ({"baseline": "3.5", "weights": {"no-such-team": "2"}}, 422),
        ({"baseline": "3.5", "cap_fen": 0}, 422),
        ({"baseline": "3.5", "surprise": 1}, 422),
    ]:
        response = await client.post(
            "/api/v1/admin/rewards/periods", json={**base, "rules": rules}, headers=headers
        )
        assert response.status_code == status, rules
    assert (
        await client.post(
            "/api/v1/admin/rewards/periods",
            json={**base, "pool_fen": -1, "rules": {"baseline": "3"}},
            headers=headers,
        )
    ).status_code == 422
