"""Nutrition meal plans (营养餐计划) and who follows which."""

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.core.cache import Cache
from backend.identity.models import User
from backend.meals import cache as meals_cache
from backend.meals.exceptions import UnknownMealPlan
from backend.meals.models import Canteen, CanteenMealPlan, MealPlan, MealPlanSubscription
from backend.meals.schemas import (
    MealPlanBrief,
    MealPlanInfo,
    MealPlanPublic,
    MealPlansPublic,
    Nutrition,
    SubscriptionPublic,
)


def targets(plan: MealPlan) -> Nutrition:
    return Nutrition(
        kcal=plan.kcal,
        protein_g=plan.protein_g,
        fat_g=plan.fat_g,
        carbs_g=plan.carbs_g,
        sodium_mg=plan.sodium_mg,
    )


async def load_plans(*, session: AsyncSession) -> list[MealPlanInfo]:
    links = await session.exec(
        select(CanteenMealPlan.plan_id, Canteen.slug)
        .join(Canteen, col(Canteen.id) == col(CanteenMealPlan.canteen_id))
        .order_by(col(Canteen.id))
    )
    canteens: dict[int, list[str]] = {}
    for plan_id, slug in links:
        canteens.setdefault(plan_id, []).append(slug)
    plans = await session.exec(select(MealPlan).order_by(col(MealPlan.position), col(MealPlan.id)))
    return [
        MealPlanInfo(
            slug=plan.slug,
            name_en=plan.name_en,
            name_zh=plan.name_zh,
            description_en=plan.description_en,
            description_zh=plan.description_zh,
            targets=targets(plan),
            focus=plan.focus,
            canteens=canteens.get(plan.id, []),
        )
        for plan in plans
    ]


async def plans(*, session: AsyncSession, cache: Cache) -> list[MealPlanInfo]:
    """Every meal plan with its targets and canteens (cached)."""
    return await meals_cache.MEALS.cached(
        cache, "meal-plans", meals_cache.MEAL_PLANS, lambda: load_plans(session=session)
    )


async def subscription(*, session: AsyncSession, user: User) -> MealPlanSubscription | None:
    query = select(MealPlanSubscription).where(MealPlanSubscription.user_id == user.id)
    return (await session.exec(query)).first()


async def current_plan(*, session: AsyncSession, user: User) -> MealPlan | None:
    query = (
        select(MealPlan)
        .join(MealPlanSubscription, col(MealPlanSubscription.plan_id) == col(MealPlan.id))
        .where(MealPlanSubscription.user_id == user.id)
    )
    return (await session.exec(query)).first()


async def list_plans(*, session: AsyncSession, cache: Cache, user: User) -> MealPlansPublic:
    mine = await current_plan(session=session, user=user)
    data = [
        MealPlanPublic(**plan.model_dump(), subscribed=mine is not None and plan.slug == mine.slug)
        for plan in await plans(session=session, cache=cache)
    ]
    return MealPlansPublic(data=data, count=len(data))


async def subscribe(
    *, session: AsyncSession, user: User, slug: str, now: datetime
) -> SubscriptionPublic:
    """Follow the plan ``slug`` (instead of any other); following it again changes nothing."""
    plan = (await session.exec(select(MealPlan).where(MealPlan.slug == slug))).first()
    if plan is None:
        raise UnknownMealPlan(f"No meal plan '{slug}'; GET /api/v1/meal-plans lists them.")
    current = await subscription(session=session, user=user)
    if current is None:
        current = MealPlanSubscription(user_id=user.id, plan_id=plan.id, subscribed_at=now)
    elif current.plan_id != plan.id:
        current.plan_id = plan.id
        current.subscribed_at = now
    session.add(current)
    await session.flush()
    return SubscriptionPublic(
        plan=MealPlanBrief(slug=plan.slug, name_en=plan.name_en, name_zh=plan.name_zh),
        subscribed_at=current.subscribed_at,
    )


async def unsubscribe(*, session: AsyncSession, user: User) -> None:
    """Stop following any plan (nothing to do if none)."""
    if (current := await subscription(session=session, user=user)) is not None:
        await session.delete(current)
        await session.flush()
