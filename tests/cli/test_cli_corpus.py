"""The CLI on the real-photo corpus: every file is listed or explained, metadata matches exiftool."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.truth import DECISIONS, UNREADABLE, load_truth

JSON_KEYS = {"id", "path", "size", "sha256", "format", "kind", "width", "height", "orientation", "taken_at",
             "taken_at_source", "make", "model", "gps_lat", "gps_lon", "phash", "dhash"}  # fmt: skip


@pytest.fixture(scope="module")
def indexed(corpus: Path, tmp_path_factory: pytest.TempPathFactory):
    """The whole corpus added once through the CLI; returns (ls, problems)."""
    import io
    import json
    from contextlib import redirect_stdout

    from core.cli.main import main

    library = tmp_path_factory.mktemp("corpus-library")

    def run(*args: str) -> tuple[int, str]:
        out = io.StringIO()
        with redirect_stdout(out):
            code = main(["--library", str(library), *args])
        return code, out.getvalue()

    code, _ = run("add", str(corpus), "--workers", "2")
    assert code == 0
    code, ls_out = run("ls", "--json")
    assert code == 0
    code, problems_out = run("problems", "--json")
    assert code == 0
    return library, json.loads(ls_out), json.loads(problems_out), run


def test_every_file_is_listed_or_explained(indexed, corpus: Path) -> None:
    _lib, photos, problems, _run = indexed
    listed = {p["path"] for p in photos}
    explained = {p["path"] for p in problems}
    for truth in load_truth(corpus):
        path = str(corpus / truth.path)
        assert path in listed or path in explained, f"{truth.path} silently dropped"
    for name in UNREADABLE:
        assert str(corpus / name) in explained and str(corpus / name) not in listed
    truncated = str(corpus / "broken/DSCN0010_truncated.jpg")
    assert truncated in listed and truncated in explained
    assert all(p["reason"] for p in problems)


def test_json_contract(indexed) -> None:
    _lib, photos, _problems, _run = indexed
    assert photos, "nothing listed"
    for photo in photos:
        assert JSON_KEYS <= set(photo), photo
        assert photo["path"].startswith("/")
        assert photo["kind"] in ("photo", "video")
        assert len(photo["sha256"]) == 64
        for key in ("phash", "dhash"):
            assert photo[key] is None or (len(photo[key]) == 16 and int(photo[key], 16) >= 0)
        assert photo["orientation"] is None or 1 <= photo["orientation"] <= 8
        assert photo["taken_at"] is None or len(photo["taken_at"]) == 19
        for key in ("make", "model"):
            assert photo[key] is None or (photo[key] == photo[key].strip() and photo[key])


def test_metadata_matches_exiftool(indexed, corpus: Path) -> None:
    _lib, photos, _problems, _run = indexed
    by_path = {p["path"]: p for p in photos}
    mismatches = []
    for truth in load_truth(corpus):
        photo = by_path.get(str(corpus / truth.path))
        if photo is None:
            continue
        decided = DECISIONS.get(truth.path, {})
        for field in ("taken_at", "make", "model", "orientation", "width", "height"):
            expected = getattr(truth, field)
            if field in decided:
                expected = decided[field][0]
            if field == "taken_at" and expected is None:
                continue  # no valid DateTimeOriginal: another source is used (checked below)
            if photo[field] != expected:
                mismatches.append(f"{truth.path}: {field} {photo[field]!r} != {expected!r}")
        if truth.taken_at is not None:
            if photo["taken_at_source"] != "exif" and "taken_at" not in decided:
                mismatches.append(f"{truth.path}: taken_at_source {photo['taken_at_source']}")
        for field in ("gps_lat", "gps_lon"):
            expected = getattr(truth, field)
            if field in decided:
                expected = decided[field][0]
            got = photo[field]
            if (expected is None) != (got is None) or (expected is not None and abs(got - expected) > 1e-5):
                mismatches.append(f"{truth.path}: {field} {got!r} != {expected!r}")
    assert not mismatches, "\n".join(mismatches)


def test_filters_and_show(indexed, corpus: Path) -> None:
    import json

    _lib, _photos, _problems, run = indexed
    code, out = run("ls", "camera:nikon", "year:2008", "--json")
    nikons = json.loads(out)
    assert code == 0 and nikons
    assert all("nikon" in (p["make"] or "").lower() and p["taken_at"].startswith("2008") for p in nikons)
    path = str(corpus / "exif-samples/jpg/gps/DSCN0010.jpg")
    code, out = run("show", path, "--json")
    shown = json.loads(out)
    assert code == 0 and shown["model"] == "COOLPIX P6000" and shown["gps_lat"] == pytest.approx(43.4674483, abs=1e-5)
    code, out = run("ls", "--json", "colour:red")
    assert code == 2


def test_reindexing_the_corpus_reads_nothing(indexed) -> None:
    import json

    _lib, photos, _problems, run = indexed
    code, out = run("index", "--json")
    stats = json.loads(out)
    assert code == 0 and stats["indexed"] == 0 and stats["unchanged"] >= len(photos)
