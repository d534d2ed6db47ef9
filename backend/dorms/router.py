from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.responses import JSONResponse

from backend.core.deps import CacheDep, ClockDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey, run_once
from backend.core.ratelimit import Limit, RateLimited
from backend.core.types import IdPath
from backend.dorms import caching, guidance, service
from backend.dorms.dependencies import DormEditorDep, ReaderBuilding
from backend.dorms.exceptions import (
    BuildingNotFound,
    DormStaffOnly,
    GeneralGuidanceAdminsOnly,
    GuidanceNotFound,
    GuidanceSlugTaken,
    GuidanceVersionExists,
    NoTermScheduled,
    NotHoused,
    NotYourBuilding,
    TermNotFound,
)
from backend.dorms.models import GuidanceArticle
from backend.dorms.schemas import (
    BuildingPublic,
    BuildingsPublic,
    BuildingUpdate,
    ChecklistsPublic,
    DormPublic,
    GuidanceArticlePublic,
    GuidanceArticleStaff,
    GuidanceCreate,
    GuidanceHits,
    GuidanceUpdate,
    SearchExplanation,
)
from backend.identity.dependencies import CurrentStudent, CurrentUser, RateLimit, StaffUser
from backend.identity.exceptions import InvalidToken, StaffOnly, StudentsOnly

router = APIRouter(tags=["dorms"])

SEARCH_LIMIT = RateLimit(
    "guidance-search",
    per_user=Limit(requests=60, per_seconds=60),
    per_ip=Limit(requests=600, per_seconds=60),
)
SearchText = Annotated[
    str,
    Query(
        min_length=1,
        max_length=200,
        description="The question, in English, Chinese or both ('宿舍几点关门', 'lost my key').",
    ),
]
AUTH = (NotAuthenticated, InvalidToken)
EDIT = (*AUTH, DormStaffOnly, NotYourBuilding)


@router.get("/dorms/me", responses=error_responses(*AUTH, StudentsOnly, NotHoused))
async def read_my_dorm(
    student: CurrentStudent,
    session: SessionDep,
    cache: CacheDep,
    clock: ClockDep,
) -> DormPublic:
    """My building (house rules, laundry, top-up, manager contact) and my room today."""
    return await service.my_dorm(
        session=session, cache=cache, student_id=student.id, today=clock.today()
    )


@router.get(
    "/dorms/me/checklists",
    responses=error_responses(*AUTH, StudentsOnly, NotHoused, TermNotFound, NoTermScheduled),
)
async def read_my_checklists(
    student: CurrentStudent,
    session: SessionDep,
    clock: ClockDep,
    term: Annotated[
        str | None,
        Query(
            max_length=16,
            description="Term code (2026-autumn); default: the current term, or the next "
            "one between terms.",
        ),
    ] = None,
) -> ChecklistsPublic:
    """Move-in and move-out checklists with the dates that apply to my building and term."""
    return await service.checklists(
        session=session,
        student_id=student.id,
        today=clock.today(),
        term_code=term,
    )


@router.get("/dorms/buildings", responses=error_responses(*AUTH))
async def list_buildings(_: CurrentUser, session: SessionDep) -> BuildingsPublic:
    """Every dorm building with its house rules and manager contact."""
    return await service.list_buildings(session=session)


@router.get("/dorms/buildings/{code}", responses=error_responses(*AUTH, BuildingNotFound))
async def read_building(code: str, _: CurrentUser, session: SessionDep) -> BuildingPublic:
    """One dorm building by code (B7)."""
    return service.building_public(await service.get_building(session=session, code=code))


@router.patch("/dorms/buildings/{code}", responses=error_responses(*EDIT, BuildingNotFound))
async def update_building(
    code: str,
    changes: BuildingUpdate,
    editor: DormEditorDep,
    session: SessionDep,
    cache: CacheDep,
) -> BuildingPublic:
    """Change a building's rules or contact: its dorm manager, or the logistics office."""
    building = await service.get_building(session=session, code=code)
    editor.check_building(building.id)
    await service.update_building(session=session, building=building, changes=changes)
    await session.commit()
    await caching.BUILDINGS.bump(cache)
    return service.building_public(building)


@router.get(
    "/guidance",
    dependencies=[Depends(SEARCH_LIMIT)],
    responses=error_responses(*AUTH, RateLimited),
)
async def search_guidance(
    q: SearchText,
    _: CurrentUser,
    building_id: ReaderBuilding,
    session: SessionDep,
    cache: CacheDep,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> GuidanceHits:
    """Ranked full-text search of dorm guidance, in English and Chinese.

    Your building's version of a rule ranks above the general one (a query naming a
    building, "B12" or "12号楼", ranks from that building). Nothing relevant → an empty
    list: the answer is never a guess.
    """
    return await guidance.search_articles(
        session=session, cache=cache, query=q, building_id=building_id, limit=limit
    )


@router.get("/guidance/explain", responses=error_responses(*AUTH, StaffOnly, BuildingNotFound))
async def explain_search(
    q: SearchText,
    _: StaffUser,
    building_id: ReaderBuilding,
    session: SessionDep,
    cache: CacheDep,
    building: Annotated[
        str | None, Query(description="Rank as a resident of this building (code).")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SearchExplanation:
    """Staff: why search ranks what it ranks — query terms, BM25, coverage, boosts, and
    the candidates below the relevance threshold."""
    if building is not None:
        building_id = (await service.get_building(session=session, code=building)).id
    return await guidance.explain(
        session=session, cache=cache, query=q, building_id=building_id, limit=limit
    )


@router.get("/guidance/{article_id}", responses=error_responses(*AUTH, GuidanceNotFound))
async def read_guidance(
    article_id: IdPath, _: CurrentUser, session: SessionDep, cache: CacheDep
) -> GuidanceArticlePublic:
    """One guidance article, in full, in both languages."""
    return await guidance.read_article(session=session, cache=cache, article_id=article_id)


async def _editable(
    session: SessionDep, editor: DormEditorDep, article_id: IdPath
) -> GuidanceArticle:
    article = await guidance.get_article(session=session, article_id=article_id)
    if article.building_id is None and not editor.is_admin:
        raise GeneralGuidanceAdminsOnly()
    editor.check_building(article.building_id)
    return article


EditableArticle = Annotated[GuidanceArticle, Depends(_editable)]


@router.post(
    "/guidance",
    status_code=status.HTTP_201_CREATED,
    response_model=GuidanceArticleStaff,
    responses=error_responses(
        *EDIT,
        GeneralGuidanceAdminsOnly,
        BuildingNotFound,
        GuidanceSlugTaken,
        GuidanceVersionExists,
        InvalidIdempotencyKey,
        IdempotencyKeyReused,
    ),
)
async def create_guidance(
    body: GuidanceCreate,
    request: Request,
    editor: DormEditorDep,
    session: SessionDep,
    cache: CacheDep,
) -> JSONResponse:
    """Write an article: a general rule (logistics office) or a building's version of
    one (its dorm manager). Accepts ``Idempotency-Key``."""
    building_id = None
    if body.building_code is not None:
        building_id = (await service.get_building(session=session, code=body.building_code)).id
    elif not editor.is_admin:
        raise GeneralGuidanceAdminsOnly()
    editor.check_building(building_id)

    async def create() -> GuidanceArticleStaff:
        article = await guidance.create_article(
            session=session, body=body, building_id=building_id, author_id=editor.user.id
        )
        return guidance.staff_view(article, body.building_code)

    response = await run_once(
        request=request,
        session=session,
        user_id=editor.user.id,
        payload=body.model_dump(mode="json"),
        create=create,
    )
    await caching.GUIDANCE.bump(cache)
    return response


@router.patch(
    "/guidance/{article_id}",
    responses=error_responses(*EDIT, GeneralGuidanceAdminsOnly, GuidanceNotFound),
)
async def update_guidance(
    changes: GuidanceUpdate,
    article: EditableArticle,
    editor: DormEditorDep,
    session: SessionDep,
    cache: CacheDep,
    clock: ClockDep,
) -> GuidanceArticleStaff:
    """Change an article (re-indexed at once; cached answers are dropped)."""
    await guidance.update_article(
        session=session,
        article=article,
        changes=changes,
        author_id=editor.user.id,
        now=clock.now(),
    )
    await session.commit()
    await caching.GUIDANCE.bump(cache)
    code = (await guidance.building_codes(session)).get(article.building_id or 0)
    return guidance.staff_view(article, code)


@router.delete(
    "/guidance/{article_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(*EDIT, GeneralGuidanceAdminsOnly, GuidanceNotFound),
)
async def delete_guidance(article: EditableArticle, session: SessionDep, cache: CacheDep) -> None:
    """Remove an article and its index entries."""
    await guidance.delete_article(session=session, article=article)
    await session.commit()
    await caching.GUIDANCE.bump(cache)
