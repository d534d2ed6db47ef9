from fastapi import status

from backend.core.errors import AppError


class CanteenNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No canteen with that slug; GET /api/v1/canteens lists them."


class DishNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No dish with that id; GET /api/v1/dishes?q=… finds dishes by name."


class UnknownDishes(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "Some dish ids do not exist; GET /api/v1/dishes lists them."


class DishNotServedHere(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "A dish of another canteen's kitchen cannot be put on this canteen's menu."


class UnknownCanteen(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "owner_canteen names no canteen; GET /api/v1/canteens lists them."


class InconsistentDishLabels(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "A dish with pork cannot be labelled vegetarian, vegan or halal."


class CanteenStaffOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Only canteen staff and the logistics office can change dishes and menus."


class NotYourCanteen(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Canteen staff may change only their own canteen's menus and dishes."


class UnknownMealPlan(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "No meal plan with that slug; GET /api/v1/meal-plans lists them."


class NoMealPlan(AppError):
    status_code = status.HTTP_409_CONFLICT
    message = "You follow no meal plan yet; choose one with PUT /api/v1/meal-plans/subscription."


class NothingToCopy(AppError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT
    message = "No menus on the days to copy from. 要复制的日期没有菜单。"
