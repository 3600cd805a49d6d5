"""The search language shared by the CLI and the TUI, compiled to SQL.

A query is terms separated by spaces, all of which must match; ``OR`` between terms matches
either, parentheses group, ``-`` negates, quotes keep spaces (:data:`GRAMMAR_HELP`, the one
description of the grammar). A term is ``key:value`` — each key a :class:`QueryTerm` registered
by the capability that owns its data (:mod:`core.catalog.query.terms`) — or a bare word, which
matches the path::

    camera:nikon year:2008            date:2008-10..2009-03       kind:video
    "path:summer trip" -format:png    tag:beach OR tag:sea        -(album:Work OR tag:screenshot)
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

from core.catalog.query.grammar import GRAMMAR_HELP, MAX_NESTING, parse_tree
from core.catalog.query.sql import MAX_TERMS, compile_tree
from core.catalog.query.terms import (
    Clause,
    QueryError,
    QueryTerm,
    contains,
    find_term,
    one_of,
    query_terms,
    register_term,
    yes_no,
)

__all__ = [
    "GRAMMAR_HELP", "MAX_NESTING", "MAX_TERMS", "Clause", "Query", "QueryError", "QueryTerm", "contains",
    "describe_query_language", "filter_term", "find_term", "one_of", "parse_query", "query_terms",
    "register_term", "search_hint", "yes_no",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query: a SQL condition over the ``photos`` table and its parameters."""

    text: str = ""
    sql: str = ""
    params: tuple[object, ...] = field(default_factory=tuple)


def parse_query(text: str) -> Query:
    """Compile a query string; raises :class:`QueryError` saying where and what is wrong."""
    tree = parse_tree(text)
    if tree is None:
        return Query()
    clause = compile_tree(tree)
    return Query(text.strip(), clause.sql, clause.params)


def filter_term(key: str, value: str) -> str:
    """One ``key:value`` term, quoted so that :func:`parse_query` reads ``value`` back whole."""
    if re.fullmatch(r"[\w.\-]+", value):
        return f"{key}:{value}"
    if '"' not in value and "\\" not in value:
        return f'"{key}:{value}"'
    return shlex.quote(f"{key}:{value}")


def describe_query_language() -> str:
    """The grammar and every registered term, as plain text (``shoebox help query``, ``ls --help``)."""
    lines = [GRAMMAR_HELP, ""]
    terms = query_terms()
    width = max(len(f"{t.name}:{t.value}") for t in terms)
    group = None
    for term in terms:
        if term.group != group:
            group = term.group
            lines.append(f"{group}:")
        also = f" (also {', '.join(a + ':' for a in term.aliases)})" if term.aliases else ""
        lines.append(f"  {f'{term.name}:{term.value}':<{width}}  {term.help}{also}, e.g. {term.example}")
    return "\n".join(lines)


def search_hint() -> str:
    """One line of examples for the app's search bar, from the terms marked ``hint``."""
    examples = [t.example for t in query_terms() if t.hint]
    return "  ".join([*examples, "A OR B", "-term", "words in the path"])
