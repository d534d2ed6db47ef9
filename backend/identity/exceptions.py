from fastapi import status

from backend.core.errors import AppError
from backend.core.ratelimit import RateLimited


class InvalidCredentials(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "Wrong username or password."
    headers = {"WWW-Authenticate": "Bearer"}


class SignInThrottled(RateLimited):
    message = (
        "Too many failed sign-ins for this account from your address; wait a moment and try "
        "again (see Retry-After). 登录失败次数过多，请稍后再试。"
    )


class InvalidToken(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "The access token is invalid or expired; sign in again."
    headers = {"WWW-Authenticate": "Bearer"}


class InvalidRefreshToken(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "The refresh token is invalid, expired or revoked; sign in again."


class RefreshTokenReused(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = (
        "This refresh token was already used, so it may have been stolen: every session "
        "started with it is now signed out. Sign in again."
    )


class BotCredentialRequired(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "Delegation tokens are only accepted from the bot (X-Bot-Key)."


class StudentsOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Only students can use this."


class StaffOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Only service staff and the logistics office can use this."


class AdminsOnly(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Only the logistics office can use this."


class TeamNotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "No team with that slug. 没有这个班组。"
