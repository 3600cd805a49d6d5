"""The app on a 100,000-photo catalog: first frame, page-down, month/year jumps, search, RSS.

    python bench/tui_bench.py [--count 100000] [--size 200x60] [--repeat 20]

Builds (once, cached in bench/out/tui_<count>/, in a child process so its memory does not
count) a catalog of ``count`` photo rows spread over 20 years in bursts, as real
libraries are. Every row is a hard link to one of a few generated 1024×768 JPEGs, so
thumbnails can be made — lazily, when a tile is first shown, as in real use.

Then, in this process, runs the app headless at ``--size`` and prints:
  * start → first full frame of the timeline (rows drawn), and → thumbnails drawn,
  * page-down, month jump (``]``), year jump (``}``), end jump (``G``) and home jump
    (``g``): time from the key to the frame with the new rows (median and worst of
    ``--repeat``; ``G`` and ``g`` alternate),
  * a search (from ``enter`` in the search bar to the frame with the results), then more
    searches alternating two queries (median and worst), and the CPU time each took,
  * the cost of drawing and encoding one full frame (what a real terminal adds),
  * peak RSS of this process.
Targets (issue 3): first frame ≤ 1 s, a jump ≤ 50 ms, RSS ≤ 300 MB.
Headless: frames are composed (every line drawn) but not written to a terminal; the
"full frame" figure is the writing cost a terminal would add.
"""

from __future__ import annotations

import time

PROCESS_T0 = time.perf_counter()

import argparse  # noqa: E402
import asyncio  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CAMERAS = (
    ("NIKON", "D70"),
    ("Canon", "Canon EOS 40D"),
    ("Apple", "iPhone 13 Pro"),
    ("FUJIFILM", "X100V"),
    ("SONY", "ILCE-7M3"),
)
ORIGINALS = 24


def process_age() -> float | None:
    """Seconds since this process started (Linux), to include interpreter start-up."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19]) / ticks
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return uptime - start
    except (OSError, ValueError, IndexError):
        return None


# --- Building the catalog (child process) ---------------------------------------------------


def build(base: Path, count: int) -> None:
    """Originals, hard links and catalog rows for ``count`` photos."""
    from core.catalog.photos import store_media
    from core.catalog.roots import add_root
    from core.demo.pictures import Shot, write_photo
    from core.library import Library
    from core.media.records import MediaInfo

    originals = [
        write_photo(base / "originals" / f"scene_{i:02d}.jpg", 1024, 768, 500 + i, Shot()) for i in range(ORIGINALS)
    ]
    photos = base / "photos"
    rng = random.Random(42)
    start = time.mktime((2005, 1, 1, 0, 0, 0, 0, 0, -1))
    span = 20 * 365 * 86400
    infos: list[MediaInfo] = []
    index = 0
    while index < count:
        # An "event": a day with a burst of photos from one camera.
        day = start + rng.randrange(span // 86400) * 86400
        burst = min(count - index, max(1, int(rng.expovariate(1 / 16))))
        make, model = CAMERAS[rng.randrange(len(CAMERAS))]
        folder = photos / time.strftime("%Y/%Y-%m-%d", time.localtime(day))
        folder.mkdir(parents=True, exist_ok=True)
        moment = day + rng.randrange(8 * 3600, 12 * 3600)
        for _ in range(burst):
            moment += rng.randrange(5, 900)
            source = originals[index % ORIGINALS]
            path = folder / f"IMG_{index:06d}.jpg"
            if not path.exists():
                os.link(source, path)
            stat = path.stat()
            dated = index % 101 != 0
            infos.append(MediaInfo(
                path=str(path), size=stat.st_size, mtime_ns=stat.st_mtime_ns, sha256=f"{index:064x}",
                format="jpeg", kind="photo", width=1024, height=768, orientation=1,
                taken_at=time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(moment)) if dated else None,
                taken_at_source="exif" if dated else None, make=make, model=model,
                exposure_time="1/250", f_number=2.8, iso=200, focal_length=35.0,
                gps_lat=43.46 if index % 3 == 0 else None, gps_lon=11.88 if index % 3 == 0 else None,
            ))  # fmt: skip
            index += 1
    with Library.open(base / "library") as library:
        root = add_root(library.db, str(photos))
        for chunk in range(0, len(infos), 10_000):
            store_media(library.db, root.id, infos[chunk : chunk + 10_000])
        library.db.execute("PRAGMA optimize")
    (base / "built").write_text(str(count))


def ensure_catalog(count: int) -> Path:
    base = ROOT / "bench" / "out" / f"tui_{count}"
    if not (base / "built").exists():
        print(f"building a catalog of {count:,} photos in {base} (once) …", file=sys.stderr)
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(base), "--count", str(count)], check=True)
        print(f"  built in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return base / "library"


# --- Measuring (this process) ------------------------------------------------------------------


class FrameClock:
    """Notes when the screen composes a frame that satisfies a probe.

    Wraps a private Textual method (bench only). The probe runs right after the frame is
    composed, on the same thread, so it sees exactly the state that was drawn.
    """

    def __init__(self) -> None:
        from textual.screen import Screen

        self.probe: Callable[[], bool] | None = None
        self.satisfied_at: float | None = None
        original = Screen._compositor_refresh

        def recording(screen: Screen) -> None:
            original(screen)
            if self.probe is not None and self.satisfied_at is None and self.probe():
                self.satisfied_at = time.perf_counter()

        Screen._compositor_refresh = recording  # type: ignore[method-assign]

    async def wait_for(self, probe: Callable[[], bool], timeout: float = 30.0) -> float:
        """Time of the first frame after now whose state satisfies ``probe``."""
        self.probe, self.satisfied_at = probe, None
        deadline = time.perf_counter() + timeout
        while self.satisfied_at is None:
            if time.perf_counter() > deadline:
                raise TimeoutError("no frame showed the expected state")
            await asyncio.sleep(0.0005)
        self.probe = None
        return self.satisfied_at


async def measure(library_dir: Path, size: tuple[int, int], repeat: int) -> dict[str, object]:
    t_import = time.perf_counter()
    from textual import events

    from core.library import Library
    from tui.app import ShoeboxApp
    from tui.widgets.timeline_grid import TimelineGrid

    imports_ms = (time.perf_counter() - t_import) * 1000
    figures: dict[str, object] = {"imports_ms": round(imports_ms)}
    clock = FrameClock()
    library = Library.open(library_dir)
    t_app = time.perf_counter()
    app = ShoeboxApp(library)

    async with app.run_test(size=size) as pilot:

        def grid() -> TimelineGrid | None:
            found = list(app.query(TimelineGrid))
            return found[0] if found else None

        def rows_loaded() -> bool:
            g = grid()
            return bool(g and g.total and g.display and all(g.photo_at(o) is not None for o in g.visible_offsets()))

        async def drawn(condition: Callable[[], bool]) -> float:
            """Time of the first frame that shows ``condition()`` true."""
            if condition():
                app.screen.refresh()  # already true: time the next frame
            return await clock.wait_for(condition)

        frame = await drawn(rows_loaded)
        figures["first_frame_ms"] = round((frame - t_app) * 1000)
        age = process_age()
        if age is not None:
            figures["first_frame_from_process_start_ms"] = round((age - (time.perf_counter() - frame)) * 1000)
        g = grid()
        assert g is not None
        frame = await drawn(lambda: g.is_settled)
        figures["first_frame_with_thumbnails_ms"] = round((frame - t_app) * 1000)
        figures["photos"] = g.total

        async def key_to_frame(key: str, char: str | None) -> float:
            """From a key press to the first frame showing the new rows."""
            before = g.cursor
            started = time.perf_counter()
            app.post_message(events.Key(key, char))
            frame = await drawn(lambda: g.cursor != before and rows_loaded())
            elapsed = (frame - started) * 1000
            while not g.is_settled:  # let thumbnails finish before the next key
                await asyncio.sleep(0.005)
            await pilot.pause()
            return elapsed

        keys = (
            ("page_down", "pagedown", None),
            ("month_jump", "right_square_bracket", "]"),
            ("year_jump", "right_curly_bracket", "}"),
        )
        for name, key, char in keys:
            if g.cursor != 0:
                await key_to_frame("g", "g")  # each series starts at the top
            times = [await key_to_frame(key, char) for _ in range(repeat)]
            figures[f"{name}_ms"] = {"median": round(statistics.median(times), 1), "max": round(max(times), 1)}
        # End and home jumps alternate (100,000 photos down, then back up), each a median too.
        ends: list[float] = []
        homes: list[float] = []
        for _ in range(repeat):
            ends.append(await key_to_frame("G", "G"))
            homes.append(await key_to_frame("g", "g"))
        figures["end_jump_ms"] = {"median": round(statistics.median(ends), 1), "max": round(max(ends), 1)}
        figures["home_jump_ms"] = {"median": round(statistics.median(homes), 1), "max": round(max(homes), 1)}

        # What a real terminal adds per frame: compose the whole screen and encode it.
        from rich.console import Console

        frames = []
        for _ in range(5):
            started = time.perf_counter()
            update = app.screen._compositor.render_update(full=True)  # private: bench only
            console = Console(
                file=io.StringIO(), width=size[0], height=size[1], force_terminal=True, color_system="truecolor"
            )
            console.print(update)
            frames.append((time.perf_counter() - started) * 1000)
        figures["full_frame_render_encode_ms"] = round(statistics.median(frames), 1)

        search_cpu: list[float] = []

        async def search(text: str) -> float:
            """From ``enter`` in the search bar to the first frame with the results' rows.

            Also notes the CPU time the process spent meanwhile (every thread): on a loaded
            machine the wall time mostly measures the other processes, this the work done.
            """
            await pilot.press("slash", "ctrl+u", *text)
            started, cpu = time.perf_counter(), time.process_time()
            await pilot.press("enter")
            frame = await drawn(lambda: g.index is not None and g.index.query.text == text and rows_loaded())
            search_cpu.append((time.process_time() - cpu) * 1000)
            while not g.is_settled:  # thumbnails finish before the next search
                await asyncio.sleep(0.005)
            await pilot.pause()
            return (frame - started) * 1000

        figures["search_ms"] = round(await search("camera:canon"))
        figures["search_matches"] = g.total
        # More searches, one query then another (each replaces a screen of results), as a median.
        searches = [await search(("camera:nikon", "camera:canon")[i % 2]) for i in range(max(2, repeat // 2))]
        figures["search_again_ms"] = {"median": round(statistics.median(searches), 1), "max": round(max(searches), 1)}
        figures["search_cpu_ms"] = {"median": round(statistics.median(search_cpu), 1), "max": round(max(search_cpu), 1)}

    library.close()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--size", default="200x60", help="terminal size, COLSxROWS")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.build:
        build(args.build, args.count)
        return
    library_dir = ensure_catalog(args.count)
    size = tuple(int(v) for v in args.size.lower().split("x"))
    load_before = os.getloadavg()
    figures = asyncio.run(measure(library_dir, size, args.repeat))  # type: ignore[arg-type]
    figures["load_average_before_after"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    figures["cpus"] = os.cpu_count()
    figures["size"] = args.size
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"tui_bench: {figures['photos']:,} photos at {args.size} "
          f"(load {figures['load_average_before_after'][0]} → {figures['load_average_before_after'][1]} on {figures['cpus']} CPUs)")  # fmt: skip
    for key, value in figures.items():
        if key not in ("photos", "cpus", "size", "load_average_before_after"):
            print(f"  {key:40} {value}")
    first = figures["first_frame_ms"]
    jumps = max(figures["month_jump_ms"]["median"], figures["page_down_ms"]["median"])  # type: ignore[index]
    ok = first <= 1000 and jumps <= 50 and figures["peak_rss_mb"] <= 300  # type: ignore[operator]
    print(f"targets (first frame ≤ 1000 ms, jump ≤ 50 ms, RSS ≤ 300 MB): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
