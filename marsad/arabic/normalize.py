"""Matching keys for Arabic text.

`normalize` turns display text into a key that two spellings of the same word share; it is never shown.
Everything is done with `str.translate` tables and a few precompiled regexes, so that the whole layer
stays far from being a pipeline bottleneck (see bench/arabic.py).
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "fold_digits", "strip_tashkeel", "DIGITS", "TASHKEEL"]

# Arabic-Indic (U+0660..) and Extended/Persian (U+06F0..) digits -> ASCII.
DIGITS: dict[int, str] = {}
for _i in range(10):
    DIGITS[0x0660 + _i] = str(_i)
    DIGITS[0x06F0 + _i] = str(_i)
_DIGIT_TABLE = str.maketrans(DIGITS)

# Harakat, tanween, shadda, sukun, maddah/hamza marks, superscript (dagger) alef, Quranic annotation marks.
TASHKEEL = (
    [chr(c) for c in range(0x064B, 0x0660)]
    + ["\u0670"]
    + [chr(c) for c in range(0x0610, 0x061B)]
    + [chr(c) for c in range(0x06D6, 0x06EE) if c not in (0x06DD, 0x06DE, 0x06E5, 0x06E6, 0x06E9)]
    + ["\u08f0", "\u08f1", "\u08f2", "\u08f3"]
)
_TASHKEEL_TABLE = str.maketrans({c: None for c in TASHKEEL + ["\u0640"]})

# Invisible characters that scraping leaves inside words: zero-width (non-)joiners, bidi marks and
# embeddings/isolates, Arabic letter mark, BOM, soft hyphen, word joiner.
_INVISIBLE = [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
    "\u2066", "\u2067", "\u2068", "\u2069",
    "\u061c", "\ufeff", "\u00ad", "\u2060", "\u180e",
]  # fmt: skip

# Letter folding for the key. Hamza carriers and alef variants collapse to their base letter; ta marbuta
# and alef maqsura take their most common look-alike, since scraped and typed text mixes them freely.
# Persian/Urdu/Maghrebi letters that look like or stand for Arabic ones fold to the Arabic letter
# (ک/ی typed on Persian keyboards, ڤ/ڨ/گ used for v/g in names).
_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ٵ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي", "ے": "ي", "ۓ": "ي", "ٸ": "ي", "ئ": "ي",
    "ة": "ه", "ۀ": "ه", "ہ": "ه", "ۂ": "ه", "ۃ": "ه", "ھ": "ه", "ە": "ه",
    "ؤ": "و", "ٶ": "و", "ٷ": "و", "ۆ": "و", "ۇ": "و", "ۈ": "و", "ۋ": "و", "ۏ": "و",
    "ک": "ك", "ڪ": "ك", "گ": "ك", "ڭ": "ك",
    "ڤ": "ف", "ڥ": "ف", "ڨ": "ق", "پ": "ب", "چ": "ج", "ژ": "ز", "ڕ": "ر",
}  # fmt: skip

_KEY_TABLE: dict[int, str | None] = {}
_KEY_TABLE.update(_TASHKEEL_TABLE)
_KEY_TABLE.update({ord(c): None for c in _INVISIBLE})
_KEY_TABLE.update(_DIGIT_TABLE)
_KEY_TABLE.update({ord(k): v for k, v in _LETTERS.items()})
_KEY_TABLE.update({c: chr(c + 32) for c in range(ord("A"), ord("Z") + 1)})  # ASCII case-fold
# Unicode spaces (NBSP, thin, ideographic ...) and line/paragraph separators -> plain space.
_KEY_TABLE.update(
    {c: " " for c in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000)}
)
_KEY_TABLE.update({ord(c): " " for c in "\t\n\r\f\v\x85"})
# A list indexed by code point translates about twice as fast as a dict (no hashing); code points past
# the BMP raise IndexError, which str.translate treats as "unchanged".
_KEY_LIST: list[str | None] = [chr(i) for i in range(0x10000)]
for _k, _v in _KEY_TABLE.items():
    _KEY_LIST[_k] = _v

_SPACES = re.compile(r"  +")

# A split-off letter group that cannot be a word by itself, rejoined to the word before it. Applied to
# the folded key, so ة is ه and ى is ي here. Only lone tokens that are never words are joined:
#   ه (from ة or a pronoun), ي (from ى or a pronoun), and the nisba plural ين/ون after a word in ي.
# "ها" is a word on its own only as the interjection of "ها هو / ها نحن / ها قد ..."; it is joined unless
# such a word follows. A preceding digit never takes a suffix ("1436 هـ" keeps its Hijri mark).
# The pattern starts with the space (then looks behind) so the scan is fast.
_REJOIN = re.compile(
    r" (?<=[\u0621-\u064a][\u0621-\u064a] )(?:"
    r"(?P<one>[هي])"
    r"|(?<=ي )(?P<pl>ين|ون)"
    r"|(?P<ha>ها)(?! ?(?:هو|هي|هم|هما|هن|نحن|انا|انت|انتم|انتن|قد|ذا|ذي|هنا|هناك|ها)(?![\w]))"
    r")(?![\w])"
)
# "أن هم" / "لأن ها" / "بأن نا": أنّ and its compounds never stand before a detached pronoun. Checked on raw text
# (before alef folding) because the folded "ان" is also the conditional إن, which may ("إن هم أرادوا").
_ANNA = re.compile(r"أن (هم|هما|هن|ها|ه|نا|ني|كم|كما|ك)(?!\w)")


def _anna(m: re.Match[str]) -> str:
    s, i = m.string, m.start()
    for _ in range(2):  # لأن كأن بأن وأن فأن ولأن ...
        if i and s[i - 1] in "لكبوف":
            i -= 1
    if i and (s[i - 1].isalnum() or s[i - 1] == "_"):  # inside a longer word (شأن هم ...): leave it
        return m.group(0)
    return "أن" + m.group(1)


def fold_digits(text: str) -> str:
    """Arabic-Indic and Persian digits -> ASCII; nothing else changes (same length, same offsets)."""
    return text.translate(_DIGIT_TABLE)


def strip_tashkeel(text: str) -> str:
    """Remove diacritics and tatweel only (a lighter key, e.g. for display-side comparisons)."""
    return text.translate(_TASHKEEL_TABLE)


def _rejoin(m: re.Match[str]) -> str:
    return m.group("one") or m.group("pl") or m.group("ha")


def normalize(text: str) -> str:
    """The matching key of `text`: NFKC, no diacritics/tatweel/invisibles, folded letters and digits,
    ASCII lower case, one space between words, and scraping-split suffix letters rejoined."""
    if not text:
        return ""
    if not text.isascii() and not unicodedata.is_normalized("NFKC", text):
        # NFKC maps presentation forms (ﻻ ﺍ ...) and compatibility digits/letters to base letters.
        text = unicodedata.normalize("NFKC", text)
    if "أن " in text:
        text = _ANNA.sub(_anna, text)
    text = text.translate(_KEY_LIST)
    if "  " in text:
        text = _SPACES.sub(" ", text)
    text = text.strip(" ")
    if " " in text:
        text = _REJOIN.sub(_rejoin, text)
    return text
