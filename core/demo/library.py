"""Building the demo library: a few years of generated trips from several cameras, and
portraits of a few drawn people (:mod:`core.demo.cast`) for the people pane."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

from core.demo.cast import demo_portraits, first_portraits
from core.demo.pictures import Shot, exif_for, write_photo
from core.library import Library

CAMERAS = (("NIKON", "COOLPIX P6000"), ("Canon", "Canon EOS 40D"), ("Apple", "iPhone 13 Pro"), ("FUJIFILM", "X100V"))
PLACES = ((43.4674, 11.8851, "Tuscany"), (60.1467, 24.9068, "Helsinki"), (40.4470, -3.7248, "Madrid"),
          (-33.8568, 151.2153, "Sydney"), (39.0513, -94.2888, "Kansas City"))  # fmt: skip


def make_demo_photos(folder: Path, count: int = 60, seed: int = 7) -> list[Path]:
    """Write ``count`` photos in trip folders under ``folder``, with one exact and one resized copy."""
    rng = random.Random(seed)
    paths: list[Path] = []
    for index in range(count):
        year = 2019 + index * 5 // count
        month = 1 + (index * 7) % 12
        day = 1 + (index * 3) % 27
        make, model = CAMERAS[index % len(CAMERAS)]
        lat, lon, place = PLACES[(index // 6) % len(PLACES)]
        shot = Shot(
            taken_at=f"{year}:{month:02d}:{day:02d} {9 + index % 10:02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}",
            make=make,
            model=model,
            gps=(lat + rng.uniform(-0.01, 0.01), lon + rng.uniform(-0.01, 0.01)) if index % 3 else None,
        )
        name = f"{year}-{month:02d} {place}/IMG_{1000 + index}.jpg"
        paths.append(write_photo(folder / name, 1024, 768, seed * 1000 + index, shot))
    # A couple of copies, so the duplicates pane has something to show.
    copies = folder / "Copies"
    copies.mkdir(exist_ok=True)
    shutil.copy2(paths[0], copies / paths[0].name)
    from PIL import Image

    with Image.open(paths[1]) as img:
        exif = img.getexif()
        img.resize((512, 384)).save(copies / f"small_{paths[1].name}", quality=80, exif=exif.tobytes())
    return paths


#: The folder (under the demo's photos) the portraits go to.
PORTRAITS_FOLDER = "People"


def make_demo_portraits(folder: Path) -> list[tuple[Path, tuple[str, ...]]]:
    """Write the demo's portraits as JPEGs (with a date and a camera) in ``folder/People``;
    return each file with the persons in it, left to right (the truth a face scan should find)."""
    written = []
    for index, portrait in enumerate(demo_portraits()):
        shot = Shot(taken_at=f"{2021 + index % 4}:{1 + index * 5 % 12:02d}:{1 + index * 2 % 27:02d} 1{index % 10}:30:00",
                    make="Apple", model="iPhone 13 Pro")  # fmt: skip
        path = folder / PORTRAITS_FOLDER / portrait.name
        path.parent.mkdir(parents=True, exist_ok=True)
        portrait.image.save(path, "JPEG", quality=90, exif=exif_for(shot).tobytes())
        written.append((path, portrait.people))
    return written


def name_demo_people(library: Library) -> list[str]:
    """Name each demo person on their first portrait, as a user would once (their other photos
    follow through the grouping; the stranger stays unnamed). Only on a library with no names yet."""
    from core.people.corrections import name_person
    from core.people.store import list_faces, list_persons

    if any(person.name for person in list_persons(library.db, include_hidden=True)):
        return []
    named = []
    every_face = list_faces(library.db)  # naming with new, distinct names moves no face
    for name, file_name in first_portraits().items():
        faces = [f for f in every_face if f.path.endswith(f"/{PORTRAITS_FOLDER}/{file_name}")]
        if len(faces) == 1 and faces[0].person_id is not None:
            name_person(library.db, faces[0].person_id, name)
            named.append(name)
    return named


def curate_demo(library: Library) -> None:
    """Albums, tags and ratings on the demo photos (once), so every pane has something to show."""
    from core.catalog.photos import iter_photos
    from core.collections import add_to_album, create_album, list_albums, set_favourite, set_rating, tag_photos

    if list_albums(library.db):
        return
    photos = list(iter_photos(library.db))
    for place in ("Tuscany", "Madrid", "Sydney"):
        members = [p.id for p in photos if f" {place}/" in p.path]
        if members:
            add_to_album(library.db, create_album(library.db, f"{place} trip").id, members)
    best = [p.id for p in photos[::7]]
    add_to_album(library.db, create_album(library.db, "Best of").id, best)
    set_rating(library.db, best, 5)
    set_favourite(library.db, best[::2], True)
    tag_photos(library.db, [p.id for p in photos[::5]], ["family"])
