"""Generated photos: the demo library, and synthetic corpora for tests and benchmarks."""
