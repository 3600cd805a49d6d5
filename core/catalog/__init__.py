"""The catalog: one SQLite database per library (WAL, migrations, transactions)."""

from core.catalog.db import CatalogError, Database
from core.catalog.records import Photo, Problem, Root

__all__ = ["CatalogError", "Database", "Photo", "Problem", "Root"]


from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "damage_message": "core.catalog.health",
    "diagnose": "core.catalog.health",
    "CatalogDamaged": "core.catalog.db",
    "GRAMMAR_HELP": "core.catalog.query",
    "Period": "core.catalog.timeline",
    "Query": "core.catalog.query",
    "QueryError": "core.catalog.query",
    "QueryStopped": "core.catalog.db",
    "RootError": "core.catalog.roots",
    "TimelineIndex": "core.catalog.timeline",
    "UNDATED": "core.catalog.timeline",
    "add_root": "core.catalog.roots",
    "check_root": "core.catalog.roots",
    "filter_term": "core.catalog.query",
    "get_photo": "core.catalog.photos",
    "list_roots": "core.catalog.roots",
    "parse_query": "core.catalog.query",
    "photos_at": "core.catalog.timeline",
    "position_of": "core.catalog.timeline",
    "query_terms": "core.catalog.query",
    "search_hint": "core.catalog.query",
    "table_exists": "core.catalog.timeline",
    "timeline_index": "core.catalog.timeline",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
