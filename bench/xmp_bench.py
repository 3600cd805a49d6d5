"""XMP sidecar benchmark: Shoebox's writer and reader against libexiv2 on the same photos.

Prints, in one run, for N photos (generated with Pillow, indexed into a temporary library,
each with a rating, two tags and a caption):

1. ``shoebox xmp write`` creating N sidecars, then the same run again (nothing changed:
   every sidecar is read, hashed and found in step), then after every rating changed
   (every sidecar rewritten);
2. the baseline: libexiv2 (python-exiv2, the library darktable and digiKam use) creating
   the same N sidecars with the same three properties, and reading them back;
3. ``shoebox xmp read`` of N sidecars another tool changed (the three-way merge path);
4. first, what looking for sidecars adds to indexing N new photos that have none.

With ``--faces`` every photo also shows two named persons, so every sidecar carries two MWG
face regions (written, found in step, and read back through the three-way merge).

Usage: ``python3 bench/xmp_bench.py [--photos 2000] [--faces]`` (needs the test extra for exiv2).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import exiv2  # noqa: E402
from PIL import Image  # noqa: E402

from core.catalog.roots import add_root  # noqa: E402
from core.collections import set_caption, set_rating, tag_photos  # noqa: E402
from core.indexing.indexer import index_library  # noqa: E402
from core.library import Library  # noqa: E402
from core.xmp import read_sidecars, write_sidecars  # noqa: E402
from core.xmp.stage import SidecarStage  # noqa: E402


def timed(label: str, count: int, run) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(f"{label:<58} {seconds:7.2f} s  {count / seconds:8.0f} sidecars/s")
    return seconds


def exiv2_create(paths: list[str]) -> None:
    for path in paths:
        image = exiv2.ImageFactory.create(exiv2.ImageType.xmp, path + ".exiv2.xmp")
        data = exiv2.XmpData()
        data["Xmp.xmp.Rating"] = "4"
        data["Xmp.dc.subject"] = "family"
        data["Xmp.dc.subject"] = "summer"
        data["Xmp.dc.description"] = 'lang="x-default" At the lake'
        image.setXmpData(data)
        image.writeMetadata()


def exiv2_read(paths: list[str]) -> None:
    for path in paths:
        image = exiv2.ImageFactory.open(path + ".exiv2.xmp")
        image.readMetadata()
        _ = [d.toString() for d in image.xmpData()]


def name_two_faces(library: Library, ids: list[int]) -> None:
    """Ann and Ben in every photo, as a scan and two namings would leave them (rows written directly)."""
    with library.db.transaction() as conn:
        ann, ben = (conn.execute("INSERT INTO persons (name) VALUES (?)", (name,)).lastrowid for name in ("Ann", "Ben"))
        conn.executemany(
            "INSERT INTO faces (photo_id, x, y, w, h, person_id, source) VALUES (?, ?, 4, 8, 10, ?, 'manual')",
            [(photo_id, x, person) for photo_id in ids for x, person in ((2, ann), (18, ben))],
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=2000)
    parser.add_argument("--faces", action="store_true", help="two named faces in every photo")
    args = parser.parse_args()
    n = args.photos
    print(f"load average {os.getloadavg()[0]:.2f}, {os.cpu_count()} cores, {n} photos")
    with tempfile.TemporaryDirectory() as tmp:
        photos = Path(tmp) / "photos"
        for i in range(n):
            folder = photos / f"{i // 500:03d}"
            folder.mkdir(parents=True, exist_ok=True)
            Image.new("RGB", (32, 24), (i % 256, (i * 7) % 256, 90)).save(folder / f"IMG_{i:05d}.jpg", quality=60)
        with Library.open(Path(tmp) / "library") as library:
            add_root(library.db, str(photos))
            stats = index_library(library, workers=os.cpu_count() or 1)
            every = [row[0] for row in library.db.query("SELECT id FROM photos")]
            lookup_start = time.perf_counter()
            SidecarStage().run(library, every, lambda *_: None, None)  # what indexing adds when photos have no sidecars
            lookup = time.perf_counter() - lookup_start
            print(f"indexing {n} new photos: {stats.elapsed:.2f} s, of which the sidecar lookup {lookup * 1000:.1f} ms "
                  f"({lookup / stats.elapsed:.1%})")  # fmt: skip
            ids = [row[0] for row in library.db.query("SELECT id FROM photos ORDER BY id")]
            paths = [row[0] for row in library.db.query("SELECT path FROM photos ORDER BY id")]
            set_rating(library.db, ids, 4)
            tag_photos(library.db, ids, ["family", "summer"])
            set_caption(library.db, ids, "At the lake")
            if args.faces:
                name_two_faces(library, ids)

            created = timed("Shoebox: create (rating, 2 tags, caption)", n, lambda: write_sidecars(library, ids))
            timed("Shoebox: write again, nothing changed (read + hash)", n, lambda: write_sidecars(library, ids))
            set_rating(library.db, ids, 5)
            timed("Shoebox: rewrite after every rating changed", n, lambda: write_sidecars(library, ids))
            baseline = timed("libexiv2: create the same sidecars", n, lambda: exiv2_create(paths))
            exiv2_time = timed("libexiv2: read them back", n, lambda: exiv2_read(paths))
            for path in paths:  # another tool adds a keyword to each of Shoebox's sidecars
                sidecar = Path(path + ".xmp")
                sidecar.write_text(
                    sidecar.read_text().replace(
                        "<rdf:li>summer</rdf:li>", "<rdf:li>summer</rdf:li><rdf:li>lake</rdf:li>"
                    )
                )
            read = timed(
                "Shoebox: read sidecars changed elsewhere (3-way merge)", n, lambda: read_sidecars(library, ids)
            )
            print(f"create ratio Shoebox/libexiv2: {baseline / created:.2f}x the speed; "
                  f"merge-read vs libexiv2 plain read: {exiv2_time / read:.2f}x")  # fmt: skip


if __name__ == "__main__":
    main()
