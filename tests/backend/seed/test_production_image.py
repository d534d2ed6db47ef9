"""The production image carries no demo campus: the build context leaves out the seed and
its data (.dockerignore), and nothing the image runs imports the seed."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BACKEND = ROOT / "backend"


def test_the_build_context_leaves_out_the_demo() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {"demo", "backend/seed"} <= ignored
    dockerfile = (BACKEND / "Dockerfile").read_text()
    assert "COPY demo" not in dockerfile


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_nothing_outside_the_seed_imports_it() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for path in BACKEND.rglob("*.py")
        if BACKEND / "seed" not in path.parents
        and any(
            name == "backend.seed" or name.startswith("backend.seed.")
            for name in imported_modules(path)
        )
    ]
    assert offenders == []
