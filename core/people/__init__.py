"""People: faces found in photos, grouped into persons, named and corrected by hand.

Tables (catalog migrations 9 and 10): ``faces``, ``persons``, ``face_scans``, ``face_rejections``,
``people_undo``. Other capabilities and the UI reach them only through the functions exported here.
"""

from core.people.clustering import ClusterStats, cluster_new_faces, recluster
from core.people.corrections import (
    add_face,
    assign_face,
    confirm_face,
    hide_person,
    merge_persons,
    name_person,
    place_unassigned,
    reject_face,
    set_avatar,
    undo_last,
)
from core.people.crops import face_crop
from core.people.overview import PeopleOverview, people_overview
from core.people.records import (
    Box,
    FaceRecord,
    PeopleError,
    PersonSummary,
    Suggestion,
    UnknownPeopleId,
)
from core.people.review import count_suggestions, suggestions
from core.people.settings import auto_scan, set_auto_scan
from core.people.store import (
    find_person,
    get_face,
    get_person,
    list_faces,
    list_persons,
    people_of_photos,
)

__all__ = [
    "Box", "ClusterStats", "FaceRecord", "PeopleError", "PeopleOverview", "PersonSummary", "Suggestion",
    "UnknownPeopleId", "add_face", "assign_face", "auto_scan", "cluster_new_faces", "confirm_face", "count_suggestions",
    "face_crop", "find_person", "get_face", "get_person", "hide_person", "list_faces", "list_persons",
    "merge_persons", "name_person", "people_of_photos", "people_overview", "place_unassigned", "recluster",
    "reject_face", "set_auto_scan", "set_avatar", "suggestions", "undo_last"
]  # fmt: skip
