"""libexiv2 as "the other tool" (darktable, digiKam and gThumb read and write XMP with it).

Keys are written ``xmp__Rating`` for ``Xmp.xmp.Rating``; a list gives several values (a bag
of keywords, or a caption in several languages).
"""

from __future__ import annotations

from pathlib import Path

import exiv2

Values = str | list[str]


def exiv2_read(path: Path) -> dict[str, str]:
    """Every XMP property libexiv2 finds in ``path``, as text."""
    image = exiv2.ImageFactory.open(str(path))
    image.readMetadata()
    return {datum.key(): datum.toString() for datum in image.xmpData()}


def exiv2_create(path: Path, **values: Values) -> None:
    """Write a new sidecar the way another tool would."""
    image = exiv2.ImageFactory.create(exiv2.ImageType.xmp, str(path))
    image.setXmpData(_put(exiv2.XmpData(), values))
    image.writeMetadata()


def exiv2_edit(path: Path, **values: Values) -> None:
    """Change properties of an existing sidecar the way another tool would (others stay)."""
    image = exiv2.ImageFactory.open(str(path))
    image.readMetadata()
    image.setXmpData(_put(image.xmpData(), values))
    image.writeMetadata()


def _put(data: exiv2.XmpData, values: dict[str, Values]) -> exiv2.XmpData:
    for key, value in values.items():
        full = f"Xmp.{key.replace('__', '.')}"
        if full in data:
            data.erase(data.findKey(exiv2.XmpKey(full)))
        for item in value if isinstance(value, list) else [value]:
            data[full] = item  # a second value appends to a bag or a language alternative
    return data
