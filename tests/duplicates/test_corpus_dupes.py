"""Acceptance on real photos: every labelled group of ../shared/corpus is found complete, nothing else is grouped."""

from __future__ import annotations

import itertools
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from core.catalog.roots import add_root
from core.duplicates import find_groups
from core.indexing.indexer import index_library
from core.library import Library
from core.trash.files import sha256_of


def labelled_groups(corpus: Path) -> dict[str, set[str]]:
    groups: dict[str, set[str]] = defaultdict(set)
    for line in (corpus / "dup_groups.tsv").read_text().splitlines()[1:]:
        path, group = line.split("\t")
        groups[group].add(str(corpus / path))
    return dict(groups)


def pairs(groups) -> set[tuple[str, str]]:
    return {pair for group in groups for pair in itertools.combinations(sorted(group), 2)}


@pytest.fixture(scope="module")
def corpus_library(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Library:
    library = Library.open(tmp_path_factory.mktemp("dupes-corpus") / "library")
    add_root(library.db, str(corpus))
    index_library(library, workers=2)
    yield library
    library.close()


def test_every_labelled_group_is_found_complete_and_nothing_else(corpus_library: Library, corpus: Path) -> None:
    truth = labelled_groups(corpus)
    found = [{p.path for p in g.photos} for g in find_groups(corpus_library)]
    assert sorted(map(sorted, found)) == sorted(map(sorted, truth.values()))
    true_pairs, found_pairs = pairs(truth.values()), pairs(found)
    precision = len(true_pairs & found_pairs) / len(found_pairs)
    recall = len(true_pairs & found_pairs) / len(true_pairs)
    assert precision >= 0.99 and recall >= 0.98


def test_the_two_exposures_of_one_scene_stay_apart(corpus_library: Library, corpus: Path) -> None:
    hdr = {
        str(corpus / "exif-samples/jpg/hdr/canon_hdr_NO.jpg"),
        str(corpus / "exif-samples/jpg/hdr/canon_hdr_YES.jpg"),
    }
    for group in find_groups(corpus_library, threshold=16):  # even with the loosest threshold
        assert not hdr <= {p.path for p in group.photos}


def test_resolving_a_copy_of_a_labelled_group_trashes_and_restores_byte_identical(
    corpus: Path, tmp_path: Path, cli
) -> None:
    group = labelled_groups(corpus)["hard2"]  # crop, q25, 320 px, rotated by EXIF, more contrast
    folder = tmp_path / "copies"
    digests = {}
    for source in sorted(group):
        target = folder / Path(source).relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
        digests[target] = sha256_of(target)
    assert cli("add", str(folder), "--workers", "1").code == 0
    [listed] = cli("dupes", "--json").json()
    assert sorted(listed["photos"]) == sorted(map(str, digests)) and listed["kind"] == "near"
    assert listed["keep"] == str(folder / "exif-samples/jpg/gps/DSCN0012.jpg")
    resolved = cli("dupes", "--resolve", "auto", "--json")
    assert resolved.code == 0
    [result] = resolved.json()
    assert len(result["trashed"]) == len(group) - 1
    assert [p for p in digests if p.exists()] == [folder / "exif-samples/jpg/gps/DSCN0012.jpg"]
    assert len(cli("trash", "ls", "--json").json()) == len(group) - 1
    assert cli("trash", "restore", "--all").code == 0
    assert {p: sha256_of(p) for p in digests} == digests
