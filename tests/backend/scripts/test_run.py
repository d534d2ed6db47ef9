"""`make run` (scripts/run.py): safe by default (issue 17, findings 2 and 7)."""

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.core.config import Settings
from scripts import run

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "localhost"])
def test_loopback_binds_are_fine(host: str) -> None:
    assert run.check_bind(run.parse_args(["--host", host]), "development") is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "demo.campus.example"])  # noqa: S104
def test_a_network_bind_in_development_needs_allow_network(host: str) -> None:
    refusal = run.check_bind(run.parse_args(["--host", host]), "development")
    assert refusal is not None
    assert "--allow-network" in refusal
    allowed = run.parse_args(["--host", host, "--allow-network"])
    assert run.check_bind(allowed, "development") is None
    assert run.check_bind(run.parse_args(["--host", host]), "production") is None


def test_the_script_refuses_before_starting_anything(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "HOUQIN_ENV": "development",
        "HOUQIN_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}",
        "HOUQIN_DEV_SECRETS_FILE": str(tmp_path / "dev-secrets.json"),
    }
    done = subprocess.run(
        [sys.executable, "scripts/run.py", "--host", "0.0.0.0"],  # noqa: S104
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "--allow-network" in done.stderr
    assert "migrating" not in done.stdout
    assert not (tmp_path / "x.db").exists()


def test_uvicorn_never_trusts_forwarded_headers_itself() -> None:
    command = run.backend_command(run.parse_args([]))
    assert "--no-proxy-headers" in command
    assert "--proxy-headers" not in command
    dockerfile = (ROOT / "backend" / "Dockerfile").read_text()
    assert "--no-proxy-headers" in dockerfile


def test_a_rasa_token_that_begins_with_a_dash_reaches_rasa_whole() -> None:
    """secrets.token_urlsafe begins with "-" once in 64 draws; rasa's argparse must still
    read it as the token (a fresh CI clone once failed to start Rasa this way)."""
    token = "-Xk2" + "a" * 39
    command = run.rasa_command(5005, Path("model.tar.gz"), token)
    parser = argparse.ArgumentParser()
    parser.add_argument("-t", "--auth-token")
    parsed, _rest = parser.parse_known_args(command[2:])
    assert parsed.auth_token == token


def test_rasa_replicas_get_names_and_consecutive_ports() -> None:
    assert run.rasa_replicas(5005, 1) == {"rasa": 5005}
    assert run.rasa_replicas(5005, 3) == {"rasa-1": 5005, "rasa-2": 5006, "rasa-3": 5007}


def test_several_rasa_replicas_need_redis_for_their_locks(tmp_path: Path) -> None:
    two = run.parse_args(["--rasa-replicas", "2"])
    alone = Settings(env="development", dev_secrets_file=tmp_path / "s.json", redis_url=None)
    refusal = run.check_replicas(two, alone)
    assert refusal is not None
    assert "HOUQIN_REDIS_URL" in refusal
    shared = alone.model_copy(update={"redis_url": "redis://127.0.0.1:6379/0"})
    assert run.check_replicas(two, shared) is None
    assert run.check_replicas(run.parse_args([]), alone) is None
    assert run.check_replicas(run.parse_args(["--rasa-replicas", "0"]), shared) is not None
