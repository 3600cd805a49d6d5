"""People: faces found in photos, grouped into persons, named and corrected by hand.

Tables (catalog migrations 9 and 10): ``faces``, ``persons``, ``face_scans``, ``face_rejections``,
``people_undo``. Other capabilities and the UI reach them only through the functions exported here.

The names are loaded on first use (:func:`core.exports.lazy_exports`): importing a module of this
package (the index stage, the query terms) does not load the clustering and its numpy.
"""

from core.exports import lazy_exports

_EXPORTS = {
    "ClusterStats": "core.people.clustering",
    "cluster_new_faces": "core.people.clustering",
    "recluster": "core.people.clustering",
    "add_face": "core.people.corrections",
    "assign_face": "core.people.corrections",
    "confirm_face": "core.people.corrections",
    "hide_person": "core.people.corrections",
    "merge_persons": "core.people.corrections",
    "name_person": "core.people.corrections",
    "place_unassigned": "core.people.corrections",
    "reject_face": "core.people.corrections",
    "set_avatar": "core.people.corrections",
    "undo_last": "core.people.corrections",
    "face_crop": "core.people.crops",
    "PeopleOverview": "core.people.overview",
    "people_overview": "core.people.overview",
    "Box": "core.people.records",
    "FaceRecord": "core.people.records",
    "PeopleError": "core.people.records",
    "PersonSummary": "core.people.records",
    "Suggestion": "core.people.records",
    "UnknownPeopleId": "core.people.records",
    "count_suggestions": "core.people.review",
    "suggestions": "core.people.review",
    "auto_scan": "core.people.settings",
    "set_auto_scan": "core.people.settings",
    "find_person": "core.people.store",
    "get_face": "core.people.store",
    "get_person": "core.people.store",
    "list_faces": "core.people.store",
    "list_persons": "core.people.store",
    "people_of_photos": "core.people.store",
}

__all__ = sorted(_EXPORTS)

__getattr__ = lazy_exports(__name__, _EXPORTS)
