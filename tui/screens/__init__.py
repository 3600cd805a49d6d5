"""Screens and modals of the app, one per file."""
