"""Reading a query: words, quotes, ``-``, ``OR`` and parentheses into a tree (see ``GRAMMAR_HELP``).

::

    query  := any      ("OR" any)*          an OR of AND-groups; OR binds looser than AND
    any    := unary    ("AND"? unary)*      terms side by side must all match (AND is optional)
    unary  := "-" unary | "(" query ")" | word
    word   := key:value | a bare word (the path contains it); quote to keep spaces, OR or ( ) literal

Errors are :class:`QueryError` with the offset where the problem is and what was expected there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from core.catalog.query.terms import QueryError

#: How deep parentheses and negations of groups may nest (SQLite's parser has a fixed stack).
MAX_NESTING = 10

GRAMMAR_HELP = f"""\
Terms separated by spaces must all match (AND); OR between terms matches either:
  tag:family year:2019             both (AND is the default; writing AND is allowed too)
  tag:beach OR tag:sea             either; OR binds looser: a b OR c is (a b) OR c
  -format:png                      a - in front negates a term (or a group)
  -(album:Work OR tag:screenshot)  parentheses group terms (at most {MAX_NESTING} levels deep)
  album:"Madrid 2021"              quotes keep spaces, and a literal OR, - or parentheses
  beach                            a bare word: the file's path contains it (any case)"""

_SURROGATE = re.compile("[\ud800-\udfff]")

TokenKind = Literal["word", "or", "and", "not", "open", "close"]


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    position: int
    text: str = ""  # a word's text, quotes removed
    negated: bool = False  # a word written -word


@dataclass(frozen=True, slots=True)
class Word:
    """A term as written: ``key`` is empty for a bare word."""

    position: int
    key: str
    value: str
    negated: bool


@dataclass(frozen=True, slots=True)
class Not:
    position: int
    operand: Node


@dataclass(frozen=True, slots=True)
class Group:
    """All (``op="AND"``) or any (``op="OR"``) of ``parts``."""

    op: Literal["AND", "OR"]
    parts: tuple[Node, ...]


Node = Word | Not | Group


def tokenize(text: str) -> list[Token]:
    """Split ``text`` like a POSIX shell (quotes, backslashes), with ``(`` ``)`` ``-(`` ``OR`` as tokens."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(Token("open" if char == "(" else "close", i))
            i += 1
        elif char == "-" and i + 1 < n and text[i + 1] == "(":
            tokens.append(Token("not", i))
            i += 1
        else:
            token, i = _word(text, i)
            tokens.append(token)
    return tokens


def _word(text: str, start: int) -> tuple[Token, int]:
    """The word starting at ``start`` and the offset after it."""
    i, n = start, len(text)
    negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace() and text[i + 1] not in "()"
    if negated:
        i += 1
    chars: list[str] = []
    quoted = False
    while i < n and not text[i].isspace() and text[i] not in "()":
        char = text[i]
        if char == "\\":
            if i + 1 >= n:
                raise QueryError("a backslash at the end escapes nothing: write \\\\ for a backslash", i)
            chars.append(text[i + 1])
            i += 2
        elif char in "'\"":
            quoted = True
            inner, i = _quoted(text, i)
            chars.append(inner)
        else:
            chars.append(char)
            i += 1
    word = "".join(chars)
    if not quoted and not negated and word in ("OR", "AND"):
        return Token("or" if word == "OR" else "and", start), i
    return Token("word", start, word, negated), i


def _quoted(text: str, start: int) -> tuple[str, int]:
    """The text inside the quote at ``start`` and the offset after its closing quote.

    Inside ``'...'`` every character is literal; inside ``"..."`` a backslash escapes ``"`` or ``\\``.
    """
    quote = text[start]
    chars: list[str] = []
    i = start + 1
    while i < len(text):
        char = text[i]
        if quote == '"' and char == "\\" and i + 1 < len(text) and text[i + 1] in '"\\':
            chars.append(text[i + 1])
            i += 2
            continue
        if char == quote:
            return "".join(chars), i + 1
        chars.append(char)
        i += 1
    raise QueryError(f"unbalanced quotes: the {quote} here is never closed", start)


class _Parser:
    """Recursive descent over the tokens; nesting is bounded by :data:`MAX_NESTING`."""

    def __init__(self, text: str, tokens: list[Token]) -> None:
        self.text = text
        self.tokens = tokens
        self.index = 0

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def end_position(self) -> int:
        return len(self.text.rstrip())

    def parse(self) -> Node | None:
        if not self.tokens:
            return None
        node = self.query(0)
        token = self.peek()
        if token is not None:  # only a ')' stops query() early
            raise QueryError("this ')' has no '(' before it (quote a word that contains parentheses)",
                             token.position)  # fmt: skip
        return node

    def query(self, depth: int) -> Node:
        parts = [self.all_of(depth, after=None)]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            parts.append(self.all_of(depth, after=token))
        return parts[0] if len(parts) == 1 else Group("OR", tuple(parts))

    def all_of(self, depth: int, after: Token | None) -> Node:
        """Terms side by side (and ``AND``), up to ``OR``, ``)`` or the end."""
        parts: list[Node] = []
        while (token := self.peek()) is not None and token.kind not in ("or", "close"):
            if token.kind == "and":
                self.take()
                if not parts:
                    raise QueryError("expected a term before AND", token.position)
                self._expect_term("AND")
                continue
            parts.append(self.unary(depth))
        if not parts:
            self._nothing_here(after, depth)
        return parts[0] if len(parts) == 1 else Group("AND", tuple(parts))

    def _expect_term(self, name: str) -> None:
        """The next token must start a term (it follows ``name``)."""
        token = self.peek()
        if token is None or token.kind in ("or", "and", "close"):
            found = "the end of the query" if token is None else {"or": "OR", "and": "AND"}.get(token.kind, "')'")
            position = self.end_position() if token is None else token.position
            raise QueryError(f"expected a term after {name}, found {found}", position)

    def _nothing_here(self, after: Token | None, depth: int) -> None:
        """An empty AND-group: say what was expected where."""
        token = self.peek()
        position = self.end_position() if token is None else token.position
        if after is not None:
            found = "the end of the query" if token is None else ("OR" if token.kind == "or" else "')'")
            raise QueryError(f"expected a term after OR, found {found}", position)
        if token is not None and token.kind == "or":
            raise QueryError("expected a term before OR", position)
        if token is not None and token.kind == "close" and depth == 0:
            raise QueryError("this ')' has no '(' before it (quote a word that contains parentheses)", position)
        if token is not None and token.kind == "close":
            raise QueryError("expected a term inside the parentheses, found ')'", position)
        raise QueryError("expected a term, found the end of the query", position)

    def unary(self, depth: int) -> Node:
        token = self.take()
        if token.kind == "word":
            key, sep, value = token.text.partition(":")
            return Word(token.position, key if sep else "", value if sep else token.text, token.negated)
        if token.kind == "not":  # '-(': the '(' follows
            return Not(token.position, self.group(self.take(), depth + 1))
        return self.group(token, depth + 1)

    def group(self, opening: Token, depth: int) -> Node:
        """What is inside the parentheses opened by ``opening``, ``depth`` levels deep."""
        if depth > MAX_NESTING:
            raise QueryError(f"parentheses nest too deep: at most {MAX_NESTING} levels", opening.position)
        inner = self.query(depth)
        closing = self.peek()
        if closing is None or closing.kind != "close":
            raise QueryError("this '(' is never closed: expected ')'", opening.position)
        self.take()
        return inner


def parse_tree(text: str) -> Node | None:
    """The tree of ``text`` (None when it is empty); raises :class:`QueryError`."""
    nul = text.find("\0")
    if nul >= 0:
        raise QueryError("the query contains a NUL character", nul)
    if surrogate := _SURROGATE.search(text):  # bytes that were not UTF-8 (argv decodes them so)
        raise QueryError("the query is not valid UTF-8 text here", surrogate.start())
    return _Parser(text, tokenize(text)).parse()
