"""Unreadable folders and files, tested for real: as root, the CLI runs without the
capabilities that let root read everything (``setpriv`` drops CAP_DAC_OVERRIDE and
CAP_DAC_READ_SEARCH), so file modes apply to it as to any user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from core.demo.pictures import Shot, write_photo
from tests.conftest import is_root

_DROP = "-dac_override,-dac_read_search"


def _command(*args: str) -> list[str]:
    command = [sys.executable, "-m", "core.cli.main", *args]
    if is_root():
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: file modes cannot be enforced")
        command = ["setpriv", f"--inh-caps={_DROP}", f"--bounding-set={_DROP}", *command]
    return command


def _shoebox(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the CLI so that unreadable files really are unreadable to it."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    return subprocess.run(
        _command("--library", str(library), *args), capture_output=True, text=True, env=env, timeout=120
    )


@pytest.fixture
def world(tmp_path: Path):
    """A scratch directory every user can enter (pytest's tmp_path is private to root)."""
    base = Path(tempfile.mkdtemp(prefix="shoebox-perm-"))
    base.chmod(0o777)
    yield base
    for path in base.rglob("*"):
        try:
            path.chmod(0o777, follow_symlinks=False)
        except (OSError, NotImplementedError):
            pass
    shutil.rmtree(base, ignore_errors=True)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_unreadable_folder_and_file_are_problems_and_keep_their_photos(world: Path) -> None:
    pics = world / "pics"
    for sub in ("open", "private"):
        for i in range(2):
            write_photo(pics / sub / f"{sub}_{i}.jpg", 160, 120, i, Shot(taken_at="2019:05:01 08:00:00"))
    secret = write_photo(pics / "open" / "secret.jpg", 160, 120, 9)
    library = world / "library"
    for path in [world, *world.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)

    first = _shoebox(library, "add", str(pics), "--workers", "1")
    assert first.returncode == 0, first.stderr
    (pics / "private").chmod(0o000)
    secret.chmod(0o000)
    secret.touch()  # changed, so it is read again
    second = _shoebox(library, "index", "--json", "--workers", "1")
    assert second.returncode == 0, second.stderr
    problems = {Path(p["path"]).name: p["reason"] for p in json.loads(_shoebox(library, "problems", "--json").stdout)}
    assert "permission denied" in problems["private"]
    assert "permission denied" in problems["secret.jpg"]
    listed = json.loads(_shoebox(library, "ls", "--json").stdout)
    assert len(listed) == 5, "photos in the unreadable folder must stay catalogued"
