"""Start the real system — `scripts/run.py`, the same command `make run` uses.

Backend, Rasa and the action server run as real processes on free loopback ports, with a
fresh SQLite database and the trained model; callers talk to the backend over HTTP only.
Used by the end-to-end tests and by bench/chat.py.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
READY = "Houqin 后勤 is running"
STARTUP_TIMEOUT_SECONDS = 900  # includes training the model on a fresh clone
DEMO_PASSWORD = "demo-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class SystemDidNotStart(RuntimeError):
    pass


@dataclass
class System:
    process: subprocess.Popen[str]
    base_url: str
    database: Path
    ports: dict[str, int]
    log: list[str] = field(default_factory=list)

    def login(self, username: str) -> dict[str, str]:
        response = httpx.post(
            f"{self.base_url}/api/v1/auth/token",
            data={"username": username, "password": DEMO_PASSWORD},
        )
        response.raise_for_status()
        return {"Authorization": f"Bearer {response.json()['access_token']}"}


@contextmanager
def running_system(database: Path) -> Iterator[System]:
    """The three processes, healthy, on a fresh SQLite database; stopped with Ctrl-C after."""
    ports = {"backend": free_port(), "rasa": free_port(), "actions": free_port()}
    env = {
        **os.environ,
        "HOUQIN_ENV": "development",
        "HOUQIN_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "scripts/run.py",
            "--port",
            str(ports["backend"]),
            "--rasa-port",
            str(ports["rasa"]),
            "--actions-port",
            str(ports["actions"]),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    system = System(process, f"http://127.0.0.1:{ports['backend']}", database, ports)
    ready = threading.Event()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            system.log.append(line)
            if READY in line:
                ready.set()

    threading.Thread(target=read_output, daemon=True).start()
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while not ready.wait(timeout=1):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemDidNotStart("".join(system.log[-80:]))
    try:
        yield system
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
