from datetime import timedelta

from fastapi import APIRouter, Depends, Request

from backend.chat.dependencies import RasaDep
from backend.chat.exceptions import BotUnavailable
from backend.chat.language import reply_language
from backend.chat.schemas import BotMessage, ChatRequest, ChatResponse
from backend.core.deps import CacheDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.ratelimit import Limit, RateLimited
from backend.core.security import create_token
from backend.identity.dependencies import CurrentStudent, PrincipalDep, RateLimit
from backend.identity.exceptions import StudentsOnly

router = APIRouter(tags=["chat"])


async def chat_rate_limit(
    request: Request, cache: CacheDep, principal: PrincipalDep, settings: SettingsDep
) -> None:
    limit = RateLimit(
        "chat",
        per_user=Limit(requests=settings.chat_per_student_per_minute, per_seconds=60),
        per_ip=Limit(requests=settings.chat_per_address_per_minute, per_seconds=60),
    )
    await limit(request, cache, principal)


@router.post(
    "/chat",
    dependencies=[Depends(chat_rate_limit)],
    responses=error_responses(NotAuthenticated, StudentsOnly, RateLimited, BotUnavailable),
)
async def chat(
    body: ChatRequest,
    student: CurrentStudent,
    session: SessionDep,
    settings: SettingsDep,
    rasa: RasaDep,
) -> ChatResponse:
    """Send one message to the assistant and get its replies (text and buttons).

    The sender is always the signed-in student; the bot receives a delegation token that
    lets it act for this student only, for a few minutes.
    """
    # Hand the database connection back before the slow round trip: the bot calls the API
    # back for this student while we wait, and must not queue behind our transaction.
    await session.close()
    language = reply_language(body.message, student.locale)
    delegation = create_token(
        secret=settings.secret("jwt_secret"),
        subject=student.id,
        kind="delegation",
        lifetime=timedelta(minutes=settings.delegation_token_minutes),
    )
    replies = await rasa.send(
        sender=str(student.id),
        message=body.message,
        metadata={"language": language.value, "locale": student.locale.value, "token": delegation},
    )
    return ChatResponse(
        language=language,
        messages=[BotMessage.model_validate(reply) for reply in replies],
    )
