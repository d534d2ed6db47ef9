from fastapi import status

from backend.core.errors import AppError


class InvalidCredentials(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "Wrong username or password."
    headers = {"WWW-Authenticate": "Bearer"}


class InvalidToken(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "The access token is invalid or expired; sign in again."
    headers = {"WWW-Authenticate": "Bearer"}


class BotCredentialRequired(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "Delegation tokens are only accepted from the bot (X-Bot-Key)."


class StudentsOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Only students can use this."
