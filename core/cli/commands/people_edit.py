"""``shoebox people name|assign|confirm|reject|merge|hide|avatar|undo|recluster``: corrections.

Each is one recorded decision (``people undo`` takes the latest back); ``recluster`` redoes
every automatic grouping, keeping the decisions. With ``shoebox xmp auto`` on, the sidecars of
the photos whose named persons changed get their face regions brought up to date.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from core.cli.output import error, write_json
from core.cli.sidecars import warn_sidecars
from core.library import Library
from core.people import (
    PeopleError,
    UnknownPeopleId,
    assign_face,
    confirm_face,
    hide_person,
    merge_persons,
    name_person,
    recluster,
    reject_face,
    set_avatar,
    undo_last,
)  # fmt: skip
from core.people.store import models_with_vectors
from core.xmp import sync_after_face_changes

AddAction = Callable[[argparse._SubParsersAction, str, str], argparse.ArgumentParser]


def register_edits(actions: argparse._SubParsersAction, add_action: AddAction, id_type: Callable[[str], int]) -> None:
    """Add the correction actions to ``shoebox people`` (``add_action`` makes one, with --json)."""
    name = add_action(actions, "name", "name a person (a name another person has merges the two)")
    name.add_argument("person", type=id_type, metavar="PERSON_ID")
    name.add_argument("name", metavar="NAME")
    name.set_defaults(people_run=_run(lambda db, a: {"person_id": name_person(db, a.person, a.name)}))
    assign = add_action(actions, "assign", "this face is NAME (the person is created if needed)")
    assign.add_argument("face", type=id_type, metavar="FACE_ID")
    assign.add_argument("name", metavar="NAME")
    assign.set_defaults(people_run=_run(lambda db, a: {"person_id": assign_face(db, a.face, a.name)}))
    for verb, text, function in (
        ("confirm", "this face's automatic person is right", confirm_face),
        ("reject", "this face is not its person: detach it, never attach it there again", reject_face),
        ("avatar", "show this face as its person's picture", set_avatar),
    ):
        sub = add_action(actions, verb, text)
        sub.add_argument("face", type=id_type, metavar="FACE_ID")
        sub.set_defaults(people_run=_run(_on_face(function)))
    merge = add_action(actions, "merge", "every face of person SOURCE joins person TARGET")
    merge.add_argument("source", type=id_type, metavar="SOURCE_ID")
    merge.add_argument("target", type=id_type, metavar="TARGET_ID")
    merge.set_defaults(people_run=_run(lambda db, a: {"person_id": merge_persons(db, a.source, a.target)}))
    hide = add_action(actions, "hide", "leave a person out of the people list (--unhide shows it again)")
    hide.add_argument("person", type=id_type, metavar="PERSON_ID")
    hide.add_argument("--unhide", action="store_true")
    hide.set_defaults(people_run=_run(lambda db, a: {"person_id": a.person, "hidden": _hide(db, a)}))
    add_action(actions, "undo", "take back the latest correction").set_defaults(people_run=_undo)
    add_action(actions, "recluster", "group every automatic face again from scratch (keeps corrections; "
               "clears the undo history)").set_defaults(people_run=_recluster)  # fmt: skip


def _on_face(function: Callable[[object, int], None]) -> Callable:
    """A change of one face (confirm, reject, avatar), reported as the face's id."""

    def change(db, args: argparse.Namespace) -> dict[str, int]:
        function(db, args.face)
        return {"face_id": args.face}

    return change


def _hide(db, args: argparse.Namespace) -> bool:
    hide_person(db, args.person, not args.unhide)
    return not args.unhide


def _run(change: Callable) -> Callable[[argparse.Namespace, Library], int]:
    """An action doing ``change(db, args)`` → a JSON-able result; errors as one line (1 unknown id, 2 other)."""

    def run(args: argparse.Namespace, library: Library) -> int:
        try:
            with sync_after_face_changes(library) as sidecars:
                result = change(library.db, args)
        except PeopleError as exc:
            error(str(exc))
            return 1 if isinstance(exc, UnknownPeopleId) else 2
        warn_sidecars(sidecars)
        if args.json:
            write_json(result)
        else:
            print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in result.items()))
        return 0

    return run


def _undo(args: argparse.Namespace, library: Library) -> int:
    try:
        with sync_after_face_changes(library) as sidecars:
            undone = undo_last(library.db)
    except PeopleError as exc:
        error(str(exc))
        return 1
    warn_sidecars(sidecars)
    if args.json:
        write_json({"undone": undone})
    else:
        print(f"undid: {undone}" if undone else "nothing to undo")
    return 0


def _recluster(args: argparse.Namespace, library: Library) -> int:
    totals = {"joined": 0, "new_persons": 0, "left_alone": 0}
    with sync_after_face_changes(library, everything=True) as sidecars:
        for model in models_with_vectors(library.db):
            stats = recluster(library.db, model)
            for key in totals:
                totals[key] += getattr(stats, key)
    warn_sidecars(sidecars)
    if args.json:
        write_json(totals)
    else:
        print(f"{totals['joined']} faces joined a named or corrected person, {totals['new_persons']} groups formed, "
              f"{totals['left_alone']} faces left alone")  # fmt: skip
    return 0
