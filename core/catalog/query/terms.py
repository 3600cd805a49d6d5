"""The query-term registry: every ``key:value`` filter is a :class:`QueryTerm` its capability registers.

The catalog registers the terms over its own ``photos`` columns (:mod:`core.catalog.query.photo_terms`);
any other capability registers its terms in a ``query_terms`` module of its package
(``core/collections/query_terms.py`` gives ``album:``, ``tag:``…), found the first time the terms are
needed — so a new term is one registration in the package that owns its tables, and ``ls --help``,
``shoebox help query``, the app's search hint and its keys screen list it without further edits.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class QueryError(ValueError):
    """The query cannot be understood; the message says where, what is wrong and what is allowed."""

    def __init__(self, message: str, position: int | None = None) -> None:
        """``position``: the 0-based offset in the query text where the problem is, when known."""
        self.reason = message
        self.position = position
        super().__init__(f"character {position + 1}: {message}" if position is not None else message)


@dataclass(frozen=True, slots=True)
class Clause:
    """A SQL condition over the ``photos`` table (one row per photo) and its ``?`` parameters."""

    sql: str
    params: tuple[object, ...] = ()


@dataclass(frozen=True, slots=True)
class QueryTerm:
    """One ``name:value`` filter: what it matches, how it is written, and its SQL.

    ``compile`` turns a non-empty value into a :class:`Clause` or raises :class:`QueryError`
    (without a position: the parser adds the term's). Its SQL may name the ``photos`` table's
    columns and ``photos.id``; a clause should not need more than two parameters.
    """

    name: str
    value: str  # how the value is written in help, e.g. "TEXT", "yes|no", "0-5 or 3.. or 2..4"
    help: str  # what the term matches, one short sentence
    example: str  # a whole example term, e.g. "camera:nikon"
    compile: Callable[[str], Clause] = field(repr=False)
    aliases: tuple[str, ...] = ()
    group: str = "The photo"  # the heading it is listed under
    hint: bool = False  # shown in the app's one-line search hint

    def clause(self, value: str) -> Clause:
        """The SQL for ``name:value``."""
        return self.compile(value)


_lock = threading.RLock()
_terms: dict[str, QueryTerm] = {}  # by name and by alias, lower case
_discovered = False

#: A capability package's module that registers its terms when imported.
TERMS_MODULE = "query_terms"


def register_term(term: QueryTerm) -> QueryTerm:
    """Add ``term`` (under its name and aliases); registering the same name twice is a mistake."""
    with _lock:
        for key in (term.name, *term.aliases):
            existing = _terms.get(key.lower())
            if existing is not None and existing is not term:
                raise ValueError(f"query term {key}: is registered twice")
        for key in (term.name, *term.aliases):
            _terms[key.lower()] = term
    return term


def find_term(name: str) -> QueryTerm | None:
    """The term called ``name`` (or one of its aliases), any case."""
    _discover()
    return _terms.get(name.lower())


def query_terms() -> list[QueryTerm]:
    """Every registered term once, the catalog's first, then each capability's in registration order."""
    _discover()
    with _lock:
        return list(dict.fromkeys(_terms.values()))


def _discover() -> None:
    """Import the catalog's terms, then every ``core/<package>/query_terms.py`` (once)."""
    global _discovered
    if _discovered:
        return
    with _lock:
        if _discovered:
            return
        importlib.import_module("core.catalog.query.photo_terms")
        core_dir = Path(__file__).resolve().parents[2]
        for package in sorted(p.parent.name for p in core_dir.glob(f"*/{TERMS_MODULE}.py")):
            importlib.import_module(f"core.{package}.{TERMS_MODULE}")
        _discovered = True


# --- value helpers a capability's terms are built from ----------------------------------------


#: Longest LIKE pattern (UTF-8 bytes) a substring search uses; SQLite refuses more than 50,000.
LIKE_PATTERN_LIMIT = 10_000


def substring(columns: tuple[str, ...], value: str) -> Clause:
    """Any of ``columns`` contains ``value``, ignoring ASCII case.

    ``LIKE`` (about 1.5x faster than ``instr(lower(..))`` on 200,000 rows, bench/query_bench.py)
    unless the pattern is too long for it; both fold ASCII case only, so they match the same rows.
    """
    pattern = "%" + value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    if len(pattern.encode("utf-8", "surrogatepass")) <= LIKE_PATTERN_LIMIT:
        sql = " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in columns)
        return Clause(sql, (pattern,) * len(columns))
    return Clause(" OR ".join(f"instr(lower({column}), lower(?)) > 0" for column in columns), (value,) * len(columns))


def contains(column: str) -> Callable[[str], Clause]:
    """``column`` contains the value, ignoring ASCII case (see :func:`substring`)."""

    def compile_(value: str) -> Clause:
        return substring((column,), value)

    return compile_


def yes_no(condition: str) -> Callable[[str], Clause]:
    """``yes`` is ``condition``, ``no`` its negation."""

    def compile_(value: str) -> Clause:
        if value.lower() in ("yes", "y", "true", "1"):
            return Clause(condition)
        if value.lower() in ("no", "n", "false", "0"):
            return Clause(f"NOT ({condition})")
        raise QueryError(f"'{value}' should be yes or no")

    return compile_


def one_of(column: str, allowed: tuple[str, ...]) -> Callable[[str], Clause]:
    """``column`` equals the value (any case), which must be one of ``allowed``."""

    def compile_(value: str) -> Clause:
        if value.lower() not in allowed:
            raise QueryError(f"'{value}' is not one of {', '.join(allowed)}")
        return Clause(f"lower({column}) = ?", (value.lower(),))

    return compile_
