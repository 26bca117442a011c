"""The PDF week and report, read back as a person's PDF reader would see them.

Text is extracted with pdftotext (poppler-utils, installed by .ci/run) when it is there, and
always with pypdf, so these tests never skip for want of a tool.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from numbtrack import care, config, render, summary
from numbtrack.errors import InvalidInput
from numbtrack.models import CheckIn, Sensation
from numbtrack.render.pdf import paper_for_locale, to_pdf

from .conftest import run
from .test_summary import ci

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 11, 29, 20, 0, tzinfo=BERLIN)
MONDAY = datetime(2026, 11, 2, 9, tzinfo=BERLIN)
JAPANESE = "今日は何も感じない"
GREEK = "Σήμερα δεν νιώθω τίποτα"


def pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def pdftotext_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; pypdf covers this")
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


@pytest.fixture(params=["pypdf", "pdftotext"])
def extract(request: pytest.FixtureRequest) -> Callable[[Path], str]:
    """The PDF's text with runs of white space made single spaces."""
    read = pypdf_text if request.param == "pypdf" else pdftotext_text
    return lambda path: " ".join(read(path).split())


def four_weeks() -> list[CheckIn]:
    """Four weeks of check-ins: 2 a day, can-feel 1..7, every third numb, notes in three
    scripts on the last day."""
    out = []
    for day in range(28):
        for hour in (0, 8):
            numb = (day * 2 + hour // 8) % 3 == 0
            out.append(
                ci(
                    MONDAY + timedelta(days=day, hours=hour),
                    *(("numb",) if numb else ("calm", "curious")),
                    feel=1 + day % 7,
                    body=(Sensation("chest", "tight", 3, "more"),) if day % 2 else (),
                    tags=("work",) if day % 4 == 0 else (),
                )
            )
    out.append(ci(MONDAY + timedelta(days=27, hours=10), "tired", note=f"{JAPANESE}. {GREEK}."))
    return out


def report() -> summary.Report:
    return summary.build_report(four_weeks(), date(2026, 11, 2), date(2026, 11, 29), now=NOW)


def week(notes: bool = True) -> summary.Week:
    return summary.build_week(four_weeks(), date(2026, 11, 26), show_notes=notes, now=NOW)


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four-week report on A4, made once for the read-only checks (no config is read)."""
    path = tmp_path_factory.mktemp("report") / "report.pdf"
    path.write_bytes(to_pdf(report(), paper="a4"))
    return path


@pytest.fixture(scope="module")
def week_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("week") / "week.pdf"
    path.write_bytes(to_pdf(week(), paper="a4"))
    return path


def saved(result: object, tmp_path: Path, paper: str | None = "a4") -> Path:
    target = tmp_path / "out.pdf"
    render.save(result, target, force=True, title="numbtrack", paper=paper)  # type: ignore[arg-type]
    return target


# -- what the pages say --------------------------------------------------------------------


def test_report_header_shows_the_period(report_pdf: Path, extract: Callable[[Path], str]) -> None:
    assert "02 Nov 2026 – 29 Nov 2026" in extract(report_pdf)


def test_report_shows_the_checkins(report_pdf: Path, extract: Callable[[Path], str]) -> None:
    assert "57 check-ins on 28 of 28 days." in extract(report_pdf)


def test_report_shows_the_can_feel_median(tmp_path: Path, extract: Callable[[Path], str]) -> None:
    r = report()
    assert r.whole.can_feel_median == 4
    assert "Can feel: middle 4, range 1-7, from 56 answers." in extract(saved(r, tmp_path))


def test_report_shows_the_numb_share(tmp_path: Path, extract: Callable[[Path], str]) -> None:
    r = report()
    expected = f"Numb was the state of {r.whole.numb} of 57 check-ins (33%)."
    assert expected in extract(saved(r, tmp_path))


def test_report_has_one_row_per_week(report_pdf: Path, extract: Callable[[Path], str]) -> None:
    text = extract(report_pdf)
    assert all(f"2026-W{n}" in text for n in (45, 46, 47, 48))


def test_report_draws_the_body_map_of_the_period(
    report_pdf: Path, extract: Callable[[Path], str]
) -> None:
    """Under its sensations, as the week does: the legend counts the whole period."""
    text = extract(report_pdf)
    assert ("chest 28 28" in text, "▲ more, ▼ less:" in text) == (True, True)


def test_footer_says_it_describes_and_who_to_reach(
    report_pdf: Path, extract: Callable[[Path], str]
) -> None:
    text = extract(report_pdf)
    assert care.DESCRIBES in text
    assert "call or text 988" in text
    assert "findahelpline.com" in text


def test_footer_carries_the_persons_own_line(
    tmp_path: Path, extract: Callable[[Path], str]
) -> None:
    config.save(config.Config(local_line="Dr Rivera: +1 555 0100"))
    assert "Your own line: Dr Rivera: +1 555 0100" in extract(saved(report(), tmp_path))


def test_every_page_is_numbered(week_pdf: Path, extract: Callable[[Path], str]) -> None:
    path = week_pdf
    pages = len(PdfReader(path).pages)
    assert pages >= 2
    assert f"page {pages} of {pages}" in extract(path)


def test_japanese_note_prints(week_pdf: Path, extract: Callable[[Path], str]) -> None:
    assert JAPANESE in extract(week_pdf)


def test_greek_note_prints(week_pdf: Path, extract: Callable[[Path], str]) -> None:
    assert GREEK in extract(week_pdf)


def test_accents_and_cyrillic_print(tmp_path: Path, extract: Callable[[Path], str]) -> None:
    checkins = [ci(MONDAY, "calm", note="Café crème, naïve. Привет.")]
    w = summary.build_week(checkins, MONDAY.date(), show_notes=True, now=NOW)
    assert "Café crème, naïve. Привет." in extract(saved(w, tmp_path))


def test_emoji_print_as_their_names(tmp_path: Path, extract: Callable[[Path], str]) -> None:
    checkins = [ci(MONDAY, "calm", note="sun 😊👍🏽 ok")]
    w = summary.build_week(checkins, MONDAY.date(), show_notes=True, now=NOW)
    text = extract(saved(w, tmp_path))
    assert "sun [smiling face with smiling eyes][thumbs up sign] ok" in text


def test_a_script_without_a_font_prints_replacement_marks(
    tmp_path: Path, extract: Callable[[Path], str]
) -> None:
    checkins = [ci(MONDAY, "calm", note="before عربى after")]
    w = summary.build_week(checkins, MONDAY.date(), show_notes=True, now=NOW)
    assert "before \ufffd\ufffd\ufffd\ufffd after" in extract(saved(w, tmp_path))


def test_empty_week_is_kind_on_paper(tmp_path: Path, extract: Callable[[Path], str]) -> None:
    w = summary.build_week([], date(2026, 3, 4), now=NOW)
    assert "Nothing was logged this week." in extract(saved(w, tmp_path))


def test_empty_report_says_so(tmp_path: Path, extract: Callable[[Path], str]) -> None:
    r = summary.build_report([], date(2026, 3, 2), date(2026, 3, 29), now=NOW)
    assert "No check-ins in this period." in extract(saved(r, tmp_path))


# -- what the file is ----------------------------------------------------------------------


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_page_size_follows_the_paper(tmp_path: Path, paper: str, size: tuple[int, int]) -> None:
    box = PdfReader(saved(report(), tmp_path, paper)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


@pytest.mark.parametrize(
    ("env", "paper"),
    [
        ({"LANG": "en_US.UTF-8"}, "letter"),
        ({"LANG": "fr_CA.UTF-8"}, "letter"),
        ({"LANG": "es_MX"}, "letter"),
        ({"LANG": "en_PH.UTF-8"}, "letter"),
        ({"LANG": "en_GB.UTF-8"}, "a4"),
        ({"LANG": "de_DE.UTF-8@euro"}, "a4"),
        ({"LANG": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}, "a4"),
        ({"LC_ALL": "en_US.UTF-8", "LC_PAPER": "de_DE.UTF-8"}, "letter"),
        ({"LANG": "C.UTF-8"}, "a4"),
        ({}, "a4"),
    ],
)
def test_paper_follows_the_locale(env: dict[str, str], paper: str) -> None:
    assert paper_for_locale(env) == paper


def test_without_paper_the_locale_decides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("LC_ALL", "LC_PAPER"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    box = PdfReader(saved(report(), tmp_path, None)).pages[0].mediabox
    assert round(float(box.height)) == 792


def test_nothing_in_the_file_points_outside_it(report_pdf: Path) -> None:
    raw = report_pdf.read_bytes()
    assert b"http" not in raw.lower()
    assert b"/URI" not in raw


def test_every_font_is_embedded(week_pdf: Path) -> None:
    raw = week_pdf.read_bytes()
    assert raw.count(b"/FontFile2") == raw.count(b"/Type /FontDescriptor") == 2


def test_latin_only_pages_embed_one_font(tmp_path: Path) -> None:
    checkins = [ci(MONDAY, "calm", feel=3, note="plain words")]
    w = summary.build_week(checkins, MONDAY.date(), show_notes=True, now=NOW)
    assert saved(w, tmp_path).read_bytes().count(b"/FontFile2") == 1


def test_charts_are_drawn_not_pictures(week_pdf: Path) -> None:
    reader = PdfReader(week_pdf)
    first = reader.pages[0]
    assert "/XObject" not in first["/Resources"]
    assert b" re f" in first.get_contents().get_data()  # type: ignore[union-attr]


# -- writing it ----------------------------------------------------------------------------


def test_saved_pdf_is_private(tmp_path: Path) -> None:
    assert oct(saved(report(), tmp_path).stat().st_mode & 0o777) == "0o600"


def test_existing_pdf_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    target.write_bytes(b"mine")
    with pytest.raises(InvalidInput, match="--force"):
        render.save(report(), target, force=False, title="r")
    assert target.read_bytes() == b"mine"


def test_missing_folder_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        render.save(report(), tmp_path / "no" / "r.pdf", force=False, title="r")
    assert list(tmp_path.iterdir()) == []


def test_a_planted_symlink_is_replaced_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"keep me")
    target = tmp_path / "r.pdf"
    target.symlink_to(victim)
    render.save(report(), target, force=True, title="r")
    assert victim.read_bytes() == b"keep me"
    assert not target.is_symlink()


def test_no_temporary_file_is_left(tmp_path: Path) -> None:
    saved(report(), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.pdf"]


def test_a_failed_render_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from numbtrack.render import pdf

    def broken(*args: object, **kwargs: object) -> bytes:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "to_pdf", broken)
    with pytest.raises(Exception, match="nothing was written"):
        render.save(report(), tmp_path / "r.pdf", force=False, title="r")
    assert list(tmp_path.iterdir()) == []


def test_paper_is_refused_for_other_files(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="--paper"):
        render.save(report(), tmp_path / "r.txt", force=False, title="r", paper="a4")
    assert list(tmp_path.iterdir()) == []


def test_a_hostile_note_cannot_break_the_file(tmp_path: Path) -> None:
    note = "\x01\x1b[31m" + "ʼ" * 3 + "\u202e" + "(" * 500 + "\\" * 500 + ")" + "字" * 5000
    checkins = [ci(MONDAY, "calm", note=note)]
    w = summary.build_week(checkins, MONDAY.date(), show_notes=True, now=NOW)
    reader = PdfReader(saved(w, tmp_path))
    assert "字字字" in "".join(p.extract_text() for p in reader.pages)


def test_fonts_are_shipped_with_their_licences() -> None:
    from numbtrack.render.pdf import FONT_DIR

    names = sorted(p.name for p in FONT_DIR.iterdir())
    assert names == [
        "DejaVuSans.ttf",
        "DroidSansFallback.ttf",
        "LICENSE-DejaVu.txt",
        "LICENSE-DroidSansFallback.txt",
        "coverage.json",
    ]


def test_shipped_fonts_stay_small() -> None:
    from numbtrack.render.pdf import FONT_DIR

    assert sum(os.path.getsize(p) for p in FONT_DIR.iterdir()) < 4_500_000


# -- the command line ----------------------------------------------------------------------


def test_week_command_saves_a_pdf(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, "log", "calm", "--feel", "4", "-q").exit_code == 0
    target = tmp_path / "week.pdf"
    r = run(runner, "week", "--save", str(target))
    assert r.exit_code == 0, r.output
    assert target.read_bytes().startswith(b"%PDF-")


def test_report_command_takes_the_paper(runner: CliRunner, tmp_path: Path) -> None:
    assert run(runner, "log", "calm", "--feel", "4", "-q").exit_code == 0
    target = tmp_path / "report.pdf"
    r = run(runner, "report", "--save", str(target), "--paper", "letter")
    assert r.exit_code == 0, r.output
    assert round(float(PdfReader(target).pages[0].mediabox.height)) == 792


def test_unknown_paper_is_one_sentence(runner: CliRunner, tmp_path: Path) -> None:
    r = run(runner, "report", "--save", str(tmp_path / "r.pdf"), "--paper", "a5")
    assert (r.exit_code, len(r.stderr.strip().splitlines())) == (2, 1)
    assert not (tmp_path / "r.pdf").exists()


def test_paper_without_a_pdf_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    r = run(runner, "week", "--paper", "a4")
    assert r.exit_code == 2
    assert "--save" in r.stderr


def test_paper_with_another_format_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    r = run(runner, "week", "--save", str(tmp_path / "w.html"), "--paper", "a4")
    assert r.exit_code == 2
    assert "--paper" in r.stderr
    assert not (tmp_path / "w.html").exists()


def test_existing_file_needs_force_on_the_command_line(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    target.write_bytes(b"mine")
    r = run(runner, "report", "--save", str(target))
    assert r.exit_code == 2
    assert "--force" in r.stderr
    assert target.read_bytes() == b"mine"


def test_unwritable_folder_is_a_disk_problem(runner: CliRunner) -> None:
    r = run(runner, "week", "--save", "/sys/numbtrack-week.pdf")
    assert r.exit_code == 1
    assert "nothing was written" in r.stderr


def test_own_words_in_any_script_print_in_tables(
    tmp_path: Path, extract: Callable[[Path], str]
) -> None:
    from numbtrack.models import Feeling, validate

    own = CheckIn(at=MONDAY, feelings=(Feeling("もやもや", custom=True), Feeling("calm")))
    w = summary.build_week([validate(own)], MONDAY.date(), now=NOW)
    assert "もやもや" in extract(saved(w, tmp_path))


def test_a_long_cell_wraps_and_keeps_every_word(tmp_path: Path) -> None:
    from numbtrack.models import Feeling, validate

    words = [c * 40 for c in "bcdefghijk"]
    own = CheckIn(at=MONDAY, feelings=tuple(Feeling(w, custom=True) for w in words))
    w = summary.build_week([validate(own)], MONDAY.date(), now=NOW)
    text = pypdf_text(saved(w, tmp_path))
    assert all(word in text for word in words)


def test_saving_emoji_and_cjk_says_only_where_it_went(home: Path, tmp_path: Path) -> None:
    """No font warnings on stderr: fpdf2 would log one for every glyph it cannot draw."""
    import sys

    env = {**os.environ, "NUMBTRACK_HOME": str(home)}
    log = [sys.executable, "-m", "numbtrack", "log", "calm", "-q", "--note", f"😊 {JAPANESE} ☀"]
    subprocess.run(log, env=env, check=True, capture_output=True)
    target = tmp_path / "w.pdf"
    week_cmd = [sys.executable, "-m", "numbtrack", "week", "--notes", "--save", str(target)]
    done = subprocess.run(week_cmd, env=env, check=True, capture_output=True, text=True)
    assert done.stderr.strip() == f"Saved to {target}."


def test_a_chart_over_years_names_the_years(tmp_path: Path, extract: Callable[[Path], str]) -> None:
    checkins = [ci(datetime(2024, 1, 10, 9, tzinfo=BERLIN), "calm", feel=5)]
    r = summary.build_report(checkins, date(2024, 1, 1), date(2025, 12, 31), now=NOW)
    assert "Jan 2024" in extract(saved(r, tmp_path))


@pytest.mark.parametrize("block", ["▇", "░", "▒", "▓", "█"])
def test_no_text_art_reaches_the_page(
    week_pdf: Path, extract: Callable[[Path], str], block: str
) -> None:
    """The terminal's bar and body-map characters are drawn as shapes instead."""
    assert block not in extract(week_pdf)
