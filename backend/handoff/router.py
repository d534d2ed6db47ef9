from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse

from backend.core.deps import ClockDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey, run_once
from backend.core.ratelimit import RateLimited
from backend.core.types import IdPath, Page
from backend.handoff import service
from backend.handoff.dependencies import (
    CREATE_LIMIT,
    WRITE_LIMIT,
    HandoffSettingsDep,
    HandoffStaff,
)
from backend.handoff.exceptions import HandoffClosed, HandoffNotFound, HandoffStaffOnly
from backend.handoff.models import HandoffStatus
from backend.handoff.schemas import HandoffCreate, HandoffPublic, HandoffReply, HandoffsPublic
from backend.identity.dependencies import CurrentStudent, CurrentUser, PrincipalDep
from backend.identity.exceptions import BotCredentialRequired, InvalidToken, StudentsOnly

router = APIRouter(prefix="/handoffs", tags=["handoff"])

AUTH_ERRORS = (NotAuthenticated, InvalidToken, BotCredentialRequired)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=HandoffPublic,
    dependencies=[Depends(CREATE_LIMIT)],
    responses={
        status.HTTP_200_OK: {
            "model": HandoffPublic,
            "description": "The student already has an open request: that one, unchanged.",
        },
        **error_responses(
            *AUTH_ERRORS, StudentsOnly, InvalidIdempotencyKey, IdempotencyKeyReused, RateLimited
        ),
    },
)
async def request_handoff(
    body: HandoffCreate,
    request: Request,
    session: SessionDep,
    settings: HandoffSettingsDep,
    student: CurrentStudent,
    principal: PrincipalDep,
    clock: ClockDep,
) -> JSONResponse:
    """Ask for a person (students, or the bot acting for one). 201 with the new request;
    if the student already has an open one (not yet answered), 200 with that one unchanged
    (this message is not added). `reply_by` is when staff will have answered; `contact`
    is the service desk for anything urgent. Supports `Idempotency-Key`."""
    existing = await service.find_open(session=session, student_id=student.id)

    async def create() -> HandoffPublic:
        handoff = existing or await service.create(
            session=session,
            settings=settings,
            student=student,
            via_bot=principal.via_bot,
            body=body,
            now=clock.now(),
        )
        return service.handoff_public(handoff, settings=settings)

    try:
        return await run_once(
            request=request,
            session=session,
            user_id=student.id,
            payload=body.model_dump(mode="json"),
            create=create,
            status_code=status.HTTP_200_OK if existing else status.HTTP_201_CREATED,
        )
    except service.AlreadyOpen as already:  # opened concurrently; nothing was added
        public = service.handoff_public(already.handoff, settings=settings)
        return JSONResponse(public.model_dump(mode="json"), status_code=status.HTTP_200_OK)


@router.get("", responses=error_responses(*AUTH_ERRORS, HandoffStaffOnly))
async def list_handoffs(
    session: SessionDep,
    settings: HandoffSettingsDep,
    user: CurrentUser,
    clock: ClockDep,
    status: Annotated[
        HandoffStatus | None, Query(description="Only requests in this status, e.g. open.")
    ] = None,
    page: Page = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> HandoffsPublic:
    """Students: their own requests. The logistics office: the whole queue; a dorm
    manager: the requests of students living in their building (with `student`). Newest
    first, paginated (`total` counts every page). Other staff: 403 `HandoffStaffOnly`."""
    return await service.list_handoffs(
        session=session,
        settings=settings,
        viewer=user,
        status=status,
        page=page,
        size=size,
        today=clock.today(),
    )


@router.post(
    "/{handoff_id}/reply",
    dependencies=[Depends(WRITE_LIMIT)],
    responses=error_responses(
        *AUTH_ERRORS, HandoffStaffOnly, HandoffNotFound, HandoffClosed, RateLimited
    ),
)
async def reply_to_handoff(
    handoff_id: IdPath,
    body: HandoffReply,
    session: SessionDep,
    settings: HandoffSettingsDep,
    staff: HandoffStaff,
    clock: ClockDep,
) -> HandoffPublic:
    """Answer a request (the logistics office; a dorm manager for students of their
    building, else 404): status `answered`.
    Replying again replaces the answer; a closed request is 409 `HandoffClosed`."""
    public = await service.reply(
        session=session,
        settings=settings,
        staff=staff,
        handoff_id=handoff_id,
        text=body.reply,
        now=clock.now(),
        today=clock.today(),
    )
    await session.commit()
    return public


@router.post(
    "/{handoff_id}/close",
    dependencies=[Depends(WRITE_LIMIT)],
    responses=error_responses(*AUTH_ERRORS, HandoffStaffOnly, HandoffNotFound, RateLimited),
)
async def close_handoff(
    handoff_id: IdPath,
    session: SessionDep,
    settings: HandoffSettingsDep,
    user: CurrentUser,
    clock: ClockDep,
) -> HandoffPublic:
    """Close a request: the student who asked (or the bot for them), the logistics office
    or the dorm manager of the student's building. Anyone else's request is 404; closing
    twice changes nothing."""
    public = await service.close(
        session=session,
        settings=settings,
        user=user,
        handoff_id=handoff_id,
        now=clock.now(),
        today=clock.today(),
    )
    await session.commit()
    return public
