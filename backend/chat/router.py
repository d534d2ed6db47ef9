from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Request, Response, WebSocket, status

from backend.chat import service, socket
from backend.chat.dependencies import ChatStateDep
from backend.chat.exceptions import BotUnavailable
from backend.chat.models import Channel
from backend.chat.pipeline import converse
from backend.chat.schemas import ChatRequest, ChatResponse, TranscriptPage
from backend.core.deps import CacheDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.ratelimit import Limit, RateLimited, client_ip, hit
from backend.core.types import IdQuery
from backend.identity.dependencies import CurrentStudent, PrincipalDep
from backend.identity.exceptions import StudentsOnly

router = APIRouter(tags=["chat"])


async def chat_address_limit(request: Request, cache: CacheDep, settings: SettingsDep) -> None:
    """Per client address (a campus NAT puts many students behind one); the per-student
    limit is the pipeline's, the same for every channel."""
    limit = Limit(requests=settings.chat_per_address_per_minute, per_seconds=60)
    await hit(cache, f"chat:ip:{client_ip(request)}", limit)


@router.post(
    "/chat",
    dependencies=[Depends(chat_address_limit)],
    responses=error_responses(NotAuthenticated, StudentsOnly, RateLimited, BotUnavailable),
)
async def chat(
    body: ChatRequest,
    student: CurrentStudent,
    principal: PrincipalDep,
    session: SessionDep,
    state: ChatStateDep,
    channel: Annotated[
        Channel,
        Header(alias="X-Houqin-Channel", description="app from the campus app; api otherwise"),
    ] = Channel.api,
) -> ChatResponse:
    """Send one message to the assistant and get its replies (text and buttons).

    The sender is always the signed-in student; the bot receives a delegation token that
    lets it act for this student only, for a few minutes. Both sides are kept in the
    student's transcript and shown live on their open chat sockets.
    """
    # Hand the database connection back before the slow round trip: the bot calls the API
    # back for this student while we wait, and must not queue behind our transaction.
    await session.close()
    if channel not in (Channel.app, Channel.api):
        channel = Channel.api  # platform channels enter through their own webhooks
    turn = await converse(
        state=state,
        student=student,
        sign_in=principal.sign_in,
        text=body.message,
        channel=channel,
    )
    return ChatResponse(language=turn.language, messages=turn.replies)


@router.get("/chat/history", responses=error_responses(NotAuthenticated, StudentsOnly))
async def chat_history(
    student: CurrentStudent,
    session: SessionDep,
    before: IdQuery | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> TranscriptPage:
    """The student's own transcript, newest page first (``before`` pages back), each page
    oldest → newest. Every channel's messages, and the bot's proactive notices."""
    return await service.history(session=session, user_id=student.id, before=before, limit=limit)


@router.delete(
    "/chat/history",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotAuthenticated, StudentsOnly),
)
async def delete_chat_history(student: CurrentStudent, session: SessionDep) -> Response:
    """Delete every message of the student's transcript (the bot keeps no copy of it here;
    an open form in the bot's own conversation state is not affected)."""
    await service.delete_history(session=session, user_id=student.id)
    await session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.websocket("/chat/ws")
async def chat_socket(websocket: WebSocket, state: ChatStateDep) -> None:
    await socket.serve(websocket, state)
