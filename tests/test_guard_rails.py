"""The guard rails, run with the suite (so CI runs them): ruff's lint and format check, and the
layer contracts of ``[tool.importlinter]`` in pyproject.toml (core never imports the UI; tui reaches
core only through each package's front module)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    """The console script installed beside this interpreter (or on PATH)."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else (shutil.which(name) or name)


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "."], ["ruff", "format", "--check", "."], ["lint-imports"]],
    ids=["ruff-lint", "ruff-format", "import-contracts"],
)
def test_guard_rail(command: list[str]) -> None:
    result = subprocess.run([_tool(command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"`{' '.join(command)}` failed:\n{result.stdout[-4000:]}{result.stderr[-2000:]}"
