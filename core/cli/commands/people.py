"""``shoebox people``: persons and faces — list, name, assign, reject, merge, hide, avatar, undo."""

from __future__ import annotations

import argparse

from core.cli.commands.people_scan import register_scan
from core.library import Library


def register(subparsers: argparse._SubParsersAction) -> None:
    people = subparsers.add_parser("people", help="faces grouped into persons: scan, list, name, correct")
    actions = people.add_subparsers(dest="people_action", metavar="ACTION")
    register_scan(actions)
    people.set_defaults(run=run_people, json=False)


def run_people(args: argparse.Namespace, library: Library) -> int:
    action = getattr(args, "people_run", None)
    if action is None:
        print("shoebox people: give an action (see shoebox people --help)")
        return 2
    return action(args, library)
