"""Fixtures for the annotation protocol tests: the duplicates tests' indexed library."""

from tests.duplicates.conftest import index

__all__ = ["index"]
