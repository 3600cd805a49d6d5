"""The face scan on the corpus' portraits, in a real library: faces per photo, a scan that
resumes (a second run, a SIGKILL), files that cannot be decoded or read now, faces a person
already placed, and the ``shoebox people scan|auto`` commands."""

from __future__ import annotations

import csv
import os
import shutil
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from core.catalog.roots import add_root
from core.demo.pictures import Shot, write_photo
from core.indexing.indexer import index_library
from core.library import Library
from core.people.model import DLIB_MODEL_ID
from core.people.scan import RETRY_NOTE, scan_photos
from core.people.settings import auto_scan, set_auto_scan
from core.people.stage import FacesStage
from tests.kill import count_rows, kill_when, start_shoebox

#: Faces in a truth photo besides its listed people: Obama's daughter stands in front of
#: him and Biden (a real, unlisted face the detector rightly finds).
UNLISTED_FACES = {"faces/obama_and_biden.jpg": 1}


def _truth(corpus: Path) -> dict[str, int]:
    """Faces expected in each corpus photo, by its path."""
    with open(corpus / "faces_truth.tsv", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {str(corpus / r["path"]): len(r["people"].split(",")) + UNLISTED_FACES.get(r["path"], 0) for r in rows}


def _library_of(directory: Path, *roots: Path) -> Library:
    library = Library.open(directory)
    for root in roots:
        add_root(library.db, str(root))
    index_library(library, workers=1)
    return library


def _faces_by_path(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        rows = conn.execute("SELECT p.path, count(f.id) FROM photos p LEFT JOIN faces f ON f.photo_id = p.id "
                            "GROUP BY p.id").fetchall()  # fmt: skip
    finally:
        conn.close()
    return dict(rows)


@pytest.fixture(scope="module")
def scanned(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """The corpus faces folder indexed and scanned once (the pool: 2 workers)."""
    library = _library_of(tmp_path_factory.mktemp("faces") / "library", corpus / "faces")
    stats = scan_photos(library, workers=2)
    yield library, stats
    library.close()


def test_every_photo_has_its_faces(scanned, corpus: Path) -> None:
    library, stats = scanned
    truth = _truth(corpus)
    assert _faces_by_path(library.db.path) == truth
    assert (stats.scanned, stats.faces, stats.skipped, stats.cancelled) == (len(truth), sum(truth.values()), [], False)
    rows = library.db.query("SELECT model, faces, error FROM face_scans")
    assert len(rows) == len(truth) and {(r[0], r[2]) for r in rows} == {(DLIB_MODEL_ID, None)}
    assert sum(r[1] for r in rows) == sum(truth.values())
    for model, vector, source in library.db.query("SELECT model, vector, source FROM faces"):
        assert (model, len(vector), source) == (DLIB_MODEL_ID, 128 * 4, "auto")  # grouping is tested in test_persons


def test_a_second_scan_scans_nothing(scanned) -> None:
    library, _ = scanned
    before = library.db.scalar("SELECT count(*) FROM faces")
    again = scan_photos(library, workers=2)
    assert (again.scanned, again.faces, again.skipped) == (0, 0, [])
    assert library.db.scalar("SELECT count(*) FROM faces") == before


def test_a_corrupt_jpeg_is_skipped_with_its_reason_once(corpus: Path, tmp_path: Path) -> None:
    pics = tmp_path / "pics"
    write_photo(pics / "whole.jpg", 800, 600, 1, Shot())
    data = (pics / "whole.jpg").read_bytes()
    (pics / "cut.jpg").write_bytes(data[: len(data) // 3])  # the indexer keeps its metadata, no pixels
    library = _library_of(tmp_path / "library", corpus / "faces" / "obama", pics)
    stats = scan_photos(library, workers=1)
    assert stats.scanned == 3 and stats.faces == 2
    [(path, reason)] = stats.skipped
    assert path == str(pics / "cut.jpg") and "cannot be decoded" in reason and RETRY_NOTE not in reason
    [(error,)] = library.db.query("SELECT s.error FROM face_scans s JOIN photos p ON p.id = s.photo_id "
                                  "WHERE p.path = ?", (path,))  # fmt: skip
    assert error == reason
    assert scan_photos(library, workers=1).skipped == []  # recorded: not tried again under this model
    library.close()


def test_a_file_gone_now_is_tried_again_next_scan(tmp_path: Path) -> None:
    pics = tmp_path / "pics"
    for i in range(2):
        write_photo(pics / f"p{i}.jpg", 640, 480, i, Shot())
    library = _library_of(tmp_path / "library", pics)
    hidden = pics / "p1.jpg"
    hidden.rename(tmp_path / "away.jpg")
    first = scan_photos(library, workers=1)
    assert first.scanned == 1 and [p for p, _ in first.skipped] == [str(hidden)]
    assert "gone" in first.skipped[0][1] and RETRY_NOTE in first.skipped[0][1]
    (tmp_path / "away.jpg").rename(hidden)
    second = scan_photos(library, workers=1)
    assert (second.scanned, second.skipped) == (1, [])
    assert library.db.scalar("SELECT count(*) FROM face_scans WHERE error IS NULL") == 2
    library.close()


def test_a_face_already_placed_by_a_person_keeps_its_row(corpus: Path, tmp_path: Path) -> None:
    library = _library_of(tmp_path / "library", corpus / "faces" / "biden")
    photo_id = library.db.scalar("SELECT id FROM photos WHERE path LIKE '%biden2.jpg'")
    with library.db.transaction() as conn:  # a face drawn by hand (or read from XMP): no vector yet
        person = conn.execute("INSERT INTO persons (name) VALUES ('Joe')").lastrowid
        face = conn.execute("INSERT INTO faces (photo_id, x, y, w, h, person_id, source) "
                            "VALUES (?, 450, 300, 430, 430, ?, 'manual')", (photo_id, person)).lastrowid  # fmt: skip
    stats = scan_photos(library, workers=1)
    assert stats.scanned == 2 and stats.faces == 1  # biden.jpg's face is new; biden2's was there
    [row] = library.db.query(
        "SELECT id, x, person_id, source, model, vector FROM faces WHERE photo_id = ?", (photo_id,)
    )
    assert tuple(row[:5]) == (face, 450, person, "manual", DLIB_MODEL_ID) and len(row[5]) == 128 * 4
    library.close()


def test_a_cancelled_scan_stops_and_the_next_one_finishes(corpus: Path, tmp_path: Path) -> None:
    library = _library_of(tmp_path / "library", corpus / "faces" / "kit_harington", corpus / "faces" / "obama")
    cancel = threading.Event()
    seen = []

    def progress(state) -> None:
        seen.append((state.phase, state.done, state.total))
        if state.done >= 1:
            cancel.set()

    first = scan_photos(library, workers=1, progress=progress, cancel=cancel)
    # Progress is reported a few times a second, so the stop may come a photo or two later.
    assert first.cancelled and 1 <= first.scanned < 4 and seen[0] == ("scanning", 0, 4) and seen[-1][0] == "done"
    second = scan_photos(library, workers=1)
    assert (second.scanned, second.faces, second.cancelled) == (4 - first.scanned, 4 - first.faces, False)
    library.close()


def test_the_index_stage_scans_only_when_auto_is_on(cli, corpus: Path, tmp_path: Path) -> None:
    folder = tmp_path / "pics"
    folder.mkdir()
    shutil.copy(corpus / "faces" / "obama" / "obama.jpg", folder / "a.jpg")
    assert cli("add", str(folder), "--json").code == 0
    library = Library.open(tmp_path / "library")
    assert not auto_scan(library) and library.db.scalar("SELECT count(*) FROM face_scans") == 0
    set_auto_scan(library, True)
    assert auto_scan(library)
    assert FacesStage().pending(library) == [library.db.scalar("SELECT id FROM photos")]
    shutil.copy(corpus / "faces" / "obama" / "obama2.jpg", folder / "b.jpg")
    out = cli("index", "--json").json()  # the new photo, and the one added before auto was on
    [faces] = [s for s in out["stages"] if s["stage"] == "faces"]
    assert faces["photos"] == 2 and faces["faces"] == 2 and faces["summary"].startswith("found 2 faces")
    assert FacesStage().pending(library) == []
    assert cli("index", "--only", "faces", "--json").json()["stages"][0]["photos"] == 0
    library.close()


def test_people_scan_and_auto_commands(cli, corpus: Path, tmp_path: Path) -> None:
    assert cli("add", str(corpus / "faces" / "rose_leslie"), "--json").code == 0
    result = cli("people", "scan", "--json", "--workers", "1")
    assert result.code == 0
    out = result.json()
    assert set(out) == {
        "model",
        "scanned",
        "faces",
        "skipped",
        "persons_formed",
        "faces_joined",
        "elapsed",
        "cancelled",
    }
    assert (out["model"], out["scanned"], out["faces"], out["skipped"]) == (DLIB_MODEL_ID, 2, 2, [])
    text = cli("people", "scan")
    assert text.code == 0 and text.out.startswith("0 photos scanned") and len(text.out.splitlines()) == 1
    assert cli("people", "auto").out.strip().endswith(": off")
    assert cli("people", "auto", "on").code == 0
    assert "[people]\nauto = true" in (tmp_path / "library" / "config.toml").read_text()
    assert cli("people", "auto", "--json").json() == {"auto": True}
    assert cli("people", "auto", "off").out.strip().endswith(": off")
    bad = cli("people", "scan", "--workers", "0")
    assert bad.code == 2 and "out of range" in bad.err


def test_sigkill_midway_then_rerun_scans_each_photo_once(cli, corpus: Path, tmp_path: Path) -> None:
    fillers = tmp_path / "fillers"  # faceless 12 MP-ish landscapes: the run lasts long enough to be killed
    for i in range(12):
        write_photo(fillers / f"land_{i:02d}.jpg", 2400, 1800, i, Shot())
    library_dir = tmp_path / "library"
    _library_of(library_dir, corpus / "faces", fillers).close()
    total = 10 + 12
    db = library_dir / "catalog.db"
    scans = "SELECT count(*) FROM face_scans"
    proc = start_shoebox(library_dir, "people", "scan", "--workers", "2")
    assert kill_when(proc, lambda: count_rows(db, scans) > 0, timeout=120), (
        "the scan finished before it could be killed"
    )
    killed_at = count_rows(db, scans)
    assert 0 < killed_at < total

    resumed = cli("people", "scan", "--json", "--workers", "2")
    assert resumed.code == 0
    assert resumed.json()["scanned"] == total - killed_at
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*), count(DISTINCT photo_id) FROM face_scans").fetchone() == (total, total)
        per_scan = conn.execute("SELECT s.faces, (SELECT count(*) FROM faces f WHERE f.photo_id = s.photo_id) "
                                "FROM face_scans s").fetchall()  # fmt: skip
        assert all(recorded == stored for recorded, stored in per_scan)  # no face written twice
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    faces = _faces_by_path(db)
    assert {path: faces[path] for path in _truth(corpus)} == _truth(corpus)
    assert sum(faces.values()) == sum(_truth(corpus).values())  # the landscapes have none


def test_watch_scans_the_photos_it_indexes_when_auto_is_on(corpus: Path, tmp_path: Path) -> None:
    from core.watch.changes import apply_changes

    folder = tmp_path / "pics"
    folder.mkdir()
    library = Library.open(tmp_path / "library")
    add_root(library.db, str(folder))
    set_auto_scan(library, True)
    new = folder / "new.jpg"
    shutil.copy(corpus / "faces" / "biden" / "biden.jpg", new)
    stats = apply_changes(library, [str(new)], [])
    assert stats.indexed == 1
    [faces] = [result for result in stats.stages if result.stage == "faces"]
    assert faces.photos == 1 and faces.figures["faces"] == 1
    assert library.db.scalar("SELECT count(*) FROM face_scans") == 1
    set_auto_scan(library, False)  # off: a new photo waits for `people scan`
    other = folder / "other.jpg"
    shutil.copy(corpus / "faces" / "obama" / "obama.jpg", other)
    assert apply_changes(library, [str(other)], []).stages == []
    assert library.db.scalar("SELECT count(*) FROM face_scans") == 1
    library.close()


def test_a_worker_killed_mid_scan_loses_no_photo(corpus: Path, tmp_path: Path) -> None:
    """The OOM killer's way: one worker of a CLI scan dies; its photo is scanned again alone."""
    from tests.cli.test_hostile_input import _workers_of

    fillers = tmp_path / "fillers"
    for i in range(8):
        write_photo(fillers / f"land_{i:02d}.jpg", 2400, 1800, i, Shot())
    library_dir = tmp_path / "library"
    _library_of(library_dir, corpus / "faces", fillers).close()
    db = library_dir / "catalog.db"
    proc = start_shoebox(library_dir, "people", "scan", "--workers", "2")
    killed = None
    deadline = time.monotonic() + 300
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        workers = _workers_of(proc.pid)
        if workers and count_rows(db, "SELECT count(*) FROM face_scans") > 0:
            os.kill(workers[0], signal.SIGKILL)
            killed = workers[0]
        time.sleep(0.01)
    proc.wait(timeout=300)
    if not killed:
        pytest.skip("the scan finished before a worker could be killed")
    assert proc.returncode == 0
    assert count_rows(db, "SELECT count(*) FROM face_scans WHERE error IS NULL") == 10 + 8
    faces = _faces_by_path(db)
    assert {path: faces[path] for path in _truth(corpus)} == _truth(corpus)
