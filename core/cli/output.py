"""Writing command output: JSON for scripts, aligned text for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import TextIO

from core.units import human_size  # noqa: F401  (re-exported for the CLI commands)


def write_json(data: object, out: TextIO | None = None) -> None:
    """One JSON document on stdout."""
    out = out or sys.stdout
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_json_array(items: Iterable[dict[str, object]], out: TextIO | None = None) -> int:
    """Stream a JSON array item by item (a million photos never sit in memory at once)."""
    out = out or sys.stdout
    count = 0
    out.write("[")
    for item in items:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(item, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_table(rows: Iterable[Sequence[str]], headers: Sequence[str], out: TextIO | None = None) -> None:
    """Columns padded to their widest cell; the last column is not padded."""
    out = out or sys.stdout
    rows = [list(headers), *([str(c) for c in row] for row in rows)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


def error(message: str) -> None:
    """A message for the person at the terminal, on stderr."""
    print(f"shoebox: {message}", file=sys.stderr)
