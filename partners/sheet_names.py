"""Names Excel accepts for a worksheet, made from a report's title."""

import re

# Excel refuses these in a sheet's name and keeps at most 31 characters.
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
MAX_LENGTH = 31
# A name cut after one of these reads as unfinished; they go too.
_DANGLING = {
    "a",
    "an",
    "and",
    "by",
    "for",
    "in",
    "of",
    "or",
    "per",
    "the",
    "to",
    "with",
}


def xlsx_sheet_title(title: str) -> str:
    """The title without the characters Excel refuses ("/" becomes "-"), cut at
    the last whole word that fits rather than in the middle of one."""
    text = _FORBIDDEN.sub(lambda m: "-" if m.group() == "/" else "", title)
    text = " ".join(text.split())
    if len(text) <= MAX_LENGTH:
        return text or "Report"
    cut = text[: MAX_LENGTH + 1].rsplit(" ", 1)[0]
    if not cut or len(cut) > MAX_LENGTH:  # one word longer than the limit
        return text[:MAX_LENGTH]
    words = cut.split()
    while len(words) > 1 and words[-1].lower().strip(",;") in _DANGLING:
        words.pop()
    return " ".join(words).rstrip(" ,;-–")
