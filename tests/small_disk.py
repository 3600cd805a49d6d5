"""Run a shell script with a tiny tmpfs mounted somewhere: a real full disk for tests.

``unshare --map-root-user --mount`` gives the script its own mount namespace, so no root is
needed and nothing outside the script sees the mount. ``SHOEBOX`` in the script is the CLI.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@functools.cache
def _why_no_tmpfs() -> str | None:
    """None when a private tmpfs can be mounted here; else what stopped it (user namespaces off, no unshare…)."""
    if not shutil.which("unshare"):
        return "unshare is not installed"
    with tempfile.TemporaryDirectory() as probe:
        try:
            result = subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c",
                                     f"mount -t tmpfs -o size=1m tmpfs {probe}"],
                                    capture_output=True, text=True, timeout=30)  # fmt: skip
        except (OSError, subprocess.SubprocessError) as exc:
            return str(exc)
    return None if result.returncode == 0 else (result.stderr.strip() or f"exit {result.returncode}")[:200]


def in_small_disk(mount_at: Path, size: str, script: str, library: Path) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with a ``size`` tmpfs at ``mount_at``; skip the test where that is impossible."""
    why = _why_no_tmpfs()
    if why is not None:
        pytest.skip(f"cannot mount a private tmpfs here: {why}")
    shoebox = f"{sys.executable} -m core.cli.main --library {library}"
    command = ["unshare", "--map-root-user", "--mount", "sh", "-c",
               f"mount -t tmpfs -o size={size} tmpfs {mount_at} || exit 99\n" + script.replace("SHOEBOX", shoebox)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    if result.returncode == 99 or "Operation not permitted" in result.stderr[:300]:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()[:200]}")
    return result
