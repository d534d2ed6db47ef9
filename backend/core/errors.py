"""One error type and one response shape: ``{"error": "RepairNotFound", "detail": "…"}``."""

from typing import Any, Literal

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException


class ErrorBody(BaseModel):
    error: str
    detail: Any


class Problem(BaseModel):
    field: str = Field(description="Where: body.category, query.page, path.repair_id …")
    problem: str


class ValidationErrorBody(BaseModel):
    """422: what is wrong with the request, field by field."""

    error: Literal["ValidationError"]
    detail: str
    errors: list[Problem]


INTERNAL_ERROR = "Something went wrong on our side; try again later. 服务器出错了，请稍后再试。"


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


def error_response(exc: AppError) -> JSONResponse:
    return JSONResponse(
        _body(exc.code, exc.message), status_code=exc.status_code, headers=exc.headers
    )


def internal_error_response() -> JSONResponse:
    # Starlette logs and re-raises after sending this: our shape, never plain text.
    return JSONResponse(_body("InternalError", INTERNAL_ERROR), status_code=500)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(AppError)
    async def _app_error(_: Request, exc: AppError) -> JSONResponse:
        return error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [
            {
                "field": ".".join(str(part) for part in err["loc"]),
                "problem": err["msg"],
            }
            for err in exc.errors()
        ]
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in problems[:3])
        body = {
            "error": "ValidationError",
            "detail": f"Invalid request (请求内容有误): {summary}",
            "errors": problems,
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(Exception)
    async def _unhandled(_: Request, exc: Exception) -> JSONResponse:
        return internal_error_response()

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        names = {
            400: "MalformedBody",
            401: "NotAuthenticated",
            404: "NotFound",
            405: "MethodNotAllowed",
        }
        return JSONResponse(
            _body(names.get(exc.status_code, "HTTPError"), exc.detail),
            status_code=exc.status_code,
            headers=getattr(exc, "headers", None),
        )
