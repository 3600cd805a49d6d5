"""The demo's people: three drawn persons photographed in three sessions each, a photo of
two of them together and a stranger seen once, with the truth of who is in which photo.

The faces come from :mod:`core.demo.portraits` (drawn by code, no image file). Their traits
were tuned by measuring dlib's model on the renders (a hill climb on the traits of the
nearest pair, keeping a change only when every face was still found and the nearest two
persons moved apart). Measured with ``bench/demo_faces_bench.py``: 12 of 12 faces found;
one person's faces at most 0.30 apart, two persons' at least 0.61 (Ada and Dora; the
grouping joins at 0.45/0.5). Change a trait and measure again.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from core.demo.portraits import RGB, Face, Pose, draw_photo


@dataclass(frozen=True, slots=True)
class Sitter:
    """A person of the demo: a name and a drawn face."""

    name: str
    face: Face


@dataclass(frozen=True, slots=True)
class DemoPortrait:
    """One demo photo: its file name, the image, and who is in it (left to right)."""

    name: str
    image: Image.Image
    people: tuple[str, ...]


PERSONS = (
    Sitter("Ada", Face(
        skin=(242, 205, 185), width=0.673, jaw=1.9, eye_spacing=0.33, eye_size=0.159, eye_open=0.5, iris=(60,
        120, 170), brow_gap=0.151, brow_thickness=0.038, brow_tilt=0.12, brow=(140, 85, 45), nose_length=0.366,
        nose_width=0.14, mouth_width=0.23, lips=0.085, lip=(200, 60, 80), hair=(201, 71, 13), hairline=-0.649,
        hair_volume=0.184, hair_length=1.4, liner=0.03, shirt=(150, 40, 60))),
    Sitter("Bruno", Face(
        skin=(95, 62, 45), width=0.739, jaw=3.701, chin=1.18, eye_spacing=0.4, eye_height=-0.17, eye_size=0.153,
        eye_open=0.329, iris=(35, 20, 12), brow_gap=0.09, brow_thickness=0.07, brow_tilt=-0.1, brow=(12, 14, 30),
        nose_length=0.4, nose_width=0.2, nose_bridge=0.03, mouth_height=0.523, mouth_width=0.258, lips=0.072,
        lip=(133, 48, 56), hair=(15, 12, 10), hairline=-0.663, hair_volume=0.017, beard=0.85, shirt=(40, 90, 60))),
    Sitter("Dora", Face(
        skin=(165, 115, 80), width=0.7, jaw=1.923, chin=0.924, eye_spacing=0.29, eye_height=-0.129,
        eye_size=0.155, eye_open=0.5, iris=(45, 28, 18), brow_gap=0.12, brow_thickness=0.03, brow_tilt=0.3,
        brow=(25, 18, 14), nose_width=0.111, nose_bridge=0.042, mouth_height=0.57, mouth_width=0.25, lips=0.085,
        lip=(132, 39, 0), hair=(18, 14, 12), hairline=-0.697, hair_volume=0.2, hair_length=1.4, liner=0.05,
        shirt=(200, 120, 30))),
)  # fmt: skip
#: Seen in one photo only: the scan finds them, nobody names them.
STRANGER = Sitter("Eli", Face(
    skin=(245, 182, 178), width=0.88, jaw=4.0, chin=1.041, eye_spacing=0.316, eye_height=-0.058, eye_size=0.111,
    eye_open=0.449, iris=(36, 144, 189), brow_gap=0.19, brow_thickness=0.05, brow_tilt=-0.092, brow=(200, 200,
    195), nose_length=0.38, nose_width=0.2, nose_bridge=0.18, mouth_height=0.42, mouth_width=0.32, lips=0.054,
    lip=(170, 125, 100), hair=(210, 210, 205), hairline=-0.714, hair_volume=0.0, shirt=(60, 70, 90)))  # fmt: skip

#: The photo sessions every person sits for: how they hold their head and the light and wall behind.
SESSIONS: tuple[tuple[Pose, RGB], ...] = (
    (Pose(), (140, 160, 180)),
    (Pose(yaw=0.14, roll=5, light=(0.5, -0.4), smile=0.7, scale=0.9, shift=(0.05, 0)), (200, 180, 150)),
    (Pose(yaw=-0.12, roll=3, light=(-0.2, -0.7), smile=0.1, scale=1.05, shift=(-0.03, 0.02)), (70, 90, 70)),
)
#: Size of a portrait (width, height) and of the photo of two.
PORTRAIT_SIZE = (480, 640)
PAIR_SIZE = (800, 600)


def _file_name(name: str, number: int) -> str:
    return f"{name.lower()}_{number}.jpg"


def first_portraits() -> dict[str, str]:
    """Each demo person's first portrait (file name), the one a user would name them on."""
    return {sitter.name: _file_name(sitter.name, 1) for sitter in PERSONS}


def demo_portraits() -> list[DemoPortrait]:
    """Every demo photo with faces: each person in each session, the first two persons
    together, and the stranger once. Deterministic (the same pixels on every call)."""
    photos = []
    for index, sitter in enumerate(PERSONS):
        for number, (pose, wall) in enumerate(SESSIONS, start=1):
            image = draw_photo([(sitter.face, pose)], wall, PORTRAIT_SIZE, seed=index * 10 + number)
            photos.append(DemoPortrait(_file_name(sitter.name, number), image, (sitter.name,)))
    left, right = PERSONS[0], PERSONS[1]
    pair = [
        (left.face, Pose(yaw=0.08, roll=-3, light=(-0.3, -0.6), smile=0.8, scale=0.8, shift=(-0.22, 0.02))),
        (right.face, Pose(yaw=-0.08, roll=2, light=(-0.3, -0.6), smile=0.6, scale=0.85, shift=(0.22, 0.0))),
    ]
    photos.append(DemoPortrait(f"{left.name.lower()}_and_{right.name.lower()}.jpg",
                               draw_photo(pair, (170, 190, 150), PAIR_SIZE, seed=99), (left.name, right.name)))  # fmt: skip
    stranger = draw_photo([(STRANGER.face, SESSIONS[1][0])], (120, 120, 150), PORTRAIT_SIZE, seed=77)
    photos.append(DemoPortrait(_file_name(STRANGER.name, 1), stranger, (STRANGER.name,)))
    return photos
