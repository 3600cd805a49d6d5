"""Storing file paths as text, exactly, even when a name is not valid UTF-8."""

from __future__ import annotations

import os


def path_to_db(path: str) -> tuple[str, bytes | None]:
    """Text to store (and show) for ``path``, plus its exact bytes when the text is lossy.

    Python represents undecodable bytes of a file name as lone surrogates, which SQLite
    cannot store as text; such a name is stored readably (``\\xff``) with its raw bytes.
    """
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(path)
        return raw.decode("utf-8", "backslashreplace"), raw
    return path, None


def folder_of(path: str) -> str:
    """The stored text form of the folder holding ``path``."""
    return path_to_db(os.path.dirname(path))[0]
