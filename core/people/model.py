"""The face model: detect → boxes, embed → vectors, and the id stored with every vector.

A model is anything with :class:`FaceModel`'s shape; vectors of two models are never
compared (the id is stored with each face, and clustering reads one model at a time), so
a better model can replace this one later by scanning again under its own id.

The implementation here is dlib's (``dlib-bin``, weights from ``face_recognition_models``,
nothing downloaded): the HOG frontal face detector, the 5-point landmark predictor that
aligns a 150 px face chip, and the 128-d ResNet embedding. Models load once per process
(:func:`default_model`), on first use: a worker of the scan pool loads them itself.

Measured on this machine (2 cores, dlib-bin 20.0.1 built without BLAS; a 12 MP JPEG):
- JPEG draft decode at 1/2 (2000×1500): 28 ms; full size: 65 ms.
- HOG, no upsampling, by the long side of the image it looks at: 640 px 26 ms, 800 px
  41 ms, 1000 px 63 ms, 1200 px 97 ms, 1600 px 150 ms; ×2 upsampling costs 4–5× that.
  HOG finds faces of about 70 px and up in the image it looks at.
- Embedding: 90 ms a face (the ResNet without BLAS; batching the faces of a photo saves
  ~4 %), the 5 landmarks 1 ms a face. Embedding, not detection, is the cost of a photo
  with several faces.
- Loading: detector 0.35 s, landmarks + ResNet 0.15 s, 55 MB resident.
The detection size is chosen in :mod:`core.people.detect` (see its docstring).
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import numpy as np

from core.people.records import Box

#: The id stored with every vector of the dlib model below.
DLIB_MODEL_ID = "dlib-hog-resnet-v1"
#: Side of the aligned face chip the ResNet reads, and the margin around the face in it.
CHIP_SIZE = 150
CHIP_PADDING = 0.25


@dataclass(frozen=True, slots=True)
class Detection:
    """A face found in an image: its box (in that image's pixels) and the detector's score."""

    box: Box
    score: float


class FaceModel(Protocol):
    """What the scan needs from a face model."""

    model_id: str

    def detect(self, pixels: np.ndarray, upsample: int = 0) -> list[Detection]:
        """Faces in a ``uint8`` array: RGB (height × width × 3) or luminance (height × width)."""
        ...

    def embed(self, pixels: np.ndarray, boxes: Sequence[Box]) -> list[np.ndarray]:
        """One float32 vector per box (same order); ``pixels`` may be larger than the detection's."""
        ...


def models_dir() -> Path:
    """The folder of ``face_recognition_models``' weights, found without importing the
    package (its ``__init__`` imports ``pkg_resources``)."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("face_recognition_models is not installed (pip install face_recognition_models)")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


class DlibModel:
    """dlib's HOG detector, 5-point alignment and ResNet embedding."""

    model_id = DLIB_MODEL_ID

    def __init__(self) -> None:
        import dlib

        folder = models_dir()
        self._dlib = dlib
        self._detector = dlib.get_frontal_face_detector()
        self._landmarks = dlib.shape_predictor(str(folder / "shape_predictor_5_face_landmarks.dat"))
        self._resnet = dlib.face_recognition_model_v1(str(folder / "dlib_face_recognition_resnet_model_v1.dat"))

    def detect(self, pixels: np.ndarray, upsample: int = 0) -> list[Detection]:
        rects, scores, _kinds = self._detector.run(pixels, upsample, 0.0)
        height, width = pixels.shape[:2]
        found = []
        for rect, score in zip(rects, scores):
            x0, y0 = max(0, rect.left()), max(0, rect.top())
            x1, y1 = min(width, rect.right() + 1), min(height, rect.bottom() + 1)
            if x1 > x0 and y1 > y0:
                found.append(Detection(Box(x0, y0, x1 - x0, y1 - y0), float(score)))
        return found

    def embed(self, pixels: np.ndarray, boxes: Sequence[Box]) -> list[np.ndarray]:
        if not boxes:
            return []
        dlib = self._dlib
        shapes = dlib.full_object_detections()
        for box in boxes:
            shapes.append(self._landmarks(pixels, dlib.rectangle(box.x, box.y, box.x + box.w - 1, box.y + box.h - 1)))
        vectors = self._resnet.compute_face_descriptor(pixels, shapes, 0, CHIP_PADDING)
        return [np.asarray(v, dtype=np.float32) for v in vectors]


_model: FaceModel | None = None
_model_lock = threading.Lock()


def default_model() -> FaceModel:
    """This process's model, loaded on first use."""
    global _model
    with _model_lock:
        if _model is None:
            _model = DlibModel()
        return _model


def default_model_id() -> str:
    """The id of the default model, without loading it."""
    return DLIB_MODEL_ID
