"""Demo canteens with opening hours, dishes with plausible nutrition (per serving) and
labels, nutrition meal plans, and the menus of the days around today.

Deterministic: the same catalogue every time, and the menu of a canteen, day and meal
depends on nothing else (not on when the seed ran).
"""

import random
from datetime import date, time, timedelta
from typing import NamedTuple

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from backend.meals.models import (
    Canteen,
    CanteenHours,
    CanteenMealPlan,
    Dish,
    DishTag,
    Meal,
    MealPlan,
    Menu,
    MenuItem,
    Nutrient,
)


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
    meals: str  # B, L, D
    allergens: str = ""  # space-separated Allergen values
    tags: str = ""  # space-separated DishTag values; vegan implies vegetarian
    pork: bool = False


class PlanSeed(NamedTuple):
    """A meal plan with its daily targets and the canteens that take part in it."""

    slug: str
    name_en: str
    name_zh: str
    description_en: str
    description_zh: str
    kcal: int
    protein_g: float
    fat_g: float
    carbs_g: float
    sodium_mg: int
    focus: Nutrient | None
    canteens: tuple[str, ...]


B, L, D = Meal.breakfast, Meal.lunch, Meal.dinner
_MEALS = {"B": B, "L": L, "D": D}

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

WEEKDAYS, SATURDAY, SUNDAY = range(0, 5), 5, 6


def _hours(days: range | tuple[int, ...], meal: Meal, opens: str, closes: str) -> list[tuple]:
    return [(day, meal, time.fromisoformat(opens), time.fromisoformat(closes)) for day in days]


EVERY_DAY = range(7)
# (weekday, meal, opens, closes) per canteen; a missing row means closed then.
HOURS: dict[str, list[tuple]] = {
    # The big one: three meals every day of the week.
    "north": [
        *_hours(EVERY_DAY, B, "06:30", "09:00"),
        *_hours(EVERY_DAY, L, "11:00", "13:30"),
        *_hours(EVERY_DAY, D, "17:00", "19:30"),
    ],
    # Later weekend breakfast; no dinner on Sunday.
    "south": [
        *_hours(WEEKDAYS, B, "07:00", "09:30"),
        *_hours((SATURDAY, SUNDAY), B, "08:00", "10:00"),
        *_hours(EVERY_DAY, L, "11:00", "13:30"),
        *_hours(range(6), D, "17:00", "20:00"),
    ],
    # No breakfast; lunch and a late dinner Monday to Saturday; closed on Sunday.
    "lakeside": [
        *_hours(range(6), L, "11:00", "14:00"),
        *_hours(range(6), D, "17:00", "21:00"),
    ],
}

# name_en, name_zh, price_fen, kcal, protein_g, fat_g, carbs_g, sodium_mg (per serving),
#   meals (B/L/D), allergens, tags, pork. Checked by tests: kcal within 15 % of
#   4 × protein + 9 × fat + 4 × carbohydrate, and no name contained in another.
DISHES = [
    # Breakfast
    DishSeed("Steamed Pork Buns", "鲜肉包", 300, 280, 11, 10, 36, 520,
             "B", "wheat_gluten soy", pork=True),
    DishSeed("Vegetable Buns", "素菜包", 250, 220, 7, 5, 37, 380,
             "B", "wheat_gluten", "vegan"),
    DishSeed("Soy Milk", "豆浆", 150, 110, 7, 4, 11, 20,
             "B", "soy", "vegan halal"),
    DishSeed("Rice Congee with Pickles", "白粥配咸菜", 200, 160, 4, 1, 33, 610,
             "B", "", "vegan halal"),
    DishSeed("Fried Dough Stick", "油条", 200, 390, 7, 23, 40, 560,
             "B", "wheat_gluten", "vegan"),
    DishSeed("Tea Egg", "茶叶蛋", 150, 75, 6, 5, 1, 190,
             "B", "egg soy", "vegetarian halal"),
    DishSeed("Jianbing", "煎饼果子", 600, 450, 14, 18, 58, 820,
             "B", "egg wheat_gluten soy sesame", "vegetarian"),
    DishSeed("Wonton Soup", "鲜肉馄饨", 800, 330, 16, 11, 40, 980,
             "BD", "wheat_gluten shellfish", pork=True),
    DishSeed("Plain Steamed Bun", "馒头", 100, 220, 7, 1, 46, 190,
             "B", "wheat_gluten", "vegan halal"),
    DishSeed("Boiled Egg", "水煮蛋", 120, 70, 6, 5, 0.6, 62,
             "B", "egg", "vegetarian halal"),
    DishSeed("Fresh Milk", "纯牛奶", 300, 150, 8, 8, 12, 110,
             "B", "milk", "vegetarian halal"),
    DishSeed("Millet Congee", "小米粥", 150, 120, 3, 1, 25, 5,
             "B", "", "vegan halal"),
    DishSeed("Scallion Pancake", "葱油饼", 400, 300, 6, 14, 38, 480,
             "B", "wheat_gluten", "vegan"),
    DishSeed("Steamed Egg Custard", "鸡蛋羹", 350, 120, 9, 8, 2, 400,
             "B", "egg soy", "vegetarian"),
    DishSeed("Egg Rice Noodle Rolls", "鸡蛋肠粉", 700, 320, 10, 9, 48, 750,
             "B", "egg soy", "vegetarian"),
    DishSeed("Beef Pan-fried Pie", "牛肉馅饼", 700, 420, 17, 20, 42, 680,
             "B", "wheat_gluten soy", "halal"),
    DishSeed("Sesame Flatbread", "芝麻烧饼", 250, 260, 7, 9, 38, 350,
             "B", "wheat_gluten sesame", "vegan halal"),
    DishSeed("Yogurt", "酸奶", 400, 140, 6, 4, 20, 80,
             "B", "milk", "vegetarian halal"),
    DishSeed("Xiaolongbao", "小笼包", 900, 400, 17, 16, 45, 900,
             "B", "wheat_gluten soy", pork=True),
    DishSeed("Steamed Sweet Potato", "蒸红薯", 300, 130, 2, 0.2, 30, 50,
             "B", "", "vegan halal"),
    DishSeed("Boiled Corn on the Cob", "煮玉米", 300, 180, 5, 2.5, 37, 15,
             "BLD", "", "vegan halal"),
    # Lunch and dinner
    DishSeed("Kung Pao Chicken", "宫保鸡丁", 1600, 520, 32, 28, 30, 1150,
             "LD", "peanut soy", "spicy"),
    DishSeed("Mapo Tofu", "麻婆豆腐", 1000, 330, 17, 22, 14, 1050,
             "LD", "soy wheat_gluten", "spicy", pork=True),
    DishSeed("Tomato and Egg Stir-fry", "西红柿炒鸡蛋", 900, 260, 13, 18, 11, 620,
             "LD", "egg", "vegetarian halal"),
    DishSeed("Braised Pork Belly", "红烧肉", 1800, 680, 20, 55, 18, 980,
             "LD", "soy", pork=True),
    DishSeed("Beef Noodle Soup", "牛肉面", 1500, 610, 33, 16, 82, 1850,
             "LD", "wheat_gluten soy", "halal"),
    DishSeed("Steamed Sea Bass", "清蒸鲈鱼", 2200, 290, 38, 12, 4, 720,
             "LD", "fish soy"),
    DishSeed("Stir-fried Bok Choy", "清炒小白菜", 600, 90, 3, 6, 7, 310,
             "LD", "", "vegan halal"),
    DishSeed("Yu-Shiang Shredded Pork", "鱼香肉丝", 1400, 450, 22, 28, 24, 1080,
             "LD", "soy", "spicy", pork=True),
    DishSeed("Twice-cooked Pork", "回锅肉", 1600, 590, 21, 46, 16, 1120,
             "LD", "soy wheat_gluten", "spicy", pork=True),
    DishSeed("Egg Fried Rice", "扬州炒饭", 1000, 560, 16, 18, 82, 890,
             "LD", "egg shellfish", pork=True),
    DishSeed("Dry-fried Green Beans", "干煸四季豆", 900, 210, 6, 14, 16, 560,
             "LD", "soy", "vegan spicy"),
    DishSeed("Sweet and Sour Pork Ribs", "糖醋排骨", 2000, 620, 26, 36, 44, 760,
             "LD", "soy wheat_gluten", pork=True),
    DishSeed("Hand-pulled Lamb Noodles", "兰州拉面", 1400, 580, 26, 14, 86, 1700,
             "LD", "wheat_gluten", "halal"),
    DishSeed("Curry Chicken Rice", "咖喱鸡饭", 1500, 690, 30, 24, 86, 1020,
             "LD", "milk wheat_gluten"),
    DishSeed("Garlic Broccoli", "蒜蓉西兰花", 800, 110, 6, 6, 9, 290,
             "LD", "", "vegan halal"),
    DishSeed("Steamed Rice", "米饭", 100, 230, 4, 0.5, 51, 2,
             "LD", "", "vegan halal"),
    DishSeed("Cumin Lamb", "孜然羊肉", 2200, 480, 30, 34, 10, 900,
             "LD", "", "halal spicy"),
    DishSeed("Braised Beef with Potatoes", "土豆烧牛肉", 1800, 420, 28, 20, 28, 880,
             "LD", "soy", "halal"),
    DishSeed("Scrambled Eggs with Chives", "韭菜炒鸡蛋", 900, 240, 12, 18, 6, 480,
             "LD", "egg", "vegetarian halal"),
    DishSeed("Hot and Sour Shredded Potatoes", "酸辣土豆丝", 600, 180, 3, 9, 23, 520,
             "LD", "", "vegan halal spicy"),
    DishSeed("Lettuce in Oyster Sauce", "蚝油生菜", 700, 100, 2, 7, 7, 560,
             "LD", "shellfish soy"),
    DishSeed("Yu-Shiang Eggplant", "鱼香茄子", 900, 280, 4, 20, 22, 780,
             "LD", "soy", "vegan spicy"),
    DishSeed("Soy-braised Chicken Leg", "卤鸡腿", 1200, 350, 28, 22, 6, 850,
             "LD", "soy"),
    DishSeed("Braised Hairtail", "红烧带鱼", 1800, 380, 26, 22, 14, 950,
             "LD", "fish soy wheat_gluten"),
    DishSeed("Shrimp with Broccoli", "西兰花炒虾仁", 2000, 240, 26, 9, 12, 620,
             "LD", "shellfish"),
    DishSeed("Tofu with Mushrooms", "香菇豆腐", 1000, 220, 14, 12, 12, 640,
             "LD", "soy", "vegan halal"),
    DishSeed("Sichuan Boiled Beef", "水煮牛肉", 2200, 560, 34, 38, 14, 1650,
             "LD", "soy wheat_gluten", "spicy"),
    DishSeed("Orleans Roast Chicken", "奥尔良烤鸡", 1500, 420, 35, 24, 12, 780,
             "LD", "soy", "halal"),
    DishSeed("Black Pepper Beef Rice", "黑椒牛柳饭", 1800, 650, 32, 22, 78, 1100,
             "LD", "soy wheat_gluten", "halal"),
    DishSeed("Seaweed and Egg Soup", "紫菜蛋花汤", 300, 60, 4, 3, 3, 520,
             "LD", "egg", "vegetarian halal"),
    DishSeed("Tomato Beef Brisket Soup", "番茄牛腩汤", 1500, 350, 24, 20, 14, 820,
             "LD", "", "halal"),
    DishSeed("Smashed Cucumber Salad", "拍黄瓜", 500, 70, 2, 4, 6, 420,
             "LD", "sesame", "vegan halal"),
    DishSeed("Vegetable Chow Mein", "素炒面", 900, 520, 14, 16, 80, 980,
             "LD", "wheat_gluten soy sesame", "vegan"),
    DishSeed("Cashew Chicken", "腰果鸡丁", 1800, 540, 34, 32, 24, 900,
             "LD", "tree_nut soy"),
    DishSeed("Spicy Tofu Skin Salad", "凉拌豆皮", 600, 180, 14, 10, 8, 560,
             "LD", "soy sesame", "vegan halal spicy"),
    DishSeed("Steamed Pumpkin", "蒸南瓜", 500, 90, 2, 0.3, 20, 10,
             "LD", "", "vegan halal"),
    DishSeed("Chicken and Mushroom Stew", "小鸡炖蘑菇", 1800, 420, 36, 22, 14, 980,
             "LD", "soy"),
    DishSeed("Beef Dumplings", "牛肉水饺", 1200, 520, 24, 18, 62, 900,
             "LD", "wheat_gluten soy", "halal"),
    DishSeed("Pork and Cabbage Dumplings", "猪肉白菜水饺", 1000, 500, 22, 20, 56, 880,
             "LD", "wheat_gluten soy", pork=True),
    DishSeed("Egg and Leek Dumplings", "三鲜素水饺", 900, 420, 14, 12, 62, 720,
             "LD", "wheat_gluten egg", "vegetarian"),
    DishSeed("Blanched Chinese Broccoli", "白灼芥蓝", 800, 90, 4, 4, 8, 540,
             "LD", "soy", "vegan halal"),
    DishSeed("Salt and Pepper Pork Chop", "椒盐猪排", 1600, 520, 26, 32, 28, 860,
             "LD", "wheat_gluten egg", pork=True),
    DishSeed("Xinjiang Lamb Pilaf", "新疆手抓饭", 1800, 720, 26, 28, 90, 1100,
             "LD", "", "halal"),
    DishSeed("Sichuan Cold Noodles", "四川凉面", 800, 480, 13, 18, 66, 1200,
             "LD", "wheat_gluten peanut sesame soy", "vegan spicy"),
    DishSeed("Mushroom and Greens Soup", "菌菇青菜汤", 400, 50, 3, 2, 6, 480,
             "LD", "", "vegan halal"),
    DishSeed("Fruit Cup", "水果杯", 600, 90, 1, 0.3, 22, 5,
             "LD", "", "vegan halal"),
    DishSeed("Kelp and Pork Rib Soup", "海带排骨汤", 1200, 260, 16, 16, 10, 780,
             "LD", "", pork=True),
    DishSeed("Salmon Rice Bowl", "三文鱼饭", 2800, 620, 34, 20, 72, 820,
             "LD", "fish soy sesame"),
    DishSeed("Chicken Breast Salad", "鸡胸肉沙拉", 1800, 320, 38, 12, 14, 520,
             "LD", "egg"),
    DishSeed("Poached Chicken Breast with Greens", "白切鸡胸配时蔬", 1600, 300, 42, 8, 10, 480,
             "LD", "soy", "halal"),
    DishSeed("Steamed Chicken Breast", "清蒸鸡胸肉", 1300, 200, 35, 5, 2, 180,
             "LD", "", "halal"),
    DishSeed("Mixed Grain Rice", "杂粮饭", 200, 240, 6, 1.5, 50, 5,
             "LD", "", "vegan halal"),
]  # fmt: skip

# Always on the lunch and dinner menus, after the day's dishes.
STAPLES = ("Steamed Rice",)
# How many of the day's dishes a canteen serves per meal (besides the staples).
DISHES_PER_MEAL = {Meal.breakfast: 6, Meal.lunch: 9, Meal.dinner: 9}

PLANS = [
    PlanSeed(
        "balanced",
        "Balanced",
        "均衡营养",
        "Everyday balance of energy, protein, fat and carbohydrate for a young adult.",
        "适合青年学生日常的能量、蛋白质、脂肪和碳水化合物均衡搭配。",
        2000, 75, 65, 275, 2000, None,
        ("north", "south", "lakeside"),
    ),
    PlanSeed(
        "high-protein",
        "High Protein",
        "高蛋白",
        "More protein for training days and muscle recovery, with enough energy.",
        "训练日和肌肉恢复期：更多蛋白质，能量充足。",
        2200, 130, 70, 250, 2300, Nutrient.protein_g,
        ("north", "lakeside"),
    ),
    PlanSeed(
        "low-sodium",
        "Low Sodium",
        "低钠",
        "At most 1,500 mg of sodium a day, for blood pressure and less salty habits.",
        "每天钠不超过1500毫克，有益血压，养成少盐习惯。",
        1900, 70, 60, 270, 1500, Nutrient.sodium_mg,
        ("north", "south"),
    ),
    PlanSeed(
        "light",
        "Light",
        "轻食",
        "Fewer calories and less fat, with protein kept up, for losing weight gently.",
        "热量和脂肪更少、蛋白质不减，温和控制体重。",
        1600, 70, 45, 220, 1800, Nutrient.kcal,
        ("north", "south"),
    ),
]  # fmt: skip

MENU_DAYS_BACK = 14
MENU_DAYS_AHEAD = 14


def _dish(seed: DishSeed) -> Dish:
    tags = set(seed.tags.split())
    if DishTag.vegan in tags:
        tags.add(DishTag.vegetarian)
    dish = Dish(
        name_en=seed.name_en,
        name_zh=seed.name_zh,
        price_fen=seed.price_fen,
        kcal=seed.kcal,
        protein_g=seed.protein_g,
        fat_g=seed.fat_g,
        carbs_g=seed.carbs_g,
        sodium_mg=seed.sodium_mg,
        allergens=seed.allergens.split(),
        contains_pork=seed.pork,
    )
    for tag in DishTag:
        setattr(dish, tag.value, tag.value in tags)
    return dish


async def ensure_catalog(session: AsyncSession) -> bool:
    """Canteens with their hours and dishes, once; meal plans when missing.

    True if the canteens were created now.
    """
    created = not (await session.exec(select(func.count()).select_from(Canteen))).one()
    if created:
        session.add_all(Canteen(**canteen._asdict()) for canteen in CANTEENS)
        session.add_all(_dish(dish) for dish in DISHES)
        await session.flush()
    else:
        await _label_old_catalogue(session)
    canteens = {c.slug: c for c in (await session.exec(select(Canteen))).all()}
    with_hours = set((await session.exec(select(CanteenHours.canteen_id).distinct())).all())
    for slug, rows in HOURS.items():
        canteen = canteens.get(slug)
        if canteen is None or canteen.id in with_hours:
            continue
        session.add_all(
            CanteenHours(canteen_id=canteen.id, weekday=day, meal=meal, opens=opens, closes=closes)
            for day, meal, opens, closes in rows
        )
    existing_plans = set((await session.exec(select(MealPlan.slug))).all())
    for position, seed in enumerate(PLANS):
        if seed.slug in existing_plans:
            continue
        fields = {k: v for k, v in seed._asdict().items() if k != "canteens"}
        plan = MealPlan(**fields, position=position)
        session.add(plan)
        await session.flush()
        session.add_all(
            CanteenMealPlan(canteen_id=canteens[slug].id, plan_id=plan.id)
            for slug in seed.canteens
            if slug in canteens
        )
    await session.flush()
    return created


async def _label_old_catalogue(session: AsyncSession) -> None:
    """A demo catalogue seeded before dishes had labels (migration 0002 adds them empty)
    would show every dish as free of allergens: label the demo dishes by name and add the
    missing ones. A catalogue in which any dish carries a label is left alone."""
    dishes = (await session.exec(select(Dish))).all()
    if any(dish.allergens or dish.contains_pork or dish.tags for dish in dishes):
        return
    by_name = {dish.name_en: dish for dish in dishes}
    for seed in DISHES:
        labelled = _dish(seed)
        if (old := by_name.get(seed.name_en)) is None:
            session.add(labelled)
            continue
        old.allergens = labelled.allergens
        old.contains_pork = labelled.contains_pork
        for tag in DishTag:
            setattr(old, tag.value, getattr(labelled, tag.value))
        session.add(old)
    await session.flush()


async def ensure_menus(session: AsyncSession, today: date) -> int:
    """Add any missing menu in the window around today, so the demo never goes stale.

    A canteen gets a menu for each meal it serves that weekday (see HOURS). The dishes of a
    menu depend only on canteen, day and meal: the same every time.
    """
    canteens = (await session.exec(select(Canteen).order_by(col(Canteen.slug)))).all()
    served = {
        (row.canteen_id, row.weekday, row.meal)
        for row in (await session.exec(select(CanteenHours))).all()
    }
    dishes_by_name = {dish.name_en: dish for dish in (await session.exec(select(Dish))).all()}
    pools = {
        meal: [
            dishes_by_name[d.name_en]
            for d in DISHES
            if meal.value[0].upper() in d.meals
            and d.name_en in dishes_by_name
            and d.name_en not in STAPLES
        ]
        for meal in Meal
    }
    staples = [dishes_by_name[name] for name in STAPLES if name in dishes_by_name]
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
                if (canteen.id, day.weekday(), meal) not in served:
                    continue
                rng = random.Random(f"{canteen.slug}/{day.isoformat()}/{meal.value}")
                chosen = rng.sample(pools[meal], k=min(DISHES_PER_MEAL[meal], len(pools[meal])))
                if meal != Meal.breakfast:
                    chosen += staples
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
