"""What knowing a file's identity costs: the walk, the exact-duplicate step, the pre-trash check.

Prints, in one run, each figure next to a baseline measured the same way:

1. ``walk_root`` (links not followed, identity rules) over a synthetic tree, against a
   plain ``os.scandir`` + ``stat`` walk of the same tree;
2. ``find_groups(exact_only=True)`` on a catalog of real files where every content has two
   copies (each photo's file is stat'ed to learn its identity), against the same search
   with the identity lookup replaced by "every path is its own file";
3. resolving exact groups (the keeper and the copy re-hashed right before each move),
   against trashing the same copies without the check (same filesystem: a hard link);
4. the one-time catalog migration that records each catalogued file's identity, against
   a bare ``os.stat`` of the same files.

Usage: ``python3 bench/alias_bench.py [--folders 400] [--files 50] [--pairs 5000] [--groups 40]``.
The machine is shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.catalog.roots import add_root  # noqa: E402
from core.duplicates import find_groups, finder, resolve_group  # noqa: E402
from core.indexing.indexer import index_library  # noqa: E402
from core.indexing.scan import walk_root  # noqa: E402
from core.library import Library  # noqa: E402
from core.trash import trash_photos  # noqa: E402


def plain_walk(root: str) -> int:
    count, stack = 0, [root]
    while stack:
        with os.scandir(stack.pop()) as it:
            for entry in sorted(it, key=lambda e: e.name):
                if entry.is_dir():
                    stack.append(entry.path)
                elif stat.S_ISREG(entry.stat().st_mode):
                    count += 1
    return count


def best_of(runs: int, action) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return min(times)


def bench_walk(tmp: Path, folders: int, files: int) -> None:
    root = tmp / "tree"
    for f in range(folders):
        folder = root / f"{f // 20:03d}" / f"{f:04d}"
        folder.mkdir(parents=True)
        for i in range(files):
            (folder / f"IMG_{i:04d}.jpg").write_bytes(b"\xff\xd8")
    new = best_of(3, lambda: sum(len(listing.files) for listing in walk_root(str(root))))
    old = best_of(3, lambda: plain_walk(str(root)))
    total = folders * files
    print(
        f"walk of {total} files in {folders} folders: walk_root {new * 1000:.0f} ms, plain scandir+stat "
        f"{old * 1000:.0f} ms, ratio {new / old:.2f}"
    )


def bench_exact(tmp: Path, pairs: int) -> None:
    root = tmp / "pairs"
    root.mkdir()
    with Library.open(tmp / "lib-exact") as library:
        add_root(library.db, str(root))
        rows = []
        for i in range(pairs):
            for side in ("a", "b"):
                path = root / f"{side}{i:06d}.jpg"
                path.write_bytes(b"x")
                rows.append((str(path), str(root), f"{i:064x}"))
        with library.db.transaction() as conn:
            conn.executemany(
                "INSERT INTO photos (root_id, path, folder, size, mtime_ns, sha256, format, kind, indexed_at) "
                "VALUES (1, ?, ?, 1, 1, ?, 'jpeg', 'photo', '2025-01-01T00:00:00')",
                rows,
            )
        with_identity = best_of(3, lambda: find_groups(library, exact_only=True, include_decided=True))
        real = finder.one_file_sets
        finder.one_file_sets = lambda _library, ids: {i: i for i in ids}  # type: ignore[assignment]
        try:
            without = best_of(3, lambda: find_groups(library, exact_only=True, include_decided=True))
        finally:
            finder.one_file_sets = real
        print(
            f"exact groups among {2 * pairs} photos: with identity {with_identity * 1000:.0f} ms, "
            f"without {without * 1000:.0f} ms, ratio {with_identity / without:.2f}"
        )


def bench_resolve(tmp: Path, groups: int) -> None:
    from tests.duplicates.pictures import save, scene

    source = tmp / "source.jpg"
    save(scene(1, 2400, 1800), source, quality=95)
    size = source.stat().st_size
    timings = {}
    for label in ("checked", "unchecked"):
        root = tmp / label
        for g in range(groups):
            data = bytearray(source.read_bytes())
            data[-3] = g % 256  # a distinct content per group (before the JPEG end marker)
            (root / "keep").mkdir(parents=True, exist_ok=True)
            (root / "copy").mkdir(exist_ok=True)
            (root / "keep" / f"{g}.jpg").write_bytes(bytes(data))
            shutil.copy2(root / "keep" / f"{g}.jpg", root / "copy" / f"{g}.jpg")
        with Library.open(tmp / f"lib-{label}") as library:
            add_root(library.db, str(root))
            index_library(library, workers=1)
            found = find_groups(library, exact_only=True)
            started = time.perf_counter()
            if label == "checked":
                for group in found:
                    keeper = next(p for p in group.photos if "/keep/" in p.path)
                    resolve_group(library, group, keep_ids=[keeper.id])
            else:
                copies = [p.id for group in found for p in group.photos if "/copy/" in p.path]
                trash_photos(library, copies)
            timings[label] = time.perf_counter() - started
    checked, unchecked = timings["checked"], timings["unchecked"]
    print(
        f"resolving {groups} exact groups of 2 × {size / 1e6:.1f} MB: with the pre-trash check "
        f"{checked * 1000:.0f} ms ({checked / groups * 1000:.1f} ms/group, merge + decision included), "
        f"trash without it {unchecked * 1000:.0f} ms, ratio {checked / unchecked:.1f}"
    )


def bench_migration(tmp: Path, folders: int, files: int) -> None:
    from core.catalog.db import Database
    from core.catalog.migrations import MIGRATIONS

    root = tmp / "tree"  # made by bench_walk
    paths = [str(p) for p in sorted(root.rglob("*.jpg"))][: folders * files]
    db_path = tmp / "lib-migrate" / "catalog.db"
    db_path.parent.mkdir()
    old = Database(db_path, migrations=MIGRATIONS[:4])
    with old.transaction() as conn:
        conn.executemany(
            "INSERT INTO photos (path, folder, size, mtime_ns, sha256, format, kind, indexed_at) "
            "VALUES (?, ?, 2, 1, ?, 'jpeg', 'photo', '2025-01-01T00:00:00')",
            [(p, os.path.dirname(p), f"{i:064x}") for i, p in enumerate(paths)],
        )
    old.close()
    started = time.perf_counter()
    Database(db_path).close()
    migrated = time.perf_counter() - started
    bare = best_of(1, lambda: [os.stat(p) for p in paths])
    print(
        f"migration recording the identity of {len(paths)} catalogued files: {migrated * 1000:.0f} ms "
        f"(backup included), bare os.stat of them {bare * 1000:.0f} ms, ratio {migrated / bare:.1f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--folders", type=int, default=400)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=5000)
    parser.add_argument("--groups", type=int, default=40)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp:
        bench_walk(Path(tmp), args.folders, args.files)
        bench_exact(Path(tmp), args.pairs)
        bench_resolve(Path(tmp), args.groups)
        bench_migration(Path(tmp), args.folders, args.files)


if __name__ == "__main__":
    main()
