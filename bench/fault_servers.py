"""Servers the fault suite owns: a PostgreSQL cluster and a Redis it starts itself, on
ports and in directories of its own, so it can kill and restart them. The machine's shared
PostgreSQL (5432) and Redis (6379) are never touched."""

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.e2e.system import ROOT, free_port

PG_BINS = sorted(glob.glob("/usr/lib/postgresql/*/bin"))  # Debian's server binaries
PG_BIN = Path(PG_BINS[-1]) if PG_BINS else None
READY_TIMEOUT_SECONDS = 60


def wait_for(check: Callable[[], bool], what: str, timeout: float = READY_TIMEOUT_SECONDS) -> float:
    """Poll ``check`` until it is true; the monotonic time it first was."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready after {timeout:.0f}s")
        time.sleep(0.1)
    return time.monotonic()


class OwnRedis:
    """``redis-server`` without persistence: a kill -9 loses everything it held, as a
    crashed cache would."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            sys.exit("redis-server is not installed (apt-get install -y redis-server)")
        options = ["--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--dir", str(self.folder), *options],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.ready, "redis")

    def ready(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class OwnPostgres:
    """A cluster made with Debian's initdb in a directory of ours, on a port of ours.
    ``crash`` is ``pg_ctl stop -m immediate``: every server process quits at once without a
    checkpoint, and the next start recovers from the WAL, as after a crash."""

    def __init__(self, folder: Path) -> None:
        if PG_BIN is None:
            sys.exit("PostgreSQL server binaries not found in /usr/lib/postgresql/*/bin")
        self.data = folder / "pg"
        self.log = folder / "pg.log"
        self.port = free_port()

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/houqin"

    def _run(self, *command: str) -> None:
        # PostgreSQL refuses to run as root: as the postgres user then.
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*prefix, *command],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )

    def init(self) -> None:
        self.data.mkdir(mode=0o700)
        if os.geteuid() == 0:
            shutil.chown(self.data, "postgres", "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
            # The postgres user must reach its data directory inside our temporary one.
            os.chmod(self.data.parent, 0o755)  # noqa: S103
        assert PG_BIN is not None
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust")
        self.start()
        self._run(
            str(PG_BIN / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "postgres",
            "houqin",
        )

    def start(self) -> None:
        assert PG_BIN is not None
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1"
        self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def crash(self) -> None:
        assert PG_BIN is not None
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def ready(self) -> bool:
        assert PG_BIN is not None
        return (
            subprocess.run(
                [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.port), "-q"],
                check=False,
            ).returncode
            == 0
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            assert PG_BIN is not None
            self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
