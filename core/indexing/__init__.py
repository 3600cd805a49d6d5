"""Indexing: walk the roots, read changed files in worker processes, store them in batches."""

from core.exports import lazy_exports  # noqa: E402

#: What other packages (the terminal UI) take from this one, loaded on first use.
_EXPORTS = {
    "IndexProgress": "core.indexing.progress",
    "IndexStats": "core.indexing.progress",
    "index_library": "core.indexing.indexer",
    "get_stage": "core.indexing.registry",
    "phase_title": "core.indexing.registry",
    "run_only": "core.indexing.stage_runner",
}

__getattr__ = lazy_exports(__name__, _EXPORTS)
