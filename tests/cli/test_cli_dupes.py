"""`shoebox dupes` and `shoebox trash` on generated photos: output shapes, exit codes, round trips."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

import pytest

from core.demo.pictures import Shot
from core.trash.files import sha256_of
from tests.duplicates.pictures import save, scene


@pytest.fixture
def added(tmp_path: Path, cli) -> Path:
    root = tmp_path / "photos"
    original = scene(61)
    save(original, root / "a/IMG_1.jpg", Shot(taken_at="2020:02:02 10:00:00", make="Canon", model="EOS"))
    save(original.resize((320, 240)), root / "b/IMG_1_small.jpg")
    (root / "c").mkdir()
    shutil.copy2(root / "a/IMG_1.jpg", root / "c/IMG_1_copy.jpg")
    save(scene(62), root / "a/IMG_2.jpg")
    assert cli("add", str(root), "--workers", "1").code == 0
    return root


def test_dupes_json_shape(added: Path, cli) -> None:
    result = cli("dupes", "--json")
    assert result.code == 0
    [group] = result.json()
    assert {"kind", "keep", "photos", "distance"} <= set(group)
    assert group["kind"] == "near" and isinstance(group["distance"], int)
    assert group["keep"] == str(added / "a/IMG_1.jpg") and group["photos"][0] == group["keep"]
    assert set(group["photos"]) == {str(added / p) for p in ("a/IMG_1.jpg", "b/IMG_1_small.jpg", "c/IMG_1_copy.jpg")}
    [exact] = cli("dupes", "--json", "--exact-only").json()
    assert exact["kind"] == "exact" and exact["distance"] == 0 and len(exact["photos"]) == 2


def test_dupes_text(added: Path, cli) -> None:
    out = cli("dupes").out
    assert "near · 3 photos" in out and "keep " in out and "identical files" in out
    assert "1 group;" in out


def test_an_empty_library_has_no_duplicates(cli) -> None:
    result = cli("dupes")
    assert result.code == 0 and "no duplicates" in result.out
    assert cli("dupes", "--json").json() == []


def test_bad_threshold_and_bad_config(added: Path, cli, tmp_path: Path) -> None:
    result = cli("dupes", "--threshold", "99")
    assert result.code == 2 and "0 to 16" in result.err
    (tmp_path / "library" / "config.toml").write_text('[duplicates]\nkeep = ["largest"]\n')
    result = cli("dupes")
    assert result.code == 2 and "unknown keeper rule 'largest'" in result.err


def test_resolve_auto_dry_run_then_for_real_then_undo(added: Path, cli) -> None:
    files = {p: sha256_of(p) for p in added.rglob("*.jpg")}
    dry = cli("dupes", "--resolve", "auto", "--dry-run")
    assert dry.code == 0 and "would trash" in dry.out
    assert all(p.exists() for p in files)

    done = cli("dupes", "--resolve", "auto", "--json")
    assert done.code == 0
    [result] = done.json()
    assert result["keep"] == [str(added / "a/IMG_1.jpg")] and len(result["trashed"]) == 2
    assert not (added / "b/IMG_1_small.jpg").exists()
    assert cli("dupes", "--json").json() == []

    undo = cli("dupes", "--undo", "--json")
    assert undo.code == 0 and len(undo.json()["restored"]) == 2
    assert {p: sha256_of(p) for p in files} == files
    assert cli("dupes", "--undo").code == 2  # nothing left to undo


def test_trash_commands(added: Path, cli) -> None:
    assert cli("trash").out.strip() == "the trash is empty"
    cli("dupes", "--resolve", "auto")
    listed = cli("trash", "ls", "--json").json()
    assert len(listed) == 2 and {"id", "path", "size", "trashed_at"} <= set(listed[0])
    assert "ORIGINAL PATH" in cli("trash", "ls").out

    assert cli("trash", "restore").code == 2
    missing = cli("trash", "restore", "999")
    assert missing.code == 1 and "nothing in the trash with id 999" in missing.err
    back = cli("trash", "restore", str(listed[0]["id"]), "--json")
    assert back.code == 0 and back.json()["restored"][0]["path"] == listed[0]["path"]
    assert Path(listed[0]["path"]).exists()

    assert cli("trash", "purge", "--older-than", "soon").code == 2
    assert cli("trash", "purge", "--json").json()["purged"] == 0  # retention: 30 days
    purged = cli("trash", "purge", "--older-than", "0", "--json").json()
    assert purged["purged"] == 1 and purged["freed"] == listed[1]["size"]
    assert not Path(listed[1]["path"]).exists() and cli("trash", "ls", "--json").json() == []


def test_resolve_in_a_read_only_folder_fails_cleanly_and_loses_nothing(tmp_path: Path) -> None:
    """For real: the CLI runs without root's override of file modes (see test_cli_permissions)."""
    from tests.cli.test_cli_permissions import _shoebox

    base = Path(tempfile.mkdtemp(prefix="shoebox-dupes-perm-"))
    base.chmod(0o777)
    try:
        root, library = base / "photos", base / "library"
        original = scene(63)
        save(original, root / "keep/IMG_1.jpg", Shot(make="Canon", model="EOS"))
        save(original.resize((320, 240)), root / "locked/IMG_1_small.jpg")
        assert _shoebox(library, "add", str(root), "--workers", "1").returncode == 0
        (root / "locked").chmod(0o555)
        before = sha256_of(root / "locked/IMG_1_small.jpg")
        result = _shoebox(library, "dupes", "--resolve", "auto")
        assert result.returncode == 1 and "ermission denied" in result.stderr
        assert sha256_of(root / "locked/IMG_1_small.jpg") == before
        listed = _shoebox(library, "dupes", "--json")
        assert len(json.loads(listed.stdout)) == 1  # still on show, to try again
        assert json.loads(_shoebox(library, "trash", "ls", "--json").stdout) == []
    finally:
        (base / "photos/locked").chmod(0o755)
        shutil.rmtree(base, ignore_errors=True)


def test_albums_and_tags_follow_the_keeper_through_the_cli(added: Path, cli) -> None:
    small = str(added / "b/IMG_1_small.jpg")
    assert cli("album", "add", "Holidays", small).code == 0
    assert cli("tag", "add", "beach", small, str(added / "a/IMG_2.jpg")).code == 0
    assert cli("album", "add", "Holidays", str(added / "nope.jpg")).code == 1
    assert [a["name"] for a in cli("album", "ls", "--json").json()] == ["Holidays"]
    cli("dupes", "--resolve", "auto")
    members = [p["path"] for p in cli("album", "ls", "Holidays", "--json").json()]
    assert str(added / "a/IMG_1.jpg") in members  # the keeper inherited the album
    assert [(t["name"], t["photos"]) for t in cli("tag", "ls", "--json").json()] == [("beach", 3)]
    assert cli("album", "rm", "Holidays", str(added / "a/IMG_1.jpg")).code == 0
    assert cli("album", "rm", "Nope", str(added / "a/IMG_1.jpg")).code == 1


def test_dismissed_groups_are_listed_and_one_is_taken_back(added: Path, cli, tmp_path: Path) -> None:
    from core.duplicates import dismiss_group, find_groups
    from core.library import Library

    assert cli("dupes", "--dismissed", "--json").json() == []
    assert "no groups marked as not duplicates" in cli("dupes", "--dismissed").out
    with Library.open(tmp_path / "library") as library:
        [group] = find_groups(library)
        decision = dismiss_group(library, group)
    assert cli("dupes", "--json").json() == []  # dismissed: not listed
    [listed] = cli("dupes", "--dismissed", "--json").json()
    assert listed["key"] == group.key and listed["id"] == decision
    assert sorted(listed["photos"]) == sorted(p.path for p in group.photos) and listed["decided_at"]
    text = cli("dupes", "--dismissed").out
    assert group.key in text and str(added / "a/IMG_1.jpg") in text

    bad = cli("dupes", "--undismiss", "nope")
    assert bad.code == 2 and "no dismissed group has the key or id 'nope'" in bad.err and "Traceback" not in bad.err
    back = cli("dupes", "--undismiss", group.key, "--json")
    assert back.code == 0 and back.json()["key"] == group.key
    assert cli("dupes", "--dismissed", "--json").json() == []
    [again] = cli("dupes", "--json").json()
    assert again["key"] == group.key  # grouped again
    assert all(Path(p).exists() for p in again["photos"])  # nothing touched a file


def test_undismiss_by_decision_id(added: Path, cli, tmp_path: Path) -> None:
    from core.duplicates import dismiss_group, find_groups
    from core.library import Library

    with Library.open(tmp_path / "library") as library:
        [group] = find_groups(library)
        decision = dismiss_group(library, group)
    out = cli("dupes", "--undismiss", str(decision)).out
    assert group.key in out and "grouped again" in out
    assert len(cli("dupes", "--json").json()) == 1
