"""Which files Shoebox catalogues, and what a file really is (by its first bytes, not its name)."""

from __future__ import annotations

PHOTO_EXTENSIONS = frozenset("jpg jpeg jpe jfif png tif tiff heic heif hif avif webp gif bmp".split())
RAW_EXTENSIONS = frozenset(
    "dng cr2 cr3 crw nef nrw arw srf sr2 orf rw2 raf pef srw x3f 3fr erf kdc mrw rwl iiq".split()
)
VIDEO_EXTENSIONS = frozenset("mp4 m4v mov qt avi mkv webm 3gp 3g2 mts m2ts mpg mpeg wmv".split())
MEDIA_EXTENSIONS = PHOTO_EXTENSIONS | RAW_EXTENSIONS | VIDEO_EXTENSIONS

VIDEO_FORMATS = frozenset("mp4 mov avi mkv webm 3gp mts mpeg wmv video".split())

# ISO-BMFF brands (the ``ftyp`` box) that mean a still image.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"mif2"}
_AVIF_BRANDS = {b"avif", b"avis"}
_QUICKTIME_BRANDS = {b"qt  "}
_BARE_MOV_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


def extension(name: str) -> str:
    """Lower-case extension without the dot ('' when there is none)."""
    dot = name.rfind(".")
    return name[dot + 1 :].lower() if dot > 0 else ""


def is_media_name(name: str) -> bool:
    """True when the file name says photo, RAW or video (the contents are checked later)."""
    return extension(name) in MEDIA_EXTENSIONS


def kind_of(fmt: str) -> str:
    """``video`` for video containers, ``photo`` for everything else."""
    return "video" if fmt in VIDEO_FORMATS else "photo"


def sniff_format(head: bytes, name: str) -> str | None:
    """The format of a file from its first bytes (≥ 32), using the name only to tell RAW
    flavours of TIFF apart. ``None`` when the bytes are not a format Shoebox reads."""
    ext = extension(name)
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        if head[8:10] == b"CR":
            return "cr2"
        return ext if ext in RAW_EXTENSIONS else "tiff"
    if head[:4] in (b"IIRO", b"IIRS", b"MMOR"):
        return "orf"
    if head[:4] == b"IIU\x00":
        return "rw2"
    if head.startswith(b"FUJIFILMCCD-RAW"):
        return "raf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return "avi"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:2] == b"BM" and ext == "bmp":
        return "bmp"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "webm" if ext == "webm" else "mkv"
    if head[4:8] == b"ftyp":
        return _iso_bmff_format(head, ext)
    if head[4:8] in _BARE_MOV_ATOMS and ext in VIDEO_EXTENSIONS:
        return "mov"
    if ext in ("mts", "m2ts") and head[4:5] == b"\x47":
        return "mts"
    if ext in ("mpg", "mpeg") and head[:4] in (b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3"):
        return "mpeg"
    if ext == "wmv" and head[:4] == b"\x30\x26\xb2\x75":
        return "wmv"
    return None


def _iso_bmff_format(head: bytes, ext: str) -> str:
    major = head[8:12]
    box_size = int.from_bytes(head[:4], "big")
    brands = {major} | {head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4)}
    if major == b"crx ":
        return "cr3"
    if major in _AVIF_BRANDS:
        return "avif"
    if major in _HEIF_BRANDS or (brands & _HEIF_BRANDS and ext in ("heic", "heif", "hif")):
        return "heic"
    if major in _QUICKTIME_BRANDS or ext in ("mov", "qt"):
        return "mov"
    if major.startswith(b"3g"):
        return "3gp"
    return "mp4"


def describe_unknown(head: bytes) -> str:
    """A reason for a file whose contents are not a known format."""
    if not head:
        return "empty file (0 bytes)"
    sample = head[:512]
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
        return "not an image: the file holds text, not a photo or video (wrong extension?)"
    return f"not an image: unrecognised contents (starts with {head[:8].hex(' ')})"
