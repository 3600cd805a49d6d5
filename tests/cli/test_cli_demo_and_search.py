"""``shoebox demo`` builds a curated library; ls/show carry albums, tags and marks; the search combines them."""

from __future__ import annotations

from pathlib import Path


def test_demo_builds_a_library_with_albums_and_json_shows_them(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "demo"
    result = cli("demo", "--dir", str(base), "--count", "18", "--no-open")
    assert result.code == 0 and "demo library:" in result.out
    library = base / "library"
    albums = {a["name"]: a["photos"] for a in cli("album", "ls", "--json", library=library).json()}
    assert albums and "Best of" in albums
    best = cli("ls", '"album:Best of"', "--json", library=library).json()  # the query language quotes a spaced value
    assert len(best) == albums["Best of"]
    assert all("Best of" in p["albums"] and p["rating"] == 5 for p in best)
    family = cli("ls", "tag:family", "--json", library=library).json()
    assert family and all(p["tags"] == ["family"] for p in family)
    both = cli("ls", "tag:family", "rating:5", "--json", library=library).json()
    assert {p["id"] for p in both} == {p["id"] for p in family} & {p["id"] for p in best}
    everything = cli("ls", "--json", library=library).json()
    assert {"albums", "tags", "rating", "favourite", "caption"} <= set(everything[0])
    shown = cli("show", best[0]["path"], "--json", library=library).json()
    assert shown["albums"] == best[0]["albums"] and shown["rating"] == 5
    table = cli("show", best[0]["path"], library=library).out
    assert "Best of" in table and "[" not in table.split("albums", 1)[1].splitlines()[0]
    again = cli("demo", "--dir", str(base), "--no-open")  # a second run keeps the user's albums as they are
    assert again.code == 0
    assert {a["name"]: a["photos"] for a in cli("album", "ls", "--json", library=library).json()} == albums


def test_a_bad_rating_is_a_query_error(cli) -> None:  # type: ignore[no-untyped-def]
    result = cli("ls", "rating:7")
    assert result.code == 2 and "not a rating" in result.err


def test_mark_rates_favourites_and_captions_what_the_search_then_finds(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "demo"
    assert cli("demo", "--dir", str(base), "--count", "8", "--no-open").code == 0
    library = base / "library"
    first, second = (p["path"] for p in cli("ls", "--json", "--limit", "2", library=library).json())
    result = cli("mark", first, second, "--rating", "4", "--favourite", "--caption", "Nonna's garden", "--json",
                 library=library)  # fmt: skip
    assert result.code == 0
    assert [(m["rating"], m["favourite"], m["caption"]) for m in result.json()] == [(4, True, "Nonna's garden")] * 2
    assert cli("mark", second, "--rating", "0", "--no-favourite", library=library).code == 0
    found = cli("ls", "rating:4", "favourite:yes", "caption:garden", "--json", library=library).json()
    assert [p["path"] for p in found] == [first]
    assert cli("mark", str(tmp_path / "not-catalogued.jpg"), "--rating", "3", library=library).code == 1


def test_album_tag_and_mark_take_a_query_as_well_as_paths(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "demo"
    assert cli("demo", "--dir", str(base), "--count", "12", "--no-open").code == 0
    library = base / "library"
    nikon = {p["path"] for p in cli("ls", "camera:nikon", "--json", library=library).json()}
    assert nikon
    assert cli("album", "add", "Nikon shots", "--query", "camera:nikon", library=library).code == 0
    members = {p["path"] for p in cli("album", "ls", "Nikon shots", "--json", library=library).json()}
    assert members == nikon
    assert cli("tag", "add", "old", "-q", "year:2019", library=library).code == 0
    assert {p["path"] for p in cli("ls", "tag:old", "--json", library=library).json()} == {
        p["path"] for p in cli("ls", "year:2019", "--json", library=library).json()
    }
    marked = cli("mark", "--query", '"album:Nikon shots"', "--rating", "2", "--json", library=library).json()
    assert {m["path"] for m in marked} == nikon and {m["rating"] for m in marked} == {2}
    assert cli("album", "rm", "Nikon shots", "--query", "camera:nikon", library=library).code == 0
    assert cli("album", "ls", "Nikon shots", "--json", library=library).json() == []
    nothing = cli("tag", "add", "x", library=library)
    assert nothing.code == 2 and "--query" in nothing.err
    bad = cli("album", "add", "x", "--query", "colour:red", library=library)
    assert bad.code == 2 and "unknown filter" in bad.err


def test_demo_shows_people_named_once_and_found_in_their_other_photos(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    base = tmp_path / "demo"
    result = cli("demo", "--dir", str(base), "--count", "4", "--no-open")
    assert result.code == 0 and "named Ada, Bruno, Dora" in result.out
    library = base / "library"
    persons = {p["name"]: p["photos"] for p in cli("people", "ls", "--json", library=library).json()}
    assert persons == {"Ada": 4, "Bruno": 4, "Dora": 3}  # the stranger is seen once: no person shown
    pair = cli("ls", "person:ada", "person:bruno", "--json", library=library).json()
    assert [Path(p["path"]).name for p in pair] == ["ada_and_bruno.jpg"] and pair[0]["people"] == ["Ada", "Bruno"]
    stranger = [p for p in cli("ls", "path:eli", "--json", library=library).json()]
    assert len(stranger) == 1 and stranger[0]["people"] == []
