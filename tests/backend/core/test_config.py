import json
import os
import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from backend.core import devsecrets
from backend.core.config import PUBLISHED_SECRETS, SECRET_NAMES, Settings

REAL = {
    "jwt_secret": "j" * 40,
    "bot_secret": "b" * 40,
    "rasa_token": "r" * 40,
}


def test_development_makes_random_secrets_once_per_installation(tmp_path: Path) -> None:
    """Issue 17, finding 7: no published constants; one random set per installation,
    kept in a file only its owner can read."""
    path = tmp_path / "var" / "dev-secrets.json"
    first = Settings(env="development", dev_secrets_file=path)
    again = Settings(env="development", dev_secrets_file=path)
    other = Settings(env="development", dev_secrets_file=tmp_path / "elsewhere.json")
    values = [first.secret(name) for name in SECRET_NAMES]
    assert values == [again.secret(name) for name in SECRET_NAMES]
    assert all(first.secret(n) != other.secret(n) for n in SECRET_NAMES)
    assert len(set(values)) == 3
    assert all(len(value) >= 32 and value not in PUBLISHED_SECRETS for value in values)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_two_first_starts_at_once_share_the_secrets_of_the_one_that_wrote_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "dev-secrets.json"
    theirs = {name: f"{name}-of-the-other-process-" + "x" * 32 for name in SECRET_NAMES}
    link = os.link

    def other_process_wins(source: Path, target: Path) -> None:
        target.write_text(json.dumps(theirs))  # written between our read and our create
        link(source, target)

    monkeypatch.setattr(devsecrets.os, "link", other_process_wins)
    mine = devsecrets.load_or_create(path, SECRET_NAMES, min_length=32)
    assert mine == theirs
    assert json.loads(path.read_text()) == theirs
    assert [p.name for p in tmp_path.iterdir()] == ["dev-secrets.json"]  # no partial file left


def test_explicit_secrets_win_in_development(tmp_path: Path) -> None:
    path = tmp_path / "dev-secrets.json"
    settings = Settings(env="development", dev_secrets_file=path, **REAL)
    assert settings.secret("jwt_secret") == REAL["jwt_secret"]
    assert not path.exists()  # nothing generated when nothing is missing


def test_the_repository_ignores_the_generated_secrets() -> None:
    root = Path(__file__).resolve().parents[3]
    assert "var/" in (root / ".gitignore").read_text().split()
    assert Settings.model_fields["dev_secrets_file"].default == root / "var" / "dev-secrets.json"


@pytest.mark.parametrize("missing", sorted(REAL))
def test_production_refuses_to_start_without_a_secret(missing: str) -> None:
    given = {name: value for name, value in REAL.items() if name != missing}
    with pytest.raises(ValidationError, match=f"HOUQIN_{missing.upper()} must be set"):
        Settings(env="production", **given)


@pytest.mark.parametrize("name", sorted(REAL))
@pytest.mark.parametrize("env", ["production", "development"])
def test_the_formerly_published_dev_secrets_are_refused(name: str, env: str) -> None:
    published = next(value for value in PUBLISHED_SECRETS if name.split("_")[0] in value)
    with pytest.raises(ValidationError, match="unique secret"):
        Settings(env=env, **{**REAL, name: published})


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
    assert Settings(env="development", database_url=given, **REAL).database_url == expected


def test_unknown_timezone_is_rejected() -> None:
    with pytest.raises(ValidationError):
        Settings(env="development", campus_timezone="Mars/Olympus", **REAL)


def test_rasa_replicas_are_a_comma_separated_list(tmp_path: Path) -> None:
    path = tmp_path / "dev-secrets.json"
    one = Settings(env="development", dev_secrets_file=path, rasa_url="http://rasa:5005/")
    assert one.rasa_urls == ["http://rasa:5005"]
    two = Settings(
        env="development",
        dev_secrets_file=path,
        rasa_url="http://rasa-1:5005, http://rasa-2:5005",
    )
    assert two.rasa_urls == ["http://rasa-1:5005", "http://rasa-2:5005"]


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "at least one"),
        (" , ", "at least one"),
        ("rasa:5005", "not an http"),
        ("http://a:5005,ftp://b", "not an http"),
        ("http://a:5005,http://a:5005/", "named twice"),
    ],
)
def test_a_bad_rasa_url_list_is_refused(tmp_path: Path, value: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=problem):
        Settings(env="development", dev_secrets_file=tmp_path / "s.json", rasa_url=value)
