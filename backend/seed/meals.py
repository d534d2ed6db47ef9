"""Demo canteens, dishes with plausible nutrition (per serving), and their menus."""

import random
from datetime import date, timedelta
from typing import NamedTuple

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.models import Canteen, Dish, Meal, Menu, MenuItem


class CanteenSeed(NamedTuple):
    slug: str
    name_en: str
    name_zh: str
    location_en: str
    location_zh: str


class DishSeed(NamedTuple):
    name_en: str
    name_zh: str
    price_fen: int
    kcal: int
    protein_g: float
    fat_g: float
    carbs_g: float
    sodium_mg: int
    meals: tuple[Meal, ...]


B, L, D = Meal.breakfast, Meal.lunch, Meal.dinner

CANTEENS = [
    CanteenSeed("north", "North Canteen", "北区食堂", "North Campus, Building 3", "北校区3号楼"),
    CanteenSeed(
        "south", "South Canteen", "南区食堂", "South Campus, next to the library", "南校区图书馆旁"
    ),
    CanteenSeed(
        "lakeside",
        "Lakeside Dining Hall",
        "湖畔餐厅",
        "East Lake, Student Center 1F",
        "东湖学生中心一楼",
    ),
]

DISHES = [
    DishSeed("Steamed Pork Buns", "鲜肉包", 300, 280, 11, 10, 36, 520, (B,)),
    DishSeed("Vegetable Buns", "素菜包", 250, 220, 7, 5, 37, 380, (B,)),
    DishSeed("Soy Milk", "豆浆", 150, 110, 7, 4, 11, 20, (B,)),
    DishSeed("Rice Congee with Pickles", "白粥配咸菜", 200, 160, 4, 1, 33, 610, (B,)),
    DishSeed("Fried Dough Stick", "油条", 200, 390, 7, 23, 40, 560, (B,)),
    DishSeed("Tea Egg", "茶叶蛋", 150, 75, 6, 5, 1, 190, (B,)),
    DishSeed("Jianbing", "煎饼果子", 600, 450, 14, 18, 58, 820, (B,)),
    DishSeed("Wonton Soup", "鲜肉馄饨", 800, 330, 16, 11, 40, 980, (B, D)),
    DishSeed("Kung Pao Chicken", "宫保鸡丁", 1600, 520, 32, 28, 30, 1150, (L, D)),
    DishSeed("Mapo Tofu", "麻婆豆腐", 1000, 330, 17, 22, 14, 1050, (L, D)),
    DishSeed("Tomato and Egg Stir-fry", "西红柿炒鸡蛋", 900, 260, 13, 18, 11, 620, (L, D)),
    DishSeed("Braised Pork Belly", "红烧肉", 1800, 680, 20, 55, 18, 980, (L, D)),
    DishSeed("Beef Noodle Soup", "牛肉面", 1500, 610, 33, 16, 82, 1850, (L, D)),
    DishSeed("Steamed Sea Bass", "清蒸鲈鱼", 2200, 290, 38, 12, 4, 720, (L, D)),
    DishSeed("Stir-fried Bok Choy", "清炒小白菜", 600, 90, 3, 6, 7, 310, (L, D)),
    DishSeed("Yu-Shiang Shredded Pork", "鱼香肉丝", 1400, 450, 22, 28, 24, 1080, (L, D)),
    DishSeed("Twice-cooked Pork", "回锅肉", 1600, 590, 21, 46, 16, 1120, (L, D)),
    DishSeed("Egg Fried Rice", "扬州炒饭", 1000, 560, 16, 18, 82, 890, (L, D)),
    DishSeed("Dry-fried Green Beans", "干煸四季豆", 900, 210, 6, 14, 16, 560, (L, D)),
    DishSeed("Sweet and Sour Pork Ribs", "糖醋排骨", 2000, 620, 26, 36, 44, 760, (L, D)),
    DishSeed("Hand-pulled Lamb Noodles", "兰州拉面", 1400, 580, 26, 14, 86, 1700, (L, D)),
    DishSeed("Curry Chicken Rice", "咖喱鸡饭", 1500, 690, 30, 24, 86, 1020, (L, D)),
    DishSeed("Garlic Broccoli", "蒜蓉西兰花", 800, 110, 6, 6, 9, 290, (L, D)),
    DishSeed("Steamed Rice", "米饭", 100, 230, 4, 0.5, 51, 2, (L, D)),
]

MENU_DAYS_BACK = 14
MENU_DAYS_AHEAD = 14
DISHES_PER_MEAL = {Meal.breakfast: 4, Meal.lunch: 6, Meal.dinner: 6}


async def ensure_catalog(session: AsyncSession) -> bool:
    """Canteens and dishes, once. True if they were created now."""
    if (await session.exec(select(func.count()).select_from(Canteen))).one():
        return False
    session.add_all(Canteen(**canteen._asdict()) for canteen in CANTEENS)
    session.add_all(
        Dish(**{k: v for k, v in dish._asdict().items() if k != "meals"}) for dish in DISHES
    )
    await session.flush()
    return True


async def ensure_menus(session: AsyncSession, today: date) -> int:
    """Add any missing menu in the window around today, so the demo never goes stale.

    The dishes of a menu depend only on canteen, day and meal: the same every time.
    """
    canteens = (await session.exec(select(Canteen).order_by(col(Canteen.slug)))).all()
    dishes_by_name = {dish.name_en: dish for dish in (await session.exec(select(Dish))).all()}
    pools = {meal: [dishes_by_name[d.name_en] for d in DISHES if meal in d.meals] for meal in Meal}
    first, last = today - timedelta(days=MENU_DAYS_BACK), today + timedelta(days=MENU_DAYS_AHEAD)
    existing = set(
        (
            await session.exec(
                select(col(Menu.canteen_id), col(Menu.served_on), col(Menu.meal)).where(
                    Menu.served_on >= first, Menu.served_on <= last
                )
            )
        ).all()
    )
    added = 0
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        for canteen in canteens:
            for meal in Meal:
                if (canteen.id, day, meal) in existing:
                    continue
                rng = random.Random(f"{canteen.slug}/{day.isoformat()}/{meal.value}")
                chosen = rng.sample(pools[meal], k=min(DISHES_PER_MEAL[meal], len(pools[meal])))
                session.add(
                    Menu(
                        canteen_id=canteen.id,
                        served_on=day,
                        meal=meal,
                        items=[
                            MenuItem(dish_id=dish.id, position=position)
                            for position, dish in enumerate(chosen)
                        ],
                    )
                )
                added += 1
    return added
