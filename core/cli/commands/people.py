"""``shoebox people``: persons and faces — list, name, assign, reject, merge, hide, avatar, undo.

Each action sets ``people_run`` (the function that runs it); the lists are here, the
corrections in :mod:`core.cli.commands.people_edit`, the scan in ``people_scan``. Every
action takes ``--json``. A face or person id that does not exist exits 1; a bad argument 2.
"""

from __future__ import annotations

import argparse

from core.catalog.photos import get_photo_by_path
from core.catalog.roots import normalise_root
from core.cli.argtypes import integer
from core.cli.commands.people_edit import register_edits
from core.cli.commands.people_scan import register_scan
from core.cli.output import display_text, error, write_json, write_table
from core.library import Library
from core.people import find_person, get_person, list_faces, list_persons, suggestions

#: An unnamed group with fewer faces than this is left out of ``people ls`` (``--all`` shows it).
SHOWN_MIN_FACES = 2
#: Face and person ids as the CLI takes them.
ID = integer(1, 2**63 - 1, "an id")


def register(subparsers: argparse._SubParsersAction) -> None:
    people = subparsers.add_parser("people", help="faces grouped into persons: scan, list, name, correct")
    actions = people.add_subparsers(dest="people_action", metavar="ACTION")
    register_scan(actions)
    listing = add_action(actions, "ls", "list persons: named ones first, then unnamed groups by size")
    listing.add_argument("--all", action="store_true", help="also hidden persons and groups of one face")
    listing.set_defaults(people_run=_ls)
    faces = add_action(actions, "faces", "list faces, of a photo or of a person, or those in no person")
    faces.add_argument("--photo", metavar="PATH", help="only the faces of this catalogued photo")
    faces.add_argument("--person", metavar="ID|NAME", help="only the faces of this person")
    faces.add_argument("--unassigned", action="store_true", help="only faces in no person")
    faces.set_defaults(people_run=_faces)
    suggest = add_action(actions, "suggest", "automatic assignments to check, least sure first")
    suggest.add_argument("--limit", type=integer(1, 10_000), default=20, help="at most this many (20)")
    suggest.set_defaults(people_run=_suggest)
    register_edits(actions, add_action, ID)
    people.set_defaults(run=run_people, json=False)


def add_action(actions: argparse._SubParsersAction, name: str, text: str) -> argparse.ArgumentParser:
    """One ``shoebox people`` action, with ``--json``."""
    action = actions.add_parser(name, help=text)
    action.add_argument("--json", action="store_true", help="print JSON for scripts")
    return action


def run_people(args: argparse.Namespace, library: Library) -> int:
    action = getattr(args, "people_run", None)
    if action is None:
        print("shoebox people: give an action (see shoebox people --help)")
        return 2
    return action(args, library)


def _ls(args: argparse.Namespace, library: Library) -> int:
    persons = list_persons(library.db, include_hidden=args.all, min_faces=1 if args.all else SHOWN_MIN_FACES)
    if args.json:
        write_json([p.to_json() for p in persons])
        return 0
    rows = ((str(p.id), str(p.faces), str(p.photos), "hidden" if p.hidden else "", display_text(p.name or "(unnamed)"))
            for p in persons)  # fmt: skip
    write_table(rows, ("ID", "FACES", "PHOTOS", "", "NAME"))
    return 0


def _faces(args: argparse.Namespace, library: Library) -> int:
    photo_id = person_id = None
    if args.photo is not None:
        photo = get_photo_by_path(library.db, normalise_root(args.photo))
        if photo is None:
            error(f"{args.photo}: not in the library (add its folder first)")
            return 1
        photo_id = photo.id
    if args.person is not None:
        person_id = _person_id(library, args.person)
        if person_id is None:
            error(f"no person {args.person!r}: see `shoebox people ls --all`")
            return 1
    faces = list_faces(library.db, photo_id=photo_id, person_id=person_id, unassigned=args.unassigned)
    if args.json:
        write_json([f.to_json() for f in faces])
        return 0
    rows = ((str(f.id), str(f.person_id or ""), display_text(f.person or ""), f.source, display_text(f.path))
            for f in faces)  # fmt: skip
    write_table(rows, ("FACE", "PERSON", "NAME", "SOURCE", "PHOTO"))
    return 0


def _person_id(library: Library, text: str) -> int | None:
    """A person given by id (digits) or by name."""
    if text.strip().isdigit() and get_person(library.db, int(text)) is not None:
        return int(text)
    return find_person(library.db, text)


def _suggest(args: argparse.Namespace, library: Library) -> int:
    queue = suggestions(library.db, args.limit)
    if args.json:
        write_json([{"face": s.face.to_json(), "person": s.person.to_json(), "distance": round(s.distance, 4)}
                    for s in queue])  # fmt: skip
        return 0
    rows = ((str(s.face.id), f"{s.distance:.3f}", display_text(s.person.name or ""), display_text(s.face.path))
            for s in queue)  # fmt: skip
    write_table(rows, ("FACE", "DISTANCE", "IS THIS", "PHOTO"))
    if queue:
        print("answer with `shoebox people confirm FACE` (yes) or `shoebox people reject FACE` (no)")
    return 0
