"""Widgets of the duplicates review pane: the group list, member cards, the metadata diff."""
