"""A database or cache that cannot be reached is an outage, not a bug: the client gets
``503 DatabaseUnavailable`` / ``503 CacheUnavailable`` with ``Retry-After`` (retry the same
request, with the same Idempotency-Key) instead of ``500 InternalError``.

asyncpg raises plain ``OSError``s (connection refused, reset) and its own connection errors
before SQLAlchemy can wrap them, so an exception counts as the database's when SQLAlchemy
says the connection broke or it was raised inside asyncpg.
"""

import logging
import traceback

import asyncpg
import redis.exceptions
from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy import exc as sa_exc

from backend.core.errors import AppError, error_response, internal_error_response

log = logging.getLogger(__name__)


class DatabaseUnavailable(AppError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    message = (
        "The database is not reachable right now; try again in a moment. "
        "数据库暂时无法连接，请稍后再试。"
    )
    headers = {"Retry-After": "5"}


class CacheUnavailable(AppError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    message = (
        "The cache is not reachable right now; try again in a moment. "
        "缓存服务暂时无法连接，请稍后再试。"
    )
    headers = {"Retry-After": "5"}


CONNECTION_ERRORS = (
    asyncpg.PostgresConnectionError,  # closed, admin shutdown, cannot connect …
    asyncpg.OperatorInterventionError,  # shutting down, starting up, in recovery
    asyncpg.InterfaceError,  # the connection is closed
)


def _raised_in_asyncpg(exc: BaseException) -> bool:
    return any(
        "/asyncpg/" in frame.f_code.co_filename for frame, _ in traceback.walk_tb(exc.__traceback__)
    )


def outage(exc: BaseException) -> AppError | None:
    """The 503 for an unreachable database or cache; None for anything else."""
    if isinstance(exc, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        return CacheUnavailable()
    if isinstance(exc, sa_exc.DBAPIError):
        # SQLAlchemy's asyncpg adapter raises its own error "from" asyncpg's.
        cause = exc.orig.__cause__ if exc.orig is not None else None
        broken = exc.connection_invalidated or isinstance(cause, CONNECTION_ERRORS)
        return DatabaseUnavailable() if broken else None
    if isinstance(exc, sa_exc.TimeoutError):
        return DatabaseUnavailable()
    if isinstance(exc, (*CONNECTION_ERRORS, OSError)):
        return DatabaseUnavailable() if _raised_in_asyncpg(exc) else None
    return None


# The types an outage raises (``outage`` decides which of them are one).
OUTAGE_TYPES: tuple[type[Exception], ...] = (
    redis.exceptions.RedisError,
    sa_exc.DBAPIError,
    sa_exc.TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
)


def install_outage_handlers(app: FastAPI) -> None:
    """Route errors reach the first handler; errors raised in a middleware (the ready
    responses read the cache before routing) reach the catch-all one, which replaces
    ``install_error_handlers``' 500 with a 503 for an outage."""

    async def in_route(request: Request, exc: Exception) -> JSONResponse:
        if (error := outage(exc)) is None:
            raise exc  # a real bug: the catch-all logs it and answers 500
        log.warning("%s %s: %s: %s", request.method, request.url.path, error.code, exc)
        return error_response(error)

    async def anywhere(_: Request, exc: Exception) -> JSONResponse:
        error = outage(exc)
        return internal_error_response() if error is None else error_response(error)

    for kind in OUTAGE_TYPES:
        app.add_exception_handler(kind, in_route)
    app.add_exception_handler(Exception, anywhere)
