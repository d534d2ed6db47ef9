"""Contract test: schemathesis, an outside client, against the real API (issue 17).

Starts the backend with uvicorn on a free loopback port, on a throwaway SQLite database
(migrated and seeded with the demo campus) and its own photo folder, so nothing it writes
touches any other database; a stand-in for Rasa answers every message with no reply (the
bot has its own tests), so the chat and health routes are tested up, not as 503s.
Signs in as a student and as the logistics office and runs
schemathesis once per token with the checks not_a_server_error, status_code_conformance,
response_schema_conformance and content_type_conformance. Exit status 0 only if both runs
report no failure.

    .venv/bin/python scripts/schemathesis_run.py [--max-examples N]
"""

import argparse
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
SCHEMATHESIS = str(Path(PY).with_name("schemathesis"))
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "response_schema_conformance",
        "content_type_conformance",
    ]
)
ACCOUNTS = {"student": "s20240002", "admin": "admin"}
DEMO_PASSWORD = "demo-pass"  # noqa: S105 - the seeded demo accounts'
STARTUP_SECONDS = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class SilentRasa(BaseHTTPRequestHandler):
    """Rasa's REST webhook and /status, answering with nothing to say."""

    def _answer(self, body: object) -> None:
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        self._answer({"model_file": "contract-test.tar.gz"})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self._answer([])

    def log_message(self, format: str, *args: object) -> None:
        pass


def environment(workdir: Path, rasa_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL") and not key.startswith("HOUQIN_")
    }
    env.update(
        {
            "HOUQIN_ENV": "development",
            "HOUQIN_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'contract.db'}",
            "HOUQIN_REPAIRS_PHOTO_DIR": str(workdir / "uploads"),
            "HOUQIN_API_DOCS": "true",
            "HOUQIN_RASA_URL": rasa_url,
            "HOUQIN_JWT_SECRET": secrets.token_urlsafe(32),
            "HOUQIN_BOT_SECRET": secrets.token_urlsafe(32),
            "HOUQIN_RASA_TOKEN": secrets.token_urlsafe(32),
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def wait_healthy(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the backend exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/openapi.json", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the backend did not start within {STARTUP_SECONDS}s")


def sign_in(base: str, username: str) -> str:
    data = urllib.parse.urlencode({"username": username, "password": DEMO_PASSWORD}).encode()
    with urllib.request.urlopen(f"{base}/api/v1/auth/token", data=data, timeout=10) as answer:  # noqa: S310
        token: str = json.load(answer)["access_token"]
        return token


def run_schemathesis(base: str, role: str, token: str, max_examples: int, report: Path) -> int:
    print(f"==> schemathesis as {role}", flush=True)
    command = [
        SCHEMATHESIS,
        "run",
        f"{base}/openapi.json",
        "--checks",
        CHECKS,
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        str(max_examples),
        "--phases",
        "examples,coverage,fuzzing",
        "--workers",
        "1",
        "--seed",
        "17",
        "--suppress-health-check",
        "all",
        "--report-json-path",
        str(report),
    ]
    return subprocess.run(command, cwd=ROOT, check=False).returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=5, help="per operation")
    args = parser.parse_args()
    rasa = ThreadingHTTPServer(("127.0.0.1", 0), SilentRasa)
    threading.Thread(target=rasa.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory(prefix="houqin-contract-") as tmp:
        workdir = Path(tmp)
        env = environment(workdir, f"http://127.0.0.1:{rasa.server_address[1]}")
        for step in (["-m", "alembic", "upgrade", "head"], ["-m", "backend.seed"]):
            subprocess.run([PY, *step], cwd=ROOT, env=env, check=True, capture_output=True)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                PY,
                "-m",
                "uvicorn",
                "backend.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--no-proxy-headers",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_healthy(base, server)
            tokens = {role: sign_in(base, name) for role, name in ACCOUNTS.items()}
            codes = {
                role: run_schemathesis(
                    base, role, token, args.max_examples, workdir / f"report-{role}.json"
                )
                for role, token in tokens.items()
            }
        finally:
            server.terminate()
            server.wait(timeout=15)
            rasa.shutdown()
    failed = [role for role, code in codes.items() if code != 0]
    print(f"==> schemathesis: {'failures as ' + ', '.join(failed) if failed else 'no failures'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
