"""``shoebox xmp write|read``: sidecars for scripts, with --json and honest exit codes."""

from __future__ import annotations

from pathlib import Path

from PIL import Image


def test_xmp_write_and_read_from_the_command_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    photos = tmp_path / "photos"
    photos.mkdir()
    for i, colour in enumerate([(250, 0, 0), (0, 250, 0), (0, 0, 250)]):
        Image.new("RGB", (50, 40), colour).save(photos / f"p{i}.jpg", "JPEG")
    assert cli("add", str(photos)).code == 0
    assert cli("mark", str(photos / "p0.jpg"), "--rating", "5", "--caption", "red").code == 0
    assert cli("tag", "add", "colours", "--query", "").code == 0

    written = cli("xmp", "write", "--all", "--json")
    assert written.code == 0
    by_name = {Path(r["path"]).name: r for r in written.json()}
    assert {r["action"] for r in by_name.values()} == {"created"}
    assert set(by_name["p0.jpg"]["sidecar_changes"]) == {"rating", "caption", "tags"}
    assert by_name["p1.jpg"]["sidecar"] == str(photos / "p1.jpg.xmp")

    text = (
        (photos / "p1.jpg.xmp")
        .read_text()
        .replace("<rdf:li>colours</rdf:li>", "<rdf:li>colours</rdf:li><rdf:li>green</rdf:li>")
    )
    (photos / "p1.jpg.xmp").write_text(text)
    read = cli("xmp", "read", str(photos / "p1.jpg"))
    assert read.code == 0 and "catalog took tags" in read.out and "1 read" in read.out
    assert cli("ls", "tag:green", "--json").json()[0]["path"] == str(photos / "p1.jpg")
    assert cli("show", str(photos / "p1.jpg"), "--json").json()["sidecar"] == str(photos / "p1.jpg.xmp")

    (photos / "p2.jpg.xmp").write_text("garbage")
    failed = cli("xmp", "write", "--query", "tag:colours")
    assert failed.code == 1 and "p2.jpg.xmp" in failed.err and "left as it is" in failed.err
    assert "1 failed" in failed.out
    assert cli("xmp", "write").code == 2  # no photos given
