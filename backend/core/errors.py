"""One error type and one response shape: ``{"error": "RepairNotFound", "detail": "…"}``."""

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException


class ErrorBody(BaseModel):
    error: str
    detail: Any


class AppError(Exception):
    """Base of every domain error; the class name is the public error code."""

    status_code: int = status.HTTP_400_BAD_REQUEST
    message: str = "The request could not be processed."
    headers: dict[str, str] | None = None

    def __init__(self, message: str | None = None, status_code: int | None = None) -> None:
        self.message = message or self.message
        if status_code is not None:
            self.status_code = status_code
        super().__init__(self.message)

    @property
    def code(self) -> str:
        return type(self).__name__


class NotAuthenticated(AppError):
    status_code = status.HTTP_401_UNAUTHORIZED
    message = "Sign in first: send 'Authorization: Bearer <access token>'."
    headers = {"WWW-Authenticate": "Bearer"}


class Forbidden(AppError):
    status_code = status.HTTP_403_FORBIDDEN
    message = "Your account may not do this."


class NotFound(AppError):
    status_code = status.HTTP_404_NOT_FOUND
    message = "Not found."


class ServiceUnavailable(AppError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    message = "A service this request needs is unavailable; try again shortly."


def error_responses(*errors: type[AppError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the errors a route can raise."""
    responses: dict[int | str, dict[str, Any]] = {}
    for error in errors:
        entry = responses.setdefault(error.status_code, {"model": ErrorBody, "description": ""})
        entry["description"] = " / ".join(
            filter(None, [entry["description"], f"{error.__name__}: {error.message}"])
        )
    return responses


def _body(error: str, detail: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return JSONResponse(
            _body(exc.code, exc.message), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "field": ".".join(str(part) for part in err["loc"]),
                "problem": err["msg"],
            }
            for err in exc.errors()
        ]
        return JSONResponse(_body("ValidationError", problems), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {404: "NotFound", 405: "MethodNotAllowed", 401: "NotAuthenticated"}
        return JSONResponse(
            _body(names.get(exc.status_code, "HTTPError"), exc.detail),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
