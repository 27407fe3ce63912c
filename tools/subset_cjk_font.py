"""Build the CJK font shipped inside Linli's package: a subset of Noto Sans CJK SC.

Charts (bot/charts.py) draw Chinese labels. Where the system has Noto Sans CJK (Debian's
`fonts-noto-cjk`, installed by the Dockerfile and CI), charts use it; a plain `pip install`
on a machine without it falls back to the subset this script cuts, so Chinese is still drawn.

The subset holds what Linli's texts and common names use:
- every character of the Fluent catalogues (bot/locales/*/*.ftl);
- the 6,763 characters of GB2312 (its 3,755 common characters of level 1, 一级汉字, and the
  3,008 of level 2, which many names use; derived from Python's gb2312 codec: no package
  ships the 通用规范汉字表 list);
- ASCII, Latin-1, general punctuation, CJK symbols and full-width forms.

The family is renamed "Linli Sans SC" (the SIL Open Font License lets a modified version be
redistributed under the OFL, not under the original's reserved name), and the licence is
written beside the font. Run it again when the catalogues gain characters:

    python tools/subset_cjk_font.py [--source PATH/NotoSansCJK-Regular.ttc]

`tests/test_charts.py` checks that the shipped font covers every catalogue character.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCE = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
SOURCE_FAMILY = "Noto Sans CJK SC"
OUT_DIR = ROOT / "bot" / "fonts"
OUT_FONT = OUT_DIR / "LinliSansSC-Regular.otf"
OUT_LICENSE = OUT_DIR / "OFL.txt"

FAMILY = "Linli Sans SC"
POSTSCRIPT = "LinliSansSC-Regular"

# Blocks kept whole besides the Chinese characters (small: a few hundred glyphs).
RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x2000, 0x206F),  # general punctuation: — … · ‘ ’ “ ”
    (0x2190, 0x2193),  # arrows
    (0x2460, 0x2473),  # ① … ⑳
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。「」《》【】
    (0xFF01, 0xFF5E),  # full-width forms: ！（），：；？
)


def gb2312_hanzi() -> set[str]:
    """GB2312 rows 16–87: the 3,755 characters of level 1 and the 3,008 of level 2."""
    chars = set()
    for row in range(16, 88):
        for cell in range(1, 95):
            try:
                chars.add(bytes((row + 0xA0, cell + 0xA0)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def catalogue_chars() -> set[str]:
    chars: set[str] = set()
    for path in sorted((ROOT / "bot" / "locales").glob("*/*.ftl")):
        chars.update(path.read_text(encoding="utf-8"))
    return {c for c in chars if c.isprintable()}


def wanted() -> set[int]:
    codepoints = {ord(c) for c in catalogue_chars() | gb2312_hanzi()}
    for low, high in RANGES:
        codepoints.update(range(low, high + 1))
    return codepoints


def source_face(path: Path) -> TTFont:
    """The Simplified Chinese face of Noto Sans CJK (a .ttc collection or a single .otf)."""
    if path.suffix.lower() == ".ttc":
        for font in TTCollection(str(path)).fonts:
            if font["name"].getDebugName(1) == SOURCE_FAMILY:
                return font
        raise SystemExit(f"{path} has no face named {SOURCE_FAMILY!r}")
    return TTFont(str(path))


def rename(font: TTFont) -> None:
    """A new family name; the copyright, trademark and licence records stay."""
    names = font["name"]
    full = f"{FAMILY} Regular"
    version = names.getDebugName(5) or ""
    for record in list(names.names):
        if record.nameID in (1, 3, 4, 6, 16, 17, 21, 22):
            names.removeNames(nameID=record.nameID)
    names.setName(FAMILY, 1, 3, 1, 0x409)
    names.setName(f"{POSTSCRIPT};{version}", 3, 3, 1, 0x409)
    names.setName(full, 4, 3, 1, 0x409)
    names.setName(POSTSCRIPT, 6, 3, 1, 0x409)
    names.setName(
        "A subset of Noto Sans CJK SC for the charts of Linli (tools/subset_cjk_font.py).",
        10,
        3,
        1,
        0x409,
    )
    if "CFF " in font:
        cff = font["CFF "].cff
        top = cff[cff.fontNames[0]]
        cff.fontNames = [POSTSCRIPT]
        top.FullName = full
        top.FamilyName = FAMILY


def licence_text(font: TTFont) -> str:
    """The copyright notice of the font, then the OFL 1.1 (from Debian's copyright file)."""
    notice = font["name"].getDebugName(0) or ""
    lines = DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines()
    # The stand-alone paragraph (the last one): "License: SIL-1.1" followed by the text.
    start = len(lines) - 1 - lines[::-1].index("License: SIL-1.1")
    body: list[str] = []
    for line in lines[start + 1 :]:
        if line and not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    return (
        f"{FAMILY} is a subset of Noto Sans CJK SC, renamed (a Modified Version under the\n"
        "licence below), made by tools/subset_cjk_font.py in Linli's repository.\n\n"
        f"Noto Sans CJK: {notice} Noto is a trademark of Google Inc.\n"
        "Upstream licence: Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved\n"
        "Font Name 'Source'.\n"
        "Upstream: https://github.com/notofonts/noto-cjk\n\n" + "\n".join(body).strip() + "\n"
    )


def build(source: Path) -> None:
    font = source_face(source)
    options = subset.Options()
    # matplotlib draws glyph by glyph from the cmap: no OpenType layout, no vertical text.
    options.layout_features = []
    options.drop_tables += ["BASE", "GDEF", "GPOS", "GSUB", "VORG", "vhea", "vmtx"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(wanted()))
    subsetter.subset(font)
    rename(font)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    font.save(str(OUT_FONT))
    OUT_LICENSE.write_text(licence_text(font), encoding="utf-8")
    glyphs = len(font.getGlyphOrder())
    size = OUT_FONT.stat().st_size
    print(f"{OUT_FONT.relative_to(ROOT)}: {glyphs} glyphs, {size / 1e6:.2f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args(argv)
    if not args.source.exists():
        print(f"{args.source} not found (Debian: apt-get install fonts-noto-cjk)", file=sys.stderr)
        return 1
    build(args.source)
    return 0


if __name__ == "__main__":
    sys.exit(main())
