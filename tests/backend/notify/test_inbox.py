"""The inbox: every notice with its words and what it concerns; read marks; only one's own."""

import httpx
import respx
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.config import Settings
from backend.notify.dispatcher import Dispatcher
from tests.backend.helpers import token_headers
from tests.backend.repairs.conftest import Campus, TicketFactory

INBOX = "/api/v1/notifications"


async def test_the_inbox_lists_the_notices_with_the_bots_words(
    client: httpx.AsyncClient,
    session: AsyncSession,
    campus: Campus,
    ticket_in: TicketFactory,
    dispatcher: Dispatcher,
    settings: Settings,
    rasa: respx.MockRouter,
) -> None:
    rasa.post(url__regex=r".*/trigger_intent").respond(
        json={"messages": [{"recipient_id": "1", "text": "Done! Fixed?", "buttons": []}]}
    )
    ticket = await ticket_in("completed")
    headers = token_headers(settings, campus["reporter"])
    before = (await client.get(INBOX, headers=headers)).json()
    assert before["count"] == 3
    assert before["unread"] == 3
    assert [n["kind"] for n in before["data"]] == [
        "repair_completed",
        "repair_started",
        "repair_assigned",
    ]
    assert before["data"][0]["messages"] == []  # not voiced yet
    while await dispatcher.run_once():
        pass
    inbox = (await client.get(INBOX, headers=headers)).json()
    newest = inbox["data"][0]
    assert newest["ticket_id"] == ticket["id"]
    assert newest["category"] == "repairs"
    assert newest["messages"] == [{"text": "Done! Fixed?", "buttons": []}]
    read = await client.post(f"{INBOX}/{newest['id']}/read", headers=headers)
    assert read.status_code == 200
    assert read.json()["read_at"] is not None
    assert (await client.get(INBOX, headers=headers)).json()["unread"] == 2
    unread = (await client.get(f"{INBOX}?unread=true", headers=headers)).json()
    assert newest["id"] not in [n["id"] for n in unread["data"]]
    assert (await client.post(f"{INBOX}/read-all", headers=headers)).json() == {"unread": 0}
    assert (await client.get(INBOX, headers=headers)).json()["unread"] == 0


async def test_nobody_reads_or_marks_anothers_notice(
    client: httpx.AsyncClient, campus: Campus, ticket_in: TicketFactory, settings: Settings
) -> None:
    await ticket_in("assigned")
    mine = (await client.get(INBOX, headers=token_headers(settings, campus["reporter"]))).json()
    other = token_headers(settings, campus["other"])
    assert (await client.get(INBOX, headers=other)).json()["count"] == 0
    response = await client.post(f"{INBOX}/{mine['data'][0]['id']}/read", headers=other)
    assert response.status_code == 404
    assert response.json()["error"] == "NotificationNotFound"
    assert (await client.get(INBOX)).status_code == 401
    huge = await client.post(f"{INBOX}/{2**63}/read", headers=other)
    assert huge.status_code == 422
