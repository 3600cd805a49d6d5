"""Hostile input (#9, points 4–8): bombs, killed workers, orphaned workers, hostile
arguments, hostile EXIF — each on real files and real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from PIL import Image

from core.cli.main import main
from core.demo.pictures import Shot, write_photo
from tests.cli.test_kill_resume import _count  # photos stored so far, read-only
from tests.core import bombs

ROOT = Path(__file__).resolve().parents[2]
GIB = 1 << 30


def _shoebox(library: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "core.cli.main", "--library", str(library), *args]


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def _photos(folder: Path, count: int, size: tuple[int, int] = (480, 360)) -> list[Path]:
    return [write_photo(folder / f"IMG_{i:04d}.jpg", *size, i, Shot(taken_at="2021:06:01 12:00:00"))
            for i in range(count)]  # fmt: skip


def _noise_pngs(folder: Path, count: int, side: int) -> list[Path]:
    """Photos that take a while to decode (random pixels do not compress)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        path = folder / f"noise_{i:03d}.png"
        Image.frombytes("L", (side, side), os.urandom(side * side)).save(path, compress_level=0)
        paths.append(path)
    return paths


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry))
    return found


def _session_members(sid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid and fields[0] != "Z":
                found.append(int(entry))
    return found


def _workers_of(pid: int) -> list[int]:
    """Decoding workers of a CLI run: its forked children with its own command line."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    result = []
    for child in _children(pid):
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == cmdline:
                result.append(child)
        except OSError:
            pass
    return result


def _status(pid: int) -> dict[str, str]:
    """/proc/PID/status as a dict ({} once the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {key: value.strip() for key, _, value in (line.partition(":") for line in lines)}


# --- 4. bombs ---------------------------------------------------------------------------


def test_bombs_of_every_format_are_problems_and_add_stays_under_1_gb(tmp_path: Path) -> None:
    folder = tmp_path / "pics"
    written = bombs.write_all(folder)
    heavy = bombs.write_heaviest_allowed(folder)
    _photos(folder, 10)  # enough files for the worker pool
    library = tmp_path / "library"
    measure = textwrap.dedent(f"""
        import resource, subprocess, sys
        code = subprocess.run({_shoebox(library, "add", str(folder), "--workers", "2", "--json")!r}).returncode
        print(code, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, file=sys.stderr)
    """)
    run = subprocess.run([sys.executable, "-c", measure], capture_output=True, text=True, env=_env(), timeout=300)
    code, peak = (int(v) for v in run.stderr.strip().splitlines()[-1].split())
    assert code == 0, run.stderr
    assert peak < GIB, f"peak RSS {peak / 2**20:.0f} MB"
    stats = json.loads(run.stdout)
    assert stats["indexed"] == 10 + len(heavy) and stats["problems"] == len(written)
    assert stats["indexed"] + stats["unchanged"] + stats["problems"] == stats["files_seen"]
    problems = json.loads(subprocess.run(_shoebox(library, "problems", "--json"), capture_output=True,
                                         text=True, env=_env(), check=True).stdout)  # fmt: skip
    reasons = {Path(p["path"]).name: p["reason"] for p in problems}
    assert set(reasons) == {path.name for path in written.values()}
    assert all("pixels" in reason for reason in reasons.values()), reasons


def test_a_huge_but_honest_jpeg_is_decoded_at_reduced_scale(tmp_path: Path, cli) -> None:
    """Reduced decoding where the format allows: a 200-MP JPEG is a normal photo."""
    folder = tmp_path / "pics"
    folder.mkdir()
    Image.new("RGB", (16320, 12240), (90, 120, 200)).save(folder / "phone_200mp.jpg", quality=60)
    assert cli("add", str(folder)).code == 0
    [photo] = cli("ls", "--json").json()
    assert (photo["width"], photo["height"]) == (16320, 12240)
    assert cli("problems", "--json").json() == []


def test_the_worker_memory_limit_turns_a_runaway_decode_into_a_reason(tmp_path: Path) -> None:
    """The safety net under the decode budget: a worker allowed 64 MiB more than it starts
    with fails a 256-MB decode with a reason, it is not killed."""
    import multiprocessing

    from core.indexing.workers import Job, WorkerSetup, read_alone

    heavy = bombs.png_bomb(tmp_path / "grey.png", 16000)  # within the budget: decoded normally
    job = Job(str(heavy), None, heavy.stat().st_size, heavy.stat().st_mtime_ns)
    setup = WorkerSetup(os.getpid(), 64 << 20)
    result = read_alone(job, None, multiprocessing.get_context("fork"), setup, None)
    assert result is not None and not result.died
    assert result.info is not None and "memory" in (result.info.error or "")


# --- 5. a killed worker loses nothing ---------------------------------------------------


def test_a_worker_killed_mid_run_loses_no_file_and_the_summary_adds_up(tmp_path: Path) -> None:
    count = 60
    _noise_pngs(tmp_path / "pics", count, 1200)
    library = tmp_path / "library"
    proc = subprocess.Popen(_shoebox(library, "add", str(tmp_path / "pics"), "--workers", "2", "--json"),
                            stdout=subprocess.PIPE, env=_env(), start_new_session=True)  # fmt: skip
    killed = None
    deadline = time.monotonic() + 120
    while killed is None and time.monotonic() < deadline and proc.poll() is None:
        workers = _workers_of(proc.pid)
        if workers and _count(library / "catalog.db") > 0:
            os.kill(workers[0], signal.SIGKILL)  # the OOM killer's way
            killed = workers[0]
        time.sleep(0.01)
    out, _ = proc.communicate(timeout=300)
    if killed is None:
        pytest.skip("the run finished before a worker could be killed (a fast machine)")
    stats = json.loads(out)
    assert stats["indexed"] + stats["unchanged"] + stats["problems"] == stats["files_seen"] == count
    assert _count(library / "catalog.db") == count  # the killed worker's files were read again


def test_a_file_that_kills_its_reader_twice_is_a_problem_with_a_reason(tmp_path: Path) -> None:
    from core.indexing.workers import KILLED_REASON, Job, read_in_pool

    [slow] = _noise_pngs(tmp_path, 1, 5000)
    job = Job(str(slow), None, slow.stat().st_size, slow.stat().st_mtime_ns)
    stop = threading.Event()

    def killer() -> None:  # kills every process that starts reading (the pool's, then the retry's)
        while not stop.is_set():
            for pid in _descendants(os.getpid()):
                if _reading(pid, slow):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.002)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    try:
        results = list(read_in_pool([job], None, 2, None))
    finally:
        stop.set()
        thread.join()
    assert [(r.job.path, r.reason) for r in results] == [(str(slow), KILLED_REASON)]


def _descendants(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        for child in _children(stack.pop()):
            found.append(child)
            stack.append(child)
    return found


def _reading(pid: int, path: Path) -> bool:
    """Whether process ``pid`` has ``path`` open (or its bytes are being decoded: it opened it)."""
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


# --- 6. no worker outlives its parent ---------------------------------------------------


#: When to kill: while the pool starts, once workers run, at the first stored photos, midway, late.
MOMENTS = {"pool-starting": None, "workers": 0, "first-photos": 1, "midway": 60, "late": 95}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_kill_9_of_index_leaves_no_worker(tmp_path: Path, moment: str) -> None:
    _noise_pngs(tmp_path / "pics", 150, 900)
    library = tmp_path / "library"
    proc = subprocess.Popen(_shoebox(library, "add", str(tmp_path / "pics"), "--workers", "2"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_env(),
                            start_new_session=True)  # fmt: skip
    stored = MOMENTS[moment]
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if stored is None and _children(proc.pid):  # a first child: the pool is being made
            break
        # Late in a run the workers may have read everything while the CLI still stores it:
        # then killing the CLI with no worker left is the moment being tested.
        if stored is not None and (stored > 1 or _workers_of(proc.pid)) and _count(library / "catalog.db") >= stored:
            break
        time.sleep(0.005)
    assert proc.poll() is None, (
        f"the run finished before it could be killed ({_count(library / 'catalog.db')} stored, workers {_workers_of(proc.pid)})"
    )
    os.kill(proc.pid, signal.SIGKILL)  # the CLI only, not its process group
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _session_members(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    left = _session_members(proc.pid)
    for pid in left:  # do not leave them behind for the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []


def test_workers_keep_the_default_sigterm_action(tmp_path: Path) -> None:
    _noise_pngs(tmp_path / "pics", 40, 900)
    proc = subprocess.Popen(_shoebox(tmp_path / "library", "add", str(tmp_path / "pics"), "--workers", "2"),
                            stdout=subprocess.DEVNULL, env=_env(), start_new_session=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        worker = None
        while worker is None and time.monotonic() < deadline:  # a worker past its start-up
            worker = next((pid for pid in _workers_of(proc.pid) if _status(pid).get("Threads", "1") != "1"), None)
            time.sleep(0.01)
        assert worker is not None, "no worker started"
        assert not int(_status(worker)["SigCgt"], 16) & (1 << (signal.SIGTERM - 1))
        os.kill(worker, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while _status(worker).get("State", "Z")[:1] != "Z" and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _status(worker).get("State", "Z")[:1] == "Z", "the worker ignored SIGTERM"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


# --- 7. hostile arguments ---------------------------------------------------------------

HOSTILE_ARGUMENTS = [
    ["trash", "purge", "--older-than", "9999999999d"],
    ["trash", "purge", "--older-than", "-3d"],
    ["trash", "purge", "--older-than", "nan"],
    ["ls", "--limit", "1e23"],
    ["ls", "--limit", "-1"],
    ["ls", "--limit", "0"],
    ["ls", "--limit", "99999999999999999999999999"],
    ["share", "--max-size", "-5", "x"],
    ["share", "--max-size", "inf", "x"],
    ["index", "--workers", "0"],
    ["add", ".", "--workers", "-2"],
    ["dupes", "--threshold", "1e3"],
    ["dupes", "--threshold", "-1"],
    ["dupes", "--undo", "99999999999999999999999"],
    ["mark", "--rating", "6", "x.jpg"],
    ["mark", "--rating", "nan", "x.jpg"],
    ["backup", "--concurrency", "0"],
    ["watch", "--settle", "nan"],
    ["watch", "--settle", "-1"],
    ["watch", "--rescan-interval", "inf"],
    ["watch", "--max-watches", "1e9"],
    ["watch", "--workers", "100000"],
    ["demo", "--count", "-5"],
    ["trash", "restore", "99999999999999999999999"],
    ["ls", "--limit", "x" * 50000],
    ["backup", "--bandwidth", "..."],
    ["backup", "--bandwidth", "1e23MB/s"],
    ["backup", "--bandwidth", "9" * 40 + "MB/s"],
    ["watch", "--bandwidth", "0"],
    ["watch", "--window", "99:99-00:00"],
    ["share", "--expires", "9999999999d", "x"],
    ["share", "--expires", "-5h", "x"],
    ["share", "--collect", "--album", "a", "--max-file", "9" * 40 + "GB"],
    ["share", "--collect", "--album", "a", "--max-total", "-1GB"],
]


@pytest.mark.parametrize("argv", HOSTILE_ARGUMENTS, ids=lambda a: " ".join(x[:20] for x in a))
def test_out_of_range_arguments_are_one_line_errors_with_exit_2(tmp_path: Path, capsys, argv: list[str]) -> None:
    code = main(["--library", str(tmp_path / "library"), *argv])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith("shoebox: ") and len(err) < 300


def test_show_with_a_huge_number_is_not_a_traceback(tmp_path: Path, cli) -> None:
    result = cli("show", "9" * 30)
    assert result.code == 1 and len(result.err.strip().splitlines()) == 1


# --- 8. hostile EXIF --------------------------------------------------------------------


def _gps_photo(path: Path, lat_ref: str, lon_ref: str, make: str = "Canon") -> Path:
    image = Image.new("RGB", (64, 48), (10, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = make
    gps = exif.get_ifd(0x8825)
    gps.update({1: lat_ref, 2: (48.0, 51.0, 24.0), 3: lon_ref, 4: (2.0, 21.0, 3.0)})
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, exif=exif.tobytes())
    return path


def test_an_invalid_gps_reference_is_no_position_and_a_problem_note(tmp_path: Path, cli) -> None:
    _gps_photo(tmp_path / "pics" / "q.jpg", "Q", "Z")
    _gps_photo(tmp_path / "pics" / "south_west.jpg", "S", "W")
    assert cli("add", str(tmp_path / "pics")).code == 0
    photos = {Path(p["path"]).name: p for p in cli("ls", "--json").json()}
    assert set(photos) == {"q.jpg", "south_west.jpg"}  # both catalogued
    assert (photos["q.jpg"]["gps_lat"], photos["q.jpg"]["gps_lon"]) == (None, None)
    assert photos["south_west.jpg"]["gps_lat"] == pytest.approx(-48.8567, abs=1e-3)
    assert photos["south_west.jpg"]["gps_lon"] == pytest.approx(-2.3508, abs=1e-3)
    [problem] = cli("problems", "--json").json()
    assert problem["path"].endswith("q.jpg") and "GPS" in problem["reason"] and "'Q'" in problem["reason"]
    assert cli("index", "--json").json()["unchanged"] == 2  # the note does not make it re-read


def test_a_30000_character_make_does_not_stretch_ls(tmp_path: Path, cli) -> None:
    _gps_photo(tmp_path / "pics" / "long.jpg", "N", "E", make="A" * 30000 + "\x1b[31m")
    assert cli("add", str(tmp_path / "pics")).code == 0
    lines = cli("ls").out.splitlines()
    assert max(len(line) for line in lines) < 200 and "\x1b" not in "".join(lines)
    shown = cli("show", str(tmp_path / "pics" / "long.jpg")).out.splitlines()
    assert max(len(line) for line in shown) < 300
    assert len(cli("ls", "--json").json()[0]["make"]) == 30000 + len("\x1b[31m")  # nothing lost
