"""core/ must never import Textual, Rich or the TUI (the CLI loads Rich only on a terminal)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import core

MODULES = sorted(m.name for m in pkgutil.walk_packages(core.__path__, "core."))
CHECK = (
    "import importlib, sys\n"
    "for name in sys.argv[1:]:\n"
    "    importlib.import_module(name)\n"
    "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'tui'))\n"
    "print(','.join(bad))\n"
)


def test_core_modules_never_import_the_ui() -> None:
    assert len(MODULES) > 10
    result = subprocess.run([sys.executable, "-c", CHECK, *MODULES], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"core imported UI modules: {result.stdout}"
