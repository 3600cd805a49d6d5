"""Compiling a query tree to one SQL condition SQLite accepts, however many terms it has.

SQLite refuses an expression more than 1,000 levels deep ("Expression tree is too large") and
parentheses nested about 30 deep ("parser stack overflow"): ``a AND b AND c ...`` is one level
per term, so long AND/OR lists are written as a shallow tree of short chains instead
(:data:`CHAIN` terms a chain, a few levels of parentheses for thousands of terms). Whatever
still exceeds the user's SQLite build is found by compiling the condition against an empty
in-memory catalog, and reported as a :class:`QueryError` before the query runs.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from core.catalog.migrations import MIGRATIONS, migrate
from core.catalog.query.grammar import Node, Not, Word
from core.catalog.query.terms import Clause, QueryError, find_term, query_terms, substring

#: Terms joined in one chain before the next level of parentheses.
CHAIN = 8
#: The most terms one query may have (each costs SQLite a little; nobody types more).
MAX_TERMS = 5_000


def compile_tree(tree: Node) -> Clause:
    """The SQL condition of ``tree``; raises :class:`QueryError` on a term it cannot use."""
    compiler = _Compiler()
    part = compiler.node(tree)
    if compiler.terms > MAX_TERMS:
        raise QueryError(f"the query has {compiler.terms:,} terms: at most {MAX_TERMS:,}")
    clause = Clause(part.sql, part.params)
    _check_with_sqlite(clause)
    return clause


@dataclass(frozen=True, slots=True)
class _Part:
    """Compiled SQL and how many groups deep it is (0 for one term)."""

    sql: str
    params: tuple[object, ...]
    depth: int = 0


class _Compiler:
    def __init__(self) -> None:
        self.terms = 0

    def node(self, node: Node) -> _Part:
        if isinstance(node, Word):
            self.terms += 1
            part = _word(node)
            return _negate(part) if node.negated else part
        if isinstance(node, Not):
            return _negate(self.node(node.operand))
        return _join(node.op, [self.node(part) for part in node.parts])


def _word(word: Word) -> _Part:
    if not word.key:
        return _bare(word.value)
    term = find_term(word.key)
    if term is None:
        if not re.fullmatch(r"[a-z]+", word.key.lower()):  # e.g. 12:30 or C:\photos — a bare word
            return _bare(f"{word.key}:{word.value}")
        names = ", ".join(sorted(t.name for t in query_terms()))
        raise QueryError(f"unknown filter '{word.key}:'; filters are: {names}", word.position)
    if not word.value:
        raise QueryError(f"'{word.key}:' needs a value, for example {term.example}", word.position)
    try:
        clause = term.clause(word.value)
    except QueryError as exc:
        raise QueryError(exc.reason, word.position) from None
    return _Part(f"({clause.sql})", clause.params)


def _bare(text: str) -> _Part:
    clause = substring(("path",), text)
    return _Part(f"({clause.sql})", clause.params)


def _negate(part: _Part) -> _Part:
    """True when ``part`` is false or unknown (a NULL column never matches, so its negation does).

    ``x IS NOT TRUE`` rather than ``NOT coalesce(x, 0)``: a function call costs SQLite's parser
    stack more than the parentheses ``part`` already has.
    """
    return _Part(f"({part.sql} IS NOT TRUE)", part.params, part.depth)


def _join(op: str, parts: list[_Part]) -> _Part:
    """``parts`` joined with ``op``: single terms as a shallow tree of chains, groups beside it.

    Groups stay at the top chain (deepest last) so that nesting them costs one level each.
    """
    terms = [p for p in parts if p.depth == 0]
    groups = sorted((p for p in parts if p.depth > 0), key=lambda p: p.depth)
    while len(terms) > CHAIN:
        terms = [_chain(op, terms[i : i + CHAIN]) for i in range(0, len(terms), CHAIN)]
    top = terms + groups
    while len(top) > CHAIN:
        top = [_chain(op, top[i : i + CHAIN]) for i in range(0, len(top), CHAIN)]
    joined = _chain(op, top)
    return _Part(joined.sql, joined.params, 1 + max(p.depth for p in parts))


def _chain(op: str, parts: list[_Part]) -> _Part:
    if len(parts) == 1:
        return parts[0]
    sql = f"({f' {op} '.join(p.sql for p in parts)})"
    return _Part(sql, tuple(v for p in parts for v in p.params), max(p.depth for p in parts))


_sqlite_lock = threading.Lock()


@cache
def _empty_catalog() -> sqlite3.Connection:
    """An in-memory catalog with every table (the migrations), to compile queries against."""
    connection = sqlite3.connect(":memory:", check_same_thread=False)
    migrate(connection, Path(":memory:"), MIGRATIONS)
    return connection


def _check_with_sqlite(clause: Clause) -> None:
    """Let SQLite compile the condition and run it on no rows: its limits become a :class:`QueryError`.

    Expression depth, parser stack and parameter count differ between SQLite builds, so the
    build the user has decides; the message names the limit SQLite gave.
    """
    with _sqlite_lock:
        try:
            _empty_catalog().execute(f"SELECT count(*) FROM photos WHERE {clause.sql}", clause.params).fetchall()
        except sqlite3.OperationalError as exc:
            raise QueryError(f"the query is too complex for SQLite ({exc}): use fewer terms or parentheses") from None
