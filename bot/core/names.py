"""Organisation names as one spelling: what looks the same to a reader is the same name.

Without this, `城关镇\u200b党委` (a zero-width space inside), `城关镇 党委`, full-width
digits or a Cyrillic `о` standing in for a Latin `o` would each name a second organisation
that nobody can tell apart from the first in a chat. Names are folded to NFKC, invisible
format characters go, letters that only look Latin become Latin, and spaces survive only
between two Latin letters or digits (`XX村 2组` keeps none; `ABC Tech` keeps one).
"""

from __future__ import annotations

import re
import unicodedata

# Cyrillic and Greek letters drawn like Latin ones (the common confusables).
_LOOKALIKES = str.maketrans(
    "АВЕЗІЈКМНОРСТУХЅаеіјорсухѕԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧαοιν",
    "ABE3IJKMHOPCTYXSaeijopcyxsdqwABEZHIKMNOPTYXaoiv",
)
_SPACE = re.compile(r"\s+")
_KEPT_SPACE = re.compile(r"(?<=[A-Za-z0-9]) (?=[A-Za-z0-9])")


def clean_org_name(text: str) -> str:
    """The one spelling of an organisation's name (see the module's docstring)."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(
        char
        for char in folded
        if unicodedata.category(char) not in ("Cf", "Cc", "Co", "Cs") or char in "\t\n"
    )
    latin = visible.translate(_LOOKALIKES)
    words = _SPACE.sub(" ", latin).strip()
    return _KEPT_SPACE.sub("\0", words).replace(" ", "").replace("\0", " ")
