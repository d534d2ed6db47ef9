from fastapi import status

from backend.core.errors import AppError


class CanteenNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No canteen with that slug; GET /api/v1/canteens lists them."
