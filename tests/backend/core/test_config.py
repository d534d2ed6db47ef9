import pytest
from pydantic import ValidationError

from backend.core.config import DEV_SECRETS, Settings

REAL = {
    "jwt_secret": "j" * 40,
    "bot_secret": "b" * 40,
    "rasa_token": "r" * 40,
}


def test_development_fills_in_dev_secrets() -> None:
    settings = Settings(env="development")
    assert settings.secret("jwt_secret") == DEV_SECRETS["jwt_secret"]


@pytest.mark.parametrize("missing", sorted(REAL))
def test_production_refuses_to_start_without_a_secret(missing: str) -> None:
    given = {name: value for name, value in REAL.items() if name != missing}
    with pytest.raises(ValidationError, match=f"HOUQIN_{missing.upper()} must be set"):
        Settings(env="production", **given)


@pytest.mark.parametrize("name", sorted(REAL))
def test_production_refuses_the_published_dev_secrets(name: str) -> None:
    with pytest.raises(ValidationError, match="unique secret"):
        Settings(env="production", **{**REAL, name: DEV_SECRETS[name]})


def test_production_refuses_short_secrets() -> None:
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(env="production", **{**REAL, "jwt_secret": "short"})


def test_production_is_the_default_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HOUQIN_ENV", raising=False)
    with pytest.raises(ValidationError):
        Settings()
    assert Settings(**REAL).env == "production"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///var/x.db", "sqlite+aiosqlite:///var/x.db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
    ],
)
def test_database_url_gets_an_async_driver(given: str, expected: str) -> None:
    assert Settings(env="development", database_url=given).database_url == expected


def test_unknown_timezone_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Settings(env="development", campus_timezone="Mars/Olympus")
