"""Portraits drawn by code: shaded faces that the face detector finds and tells apart.

No image file is shipped or fetched: every portrait is computed with numpy from a
:class:`Face` (what makes a person: face shape, skin, eyes, nose, mouth, hair) and a
:class:`Pose` (what changes between two photos of one person: turn, tilt, light,
expression); :func:`draw_photo` puts one or more sitters before a wall. The face is a
height field (an ellipsoid with a nose, brow ridge, cheeks, eye sockets, lips and chin)
lit by one light, painted with the person's colours; eyes, brows and hair are painted
over the shading. Drawing a 480×640 portrait takes about 0.5 s.

Coordinates: ``u`` across and ``v`` down the face, in units of the face's half-height,
with the origin at the middle of the face (the eye line is a little above it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

RGB = tuple[int, int, int]


@dataclass(frozen=True, slots=True)
class Face:
    """What makes one drawn person recognisable (lengths in face half-heights)."""

    skin: RGB
    width: float = 0.74  # half-width of the head
    jaw: float = 2.0  # 2 = round chin, larger = squarer jaw
    chin: float = 1.0  # length of the lower face
    eye_spacing: float = 0.34  # distance of each eye from the middle
    eye_height: float = -0.12  # eye line (negative is above the centre)
    eye_size: float = 0.14  # half-width of an eye
    eye_open: float = 0.42  # 0.3 narrow .. 0.55 round
    iris: RGB = (90, 60, 40)
    brow_gap: float = 0.14  # above the eye
    brow_thickness: float = 0.04
    brow_tilt: float = 0.0  # positive raises the outer ends
    brow: RGB = (50, 35, 25)
    nose_length: float = 0.34  # from the eye line to the tip
    nose_width: float = 0.13
    nose_bridge: float = 0.12  # how far the bridge stands out
    mouth_height: float = 0.50
    mouth_width: float = 0.26
    lips: float = 0.05  # lip thickness
    lip: RGB = (170, 80, 80)
    hair: RGB = (60, 40, 25)
    hairline: float = -0.62
    hair_volume: float = 0.12  # how far the hair stands off the head (0: bald)
    hair_length: float = 0.0  # how far the hair falls (0: to the eye line; over 0.3: long, to the shoulders)
    beard: float = 0.0  # 0..1 darkness of a beard
    liner: float = 0.0  # extra thickness of the upper lid line (lashes, eyeliner)
    glasses: float = 0.0  # frame thickness of a pair of glasses (0: none)
    frames: RGB = (30, 30, 35)
    shirt: RGB = (60, 80, 120)


@dataclass(frozen=True, slots=True)
class Pose:
    """What changes between two photos of one person."""

    yaw: float = 0.0  # radians, turning to the viewer's right
    roll: float = 0.0  # degrees, tilting the head
    light: tuple[float, float] = (-0.4, -0.5)  # where the light comes from (x right, y down)
    smile: float = 0.3  # -1 frown .. 1 broad smile
    scale: float = 1.0
    shift: tuple[float, float] = (0.0, 0.0)  # fractions of the image size


class _Frame:
    """The face's coordinates over the image, and where features move as the head turns."""

    def __init__(self, face: Face, pose: Pose, size: tuple[int, int], reach: float | None = None) -> None:
        """``reach``: cover only the square of that many half-heights around the face's middle
        (the head and hair), not the whole image; :attr:`window` is that part of the image."""
        width, height = size
        self.half = 0.26 * height * pose.scale  # the face's half-height in pixels
        cx, cy = width * (0.5 + pose.shift[0]), height * (0.45 + pose.shift[1])
        x0, y0, x1, y1 = 0, 0, width, height
        if reach is not None:
            r = reach * self.half
            x0, y0 = max(0, int(cx - r)), max(0, int(cy - r))
            x1, y1 = min(width, int(cx + r) + 1), min(height, int(cy + r) + 1)
        self.window = np.s_[y0:y1, x0:x1]
        self._origin, self._centre, self._angle = (x0, y0), (cx, cy), np.radians(pose.roll)
        ys, xs = np.mgrid[y0:y1, x0:x1].astype(np.float32)
        angle = self._angle
        dx, dy = xs - cx, ys - cy
        self.u = (dx * np.cos(angle) + dy * np.sin(angle)) / self.half
        self.v = (-dx * np.sin(angle) + dy * np.cos(angle)) / self.half
        self.edge = 1.5 / self.half  # a pixel and a half, in face units
        self._face, self._yaw = face, pose.yaw

    def around(self, cu: float, cv: float, r: float) -> tuple[slice, slice]:
        """The part of this frame's arrays within ``r`` (face units) of the point (cu, cv)."""
        cos, sin = np.cos(self._angle), np.sin(self._angle)
        px = self._centre[0] + self.half * (cu * cos - cv * sin) - self._origin[0]
        py = self._centre[1] + self.half * (cu * sin + cv * cos) - self._origin[1]
        reach = r * self.half
        return np.s_[
            max(0, int(py - reach)) : max(0, int(py + reach) + 1), max(0, int(px - reach)) : max(0, int(px + reach) + 1)
        ]

    def turned(self, u0: float) -> float:
        """Where a feature drawn at ``u0`` on the front of the head is seen after the turn."""
        w = self._face.width
        return float(w * np.sin(np.arcsin(np.clip(u0 / w, -1, 1)) + self._yaw))


def _soft(distance: np.ndarray, edge: float) -> np.ndarray:
    """1 inside (``distance`` < 0), 0 outside, with a soft edge ``edge`` wide."""
    return np.clip(0.5 - distance / edge, 0.0, 1.0)


def _bump(f: _Frame, cu: float, cv: float, su: float, sv: float) -> np.ndarray:
    return np.exp(-(((f.u - cu) / su) ** 2) - ((f.v - cv) / sv) ** 2)


def _paint(canvas: np.ndarray, colour: RGB | np.ndarray, alpha: np.ndarray) -> None:
    """Lay ``colour`` (one colour or a per-pixel image) over ``canvas`` with ``alpha``, only
    in the rectangle where ``alpha`` is not zero (most features are small)."""
    rows, cols = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    if not rows.size:
        return
    window = np.s_[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    colour = np.asarray(colour, dtype=np.float32)
    a = alpha[window][..., None]
    canvas[window] += (colour[window] if colour.ndim == 3 else colour) * a - canvas[window] * a


def _head_radius(face: Face, f: _Frame) -> np.ndarray:
    """1 on the outline of the head: an ellipse whose lower half is a superellipse (the jaw)."""
    lower = f.v > 0
    vv = np.where(lower, f.v / face.chin, f.v)
    exponent = np.where(lower, face.jaw, 2.0)
    return (np.abs(f.u / face.width) ** exponent + np.abs(vv) ** exponent) ** (1 / exponent)


def _height(face: Face, f: _Frame, radius: np.ndarray) -> np.ndarray:
    """The head's relief: a dome with a nose, brow ridge, eye sockets, cheeks, lips and chin."""
    dome = np.sqrt(np.clip(1 - radius**2, 0, 1))
    h = 0.8 * dome
    nose_u, eye_v = f.turned(0.0), face.eye_height
    tip_v = eye_v + face.nose_length
    along = np.clip((f.v - eye_v) / face.nose_length + 0.3, 0, 1.3)
    ridge = (
        np.exp(-(((f.u - nose_u) / (face.nose_width * 0.45)) ** 2))
        * _soft(eye_v - f.v, 0.08)
        * _soft(f.v - tip_v, 0.05)
    )
    h += face.nose_bridge * ridge * along
    h += 0.14 * _bump(f, nose_u, tip_v - 0.02, face.nose_width * 0.6, 0.07)
    for side in (-1, 1):
        eye_u = f.turned(side * face.eye_spacing)
        h -= 0.07 * _bump(f, eye_u, eye_v, face.eye_size * 1.5, face.eye_size * 1.1)
        h += 0.05 * _bump(f, eye_u, eye_v - face.brow_gap, face.eye_size * 2.0, 0.06)
        h += 0.04 * _bump(f, f.turned(side * (face.eye_spacing + 0.05)), eye_v + 0.28, 0.14, 0.1)
        h += 0.03 * _bump(f, f.turned(side * face.nose_width * 0.9), tip_v, face.nose_width * 0.35, 0.05)
        # The fold from the nose's wing to the mouth's corner, a crease in the cheek.
        wing_u, corner_u = side * face.nose_width * 1.1, side * face.mouth_width * 1.15
        t = np.clip((f.v - tip_v) / max(face.mouth_height - tip_v, 0.05), 0, 1)
        fold_u = np.asarray([f.turned(x) for x in (wing_u, corner_u)])
        along_fold = fold_u[0] + (fold_u[1] - fold_u[0]) * t
        h -= (
            0.012
            * np.exp(-(((f.u - along_fold) / 0.03) ** 2))
            * _soft(tip_v - 0.02 - f.v, 0.04)
            * _soft(f.v - face.mouth_height - 0.04, 0.04)
        )
    h += 0.04 * _bump(f, nose_u, face.mouth_height, face.mouth_width, face.lips * 1.5)
    h -= 0.012 * _bump(f, nose_u, (tip_v + face.mouth_height) / 2, 0.025, 0.05)
    h += 0.05 * _bump(f, nose_u, face.mouth_height + 0.3 * face.chin, 0.18, 0.1)
    return h * _soft(radius - 1, f.edge * 1.5)


def _lighting(h: np.ndarray, f: _Frame, pose: Pose) -> tuple[np.ndarray, np.ndarray]:
    """Diffuse shade (ambient + Lambert) and a specular sheen of the relief under the light."""
    gy, gx = np.gradient(h * f.half)
    normal = np.stack([-gx, -gy, np.ones_like(h)], axis=-1)
    normal /= np.linalg.norm(normal, axis=-1, keepdims=True)
    light = np.array([pose.light[0], pose.light[1], 0.8], np.float32)
    light /= np.linalg.norm(light)
    halfway = light + np.array([0, 0, 1], np.float32)
    halfway /= np.linalg.norm(halfway)
    shade = 0.4 + 0.7 * np.clip(normal @ light, 0, 1)
    sheen = 0.2 * np.clip(normal @ halfway, 0, 1) ** 30
    return shade, sheen


def _skin(face: Face, f: _Frame, pose: Pose, radius: np.ndarray) -> np.ndarray:
    """The face's colours before lighting: skin, blush, beard, lips and nostrils."""
    skin = np.empty((*f.u.shape, 3), np.float32)
    skin[:] = face.skin
    blush = np.asarray(face.skin, np.float32) * np.array([1.0, 0.8, 0.8], np.float32)
    for side in (-1, 1):
        _paint(skin, blush, 0.25 * _bump(f, f.turned(side * 0.4), 0.2, 0.15, 0.12))
    mouth_u = f.turned(0.0)
    if face.beard:
        tip_v = face.eye_height + face.nose_length
        jaw_band = _soft(0.78 - radius, 0.12)  # the rim of the lower face ...
        under_nose = _soft(tip_v + 0.06 - f.v, f.edge * 8)  # ... and below the nose
        cheek_line = _soft(0.15 - f.v + 0.25 * np.abs(f.u - mouth_u), f.edge * 10)
        beard = np.clip(
            jaw_band * cheek_line + under_nose * _soft(np.abs(f.u - mouth_u) - face.mouth_width * 1.3, f.edge * 8), 0, 1
        )
        _paint(skin, face.hair, beard * (f.v > 0) * face.beard * 0.85)
    _mouth(skin, face, f, pose, mouth_u)
    tip_v = face.eye_height + face.nose_length
    for side in (-1, 1):
        nostril = np.hypot((f.u - f.turned(side * face.nose_width * 0.45)) / 0.045, (f.v - tip_v - 0.01) / 0.022)
        _paint(skin, (70, 40, 35), 0.8 * _soft(nostril - 1, 0.3))
    return skin


def _mouth(skin: np.ndarray, face: Face, f: _Frame, pose: Pose, mouth_u: float) -> None:
    """Two lips along a curve bent by the smile, and the dark line between them."""
    half_mouth = face.mouth_width * (1 + 0.15 * pose.smile)
    mu = (f.u - mouth_u) / half_mouth
    curve = face.mouth_height + 0.05 * pose.smile * (1 - mu**2)
    inside = np.clip(1 - mu**2, 0, 1)
    within = np.abs(mu) < 1
    upper = _soft(np.abs(f.v - (curve - face.lips * 0.55 * inside)) - face.lips * 0.5 * inside, f.edge * 2)
    lower = _soft(np.abs(f.v - (curve + face.lips * 0.7 * inside)) - face.lips * 0.65 * inside, f.edge * 2)
    _paint(skin, np.asarray(face.lip, np.float32) * 0.85, upper * within)
    _paint(skin, face.lip, lower * within)
    parting = 0.008 + 0.02 * max(pose.smile, 0) * inside
    _paint(skin, (60, 25, 25), _soft(np.abs(f.v - curve) - parting, f.edge) * within)


def _eyes_and_brows(canvas: np.ndarray, face: Face, f: _Frame, pose: Pose, shade: np.ndarray) -> None:
    """Almond eyes (white, iris, pupil, glint, lid line and crease, the shadow under) and
    brows, over the lit face; each eye is computed in the small square around it only."""
    for side in (-1, 1):
        eye_u = f.turned(side * face.eye_spacing)
        near = f.around(eye_u, face.eye_height - face.brow_gap / 2, face.eye_size * 1.9 + face.brow_gap)
        u, v, part, lit = f.u[near], f.v[near], canvas[near], shade[near][..., None]
        ex = (u - eye_u) / (face.eye_size * np.cos(pose.yaw) * (1 + 0.2 * side * pose.yaw))
        ey = (v - face.eye_height) / face.eye_size
        opening = face.eye_open * (1 - 0.25 * max(pose.smile, 0))
        almond = np.maximum(np.hypot(ex, ey - (1 - opening)) - 1, np.hypot(ex, ey + (1 - opening)) - 1)
        white = _soft(almond, 0.06)
        ix = ex - 0.6 * pose.yaw
        iris = _soft(np.hypot(ix, ey) - 0.42, 0.08) * white
        pupil = _soft(np.hypot(ix, ey) - 0.19, 0.08) * white
        glint = _soft(np.hypot(ix + 0.15, ey + 0.15) - 0.1, 0.08) * white
        lid = _soft(np.abs(almond) - 0.05 - face.liner * (ey < 0), 0.08) * _soft(ey, 0.2)
        _paint(part, np.array([235, 232, 225], np.float32) * (0.6 + 0.4 * lit), white)
        _paint(part, np.asarray(face.iris, np.float32) * (0.5 + 0.5 * lit), iris)
        _paint(part, (15, 10, 10), pupil)
        _paint(part, (250, 250, 250), glint * 0.9)
        _paint(part, (40, 25, 20), lid)
        crease = np.hypot(ex, ey - (1 - opening) + 0.28) - 1  # an arc above the upper lid
        _paint(part, part * 0.7, 0.6 * _soft(np.abs(crease) - 0.04, 0.1) * _soft(ey + 0.1, 0.3) * (np.abs(ex) < 0.9))
        under = np.hypot(ex / 1.1, (ey - opening * 0.9 - 0.12) / 0.3) - 1
        _paint(part, part * 0.85, 0.5 * _soft(under, 0.5) * (1 - white))
        bu = (u - eye_u) / (face.eye_size * 1.5)
        brow_v = face.eye_height - face.brow_gap - 0.03 * (1 - bu**2) - side * face.brow_tilt * (u - eye_u)
        brow = _soft(np.abs(v - brow_v) - face.brow_thickness * (1 - 0.5 * np.abs(bu)), f.edge * 2) * (np.abs(bu) < 1)
        _paint(part, np.asarray(face.brow, np.float32) * (0.7 + 0.3 * lit), brow * 0.95)
    if face.glasses:
        _glasses(canvas, face, f, pose)


def _glasses(canvas: np.ndarray, face: Face, f: _Frame, pose: Pose) -> None:
    """A pair of rounded-rectangle frames over the eyes, a bridge and the arms to the ears."""
    rim = np.zeros(f.u.shape, np.float32)
    half_w, half_h = face.eye_size * 1.55, face.eye_size * 1.05
    for side in (-1, 1):
        eye_u = f.turned(side * face.eye_spacing)
        qx = np.abs(f.u - eye_u) / (half_w * np.cos(pose.yaw))
        qy = np.abs(f.v - face.eye_height - 0.01) / half_h
        shape = (qx**4 + qy**4) ** 0.25  # a squircle, 1 on the frame
        rim = np.maximum(rim, _soft(np.abs(shape - 1) * half_h - face.glasses, f.edge * 1.5))
        outer = f.turned(side * (face.eye_spacing + half_w))
        arm = _soft(np.abs(f.v - face.eye_height + 0.04) - face.glasses * 0.8, f.edge * 1.5)
        reach = (side * (f.u - outer) > 0) & (np.abs(f.u) < face.width * 0.98)
        rim = np.maximum(rim, arm * reach)
    inner = (f.turned(-face.eye_spacing + half_w), f.turned(face.eye_spacing - half_w))
    bridge = _soft(np.abs(f.v - face.eye_height + 0.03) - face.glasses * 0.8, f.edge * 1.5)
    rim = np.maximum(rim, bridge * (f.u > inner[0]) * (f.u < inner[1]))
    _paint(canvas, face.frames, rim)


def _hair_outline(face: Face, f: _Frame) -> np.ndarray:
    """1 on the outline of the hair: the head grown by the hair's volume."""
    grown = face.width + face.hair_volume
    return np.hypot(f.u / grown, (f.v + 0.05) / (1 + face.hair_volume))


def _hair_colour(face: Face, f: _Frame, pose: Pose) -> np.ndarray:
    strands = 0.85 + 0.15 * np.sin(f.u * 60 + np.sin(f.v * 7) * 3)
    lit = np.clip(0.55 + 0.55 * (-f.u * pose.light[0] - f.v * pose.light[1]), 0.35, 1.2)
    return np.asarray(face.hair, np.float32) * (strands * lit)[..., None]


def _background(colour: RGB, size: tuple[int, int]) -> np.ndarray:
    """A vertical gradient in ``colour`` with a soft vignette."""
    width, height = size
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    ty, tx = ys / height, xs / width
    canvas = np.empty((height, width, 3), np.float32)
    canvas[:] = np.asarray(colour, np.float32)
    canvas *= ((1.1 - 0.35 * ty) * (1 - 0.25 * ((tx - 0.5) ** 2 + (ty - 0.5) ** 2)))[..., None]
    return canvas


def _draw_sitter(canvas: np.ndarray, face: Face, pose: Pose) -> None:
    """Paint one person: shoulders and neck, then (in the square around the head only) the
    hair behind, the ears, the lit face and the hair in front."""
    height, width = canvas.shape[:2]
    body = _Frame(face, pose, (width, height))
    shoulders = _soft(-(body.v - (1.35 + 0.2 * body.u**2)), body.edge)
    neck = _soft(np.abs(body.u) - face.width * 0.5, body.edge) * _soft(0.5 - body.v, body.edge) * (1 - shoulders)
    f = _Frame(face, pose, (width, height), reach=1.25 + face.hair_volume)
    head = canvas[f.window]
    hair_radius = _hair_outline(face, f)
    hair_colour = _hair_colour(face, f, pose)
    if face.hair_volume > 0 and face.hair_length > 0.3:  # long hair falls behind the shoulders
        long_hair = _soft(np.abs(body.u) - face.width - face.hair_volume, body.edge * 3) * (body.v > -0.2)
        long_hair *= _soft(body.v - face.eye_height - face.hair_length, body.edge * 4)
        _paint(canvas, _hair_colour(face, body, pose) * 0.75, long_hair)
    if face.hair_volume > 0:
        back = _soft(hair_radius - 1, f.edge * 2) * _soft(f.v - face.eye_height - face.hair_length, f.edge * 4)
        _paint(head, hair_colour * 0.75, back)
    _paint(canvas, face.shirt, shoulders)
    _paint(canvas, np.asarray(face.skin, np.float32) * 0.8, neck)
    for side in (-1, 1):  # ears, half hidden behind the head
        ear_u = side * face.width * np.cos(pose.yaw - side * 0.25) * 0.98
        ear = np.hypot((f.u - ear_u) / 0.09, (f.v - face.eye_height - face.nose_length * 0.5) / 0.2) - 1
        _paint(head, np.asarray(face.skin, np.float32) * 0.78, _soft(ear, 0.08))
    radius = _head_radius(face, f)
    shade, sheen = _lighting(_height(face, f, radius), f, pose)
    lit_face = _skin(face, f, pose, radius) * shade[..., None] + 255 * sheen[..., None]
    _eyes_and_brows(lit_face, face, f, pose, shade)
    _paint(head, lit_face, _soft(radius - 1, f.edge * 1.5))
    if face.hair_volume > 0:
        fringe = _soft(f.v - face.hairline - 0.3 * f.u**2, f.edge * 6)
        sides = _soft(face.width * 0.86 - np.abs(f.u), f.edge * 3) * _soft(f.v - 0.05 - face.hair_length, f.edge * 6)
        _paint(head, hair_colour, np.clip(fringe + sides, 0, 1) * _soft(hair_radius - 1, f.edge * 2))


def draw_photo(
    sitters: Sequence[tuple[Face, Pose]],
    background: RGB = (140, 160, 180),
    size: tuple[int, int] = (480, 640),
    seed: int = 0,
) -> Image.Image:
    """A photo of ``sitters`` (painted in order: a later one stands in front), ``size`` pixels
    (width, height), with camera grain from ``seed`` and a slight lens softness."""
    canvas = _background(background, size)
    for face, pose in sitters:
        _draw_sitter(canvas, face, pose)
    canvas += np.random.default_rng(seed).normal(0, 4, canvas.shape).astype(np.float32)
    image = Image.fromarray(np.clip(canvas, 0, 255).astype(np.uint8))
    return image.filter(ImageFilter.GaussianBlur(0.7))


def draw_portrait(
    face: Face,
    pose: Pose = Pose(),
    background: RGB = (140, 160, 180),
    size: tuple[int, int] = (480, 640),
    seed: int = 0,
) -> Image.Image:
    """A portrait of one person: :func:`draw_photo` with one sitter."""
    return draw_photo([(face, pose)], background, size, seed)
