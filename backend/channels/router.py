from fastapi import APIRouter, Depends, status
from fastapi.responses import Response

from backend.channels import service, telegram, wecom
from backend.channels.exceptions import LinkNotFound
from backend.channels.models import Platform
from backend.channels.schemas import LinkCodePublic, LinkPublic, LinksPublic
from backend.core.deps import CacheDep, ClockDep, SessionDep, SettingsDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.ratelimit import Limit, RateLimited
from backend.identity import principals
from backend.identity.dependencies import CurrentStudent, RateLimit
from backend.identity.exceptions import BotCredentialRequired, InvalidToken, StudentsOnly

router = APIRouter(prefix="/channels", tags=["channels"])
AUTH_ERRORS = (NotAuthenticated, InvalidToken, BotCredentialRequired, StudentsOnly)
CODE_LIMIT = RateLimit(
    "channels-code",
    per_user=Limit(requests=10, per_seconds=600),
    per_ip=Limit(requests=300, per_seconds=600),
)


@router.post(
    "/link-codes",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(CODE_LIMIT)],
    responses=error_responses(*AUTH_ERRORS, RateLimited),
)
async def create_link_code(
    student: CurrentStudent, session: SessionDep, settings: SettingsDep, clock: ClockDep
) -> LinkCodePublic:
    """A one-time code (6 digits, 10 minutes) to send from WeCom or Telegram, which links
    that account to the signed-in student. A new code replaces the previous one."""
    code, link_code = await service.create_link_code(
        session=session, user_id=student.id, key=settings.secret("jwt_secret"), now=clock.now()
    )
    await session.commit()
    return LinkCodePublic(
        code=code,
        expires_at=link_code.expires_at.astimezone(settings.tz),
        instructions=service.instructions(code),
    )


@router.get("/links", responses=error_responses(*AUTH_ERRORS))
async def list_links(
    student: CurrentStudent, session: SessionDep, settings: SettingsDep
) -> LinksPublic:
    """The platform accounts that speak for the signed-in student."""
    links = await service.links(session=session, user_id=student.id)
    return LinksPublic(
        data=[
            LinkPublic(
                platform=link.platform,
                external_id=link.external_id,
                linked_at=link.linked_at.astimezone(settings.tz),
            )
            for link in links
        ],
        count=len(links),
    )


@router.delete(
    "/links/{platform}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*AUTH_ERRORS, LinkNotFound),
)
async def unlink(
    platform: Platform,
    student: CurrentStudent,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
) -> Response:
    """Unlink the student's account on that platform: it gets only the linking hint again,
    and the bot stops acting for a message it sent just before (its delegation ends)."""
    ended = await service.unlink(session=session, user_id=student.id, platform=platform)
    await session.commit()
    await principals.revoke_sign_in(cache=cache, settings=settings, sid=ended)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


router.include_router(wecom.router)
router.include_router(telegram.router)
