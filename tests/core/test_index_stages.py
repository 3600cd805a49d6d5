"""Post-store index stages: the sidecars stage resumes by itself, `index --only`, the interface."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from PIL import Image

from core.catalog.photos import get_photo_by_path
from core.catalog.roots import add_root
from core.cli.progress import summary_line
from core.collections.annotations import annotations_of
from core.indexing.indexer import index_library
from core.indexing.progress import IndexProgress
from core.indexing.registry import stage_names
from core.indexing.stages import IndexStage, StageProgress, StageResult
from core.library import Library
from core.xmp.stage import SidecarStage

RATED = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="4"/></rdf:RDF></x:xmpmeta>'
)
#: A stage that kills its own process with SIGKILL: the run dies after the store, before the sidecars.
KILLED_AFTER_STORE = """
import os, signal, sys
from core.catalog.roots import add_root
from core.indexing.indexer import index_library
from core.indexing.stages import IndexStage
from core.library import Library
from core.xmp.stage import SidecarStage

class Dies(IndexStage):
    name, title, help = "dies", "Dying", "kill -9 this process"
    def pending(self, library):
        return []
    def run(self, library, photo_ids, progress, cancel):
        os.kill(os.getpid(), signal.SIGKILL)

library = Library.open(sys.argv[1])
add_root(library.db, sys.argv[2])
index_library(library, workers=1, stages=[Dies(), SidecarStage()])
"""


def rated_photo(path: Path) -> Path:
    """A JPEG with a Lightroom-style sidecar (``IMG.xmp``) giving it 4 stars."""
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (64, 48), (120, 80, 40)).save(path, "JPEG")
    path.with_suffix(".xmp").write_text(RATED)
    return path


def rating(library: Library, path: Path) -> int | None:
    photo = get_photo_by_path(library.db, str(path))
    assert photo is not None, f"{path} is not catalogued"
    return annotations_of(library.db, [photo.id])[photo.id].rating


def test_a_run_killed_between_the_store_and_the_stage_reads_the_sidecars_next_time(tmp_path: Path) -> None:
    photo = rated_photo(tmp_path / "photos/IMG_1.jpg")
    script = [sys.executable, "-c", KILLED_AFTER_STORE, str(tmp_path / "library"), str(tmp_path / "photos")]
    died = subprocess.run(script, capture_output=True, cwd=Path(__file__).resolve().parents[2], check=False)
    assert died.returncode == -9, died.stderr.decode()
    with Library.open(tmp_path / "library") as library:
        assert rating(library, photo) is None  # stored, its sidecar not read yet
        again = index_library(library, workers=1)
        assert (again.indexed, again.unchanged, again.sidecars_read) == (0, 1, 1)
        assert rating(library, photo) == 4
        assert index_library(library, workers=1).sidecars_read == 0  # done once


def test_a_run_stopped_during_the_stage_leaves_the_rest_for_the_next(library: Library, tmp_path: Path) -> None:
    photos = [rated_photo(tmp_path / f"photos/{folder}/IMG_1.jpg") for folder in ("a", "b")]
    add_root(library.db, str(tmp_path / "photos"))
    stop = threading.Event()

    def stop_at_the_stage(progress: IndexProgress) -> None:
        if progress.phase == "sidecars":
            stop.set()

    stopped = index_library(library, workers=1, progress=stop_at_the_stage, cancel=stop)
    assert stopped.cancelled and stopped.stored == 2 and stopped.sidecars_read == 0
    assert "cancelled" in summary_line(stopped)
    resumed = index_library(library, workers=1)
    assert not resumed.cancelled and resumed.sidecars_read == 2
    assert [rating(library, p) for p in photos] == [4, 4]


def test_index_only_runs_one_stage_over_what_it_has_not_done(library: Library, tmp_path: Path, cli) -> None:
    photo = rated_photo(tmp_path / "photos/IMG_1.jpg")
    add_root(library.db, str(tmp_path / "photos"))
    SidecarStage().prepare(library)
    index_library(library, workers=1, stages=[])  # what a run killed after the store leaves
    first = cli("index", "--only", "sidecars")
    assert first.code == 0 and first.out.startswith("sidecars: read 1 XMP sidecar (ratings, keywords, captions)")
    assert rating(library, photo) == 4
    second = cli("index", "--only", "sidecars", "--json")
    assert second.code == 0
    figures = json.loads(second.out)
    assert figures["sidecars_read"] == 0 and figures["files_seen"] == 0  # nothing scanned
    assert figures["stages"] == [{"stage": "sidecars", "photos": 0, "read": 0, "summary": "", "cancelled": False}]


def test_index_only_an_unknown_stage_exits_2_naming_the_stages(library: Library, tmp_path: Path, cli) -> None:
    add_root(library.db, str(tmp_path))
    wrong = cli("index", "--only", "faces-maybe")
    assert wrong.code == 2
    assert "there is no index stage 'faces-maybe'" in wrong.err and "sidecars" in wrong.err
    assert cli("index", "--only", "sidecars", str(tmp_path)).code == 2  # a stage runs over the whole library


def test_index_help_lists_the_registered_stages(tmp_path: Path) -> None:
    shown = subprocess.run([sys.executable, "-m", "core.cli.main", "index", "--help"], capture_output=True, text=True,
                           cwd=Path(__file__).resolve().parents[2], check=True).stdout  # fmt: skip
    for name in stage_names():
        assert f"  {name} " in shown
    assert "read ratings, keywords and captions from the XMP sidecars of new photos" in shown


def test_json_keeps_every_key_scripts_read_and_adds_stages(library: Library, tmp_path: Path, cli) -> None:
    rated_photo(tmp_path / "photos/IMG_1.jpg")
    add_root(library.db, str(tmp_path / "photos"))
    figures = json.loads(cli("index", "--json").out)
    assert list(figures) == [
        "roots", "files_seen", "unchanged", "indexed", "stored", "problems", "missing", "bytes_read", "elapsed",
        "cancelled", "thumbnails_failed", "thumbnail_problem", "sidecars_read", "stages",
    ]  # fmt: skip
    assert figures["sidecars_read"] == 1 and figures["stages"][0]["read"] == 1


class Counts(IndexStage):
    """A stage as a capability writes one: a class with a name, a help line, pending and run."""

    name, title, help = "counts", "Counting", "count the photos stored since the last count"

    def __init__(self) -> None:
        self.done: set[int] = set()

    def pending(self, library: Library) -> list[int]:
        return [r[0] for r in library.db.query("SELECT id FROM photos ORDER BY id") if r[0] not in self.done]

    def run(self, library: Library, photo_ids: Sequence[int] | None, progress: StageProgress,
            cancel: threading.Event | None) -> StageResult:  # fmt: skip
        ids = self.pending(library) if photo_ids is None else list(photo_ids)
        for done, photo_id in enumerate(ids, 1):
            self.done.add(photo_id)
            progress(done, len(ids))
        return StageResult(self.name, photos=len(ids), figures={"counted": len(ids)}, summary=f"counted {len(ids)}")


def test_a_stage_runs_after_the_store_in_order_with_its_own_phase_and_summary(library: Library, tmp_path: Path) -> None:
    rated_photo(tmp_path / "photos/IMG_1.jpg")
    rated_photo(tmp_path / "photos/IMG_2.jpg")
    add_root(library.db, str(tmp_path / "photos"))
    phases: list[str] = []
    counts = Counts()
    stats = index_library(library, workers=1, stages=[SidecarStage(), counts],
                          progress=lambda p: phases.append(p.phase))  # fmt: skip
    assert [r.stage for r in stats.stages] == ["sidecars", "counts"]
    assert stats.stage_figure("counts", "counted") == 2 and stats.sidecars_read == 2
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == [
        "scanning", "indexing", "sidecars", "counts", "done"]  # fmt: skip
    line = summary_line(stats)
    assert line.endswith("; read 2 XMP sidecars (ratings, keywords, captions); counted 2")
    assert index_library(library, workers=1, stages=[counts]).stage_figure("counts", "counted") == 0


def test_photos_catalogued_before_the_first_run_with_stages_are_not_read_unasked(
    library: Library, tmp_path: Path
) -> None:
    photo = rated_photo(tmp_path / "photos/IMG_1.jpg")
    add_root(library.db, str(tmp_path / "photos"))
    index_library(library, workers=1, stages=[])  # a library from before stages: no checkpoint
    with library.db.transaction() as conn:
        conn.execute("UPDATE photos SET indexed_at = '2024-05-01T10:00:00'")
    assert SidecarStage().pending(library) == []
    assert index_library(library, workers=1).sidecars_read == 0
    assert rating(library, photo) is None  # a rating given in Shoebox would have been replaced
