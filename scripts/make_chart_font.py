"""Build bot/data/fonts/ChartSansSC-Regular.otf, the CJK font the /report charts ship with.

Source: Noto Sans CJK SC Regular (SIL OFL 1.1, no Reserved Font Name), face 2 of
NotoSansCJK-Regular.ttc in Debian's fonts-noto-cjk 1:20220127+repack1-1
(`apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb x`).

Kept: every CJK Unified Ideograph of the basic block (U+4E00-U+9FFF, all 20,992, so that
any organisation name or agenda in ordinary Chinese renders), ASCII, Latin-1 and
Latin Extended-A, general punctuation, letterlike symbols, number forms and arrows, enclosed
numbers, geometric shapes, CJK symbols and punctuation, full-width forms. Dropped: hinting
and the layout tables (GSUB/GPOS/vertical metrics), which matplotlib does not use and which
pull in thousands of Japanese/Traditional alternates: 4.9 MB instead of 9 MB. The family is
renamed (ChartSans SC) so that it never collides with a Noto Sans CJK installed on the system.

Usage:
    python scripts/make_chart_font.py NotoSansCJK-Regular.ttc \
        bot/data/fonts/ChartSansSC-Regular.otf
"""

from __future__ import annotations

import sys

from fontTools import subset
from fontTools.ttLib import TTCollection

SC_FACE = 2
RANGES = (
    (0x20, 0x7F),
    (0xA0, 0x180),
    (0x2000, 0x2070),
    (0x2100, 0x2200),
    (0x2460, 0x2500),
    (0x25A0, 0x2600),
    (0x3000, 0x3040),
    (0x4E00, 0xA000),
    (0xFF00, 0xFFF0),
)
FAMILY, POSTSCRIPT = "ChartSans SC", "ChartSansSC-Regular"


def build(source: str, target: str) -> None:
    """Subset and rename the SC face of the collection into an OpenType/CFF file."""
    font = TTCollection(source).fonts[SC_FACE]
    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["vhea", "vmtx", "VORG", "GSUB", "GPOS", "BASE", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[code for start, end in RANGES for code in range(start, end)])
    subsetter.subset(font)
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 16):
            record.string = FAMILY
        elif record.nameID == 4:
            record.string = f"{FAMILY} Regular"
        elif record.nameID in (3, 6):
            record.string = POSTSCRIPT
    font["CFF "].cff.fontNames = [POSTSCRIPT]
    font.save(target)


if __name__ == "__main__":
    build(sys.argv[1], sys.argv[2])
