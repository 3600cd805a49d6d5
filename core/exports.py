"""Names a package offers from its modules, imported the first time they are asked for (PEP 562).

A package's ``__init__.py`` is what other packages (the terminal UI above all) import from; an
import-linter contract in pyproject.toml holds tui to it. Listing a name there lazily keeps
importing the package as cheap as before (``core.cloud`` does not load boto3 until a backup runs).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping


def lazy_exports(package: str, exports: Mapping[str, str]) -> Callable[[str], object]:
    """A module ``__getattr__`` for ``package`` that imports ``exports[name]`` (a module path) on first use."""

    def __getattr__(name: str) -> object:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__
