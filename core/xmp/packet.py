"""An XMP packet read from a sidecar, edited property by property, written back whole.

Sidecars are shared with other tools (darktable keeps its edit history in them,
Lightroom and digiKam their keywords and labels), so an edit here changes only the
properties asked for: every other element, attribute, namespace prefix and comment is
written back as it was read. Parsing uses the standard library's expat-based
ElementTree, which never fetches external entities.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
X = "adobe:ns:meta/"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Prefixes written for namespaces a packet uses without declaring its own spelling.
KNOWN_PREFIXES = {
    "x": X,
    "rdf": RDF,
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "lr": "http://ns.adobe.com/lightroom/1.0/",
    "digiKam": "http://www.digikam.org/ns/1.0/",
    "darktable": "http://darktable.sf.net/",
    "shoebox": "http://ns.shoebox.invalid/1.0/",
    "mwg-rs": "http://www.metadataworkinggroup.com/schemas/regions/",
    "stDim": "http://ns.adobe.com/xap/1.0/sType/Dimensions#",
    "stArea": "http://ns.adobe.com/xmp/sType/Area#",
}

XPACKET_BEGIN = '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
XPACKET_END = '\n<?xpacket end="w"?>\n'


class XmpError(Exception):
    """A sidecar that is not an XMP packet Shoebox can edit safely; the message says why."""


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


class XmpPacket:
    """The RDF of one sidecar, with typed getters and setters for single properties."""

    def __init__(self, root: ET.Element, prefixes: dict[str, str]) -> None:
        self.root = root
        self.prefixes = prefixes  # prefix -> namespace, as the file spelled them
        rdf = root if root.tag == _q(RDF, "RDF") else root.find(f".//{_q(RDF, 'RDF')}")
        if rdf is None:
            raise XmpError("no rdf:RDF element: not an XMP packet")
        self.rdf = rdf

    @classmethod
    def new(cls) -> XmpPacket:
        root = ET.Element(_q(X, "xmpmeta"), {_q(X, "xmptk"): "Shoebox"})
        rdf = ET.SubElement(root, _q(RDF, "RDF"))
        ET.SubElement(rdf, _q(RDF, "Description"), {_q(RDF, "about"): ""})
        return cls(root, {})

    @classmethod
    def parse(cls, data: bytes) -> XmpPacket:
        """Read a sidecar's bytes (an ``xpacket`` wrapper around the RDF is optional).

        XMP has no DTDs, so a packet declaring one (entity expansion bombs do) is refused
        before parsing, whatever the expat version underneath."""
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise XmpError("it declares a DOCTYPE or entities, which XMP never has")
        prefixes: dict[str, str] = {}
        try:
            for _event, (prefix, uri) in ET.iterparse(io.BytesIO(data), events=("start-ns",)):
                prefixes.setdefault(prefix, uri)
            parser = ET.XMLParser(target=ET.TreeBuilder(insert_comments=True))
            root = ET.fromstring(data, parser=parser)
        except ET.ParseError as exc:
            raise XmpError(f"not well-formed XML ({exc})") from exc
        return cls(root, prefixes)

    # --- reading ---------------------------------------------------------------------------

    def descriptions(self) -> list[ET.Element]:
        return self.rdf.findall(_q(RDF, "Description"))

    def _found(self, namespace: str, name: str) -> Iterator[tuple[ET.Element, str | ET.Element]]:
        tag = _q(namespace, name)
        for description in self.descriptions():
            if tag in description.attrib:
                yield description, description.attrib[tag]
            for child in description.findall(tag):
                yield description, child

    def get_element(self, namespace: str, name: str) -> ET.Element | None:
        """A property written as an element (a struct or an array), ``None`` when absent."""
        return next((found for _owner, found in self._found(namespace, name) if not isinstance(found, str)), None)

    def get_text(self, namespace: str, name: str) -> str | None:
        """A simple property (an attribute or an element's text), ``None`` when absent."""
        for _owner, found in self._found(namespace, name):
            if isinstance(found, str):
                return found
            if len(found) == 0:
                return (found.text or "").strip()
        return None

    def get_list(self, namespace: str, name: str) -> list[str] | None:
        """An unordered or ordered array (``rdf:Bag``/``rdf:Seq``), ``None`` when absent."""
        for _owner, found in self._found(namespace, name):
            if isinstance(found, str):
                return [found] if found.strip() else []
            items = found.findall(f"./*/{_q(RDF, 'li')}")
            return [(li.text or "").strip() for li in items if (li.text or "").strip()]
        return None

    def get_lang_alt(self, namespace: str, name: str) -> str | None:
        """A language alternative (``rdf:Alt``): the ``x-default`` entry, else the first."""
        for _owner, found in self._found(namespace, name):
            if isinstance(found, str):
                return found
            items = found.findall(f"./{_q(RDF, 'Alt')}/{_q(RDF, 'li')}")
            if not items:
                return (found.text or "").strip() or None
            chosen = next((li for li in items if li.get(XML_LANG) == "x-default"), items[0])
            return chosen.text or ""
        return None

    # --- writing ---------------------------------------------------------------------------

    def remove(self, namespace: str, name: str) -> None:
        """Drop a property wherever it is (an attribute or elements in any description)."""
        tag = _q(namespace, name)
        for description in self.descriptions():
            description.attrib.pop(tag, None)
            for child in description.findall(tag):
                description.remove(child)

    def _target(self) -> ET.Element:
        found = self.descriptions()
        if found:
            return found[0]
        return ET.SubElement(self.rdf, _q(RDF, "Description"), {_q(RDF, "about"): ""})

    def add_element(self, namespace: str, name: str) -> ET.Element:
        """A new, empty property element (the caller fills it in)."""
        return ET.SubElement(self._target(), _q(namespace, name))

    def set_text(self, namespace: str, name: str, value: str | None) -> None:
        """Set (or with ``None`` remove) a simple property; an equal value is left where it is."""
        if value is not None and self.get_text(namespace, name) == value:
            return
        self.remove(namespace, name)
        if value is not None:
            ET.SubElement(self._target(), _q(namespace, name)).text = value

    def set_list(self, namespace: str, name: str, values: list[str] | None, *, ordered: bool = False) -> None:
        """Set (or with ``None`` remove) an array; an empty list removes it as well, an equal
        one is left as it is."""
        if values and self.get_list(namespace, name) == values:
            return
        self.remove(namespace, name)
        if values:
            holder = ET.SubElement(
                ET.SubElement(self._target(), _q(namespace, name)), _q(RDF, "Seq" if ordered else "Bag")
            )
            for value in values:
                ET.SubElement(holder, _q(RDF, "li")).text = value

    def set_lang_alt(self, namespace: str, name: str, value: str | None) -> None:
        """Set the ``x-default`` text of a language alternative, keeping other languages;
        ``None`` removes the property."""
        if value is None:
            self.remove(namespace, name)
            return
        if self.get_lang_alt(namespace, name) == value:
            return
        for _owner, found in self._found(namespace, name):
            if not isinstance(found, str):
                items = found.findall(f"./{_q(RDF, 'Alt')}/{_q(RDF, 'li')}")
                default = next((li for li in items if li.get(XML_LANG) == "x-default"), None)
                if default is not None:
                    default.text = value
                    return
        self.remove(namespace, name)
        alt = ET.SubElement(ET.SubElement(self._target(), _q(namespace, name)), _q(RDF, "Alt"))
        ET.SubElement(alt, _q(RDF, "li"), {XML_LANG: "x-default"}).text = value

    def to_bytes(self) -> bytes:
        """The whole packet, wrapped in ``xpacket`` processing instructions, UTF-8."""
        for prefix, uri in {**KNOWN_PREFIXES, **self.prefixes}.items():
            if prefix and prefix != "xml" and not _generated(prefix):
                try:
                    ET.register_namespace(prefix, uri)
                except ValueError:
                    pass
        tree = ET.ElementTree(self.root)
        ET.indent(tree, space=" ")
        body = ET.tostring(self.root, encoding="unicode")
        return (XPACKET_BEGIN + body + XPACKET_END).encode("utf-8")


def _generated(prefix: str) -> bool:
    """ElementTree's own ``ns0``-style prefixes, which it refuses to register."""
    return prefix.startswith("ns") and prefix[2:].isdigit()
