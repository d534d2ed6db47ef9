import pytest
from fastapi import FastAPI

from backend.core.cache import Cache


@pytest.fixture
def app_cache(app: FastAPI) -> Cache:
    """The cache the app under test uses (Redis on the PostgreSQL run, else in-process)."""
    cache: Cache = app.state.cache
    return cache
