from datetime import date as date_type
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from fastapi.responses import JSONResponse

from backend.core.deps import CacheDep, ClockDep, SessionDep
from backend.core.errors import NotAuthenticated, error_responses
from backend.core.idempotency import IdempotencyKeyReused, InvalidIdempotencyKey, run_once
from backend.core.ready import json_response, ready_response
from backend.core.types import IdPath, Offset
from backend.identity.dependencies import CurrentStudent, CurrentUser
from backend.identity.exceptions import StudentsOnly
from backend.meals import cache as meals_cache
from backend.meals import plans, service, suggestion
from backend.meals.dependencies import Editor
from backend.meals.exceptions import (
    CanteenNotFound,
    CanteenStaffOnly,
    DishNotFound,
    DishNotServedHere,
    InconsistentDishLabels,
    NoMealPlan,
    NotYourCanteen,
    UnknownCanteen,
    UnknownDishes,
    UnknownMealPlan,
)
from backend.meals.models import DishTag, Meal
from backend.meals.schemas import (
    CanteenPublic,
    CanteensPublic,
    DishCreate,
    DishesPublic,
    DishPublic,
    DishUpdate,
    MealPlansPublic,
    MenuPublic,
    MenuReplace,
    MenusPublic,
    SubscriptionPublic,
    SubscriptionRequest,
    Suggestion,
)

router = APIRouter(tags=["meals"])

DayQuery = Annotated[
    date_type | None, Query(description="Day (YYYY-MM-DD); today on campus if omitted.")
]


# --- canteens --------------------------------------------------------------------------


@router.get("/canteens", responses=error_responses(NotAuthenticated))
async def list_canteens(
    session: SessionDep,
    cache: CacheDep,
    clock: ClockDep,
    _: CurrentUser,
    open_now: Annotated[
        bool | None, Query(description="true: only canteens serving now; false: only closed.")
    ] = None,
) -> CanteensPublic:
    """Every canteen with its opening hours per meal and weekday (campus time), whether it
    is serving now, and when it next opens."""
    return await service.list_canteens(
        session=session, cache=cache, now=clock.local(), tz=clock.tz, open_now=open_now
    )


@router.get("/canteens/{slug}", responses=error_responses(NotAuthenticated, CanteenNotFound))
async def read_canteen(
    slug: str, session: SessionDep, cache: CacheDep, clock: ClockDep, _: CurrentUser
) -> CanteenPublic:
    """One canteen, as in the list."""
    canteen = await service.find_canteen(session=session, cache=cache, slug=slug)
    return service.canteen_public(canteen, now=clock.local(), tz=clock.tz)


# --- menus -----------------------------------------------------------------------------


@router.get(
    "/menus",
    response_model=MenusPublic,
    responses={
        304: {"description": "Unchanged since the ETag given in If-None-Match."},
        **error_responses(NotAuthenticated, CanteenNotFound),
    },
)
async def list_menus(
    request: Request,
    session: SessionDep,
    cache: CacheDep,
    clock: ClockDep,
    user: CurrentUser,
    date: DayQuery = None,
    canteen: Annotated[str | None, Query(description="Canteen slug, e.g. north.")] = None,
    meal: Meal | None = None,
    tag: Annotated[
        list[DishTag], Query(description="Only dishes with this tag (repeat for all of several).")
    ] = [],  # noqa: B006 - FastAPI copies query defaults
    max_kcal: Annotated[
        int | None, Query(ge=0, le=100_000, description="Only dishes up to this.")
    ] = None,
    suitable_for_me: Annotated[
        bool, Query(description="Only dishes that suit my diets and avoid my allergens.")
    ] = False,
) -> Response:
    """Menus for one day, canteen by canteen in meal order, optionally for one canteen and
    meal. Dish filters (tag, max_kcal, suitable_for_me) keep only matching dishes and leave
    out menus with none left. Sends an ETag; `If-None-Match` with it → 304 if unchanged."""
    served_on = date or clock.today()

    async def build() -> MenusPublic:
        return await service.list_menus(
            session=session,
            cache=cache,
            served_on=served_on,
            canteen=canteen,
            meal=meal,
            tags=tag,
            max_kcal=max_kcal,
            diets=user.diets if suitable_for_me else None,
            allergens=user.allergens if suitable_for_me else (),
        )

    if tag or max_kcal is not None or suitable_for_me:  # filtered: built from the day's menus
        return json_response(request, await build())
    # The same for every signed-in user: ready bytes (served by core.ready.ReadyResponses
    # before routing next time), unreachable once a meal write bumps the generation.
    return await ready_response(
        request,
        cache,
        family=meals_cache.MEALS,
        build=build,
        ttl_seconds=meals_cache.MEALS.ttl_seconds,
    )


@router.put(
    "/menus/{canteen}/{date}/{meal}",
    responses={
        201: {"model": MenuPublic, "description": "The menu did not exist and was created."},
        **error_responses(
            NotAuthenticated,
            CanteenStaffOnly,
            NotYourCanteen,
            CanteenNotFound,
            UnknownDishes,
            DishNotServedHere,
        ),
    },
)
async def replace_menu(
    canteen: str,
    date: date_type,
    meal: Meal,
    body: MenuReplace,
    editor: Editor,
    session: SessionDep,
    cache: CacheDep,
    response: Response,
) -> MenuPublic:
    """Set what a canteen serves at one meal on one day (staff of that canteen, or the
    logistics office). 200 when an existing menu was replaced, 201 when it was created."""
    menu, created = await service.replace_menu(
        session=session,
        editor=editor,
        canteen_slug=canteen,
        served_on=date,
        meal=meal,
        dish_ids=body.dish_ids,
    )
    await session.commit()
    await meals_cache.MEALS.bump(cache)
    if created:
        response.status_code = status.HTTP_201_CREATED
    return menu


# --- dishes ----------------------------------------------------------------------------


@router.get("/dishes", responses=error_responses(NotAuthenticated))
async def search_dishes(
    session: SessionDep,
    _: CurrentUser,
    q: Annotated[
        str | None,
        Query(
            max_length=100, description="Part of the English or Chinese name, e.g. 牛肉 or tofu."
        ),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
) -> DishesPublic:
    """Find dishes by name in English or Chinese (partial, any case), best match first:
    exact name, then names starting with the query, then containing it."""
    return await service.search_dishes(session=session, q=q, limit=limit, offset=offset)


@router.get("/dishes/{dish_id}", responses=error_responses(NotAuthenticated, DishNotFound))
async def read_dish(dish_id: IdPath, session: SessionDep, _: CurrentUser) -> DishPublic:
    """One dish with its nutrition per serving, allergens and tags."""
    return service.dish_public(await service.get_dish(session=session, dish_id=dish_id))


@router.post(
    "/dishes",
    status_code=status.HTTP_201_CREATED,
    response_model=DishPublic,
    responses=error_responses(
        NotAuthenticated,
        CanteenStaffOnly,
        NotYourCanteen,
        UnknownCanteen,
        InvalidIdempotencyKey,
        IdempotencyKeyReused,
    ),
)
async def create_dish(
    body: DishCreate, request: Request, editor: Editor, session: SessionDep
) -> JSONResponse:
    """Add a dish (canteen staff: to their canteen's kitchen; the logistics office: to any,
    or to the campus catalogue). Send `Idempotency-Key` to make retries safe."""

    async def create() -> DishPublic:
        return await service.create_dish(session=session, editor=editor, body=body)

    return await run_once(
        request=request,
        session=session,
        user_id=editor.user.id,
        payload=body.model_dump(mode="json"),
        create=create,
    )


@router.patch(
    "/dishes/{dish_id}",
    responses=error_responses(
        NotAuthenticated, CanteenStaffOnly, NotYourCanteen, DishNotFound, InconsistentDishLabels
    ),
)
async def update_dish(
    dish_id: IdPath, changes: DishUpdate, editor: Editor, session: SessionDep, cache: CacheDep
) -> DishPublic:
    """Change a dish (staff of its canteen; the logistics office for any dish, and alone for
    the campus catalogue). Every menu showing it changes at once."""
    dish = await service.update_dish(
        session=session, editor=editor, dish_id=dish_id, changes=changes
    )
    await session.commit()
    await meals_cache.MEALS.bump(cache)
    return dish


# --- meal plans ------------------------------------------------------------------------


@router.get("/meal-plans", responses=error_responses(NotAuthenticated))
async def list_meal_plans(
    session: SessionDep, cache: CacheDep, user: CurrentUser
) -> MealPlansPublic:
    """The nutrition meal plans (营养餐计划), their daily targets, and which one I follow."""
    return await plans.list_plans(session=session, cache=cache, user=user)


@router.put(
    "/meal-plans/subscription",
    responses=error_responses(NotAuthenticated, StudentsOnly, UnknownMealPlan),
)
async def subscribe(
    body: SubscriptionRequest, student: CurrentStudent, session: SessionDep, clock: ClockDep
) -> SubscriptionPublic:
    """Follow a meal plan, instead of the one followed so far."""
    subscription = await plans.subscribe(
        session=session, user=student, slug=body.plan, now=clock.now()
    )
    await session.commit()
    return subscription


@router.delete(
    "/meal-plans/subscription",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(NotAuthenticated, StudentsOnly),
)
async def unsubscribe(student: CurrentStudent, session: SessionDep) -> None:
    """Stop following a meal plan (fine if none is followed)."""
    await plans.unsubscribe(session=session, user=student)
    await session.commit()


@router.get(
    "/meal-plans/suggestion",
    responses=error_responses(NotAuthenticated, StudentsOnly, NoMealPlan, CanteenNotFound),
)
async def suggest_meals(
    student: CurrentStudent,
    session: SessionDep,
    cache: CacheDep,
    clock: ClockDep,
    date: DayQuery = None,
    canteen: Annotated[
        str | None, Query(description="Canteen slug to prefer when it has something suitable.")
    ] = None,
) -> Suggestion:
    """Breakfast, lunch and dinner from that day's real menus that suit my diets and
    allergens and come close to my plan's daily targets; says how close and what is off.

    Greedy by meal (targets shared 30/40/30 %, each meal aiming at the running share),
    exhaustive over 1–3 dishes of one canteen's menu per meal; loss is the weighted mean
    relative deviation (kcal ×2; sodium counts only above its ceiling); closeness = 1 − loss.
    """
    return await suggestion.suggest(
        session=session,
        cache=cache,
        user=student,
        served_on=date or clock.today(),
        canteen=canteen,
    )
