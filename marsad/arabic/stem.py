"""Light stems for matching: one key for the inflected and cliticized forms of a word.

`stem` = marsad's proclitic pass (lexicon-aware, marsad.arabic.tokens) + conservative pronoun suffixes +
Light10-style inflection suffixes (Larkey et al.'s light10 list: ها ان ات ون ين يه ه ي, each at most once,
in that order), keeping at least three letters. Chosen over Snowball Arabic, ARLSTem/ARLSTem2 and ISRI by
scripts/measure_stemmers.py (figures in marsad/arabic/README.md): it conflates clitic forms completely and
inflections about as well as ARLSTem, with fewer cross-word merges than any library stemmer measured, and
runs ~10x faster than ARLSTem with no dependency.
"""

from __future__ import annotations

from functools import lru_cache

from .normalize import normalize
from .tokens import _TOKEN, split_clitics

__all__ = ["stem", "stems", "light_stem"]

# (suffix, shortest stem it may leave). ان/ون/ين end many words of their own (تعاون, قانون, إنسان, لبنان):
# they need four letters left, the others three.
_SUFFIXES = (("ها", 3), ("ان", 4), ("ات", 3), ("ون", 4), ("ين", 4), ("يه", 3), ("ه", 3), ("ي", 3))


def light_stem(token: str) -> str:
    """Uncached stem of one normalized token (see the module notes)."""
    _pro, s, enc = split_clitics(token)
    if enc and len(s) >= 4 and s.endswith("ت") and not s.endswith("ات"):
        s = s[:-1] + "ه"  # زيارتها -> زياره: ة is written ت before a pronoun
    elif not enc and len(s) >= 5 and s.endswith("ته") and not s.endswith("اته"):
        s = s[:-2] + "ه"  # زيارته -> زياره (the pronoun ه itself is never split off: it is also ة)
    for suf, least in _SUFFIXES:
        if s.endswith(suf) and len(s) - len(suf) >= least:
            s = s[: -len(suf)]
    return s


@lru_cache(maxsize=200_000)
def stem(token: str) -> str:
    """Light stem of one normalized token ("والعراقية" -> "عراق", "قواتهم" -> "قو" is avoided: "قوات")."""
    return light_stem(token)


def stems(text: str) -> list[str]:
    """Stems of every token of `text` (normalized first), in order."""
    return [stem(t) for t in _TOKEN.findall(normalize(text))]
