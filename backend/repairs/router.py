from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Request, UploadFile, status
from fastapi.responses import JSONResponse, Response, StreamingResponse

from backend.core.deps import CacheDep, ClockDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey, run_once
from backend.core.ratelimit import RateLimited
from backend.core.ready import ready_response
from backend.core.types import IdPath, Page
from backend.identity import principals
from backend.identity.dependencies import CurrentStudent, CurrentUser, PrincipalDep, StaffUser
from backend.identity.exceptions import InvalidToken, StaffOnly, StudentsOnly, TeamNotFound
from backend.repairs import caching, crew, offers, photos, service, transitions
from backend.repairs.dependencies import (
    CREATE_LIMIT,
    PHOTO_LIMIT,
    WRITE_LIMIT,
    FrontDesk,
    PhotoStorageDep,
    RepairsSettingsDep,
)
from backend.repairs.exceptions import (
    FilingForStudentForbidden,
    IllegalTransition,
    InvalidAssignee,
    LocationRequired,
    PhotoNotFound,
    PhotoTooLarge,
    PhotoUploadForbidden,
    PossibleDuplicate,
    RepairNotFound,
    RepairNotOpen,
    ReporterActionOnly,
    StaffActionOnly,
    TooManyPhotos,
    UnknownBuilding,
    UnknownRoom,
    UnknownStudent,
    UnsupportedPhotoType,
)
from backend.repairs.models import RepairCategory, RepairStatus
from backend.repairs.schemas import (
    AssigneeOptions,
    PhotoPublic,
    PossibleDuplicateBody,
    RepairCreate,
    RepairDetail,
    RepairFiledForStudent,
    RepairPublic,
    RepairsPublic,
    RepairTransition,
    TicketTranscript,
)
from backend.repairs.service import ListOrder, RepairFilters
from backend.surveys.dependencies import SurveySettingsDep

router = APIRouter(prefix="/repairs", tags=["repairs"])

AUTH_ERRORS = (NotAuthenticated, InvalidToken)


def _with_duplicates(responses: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    responses[status.HTTP_409_CONFLICT] = {
        "model": PossibleDuplicateBody,
        "description": f"PossibleDuplicate: {PossibleDuplicate.message}",
    }
    return responses


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=RepairDetail,
    dependencies=[Depends(CREATE_LIMIT)],
    responses=_with_duplicates(
        error_responses(
            *AUTH_ERRORS,
            StudentsOnly,
            LocationRequired,
            UnknownBuilding,
            UnknownRoom,
            InvalidIdempotencyKey,
            IdempotencyKeyReused,
            RateLimited,
        )
    ),
)
async def report_repair(
    body: RepairCreate,
    request: Request,
    session: SessionDep,
    repairs_settings: RepairsSettingsDep,
    student: CurrentStudent,
    principal: PrincipalDep,
    cache: CacheDep,
    clock: ClockDep,
) -> JSONResponse:
    """Report a problem. The place defaults to the student's own room; the responsible
    crew follows from the category (and building), the due time from the priority.

    If an open ticket for the same category at the same place exists (one the student
    may follow), the answer is 409 `PossibleDuplicate` with `duplicates`: offer "me too"
    (POST /repairs/{id}/followers), or send again with `report_even_if_duplicate=true`.
    Supports `Idempotency-Key` (a 409 is not stored: a retry is checked again).
    """
    now = clock.now()

    async def create() -> RepairDetail:
        return await service.create_ticket(
            session=session,
            settings=repairs_settings,
            reporter=student,
            via_bot=principal.via_bot,
            body=body,
            now=now,
            tz=clock.tz,
        )

    try:
        return await run_once(
            request=request,
            session=session,
            user_id=student.id,
            payload=body.model_dump(mode="json"),
            create=create,
        )
    except PossibleDuplicate as duplicate:  # raised before anything was added
        others = [d.id for d in duplicate.duplicates if d.reporter == "other"]
        await offers.remember(cache, student_id=student.id, ticket_ids=others)
        return _duplicate_response(duplicate)


def _duplicate_response(duplicate: PossibleDuplicate) -> JSONResponse:
    content = PossibleDuplicateBody(
        error=duplicate.code, detail=duplicate.message, duplicates=duplicate.duplicates
    )
    return JSONResponse(content.model_dump(mode="json"), status_code=duplicate.status_code)


@router.post(
    "/for-student",
    status_code=status.HTTP_201_CREATED,
    response_model=RepairDetail,
    dependencies=[Depends(CREATE_LIMIT)],
    responses=_with_duplicates(
        error_responses(
            *AUTH_ERRORS,
            StaffOnly,
            FilingForStudentForbidden,
            UnknownStudent,
            LocationRequired,
            UnknownBuilding,
            UnknownRoom,
            InvalidIdempotencyKey,
            IdempotencyKeyReused,
            RateLimited,
        )
    ),
)
async def file_for_student(
    body: RepairFiledForStudent,
    request: Request,
    session: SessionDep,
    repairs_settings: RepairsSettingsDep,
    staff: FrontDesk,
    clock: ClockDep,
) -> JSONResponse:
    """File a report for a student who called or came to the desk (the logistics office,
    or the dorm manager of the building where the problem is). The ticket is the
    student's, exactly as if they had reported it (same place rules, same duplicate
    check); its first history entry is the staff member's, with `note`.
    Supports `Idempotency-Key`."""
    now = clock.now()
    report = RepairCreate.model_validate(body.model_dump(exclude={"student", "note"}))

    async def create() -> RepairDetail:
        student = await service.find_student(session=session, username=body.student)
        return await service.create_ticket(
            session=session,
            settings=repairs_settings,
            reporter=student,
            via_bot=False,
            body=report,
            now=now,
            tz=clock.tz,
            filed_by=staff,
            note=body.note,
        )

    try:
        return await run_once(
            request=request,
            session=session,
            user_id=staff.id,
            payload=body.model_dump(mode="json"),
            create=create,
        )
    except PossibleDuplicate as duplicate:  # raised before anything was added
        return _duplicate_response(duplicate)


@router.get("", responses=error_responses(*AUTH_ERRORS, TeamNotFound, UnknownBuilding))
async def list_repairs(
    session: SessionDep,
    user: CurrentUser,
    clock: ClockDep,
    open: Annotated[
        bool | None,
        Query(description="true: not closed or cancelled; false: closed or cancelled."),
    ] = None,
    status: Annotated[
        list[RepairStatus], Query(description="Only these statuses (repeat for several).")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    category: RepairCategory | None = None,
    team: Annotated[str | None, Query(description="Team slug, e.g. maint-plumbing.")] = None,
    building: Annotated[
        str | None, Query(max_length=16, description="Building code, e.g. B7.")
    ] = None,
    overdue: Annotated[
        bool | None, Query(description="true: work still pending past its due time.")
    ] = None,
    order: Annotated[
        ListOrder, Query(description="newest: newest first; due: soonest due first.")
    ] = "newest",
    page: Page = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> RepairsPublic:
    """Tickets you may see, newest first (or soonest due first): a student's own and
    followed tickets, a crew's tickets, a building's tickets for its dorm manager, every
    ticket for the logistics office. Paginated (`total` counts every page)."""
    return await service.list_tickets(
        session=session,
        viewer=user,
        filters=RepairFilters(
            open=open,
            status=tuple(status),
            category=category,
            team=team,
            building=building,
            overdue=overdue,
        ),
        order=order,
        page=page,
        size=size,
        now=clock.now(),
        tz=clock.tz,
    )


@router.get(
    "/{repair_id}",
    response_model=RepairDetail,
    responses=error_responses(*AUTH_ERRORS, RepairNotFound),
)
async def read_repair(
    request: Request,
    repair_id: IdPath,
    session: SessionDep,
    cache: CacheDep,
    user: CurrentUser,
    clock: ClockDep,
) -> Response:
    """One ticket with its history and photos. Someone else's ticket is 404.
    With an `ETag`: send it back in `If-None-Match` and an unchanged ticket is `304`."""
    now = clock.now()

    async def build() -> RepairDetail:
        return await service.get_detail(
            session=session, viewer=user, ticket_id=repair_id, now=now, tz=clock.tz
        )

    # The hottest read: ready bytes per viewer (served by core.ready.ReadyResponses before
    # routing next time), unreachable once a write to this ticket bumps its family.
    return await ready_response(
        request,
        cache,
        family=caching.ticket_family(repair_id),
        build=build,
        ttl_seconds=caching.detail_ttl(now),
        viewer=principals.viewer_key(user),
    )


@router.get(
    "/{repair_id}/assignees",
    responses=error_responses(*AUTH_ERRORS, StaffOnly, RepairNotFound, StaffActionOnly),
)
async def list_assignees(
    repair_id: IdPath, session: SessionDep, user: StaffUser
) -> AssigneeOptions:
    """The technicians you may assign this ticket to (`assign` with `assignee_id`): its
    crew's; for the logistics office every crew's. 403 unless you may assign it."""
    return await crew.assignees(session=session, viewer=user, ticket_id=repair_id)


@router.get(
    "/{repair_id}/transcript",
    responses=error_responses(*AUTH_ERRORS, RepairNotFound),
)
async def read_transcript(
    repair_id: IdPath, session: SessionDep, clock: ClockDep, user: CurrentUser
) -> TicketTranscript:
    """When the ticket was reported through the assistant: what the reporter and the
    assistant said in the 30 minutes before (at most 20 lines, proactive notices left out).
    For those who see the whole ticket; `from_chat` false and no lines otherwise."""
    return await crew.transcript(session=session, viewer=user, ticket_id=repair_id, tz=clock.tz)


@router.post(
    "/{repair_id}/transitions",
    dependencies=[Depends(WRITE_LIMIT)],
    responses=error_responses(
        *AUTH_ERRORS,
        RepairNotFound,
        StaffActionOnly,
        ReporterActionOnly,
        IllegalTransition,
        InvalidAssignee,
        RateLimited,
    ),
)
async def transition_repair(
    repair_id: IdPath,
    body: RepairTransition,
    session: SessionDep,
    repairs_settings: RepairsSettingsDep,
    survey_settings: SurveySettingsDep,
    principal: PrincipalDep,
    cache: CacheDep,
    clock: ClockDep,
) -> RepairDetail:
    """Move the ticket on: staff `assign`, `start`, `hold` (with a reason), `resume`,
    `complete`; the reporter `cancel`, `confirm` (completed → closed), `reopen`
    (completed → reopened). A move that is not legal now is 409 with the reason."""
    detail = await transitions.transition(
        session=session,
        settings=repairs_settings,
        survey_settings=survey_settings,
        actor=principal.user,
        via_bot=principal.via_bot,
        ticket_id=repair_id,
        body=body,
        now=clock.now(),
        tz=clock.tz,
    )
    await session.commit()
    await caching.ticket_changed(cache, repair_id)
    return detail


@router.post(
    "/{repair_id}/followers",
    dependencies=[Depends(WRITE_LIMIT)],
    responses=error_responses(*AUTH_ERRORS, StudentsOnly, RepairNotFound, RateLimited),
)
async def follow_repair(
    repair_id: IdPath,
    session: SessionDep,
    cache: CacheDep,
    student: CurrentStudent,
    clock: ClockDep,
) -> RepairPublic:
    """ "Me too": follow a ticket that `POST /repairs` offered you as a possible duplicate
    (409 `PossibleDuplicate`, within a day) while its work is pending, to get its updates.
    A follower sees its status, crew and due time — not its photos, history or names.
    Any other ticket is 404; following twice (or your own ticket) changes nothing."""
    offered = await offers.was_offered(cache, student_id=student.id, ticket_id=repair_id)
    public = await service.follow(
        session=session,
        student=student,
        ticket_id=repair_id,
        offered=offered,
        now=clock.now(),
        tz=clock.tz,
    )
    await session.commit()
    await caching.ticket_changed(cache, repair_id)
    return public


@router.post(
    "/{repair_id}/photos",
    status_code=status.HTTP_201_CREATED,
    dependencies=[Depends(PHOTO_LIMIT)],
    responses=error_responses(
        *AUTH_ERRORS,
        RepairNotFound,
        PhotoUploadForbidden,
        RepairNotOpen,
        TooManyPhotos,
        PhotoTooLarge,
        UnsupportedPhotoType,
        RateLimited,
    ),
)
async def upload_photo(
    repair_id: IdPath,
    file: Annotated[UploadFile, File(description="JPEG, PNG, WebP or HEIC; at most 5 MiB.")],
    session: SessionDep,
    repairs_settings: RepairsSettingsDep,
    storage: PhotoStorageDep,
    cache: CacheDep,
    user: CurrentUser,
    clock: ClockDep,
) -> PhotoPublic:
    """Add a photo (multipart field `file`). The type is read from the content, not the
    declared type; at most 6 photos per ticket."""
    data = await file.read(repairs_settings.max_photo_bytes + 1)
    photo = await photos.add_photo(
        session=session,
        storage=storage,
        settings=repairs_settings,
        actor=user,
        ticket_id=repair_id,
        data=data,
        now=clock.now(),
    )
    try:
        await session.commit()
    except BaseException:
        await storage.delete(photo.storage_key)
        raise
    await caching.ticket_changed(cache, repair_id)
    return photos.photo_public(photo)


@router.get(
    "/{repair_id}/photos/{photo_id}",
    response_class=StreamingResponse,
    responses={
        **error_responses(*AUTH_ERRORS, RepairNotFound, PhotoNotFound),
        200: {"content": {"image/jpeg": {}, "image/png": {}, "image/webp": {}, "image/heic": {}}},
    },
)
async def read_photo(
    repair_id: IdPath,
    photo_id: IdPath,
    session: SessionDep,
    storage: PhotoStorageDep,
    user: CurrentUser,
) -> StreamingResponse:
    """A photo's bytes, only for those who may see the ticket."""
    photo = await photos.get_photo(
        session=session, viewer=user, ticket_id=repair_id, photo_id=photo_id
    )
    key, content_type, size = photo.storage_key, photo.content_type, photo.size_bytes
    await session.close()  # release the connection before streaming the bytes
    if not await storage.exists(key):
        raise PhotoNotFound()
    return StreamingResponse(
        storage.stream(key),
        media_type=content_type,
        headers={
            "Content-Length": str(size),
            "Cache-Control": "private, max-age=3600",
            "X-Content-Type-Options": "nosniff",
        },
    )
