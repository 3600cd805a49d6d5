"""The query language compiles to SQL that finds the right photos."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.catalog.photos import count_photos, iter_photos, store_media
from core.catalog.query import (
    GRAMMAR_HELP,
    MAX_NESTING,
    MAX_TERMS,
    QueryError,
    QueryTerm,
    describe_query_language,
    find_term,
    parse_query,
    query_terms,
    register_term,
)
from core.catalog.query import terms as query_terms_module
from core.catalog.query.grammar import Group, Not, Word
from core.catalog.query.sql import compile_tree
from core.catalog.query.terms import substring
from core.library import Library
from core.media.records import MediaInfo


def _info(path: str, **fields: object) -> MediaInfo:
    base = dict(size=1, mtime_ns=1, sha256=path, format="jpeg", kind="photo")
    base.update(fields)
    return MediaInfo(path=path, **base)  # type: ignore[arg-type]


@pytest.fixture
def filled(library: Library) -> Library:
    store_media(library.db, None, [
        _info("/p/trip/a.jpg", make="NIKON", model="COOLPIX P6000", taken_at="2008-10-22T16:28:39", gps_lat=1.0, gps_lon=2.0),
        _info("/p/trip/b.png", format="png", make="Canon", model="Canon EOS 40D", taken_at="2008-05-30T15:56:01"),
        _info("/p/home/c.mov", format="mov", kind="video", taken_at="2021-04-11T15:47:53"),
        _info("/p/home/100%_d.jpg", taken_at=None),
    ])  # fmt: skip
    return library


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"a", "b", "c", "100%_d"}),
        ("camera:nikon", {"a"}),
        ("camera:EOS", {"b"}),
        ("-camera:nikon", {"b", "c", "100%_d"}),
        ("year:2008", {"a", "b"}),
        ("year:2009..2022", {"c"}),
        ("date:2008-10", {"a"}),
        ("date:2008-05-30..2008-10-22", {"a", "b"}),
        ("date:..2008-06", {"b"}),
        ("format:jpg", {"a", "100%_d"}),
        ("kind:video", {"c"}),
        ("gps:yes", {"a"}),
        ("trip", {"a", "b"}),
        ("trip -format:png", {"a"}),
        ("100%", {"100%_d"}),
        ('"path:home/c"', {"c"}),
    ],
)
def test_queries_find_the_right_photos(filled: Library, query: str, expected: set[str]) -> None:
    names = {p.name.rsplit(".", 1)[0] for p in iter_photos(filled.db, query)}
    assert names == expected
    assert count_photos(filled.db, query) == len(expected)


@pytest.fixture
def curated(filled: Library) -> Library:
    """Albums, tags and marks on the filled library: what the search combines with the metadata."""
    from core.collections import add_to_album, create_album, set_caption, set_favourite, set_rating, tag_photos

    ids = {p.name.rsplit(".", 1)[0]: p.id for p in iter_photos(filled.db)}
    add_to_album(filled.db, create_album(filled.db, "Madrid 2021").id, [ids["a"], ids["c"]])
    add_to_album(filled.db, create_album(filled.db, "Madrid").id, [ids["b"]])
    tag_photos(filled.db, [ids["a"], ids["b"]], ["Family"])
    set_rating(filled.db, [ids["a"]], 5)
    set_rating(filled.db, [ids["b"]], 3)
    set_favourite(filled.db, [ids["c"]], True)
    set_caption(filled.db, [ids["b"]], "Grandma's birthday")
    return filled


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"album:Madrid 2021"', {"a", "c"}),
        ("album:madrid", {"b"}),  # the whole name, any case: not every album with it in its name
        ("-album:madrid", {"a", "c", "100%_d"}),
        ("tag:family", {"a", "b"}),
        ("tag:family year:2008 -format:png", {"a"}),
        ("rating:5", {"a"}),
        ("rating:3..", {"a", "b"}),
        ("rating:..3", {"b", "c", "100%_d"}),  # unrated counts as 0
        ("rating:0", {"c", "100%_d"}),
        ("favourite:yes", {"c"}),
        ("favorite:no", {"a", "b", "100%_d"}),
        ("caption:birthday", {"b"}),
        ('"album:Madrid 2021" kind:video', {"c"}),
    ],
)
def test_albums_tags_and_marks_combine_with_the_rest(curated: Library, query: str, expected: set[str]) -> None:
    names = {p.name.rsplit(".", 1)[0] for p in iter_photos(curated.db, query)}
    assert names == expected
    assert count_photos(curated.db, query) == len(expected)


@pytest.mark.parametrize(
    ("query", "message"),
    [("colour:red", "unknown filter 'colour:'"), ("year:08", "not a year"), ("date:yesterday", "not a date"),
     ('"unbalanced', "unbalanced quotes"), ("camera:", "needs a value"), ("gps:maybe", "yes or no"),
     ("rating:6", "not a rating"), ("rating:..", "not a rating"), ("album:", 'album:"Summer 2019"')],
)  # fmt: skip
def test_bad_queries_say_what_is_wrong(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


def test_timeline_order_is_by_date_with_undated_last(filled: Library) -> None:
    assert [p.name for p in iter_photos(filled.db)] == ["b.png", "a.jpg", "c.mov", "100%_d.jpg"]


# --- OR, AND and parentheses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tag:family OR kind:video", {"a", "b", "c"}),
        ("-(album:madrid OR tag:family)", {"c", "100%_d"}),
        ("(camera:nikon OR camera:canon) -format:png", {"a"}),
        ("year:2008 OR year:2021 kind:video", {"a", "b", "c"}),  # AND binds tighter than OR
        ("(year:2008 OR year:2021) kind:video", {"c"}),
        ("trip AND -format:png", {"a"}),
        ("rating:5 OR favourite:yes OR caption:birthday", {"a", "b", "c"}),
        ("-(-(tag:family))", {"a", "b"}),
        ("((((trip))))", {"a", "b"}),
        ('"OR"', set()),  # quoted, OR is a word of the path again
        ("-rating:1.. OR tag:family", {"a", "b", "c", "100%_d"}),
        ("TRIP", {"a", "b"}),  # a bare word ignores case, as LIKE did
    ],
)
def test_or_and_parentheses_combine_terms(curated: Library, query: str, expected: set[str]) -> None:
    names = {p.name.rsplit(".", 1)[0] for p in iter_photos(curated.db, query)}
    assert names == expected
    assert count_photos(curated.db, query) == len(expected)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("OR tag:beach", "character 1: expected a term before OR"),
        ("tag:beach OR", "character 13: expected a term after OR, found the end of the query"),
        ("tag:beach OR OR tag:sea", "character 14: expected a term after OR, found OR"),
        ("tag:beach AND", "character 14: expected a term after AND"),
        ("AND tag:beach", "character 1: expected a term before AND"),
        ("()", "character 2: expected a term inside the parentheses"),
        ("-()", "character 3: expected a term inside the parentheses"),
        ("(tag:beach OR)", "character 14: expected a term after OR, found ')'"),
        ("(tag:beach", "character 1: this '(' is never closed"),
        ("tag:beach)", "character 10: this ')' has no '(' before it"),
        (") tag:beach", "character 1: this ')' has no '(' before it"),
        ('tag:"beach', "character 5: unbalanced quotes"),
        ("tag:beach\\", "character 10: a backslash at the end"),
        ("a\0b", "character 2: the query contains a NUL character"),
        ("year:2008 colour:red", "character 11: unknown filter 'colour:'"),
    ],
)
def test_grammar_errors_name_the_position_and_what_was_expected(query: str, message: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(query)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date:2008-13-45", "not a date"), ("date:0000-00-00", "not a date"), ("date:2009-02-29", "not a date"),
        ("date:2009..2008", "ends before it starts"), ("date:2008-1", "not a date"), ("year:99999", "not a year"),
        ("year:0000", "not a year"), ("year:abc", "not a year"), ("rating:9", "not a rating"),
        ("rating:4..2", "ends before it starts"), ("rating:-1", "not a rating"), ("sha:xyz", "not the start of a sha256"),
        ("sha:" + "a" * 65, "up to 64 hex digits"), ("kind:vidoe", "not one of photo, video"),
        ("source:camera", "not one of exif"), ("favourite:perhaps", "yes or no"), ("problem:", "needs a value"),
    ],
)  # fmt: skip
def test_every_term_checks_its_value(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        parse_query(query)


def test_dates_that_exist_are_accepted(filled: Library) -> None:
    assert count_photos(filled.db, "date:2008-02-29..2008-12-31") == 2  # a leap day
    assert count_photos(filled.db, "sha:3FA9") == 0  # hex, any case
    with pytest.raises(QueryError):
        parse_query("sha:/p/trip")


# --- limits: what SQLite refuses never reaches it --------------------------------------------


def test_thousands_of_terms_run_as_a_shallow_tree(filled: Library) -> None:
    """A flat AND of 2,000 terms was 'Expression tree is too large (maximum depth 1000)'."""
    many_and = " ".join(["trip"] * MAX_TERMS)
    assert count_photos(filled.db, many_and) == 2
    many_or = " OR ".join(["camera:nikon", *(f"camera:none{n}" for n in range(MAX_TERMS - 1))])
    assert count_photos(filled.db, many_or) == 1
    negated = " ".join(f"-tag:t{n}" for n in range(2_500))
    assert count_photos(filled.db, negated) == 4
    with pytest.raises(QueryError, match=f"has {MAX_TERMS + 1:,} terms: at most {MAX_TERMS:,}"):
        parse_query(" ".join(["trip"] * (MAX_TERMS + 1)))


def test_a_50000_character_word_is_a_substring_not_a_like_pattern(filled: Library) -> None:
    """LIKE refused patterns over 50,000 bytes ('LIKE or GLOB pattern too complex'); instr() has no limit."""
    long = "x" * 60_000
    assert count_photos(filled.db, long) == 0
    assert count_photos(filled.db, f"camera:{long} OR caption:{long} OR trip") == 2
    assert count_photos(filled.db, f"-{long}") == 4


@pytest.mark.parametrize("word", ["TRIP", "100%", "_d", "home/c", "p/T", "%_"])
def test_long_words_fall_back_to_instr_which_matches_what_like_does(
    filled: Library, word: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    like = substring(("path",), word)
    monkeypatch.setattr(query_terms_module, "LIKE_PATTERN_LIMIT", 0)  # every pattern "too long"
    fallback = substring(("path",), word)
    assert "LIKE" in like.sql and "instr" in fallback.sql
    count = "SELECT count(*) FROM photos WHERE "
    assert filled.db.scalar(count + like.sql, like.params) == filled.db.scalar(count + fallback.sql, fallback.params)


def test_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(QueryError, match="character 6: the query is not valid UTF-8"):
        parse_query("trip " + b"\xff".decode("utf-8", "surrogateescape"))


def test_deep_nesting_is_refused_before_python_or_sqlite_run_out_of_stack(filled: Library) -> None:
    deepest = "(" * MAX_NESTING + "trip" + ")" * MAX_NESTING
    assert count_photos(filled.db, deepest) == 2
    negations = "-(" * MAX_NESTING + "trip" + ")" * MAX_NESTING
    assert count_photos(filled.db, negations) == 2  # an even number of negations
    heavy = "x"
    for level in range(MAX_NESTING // 2):  # the deepest allowed, full of subqueries, still compiles
        heavy = f"-({' OR '.join(f'album:a{level}_{n}' for n in range(200))} OR rating:3.. -date:2008 ({heavy} OR a) b)"
    count_photos(filled.db, heavy)
    for text in ("(" * (MAX_NESTING + 1) + "trip" + ")" * (MAX_NESTING + 1), "(" * 100_000, "-(" * 100_000):
        with pytest.raises(QueryError, match=f"nest too deep: at most {MAX_NESTING} levels"):
            parse_query(text)


def test_what_sqlite_still_refuses_is_a_query_error() -> None:
    """The condition is compiled against an empty catalog first: SQLite's own limits become messages."""
    tree = Word(0, "", "trip", False)
    for _ in range(200):  # deeper than the parser allows, built directly
        tree = Not(0, Group("AND", (Word(0, "", "x", False), tree)))
    with pytest.raises(QueryError, match="too complex for SQLite"):
        compile_tree(tree)


# --- the registry -----------------------------------------------------------------------------


def test_collections_registers_its_own_terms_and_the_catalog_names_none_of_its_tables() -> None:
    from core.collections import query_terms as collection_terms

    names = {t.name: t for t in query_terms()}
    assert {t.name for t in collection_terms.TERMS} == {"album", "tag", "rating", "favourite", "caption"}
    assert all(names[t.name] is t for t in collection_terms.TERMS)
    assert find_term("favorite") is names["favourite"] and find_term("CAMERA") is names["camera"]
    catalog = Path(__file__).parents[2] / "core" / "catalog"
    for source in catalog.rglob("*.py"):
        if source.name == "migrations.py":  # where every table is created, by the house rule
            continue
        text = source.read_text()
        for table in ("album_photos", "photo_tags", "FROM albums", "JOIN albums", "FROM tags", "JOIN tags"):
            assert table not in text, f"{source} names {table}"


def test_a_term_cannot_be_registered_twice() -> None:
    term = find_term("tag")
    assert term is not None
    assert register_term(term) is term  # the same object again is harmless
    with pytest.raises(ValueError, match="registered twice"):
        register_term(QueryTerm("tag", "NAME", "another tag", "tag:x", term.compile))


def test_the_help_lists_every_term_and_the_grammar() -> None:
    text = describe_query_language()
    assert GRAMMAR_HELP in text
    for term in query_terms():
        assert f"{term.name}:{term.value}" in text and term.example in text


def test_readme_queries_section_names_exactly_the_registered_terms() -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("### Queries", 1)[1].split("\n### ", 1)[0]
    code = " ".join(re.findall(r"`([^`]*)`", section))
    written = set(re.findall(r"(?<![\w\-])([a-z]+):", code))
    registered = {name for t in query_terms() for name in (t.name, *t.aliases)}
    assert written == registered
    for example in ("OR", "-(", "AND", f"at most {MAX_NESTING} deep", f"at most {MAX_TERMS:,} terms"):
        assert example in section


@pytest.mark.parametrize("name", ["Trip (2019)", "OR", 'say "hi"', "-x", "a\\b", "it's"])
def test_filter_term_quotes_any_album_name_so_it_reads_back_whole(curated: Library, name: str) -> None:
    """What the app's albums pane runs when it opens an album: the grammar's ( ) OR - must not split it."""
    from core.catalog.query import filter_term
    from core.collections import add_to_album, create_album

    photo = next(iter_photos(curated.db, "c"))
    add_to_album(curated.db, create_album(curated.db, name).id, [photo.id])
    assert [p.id for p in iter_photos(curated.db, filter_term("album", name))] == [photo.id]
