"""The search language on the command line: its help (from the term registry) and its errors (exit 2)."""

from __future__ import annotations

import argparse
import textwrap

from core.catalog.query import Query, QueryError, describe_query_language, parse_query
from core.cli.output import error

#: Exit status for a query Shoebox cannot understand.
BAD_QUERY = 2


def add_query_help(parser: argparse.ArgumentParser) -> None:
    """List the grammar and every filter under the command's ``--help`` (kept as written)."""
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    listing = "QUERY (also `shoebox help query`):\n" + textwrap.indent(describe_query_language(), "  ")
    parser.epilog = f"{parser.epilog}\n\n{listing}" if parser.epilog else listing


def add_query_words(parser: argparse.ArgumentParser, help: str) -> None:
    """The command's photos as query words (``shoebox backup year:2019 tag:family``), and the query help."""
    parser.add_argument("query", nargs="*", help=help)
    add_query_help(parser)


def query_or_exit(text: str) -> Query | int:
    """The compiled query, or :data:`BAD_QUERY` after saying in one line what is wrong with it."""
    try:
        return parse_query(text)
    except QueryError as exc:
        error(str(exc))
        return BAD_QUERY
