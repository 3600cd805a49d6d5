"""Pure parts of the app: layout arithmetic, half-block pixels, preview choice, text, palette."""

from __future__ import annotations

import pytest
from PIL import Image

from core.catalog.records import Photo
from core.catalog.timeline import Period
from tui.formatting import period_title, photo_facts, plural, tidy_path, tile_label
from tui.previews.halfcell import fit_size, image_to_strips
from tui.previews.mode import PreviewMode, choose_preview_mode
from tui.widgets.timeline_layout import TimelineLayout


def periods(*counts: int) -> list[Period]:
    out, offset = [], 0
    for i, count in enumerate(counts):
        out.append(Period(f"2020-{i + 1:02d}", count, offset))
        offset += count
    return out


class TestLayout:
    def test_lines_map_to_headers_and_rows(self) -> None:
        layout = TimelineLayout(periods(5, 2), columns=3, row_height=4, header_height=2)
        assert layout.height == (2 + 2 * 4) + (2 + 1 * 4)
        assert layout.locate(0).row == -1 and layout.locate(1).row == -1
        assert (layout.locate(2).section, layout.locate(2).row, layout.locate(2).line) == (0, 0, 0)
        assert (layout.locate(9).row, layout.locate(9).line) == (1, 3)
        assert (layout.locate(10).section, layout.locate(10).row) == (1, -1)
        assert layout.locate(layout.height) is None
        assert list(layout.row_offsets(0, 1)) == [3, 4]
        assert layout.position(6) == (1, 0, 1)
        assert layout.line_of(6) == 12

    def test_moving_down_keeps_the_column_or_the_shorter_rows_last(self) -> None:
        layout = TimelineLayout(periods(5, 2, 7), columns=3, row_height=1)
        assert layout.move_rows(1, 1) == 4  # same column, next row
        assert layout.move_rows(2, 1) == 4  # the next row is shorter: its last photo
        assert layout.move_rows(4, 1) == 6  # into the next month, same column
        assert layout.move_rows(13, 1) == 13  # the end
        assert layout.move_rows(6, -1) == 4
        assert layout.move_rows(0, -1) == 0

    def test_a_million_photos_is_arithmetic_not_memory(self) -> None:
        sections = periods(*([4_000] * 250))
        layout = TimelineLayout(sections, columns=7, row_height=8)
        last = sections[-1].end_offset - 1
        assert layout.offset_near_line(layout.line_of(last), 6) == last
        assert layout.position(layout.offset_near_line(layout.height // 2, 3))[2] == 3


class TestHalfBlocks:
    def test_colours_come_from_the_upper_and_lower_pixels(self) -> None:
        image = Image.new("RGB", (4, 4), (255, 0, 0))
        image.paste((0, 0, 255), (0, 2, 4, 4))  # bottom half blue
        strips = image_to_strips(image, 4, 2)
        assert len(strips) == 2 and all(s.cell_length == 4 for s in strips)
        top = list(strips[0])[0].style
        bottom = list(strips[1])[0].style
        assert top.color.triplet == (255, 0, 0) and top.bgcolor.triplet == (255, 0, 0)
        assert bottom.color.triplet == (0, 0, 255)

    def test_aspect_is_kept_and_the_rest_is_background(self) -> None:
        assert fit_size(400, 100, 10, 10) == (10, 2)
        strips = image_to_strips(Image.new("RGB", (400, 100), (0, 255, 0)), 10, 5, background=(1, 2, 3))
        assert list(strips[0])[0].style.color.triplet == (1, 2, 3)  # letterbox above
        assert any(seg.style.color.triplet == (0, 255, 0) for s in strips for seg in s)


class TestPreviewMode:
    @pytest.mark.parametrize(
        "env",
        [
            {"TMUX": "/tmp/tmux-0/default,1,0"},
            {"SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"},
            {"TERM": "screen-256color"},
            {"STY": "1.pts"},
        ],
    )
    def test_tmux_ssh_and_screen_get_coloured_half_blocks(self, env: dict[str, str]) -> None:
        assert choose_preview_mode(env, is_tty=True) is PreviewMode.HALFCELL

    def test_not_a_terminal_gets_half_blocks_never_shading(self) -> None:
        assert choose_preview_mode({}, is_tty=False) is PreviewMode.HALFCELL

    def test_the_user_can_force_a_mode(self) -> None:
        assert choose_preview_mode({"SHOEBOX_PREVIEW": "sixel", "TMUX": "x"}, is_tty=False) is PreviewMode.SIXEL
        assert choose_preview_mode({"SHOEBOX_PREVIEW": "HalfCell"}, is_tty=True) is PreviewMode.HALFCELL


def _photo(**fields: object) -> Photo:
    base: dict[str, object] = dict(
        id=1, root_id=None, path="/home/ann/Pictures/a.jpg", path_bytes=None, folder="/home/ann/Pictures", size=3_400_000,
        mtime_ns=0, sha256="0" * 64, format="jpeg", kind="photo", width=4000, height=3000, orientation=6,
        taken_at="2008-10-22T16:28:39", taken_at_source="exif", make="NIKON", model="COOLPIX P6000", lens=None,
        exposure_time="1/75", f_number=5.9, iso=64, focal_length=24.0, gps_lat=43.46745, gps_lon=11.88513,
        gps_alt=None, phash=None, dhash=None, status="present", indexed_at="", error=None,
    )  # fmt: skip
    base.update(fields)
    return Photo(**base)  # type: ignore[arg-type]


class TestText:
    def test_facts_of_a_photo(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HOME", "/home/ann")
        facts = dict(photo_facts(_photo()))
        assert facts["Taken"] == "2008-10-22 16:28:39\n(from EXIF DateTimeOriginal)"
        assert facts["Camera"] == "NIKON COOLPIX P6000"
        assert facts["Exposure"] == "1/75 s · f/5.9 · ISO 64 · 24 mm"
        assert facts["Pixels"] == "3000×4000"  # orientation 6: shown upright
        assert facts["GPS"] == "43.46745, 11.88513"
        assert facts["Path"] == "~/Pictures/a.jpg"
        assert "Problem" not in facts

    def test_labels_and_titles(self) -> None:
        assert tile_label(_photo(), 14) == "22 Oct 16:28"
        assert tile_label(_photo(), 8) == "22 Oct"
        assert tile_label(_photo(taken_at=None), 14) == "a.jpg"
        assert period_title("2008-10") == "October 2008"
        assert period_title("2008-10-22") == "Wed 22 October 2008"
        assert period_title("undated") == "Undated"
        assert (
            plural(1, "photo") == "1 photo"
            and plural(1234, "photo") == "1,234 photos"
            and plural(2, "match") == "2 matches"
        )

    def test_paths_outside_home_are_left_alone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("HOME", "/home/ann")
        assert tidy_path("/home/annie/x.jpg") == "/home/annie/x.jpg"
        assert tidy_path("/mnt/nas/x.jpg") == "/mnt/nas/x.jpg"
