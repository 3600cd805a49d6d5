"""What the metadata allow-list costs a shared copy, on the shared camera corpus.

    python bench/share_copy_bench.py [--rounds 3] [--max-size 2048]

For each JPEG and HEIC photo of ``../shared/corpus/exif-samples`` (read in place), in one run:
  * baseline: decode upright (``load_upright``) and encode a JPEG, carrying nothing,
  * Shoebox ``shared_copy``: the same plus the rebuild from pixels, the ICC profile and the EXIF Shoebox writes.
Prints both times and the ratio (target ≤ 1.15: the allow-list must not make sharing noticeably slower).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.media.decode import load_upright  # noqa: E402
from core.share.derivative import shared_copy  # noqa: E402

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "exif-samples"


def baseline(path: Path, max_size: int) -> bytes:
    out = io.BytesIO()
    load_upright(path, max_size).convert("RGB").save(out, "JPEG", quality=88, optimize=True)
    return out.getvalue()


def timed(paths: list[Path], max_size: int, rounds: int) -> tuple[float, float]:
    """Sums over the photos of each one's best time, baseline and shared copy interleaved photo by photo
    (the machine is shared: load that comes and goes then weighs on both alike)."""
    base = {path: float("inf") for path in paths}
    ours = dict(base)
    for _ in range(rounds):
        for path in paths:
            start = time.perf_counter()
            baseline(path, max_size)
            middle = time.perf_counter()
            shared_copy(path, max_size=max_size)
            base[path] = min(base[path], middle - start)
            ours[path] = min(ours[path], time.perf_counter() - middle)
    return sum(base.values()), sum(ours.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--max-size", type=int, default=2048)
    args = parser.parse_args()
    paths = []
    for path in sorted(CORPUS.rglob("*")):
        if path.suffix.lower() in (".jpg", ".jpeg", ".heic"):
            try:
                shared_copy(path, max_size=args.max_size)
                paths.append(path)
            except Exception:  # broken samples are the corpus's point elsewhere
                continue
    base, ours = timed(paths, args.max_size, args.rounds)
    print(f"{len(paths)} corpus photos, each at its best of {args.rounds}, --max-size {args.max_size}")
    print(f"baseline (decode + encode, no metadata): {base:.2f} s")
    print(f"shared_copy (allow-list rebuild):        {ours:.2f} s")
    print(f"ratio: {ours / base:.2f} (target <= 1.15)")


if __name__ == "__main__":
    main()
