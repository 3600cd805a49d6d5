"""The demo's people: four drawn persons photographed a few times each, a photo of two of
them together and a stranger seen once, with the truth of who is in which photo.

The faces come from :mod:`core.demo.portraits` (drawn by code, no image file), their traits
chosen by measuring dlib's model on the renders (``bench/demo_faces_bench.py``): every photo
is detected, one person's photos lie close together and different persons' far apart.
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
        skin=(242, 205, 185), width=0.68, jaw=1.9, chin=1.0, eye_spacing=0.33, eye_size=0.15, eye_open=0.5,
        iris=(60, 120, 170), brow_thickness=0.022, brow_tilt=0.12, brow=(140, 85, 45), nose_length=0.29,
        nose_width=0.10, nose_bridge=0.12, mouth_width=0.23, lips=0.07, lip=(200, 60, 80), hair=(170, 80, 30),
        hairline=-0.62, hair_volume=0.18, hair_length=1.4, liner=0.03, shirt=(150, 40, 60))),
    Sitter("Bruno", Face(
        skin=(95, 62, 45), width=0.84, jaw=3.6, chin=1.12, eye_spacing=0.38, eye_size=0.12, eye_open=0.4,
        iris=(35, 20, 12), brow_thickness=0.06, brow_tilt=-0.1, brow=(20, 15, 12), nose_length=0.40, nose_width=0.20,
        nose_bridge=0.07, mouth_width=0.30, lips=0.085, lip=(105, 55, 50), hair=(15, 12, 10), hairline=-0.72,
        hair_volume=0.04, beard=0.85, shirt=(40, 90, 60))),
    Sitter("Chen", Face(
        skin=(232, 200, 160), width=0.80, jaw=2.3, chin=0.92, eye_spacing=0.37, eye_size=0.13, eye_open=0.29,
        eye_height=-0.08, iris=(35, 22, 14), brow_thickness=0.035, brow_tilt=0.18, brow=(20, 15, 10),
        nose_length=0.29, nose_width=0.15, nose_bridge=0.04, mouth_width=0.22, lips=0.045, lip=(175, 100, 95),
        hair=(12, 10, 10), hairline=-0.7, hair_volume=0.04, hair_length=-0.6, glasses=0.012, shirt=(200, 200, 210))),
    Sitter("Dora", Face(
        skin=(165, 115, 80), width=0.70, jaw=1.8, chin=1.08, eye_spacing=0.32, eye_size=0.155, eye_open=0.5,
        eye_height=-0.13, iris=(45, 28, 18), brow_thickness=0.03, brow_tilt=0.15, brow=(25, 18, 14), nose_length=0.34,
        nose_width=0.13, nose_bridge=0.12, mouth_width=0.25, lips=0.065, lip=(140, 50, 60), hair=(18, 14, 12),
        hairline=-0.66, hair_volume=0.2, hair_length=1.4, liner=0.05, shirt=(200, 120, 30))),
)  # fmt: skip
#: Seen in one photo only: the scan finds them, nobody names them.
STRANGER = Sitter("Eli", Face(
    skin=(225, 170, 150), width=0.80, jaw=2.6, chin=0.97, eye_spacing=0.35, eye_size=0.12, eye_open=0.36,
    iris=(100, 110, 120), brow_thickness=0.05, brow_tilt=-0.05, brow=(200, 200, 195), nose_length=0.38,
    nose_width=0.16, nose_bridge=0.15, mouth_width=0.27, lips=0.035, lip=(165, 95, 90), hair=(210, 210, 205),
    hairline=-0.75, hair_volume=0.0, shirt=(60, 70, 90)))  # fmt: skip

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
