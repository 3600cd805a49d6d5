"""The command palette (``ctrl+p``) lists every action reachable by a key from here."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


@dataclass(frozen=True)
class KeyCommand:
    """One bound action as the palette shows it."""

    title: str
    help: str
    action: str
    namespace: DOMNode


class KeyCommands(Provider):
    """Commands built from the active bindings (app, screen and focused widgets)."""

    def _commands(self) -> Iterator[KeyCommand]:
        seen: set[tuple[int, str]] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.description or not active.enabled or binding.system:
                continue
            marker = (id(active.node), binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            key = self.app.get_key_display(binding)
            help_text = f"{binding.tooltip}  ({key})" if binding.tooltip else f"({key})"
            yield KeyCommand(binding.description, help_text, binding.action, active.node)

    async def discover(self) -> Hits:
        for command in sorted(self._commands(), key=lambda c: c.title):
            yield DiscoveryHit(command.title, self._runner(command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(score, matcher.highlight(command.title), self._runner(command), help=command.help)

    def _runner(self, command: KeyCommand):  # type: ignore[no-untyped-def]
        return partial(self.app.run_action, command.action, command.namespace)
