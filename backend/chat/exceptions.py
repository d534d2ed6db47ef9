from fastapi import status

from backend.core.errors import AppError


class BotUnavailable(AppError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    message = "The assistant is not answering right now; please try again in a minute."
    headers = {"Retry-After": "30"}
