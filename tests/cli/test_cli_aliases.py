"""From outside, with real `shoebox` processes: aliased roots and links lose no bytes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.demo.pictures import Shot
from core.trash.files import sha256_of
from tests.duplicates.pictures import save, scene


def shoebox(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "core.cli.main", "--library", str(library), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env={**os.environ, "TZ": "UTC"})


def every_file(folder: Path) -> dict[str, str]:
    found = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(dirpath) / name
            if not path.is_symlink():
                found[str(path.relative_to(folder))] = sha256_of(path)
    return found


def test_aliased_roots_and_links_lose_no_bytes(tmp_path: Path) -> None:
    photos, other, library = tmp_path / "photos", tmp_path / "other", tmp_path / "library"
    save(scene(91), photos / "X.jpg", Shot(taken_at="2020:01:01 10:00:00"))
    save(scene(92), photos / "b_real.jpg")
    save(scene(93), photos / "sub" / "Z.jpg")
    (photos / "a_link.jpg").symlink_to(photos / "b_real.jpg")
    (photos / "everything").symlink_to("/", target_is_directory=True)
    other.mkdir()
    shutil.copy2(photos / "X.jpg", other / "X copy.jpg")  # true copies, in an ordinary root
    shutil.copy2(photos / "sub" / "Z.jpg", other / "Z copy.jpg")
    (tmp_path / "alias").symlink_to(photos, target_is_directory=True)
    before = every_file(photos)

    assert shoebox(library, "add", str(photos), "--reference", "--workers", "1").returncode == 0
    again = shoebox(library, "add", str(tmp_path / "alias"), "--workers", "1")
    assert again.returncode == 1 and "same folder as the root" in again.stderr
    assert again.stderr.count("\n") == 1 and "Traceback" not in again.stderr
    nested = shoebox(library, "add", str(tmp_path / "alias" / "sub"), "--workers", "1")  # a root inside a root
    assert nested.returncode == 0 and "is inside the root" in nested.stderr
    assert shoebox(library, "add", str(other), "--workers", "1").returncode == 0
    listing = json.loads(shoebox(library, "ls", "--json").stdout)
    assert sorted(Path(p["path"]).name for p in listing) == ["X copy.jpg", "X.jpg", "Z copy.jpg", "Z.jpg", "b_real.jpg"]

    plan = shoebox(library, "dupes", "--exact-only", "--resolve", "auto", "--dry-run", "--json")
    assert plan.returncode == 0, plan.stderr
    assert sum(len(r["trashed"]) for r in json.loads(plan.stdout)) <= 2
    resolved = shoebox(library, "dupes", "--exact-only", "--resolve", "auto", "--json")
    assert resolved.returncode == 0, resolved.stderr
    purged = shoebox(library, "trash", "purge", "--older-than", "0s", "--json")
    assert purged.returncode == 0, purged.stderr
    assert every_file(photos) == before  # the reference folder, whatever path led there: untouched
    assert (photos / "a_link.jpg").read_bytes() == (photos / "b_real.jpg").read_bytes()
