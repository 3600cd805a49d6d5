"""Indexing: walk the roots, read changed files in worker processes, store them in batches."""
