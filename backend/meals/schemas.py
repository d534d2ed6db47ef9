from datetime import date

from pydantic import BaseModel, ConfigDict

from backend.meals.models import Meal


class CanteenBrief(BaseModel):
    slug: str
    name_en: str
    name_zh: str

    model_config = ConfigDict(from_attributes=True)


class DishBrief(BaseModel):
    id: int
    name_en: str
    name_zh: str
    price_fen: int
    kcal: int

    model_config = ConfigDict(from_attributes=True)


class MenuPublic(BaseModel):
    id: int
    date: date
    meal: Meal
    canteen: CanteenBrief
    dishes: list[DishBrief]


class MenusPublic(BaseModel):
    data: list[MenuPublic]
    count: int

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "data": [
                        {
                            "id": 7,
                            "date": "2026-11-23",
                            "meal": "lunch",
                            "canteen": {
                                "slug": "north",
                                "name_en": "North Canteen",
                                "name_zh": "北区食堂",
                            },
                            "dishes": [
                                {
                                    "id": 3,
                                    "name_en": "Kung Pao Chicken",
                                    "name_zh": "宫保鸡丁",
                                    "price_fen": 1600,
                                    "kcal": 520,
                                }
                            ],
                        }
                    ],
                    "count": 1,
                }
            ]
        }
    )
