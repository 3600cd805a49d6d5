"""Verification on worker processes finds the same groups as one by one; it stops when cancelled;
keeper signals read a folder once."""

from __future__ import annotations

import multiprocessing
import os
import threading
from pathlib import Path

import pytest
from PIL import ImageEnhance

import core.duplicates.finder as finder
from core.catalog.roots import add_root
from core.demo.pictures import Shot
from core.duplicates import Cancelled, find_groups, parallel
from core.duplicates.parallel import VerifyPool
from core.duplicates.signals import SignalReader
from core.indexing.indexer import index_library
from core.library import Library
from tests.duplicates.pictures import burst, cropped, save, scene

CAMERA = dict(make="Canon", model="Canon EOS 40D")


@pytest.fixture(scope="module")
def photos(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight scenes with three kinds of copy each, and two bursts: many candidate pairs."""
    root = tmp_path_factory.mktemp("photos")
    for seed in range(8):
        original = scene(40 + seed)
        save(original, root / f"s{seed}/orig.jpg", Shot(taken_at=f"2021:06:0{1 + seed} 12:00:00", **CAMERA))
        save(original.resize((320, 240)), root / f"s{seed}/small.jpg", quality=60)
        save(cropped(original, 0.92), root / f"s{seed}/cropped.jpg")
        save(ImageEnhance.Brightness(original).enhance(1.2), root / f"s{seed}/bright.jpg")
    for seed in (5, 9):
        first, second = burst(seed)
        save(first, root / f"burst{seed}/IMG_1.jpg", Shot(taken_at="2021:07:01 12:00:09", **CAMERA))
        save(second, root / f"burst{seed}/IMG_2.jpg", Shot(taken_at="2021:07:01 12:00:09", **CAMERA))
    return root


def indexed(photos: Path, where: Path) -> Library:
    library = Library.open(where)
    add_root(library.db, str(photos))
    index_library(library, workers=1)
    return library


def summary(groups: list) -> list[tuple[tuple[int, ...], int, str, tuple]]:
    return [
        (
            tuple(g.photo_ids),
            g.keeper_id,
            g.keeper_reason,
            tuple((link.first_id, link.second_id, link.reason) for link in g.links),
        )
        for g in groups
    ]


def test_workers_find_the_same_groups_as_one_by_one(
    photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(finder, "POOL_FROM_PAIRS", 0)  # this library is small: use the pool anyway
    monkeypatch.setattr(finder, "VERIFY_BATCH_PER_WORKER", 3)  # many batches, a pair joined within one
    batches: list[int] = []
    verify = VerifyPool.verify

    def counted(self: VerifyPool, pairs: list) -> list:
        batches.append(len(pairs))
        return verify(self, pairs)

    monkeypatch.setattr(VerifyPool, "verify", counted)
    with indexed(photos, tmp_path / "serial") as library:
        serial = find_groups(library, workers=1)
    assert batches == []
    with indexed(photos, tmp_path / "parallel") as library:
        parallel = find_groups(library, workers=2)
    assert len(batches) > 1, "the pairs went to the worker processes in batches"
    assert summary(parallel) == summary(serial)
    assert len(serial) == 8 and all(len(g.photos) == 4 for g in serial)


def test_cancel_stops_the_workers(photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(finder, "POOL_FROM_PAIRS", 0)
    monkeypatch.setattr(finder, "VERIFY_BATCH_PER_WORKER", 1)
    cancel = threading.Event()
    seen = []

    def progress(p: finder.FindProgress) -> None:
        if p.stage == "verifying":
            seen.append(p.done)
            cancel.set()  # after the first batch

    with indexed(photos, tmp_path / "library") as library:
        with pytest.raises(Cancelled):
            find_groups(library, workers=2, cancel=cancel, progress=progress)
        assert seen == [2]
        assert multiprocessing.active_children() == []  # the pool was shut down
        assert len(find_groups(library, workers=2)) == 8  # verdicts stored before the cancel are kept


def test_siblings_are_counted_once_per_folder(photos: Path, tmp_path: Path) -> None:
    """One query per folder, not one scan of the folder per member (quadratic in a big folder)."""
    with indexed(photos, tmp_path / "library") as library:
        members = [p for p in finder._photos_by_id(library.db, set(range(1, 100))).values()]
        statements: list[str] = []
        library.db.conn.set_trace_callback(statements.append)
        reader = SignalReader(library.db, root_paths={})
        counts = {p.id: reader._siblings(p) for p in members}
        library.db.conn.set_trace_callback(None)
        folder_queries = [s for s in statements if "WHERE folder = " in s]
        assert len(folder_queries) == len({p.folder for p in members}) == 10
        one_by_one = {
            p.id: library.db.scalar(
                "SELECT count(*) FROM photos WHERE folder = ? AND status = 'present' AND coalesce(substr(taken_at, 1, 10), '') = ?"
                " AND coalesce(make, '') = ? AND coalesce(model, '') = ?",
                (p.folder, (p.taken_at or "")[:10], p.make or "", p.model or ""),
            )
            for p in members
        }
        assert counts == one_by_one and set(counts.values()) == {1, 2, 3}  # original alone, bursts, copies


def _die(_pairs: list) -> list:
    os._exit(9)  # a worker killed midway (the OOM killer, a crashing decoder)


def test_a_worker_that_dies_leaves_the_pairs_to_this_process(
    photos: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with indexed(photos, tmp_path / "serial") as library:
        serial = find_groups(library, workers=1)
    monkeypatch.setattr(finder, "POOL_FROM_PAIRS", 0)
    monkeypatch.setattr(parallel, "_verify_chunk", _die)
    with indexed(photos, tmp_path / "parallel") as library:
        assert summary(find_groups(library, workers=2)) == summary(serial)
