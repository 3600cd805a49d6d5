"""Resolving duplicates when the trash's disk (the library's) is full: every copy stays where it was
or is in the trash with its record, each failure is named, and nothing half-copied is left."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.small_disk import in_small_disk


def test_trash_on_a_full_disk_leaves_the_copies_in_place(tmp_path: Path) -> None:
    from PIL import Image

    photos = tmp_path / "photos"
    photos.mkdir()
    for index in range(3):
        original = photos / f"IMG_{index}.jpg"
        Image.effect_noise((1200, 900), 60 + index).convert("RGB").save(original, quality=95)  # ~1 MB, incompressible
        for copy in range(2):
            shutil.copy(original, photos / f"copy{copy}_IMG_{index}.jpg")
    before = {p.name: p.read_bytes() for p in photos.iterdir()}
    library = tmp_path / "library"
    library.mkdir()
    result = in_small_disk(library, "1500k", f"""
        SHOEBOX add {photos} > /dev/null || exit 98
        SHOEBOX dupes --resolve auto; echo "resolve=$?"
        SHOEBOX trash ls --json > {tmp_path}/trash.json
        find {library}/trash -type f | wc -l > {tmp_path}/trash-files.txt
    """, library)
    assert result.returncode != 98, result.stderr
    assert "resolve=1" in result.stdout and "No space left on device" in result.stdout
    import json

    trashed = json.loads((tmp_path / "trash.json").read_text())
    in_trash_dir = int((tmp_path / "trash-files.txt").read_text())
    assert len(trashed) == in_trash_dir >= 1  # every file in the trash has its record, and no stray partial copy
    left = {p.name for p in photos.iterdir()}
    assert left | {Path(t["path"]).name for t in trashed} == set(before)  # each copy in place or trashed
    assert all((photos / name).read_bytes() == before[name] for name in left)
