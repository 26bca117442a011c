"""Rebuild the fonts shipped in src/numbtrack/data/fonts/ for the PDF writer.

    apt-get install fonts-dejavu-core fonts-droid-fallback
    python tools/subset_fonts.py

DejaVu Sans (Bitstream Vera licence plus public-domain changes) keeps Latin, Greek, Cyrillic,
Armenian, Georgian, punctuation and symbols; not Hebrew or Arabic, since right-to-left text
needs a bidi and shaping step that fpdf2 does only with uharfbuzz, a compiled library. Droid
Sans Fallback (Apache 2.0) keeps Chinese, Japanese and Korean. Hinting is dropped (screens
and printers do not need it for this), which with the dropped scripts keeps DejaVu at about
40% of its size. The covered code
points are written to coverage.json so the writer can pick a font for a character without
opening the font files. The fonts keep their names: the Bitstream Vera licence asks only that
modified fonts not be called "Bitstream" or "Vera".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "src" / "numbtrack" / "data" / "fonts"
FONTS = {
    "DejaVuSans.ttf": (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "U+0020-007E,U+00A0-036F,U+0370-03FF,U+0400-052F,U+0530-058F,"
        "U+10A0-10FF,U+1E00-1FFF,U+2000-20CF,U+2100-23FF,U+2460-24FF,U+2500-27BF,"
        "U+2B00-2BFF,U+FB00-FB17,U+FFFD",
    ),
    "DroidSansFallback.ttf": (
        "/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf",
        "U+1100-11FF,U+2E80-2FFF,U+3000-33FF,U+3400-4DBF,U+4E00-9FFF,U+A960-A97F,"
        "U+AC00-D7FF,U+F900-FAFF,U+FE30-FE4F,U+FF00-FFEF",
    ),
}


def ranges(points: list[int]) -> list[list[int]]:
    out: list[list[int]] = []
    for p in sorted(points):
        if out and p == out[-1][1] + 1:
            out[-1][1] = p
        else:
            out.append([p, p])
    return out


def main() -> None:
    coverage = {}
    for name, (source, unicodes) in FONTS.items():
        subprocess.run(
            [
                sys.executable, "-m", "fontTools.subset", source, f"--unicodes={unicodes}",
                f"--output-file={OUT / name}", "--no-hinting", "--layout-features=*",
                "--name-IDs=*", "--notdef-outline", "--drop-tables+=FFTM",
            ],
            check=True,
        )  # fmt: skip
        coverage[name] = ranges(list(TTFont(OUT / name).getBestCmap()))
    (OUT / "coverage.json").write_text(json.dumps(coverage, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
