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


def show_setting(as_json: bool, key: str, value: object, sentence: str) -> int:
    """Print a setting (after ``shoebox X auto ...``): ``{key: value}`` as JSON, else the sentence."""
    if as_json:
        write_json({key: value})
    else:
        print(sentence)
    return 0


#: Widest a table column other than the last is drawn (a 30,000-character camera name from
#: a hostile file must not stretch every line); the full value is in --json.
MAX_COLUMN_WIDTH = 40


def display_text(text: str, width: int | None = None) -> str:
    """``text`` safe for a terminal: control characters (escape sequences) shown as ``?``,
    and at most ``width`` characters, ending in ``…`` when cut."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else "?" for ch in text)
    if width is not None and len(text) > width:
        text = text[: width - 1] + "…"
    return text


def write_table(
    rows: Iterable[Sequence[str]],
    headers: Sequence[str],
    out: TextIO | None = None,
    last_width: int | None = None,
) -> None:
    """Columns padded to their widest cell (at most MAX_COLUMN_WIDTH, longer cells end in
    ``…``); the last column is not padded, and cut only at ``last_width`` when given."""
    out = out or sys.stdout
    cut = [MAX_COLUMN_WIDTH] * (len(headers) - 1) + [last_width]
    rows = [list(headers), *([display_text(str(c), w) for c, w in zip(row, cut, strict=False)] for row in rows)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(headers) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        out.write("  ".join([*cells, row[-1]]).rstrip() + "\n")


def error(message: str) -> None:
    """A message for the person at the terminal, on stderr."""
    print(f"shoebox: {message}", file=sys.stderr)
