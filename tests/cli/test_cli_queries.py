"""Queries on the command line: huge ones run, bad ones are one line on stderr and exit 2, --help lists every filter."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from core.catalog.query import MAX_TERMS, describe_query_language, query_terms

ROOT = Path(__file__).resolve().parents[2]


def _shoebox(library: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "core.cli.main", "--library", str(library), *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    pictures = tmp_path / "Pictures" / "trip"
    pictures.mkdir(parents=True)
    for n, colour in enumerate(("red", "blue")):
        Image.new("RGB", (32, 24), colour).save(pictures / f"beach{n}.png")
    assert _shoebox(tmp_path / "library", "add", str(tmp_path / "Pictures")).returncode == 0
    return tmp_path / "library"


def _bad(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("shoebox: "), result.stderr
    assert words in result.stderr and "Traceback" not in result.stderr


def test_thousands_of_terms_and_a_50000_character_word_run(library: Path) -> None:
    many = " ".join(["beach"] * 2_500)  # 'Expression tree is too large' before
    result = _shoebox(library, "ls", "--json", many)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"path"') == 2
    either = " OR ".join(["beach0", *(f"none{n}" for n in range(2_500))])
    assert _shoebox(library, "ls", either).stdout.count("beach") == 1
    long = _shoebox(library, "ls", "x" * 50_001)  # 'LIKE or GLOB pattern too complex' before
    assert long.returncode == 0 and long.stderr == "", long.stderr
    _bad(_shoebox(library, "ls", " ".join(["beach"] * (MAX_TERMS + 1))), f"at most {MAX_TERMS:,}")


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("date:2008-13-45", "character 1: '2008-13-45' is not a date"),
        ("date:0000-00-00", "is not a date"),
        ("year:abc", "is not a year"),
        ("beach OR", "character 9: expected a term after OR"),
        ("(beach", "this '(' is never closed"),
        ("(" * 20_000, "nest too deep"),
        ('"beach', "unbalanced quotes"),
        ("sha:xyz", "not the start of a sha256"),
    ],
)
def test_a_bad_query_is_one_line_and_exit_2(library: Path, query: str, words: str) -> None:
    _bad(_shoebox(library, "ls", query), words)


def test_every_command_taking_a_query_exits_2_on_a_bad_one(library: Path) -> None:
    """Checked before anything else happens (no bucket is configured here, which would be exit 1)."""
    for args in (["backup", "date:2008-13-45"], ["restore", "date:2008-13-45"], ["share", "date:2008-13-45"],
                 ["cloud", "verify", "date:2008-13-45"], ["album", "add", "Trip", "-q", "date:2008-13-45"],
                 ["tag", "add", "sea", "-q", "beach OR"], ["mark", "--rating", "3", "-q", "(beach"]):  # fmt: skip
        result = _shoebox(library, *args)
        assert result.returncode == 2 and "Traceback" not in result.stderr, (args, result.stderr)
        assert result.stderr.count("\n") == 1, (args, result.stderr)


def test_help_lists_every_registered_filter(cli) -> None:  # type: ignore[no-untyped-def]
    listing = cli("help", "query")
    assert listing.code == 0 and listing.out.strip() == describe_query_language()
    for command in (["ls"], ["backup"], ["restore"], ["share"], ["cloud", "verify"], ["album", "add"]):
        result = subprocess.run([sys.executable, "-m", "core.cli.main", *command, "--help"], capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"})  # fmt: skip
        assert result.returncode == 0, result.stderr
        for term in query_terms():
            assert f"{term.name}:{term.value}" in result.stdout, (command, term.name)
    assert "usage: shoebox ls" in cli("help", "ls").out
    unknown = cli("help", "colour")
    assert unknown.code == 2 and "shoebox help query" in unknown.err
