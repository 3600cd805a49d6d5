"""Peak memory of `shoebox add` on decompression bombs, against a run on ordinary photos.

    python bench/bomb_memory.py [--workers 2]

Writes one bomb per format (tests/core/bombs.py: 30000² PNG and TIFF of zeros, a JPEG,
GIF, WebP and HEIC declaring huge sizes) plus the heaviest images Shoebox still decodes
(two 256-MP grey PNGs, a 121-MP colour PNG), and ten 480×360 JPEGs; then runs
`shoebox add` on the ordinary photos alone (the baseline) and on everything, polling
/proc for the summed RSS of the whole process tree, and prints both peaks, the largest
single process (getrusage RUSAGE_CHILDREN) and the ratio. Target: every peak < 1 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.demo.pictures import Shot, write_photo  # noqa: E402
from tests.core import bombs  # noqa: E402


def tree_rss(root: int) -> int:
    """Summed RSS (bytes) of ``root`` and all its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
        stack.extend(children.get(pid, []))
    return total


def peak_of(folder: Path, library: Path, workers: int) -> tuple[int, float]:
    """(peak summed RSS in bytes, seconds) of `shoebox add folder`."""
    command = [sys.executable, "-m", "core.cli.main", "--library", str(library), "add", str(folder),
               "--workers", str(workers)]  # fmt: skip
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss(proc.pid))
        time.sleep(0.01)
    return peak, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plain, hostile = Path(tmp, "plain"), Path(tmp, "hostile")
        for folder in (plain, hostile):
            for i in range(10):
                write_photo(folder / f"IMG_{i:04d}.jpg", 480, 360, i, Shot(taken_at="2021:06:01 12:00:00"))
        bombs.write_all(hostile)
        bombs.write_heaviest_allowed(hostile)
        base, base_s = peak_of(plain, Path(tmp, "lib-plain"), args.workers)
        peak, peak_s = peak_of(hostile, Path(tmp, "lib-hostile"), args.workers)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    mb = 1 << 20
    print(f"ordinary photos: peak tree RSS {base / mb:.0f} MB ({base_s:.1f} s)")
    print(f"bombs + heaviest allowed: peak tree RSS {peak / mb:.0f} MB ({peak_s:.1f} s), "
          f"largest single process {largest / mb:.0f} MB")  # fmt: skip
    print(f"ratio {peak / base:.1f}× the baseline; target < 1024 MB: {'met' if peak < 1 << 30 else 'NOT met'}")


if __name__ == "__main__":
    main()
