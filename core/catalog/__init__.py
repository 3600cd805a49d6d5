"""The catalog: one SQLite database per library (WAL, migrations, transactions)."""

from core.catalog.db import CatalogError, Database
from core.catalog.records import Photo, Problem, Root

__all__ = ["CatalogError", "Database", "Photo", "Problem", "Root"]
