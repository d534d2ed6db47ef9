"""Development secrets: random, made once per installation, never published.

``HOUQIN_ENV=development`` without explicit secrets uses the ones in
``var/dev-secrets.json`` (gitignored, readable by the owner only), creating the file with
fresh random values on first use. No two installations share a key, so a token forged
for one demo is useless against another.
"""

import json
import os
import secrets
from collections.abc import Iterable
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "var" / "dev-secrets.json"
SECRET_BYTES = 32  # token_urlsafe: 43 characters


def load_or_create(path: Path, names: Iterable[str], *, min_length: int) -> dict[str, str]:
    """The installation's secrets by name; missing or too short ones are generated."""
    names = list(names)
    try:
        stored = json.loads(path.read_text())
        existed = True
    except FileNotFoundError:
        stored, existed = {}, False
    if not isinstance(stored, dict):
        raise ValueError(f"{path} is not a JSON object; delete it to make new secrets")
    missing = [
        n for n in names if not (isinstance(stored.get(n), str) and len(stored[n]) >= min_length)
    ]
    if missing:
        stored.update({name: secrets.token_urlsafe(SECRET_BYTES) for name in missing})
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            json.dump(stored, handle, indent=2)
        if existed:
            os.replace(partial, path)  # readers see the old file or the whole new one
        else:
            # Two first starts at once (e.g. `make run` and a test run): one file wins, and
            # the other process takes its secrets instead of overwriting them.
            try:
                os.link(partial, path)
            except FileExistsError:
                os.unlink(partial)
                return load_or_create(path, names, min_length=min_length)
            except OSError:  # a file system without hard links: the last writer wins
                os.replace(partial, path)
            else:
                os.unlink(partial)
    return {name: stored[name] for name in names}
