"""Word tokens, clitic splitting and the matching tokens every later stage indexes.

- `tokenize` finds raw word tokens (letters with their diacritics, digits, numbers like 4.3 or 2,500).
- `split_clitics` separates attached conjunction/preposition/article and pronoun suffixes, conservatively.
- `match_tokens` is the key for matching: normalized tokens with proclitics and the article removed.
"""

from __future__ import annotations

import re
from importlib import resources

from .normalize import normalize

__all__ = ["tokenize", "split_clitics", "strip_proclitics", "match_tokens", "STOPWORDS", "is_stopword"]

# Letters/digits plus the combining marks Python's \w leaves out (tashkeel, dagger alef, Quranic marks), so
# "مُحَمَّدٌ" is one token. A number keeps its inner separators: "4.3", "2,500", "٣٫٥".
_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
_TOKEN = re.compile(rf"\d+(?:[.,\u066b\u066c]\d+)+|[\w{_MARKS}]+")


def tokenize(text: str) -> list[str]:
    """Raw word tokens of `text` in order; punctuation and spaces dropped, nothing else changed."""
    return _TOKEN.findall(text)


def _load_lines(name: str) -> list[str]:
    data = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return [ln.strip() for ln in data.splitlines() if ln.strip() and not ln.startswith("#")]


STOPWORDS: frozenset[str] = frozenset(normalize(w) for w in _load_lines("stopwords.txt"))


def is_stopword(token: str) -> bool:
    """True for a normalized function word (also after clitic stripping: "وفي", "بهذا" -> هذا)."""
    return token in STOPWORDS


# Corpus-derived words that begin like a proclitic but keep it (وزير, واشنطن, فرنسا, الغاء = إلغاء, الاف =
# آلاف); lines "word<TAB>1" keep only the first letter as clitic (لليبيا = ل + ليبيا, not لل + يبيا).
_WHOLE: set[str] = set()
_ONE_LETTER: set[str] = set()
for _line in _load_lines("clitic_lexicon.txt"):
    _w, _, _n = _line.partition("\t")
    (_ONE_LETTER if _n == "1" else _WHOLE).add(_w)
# Hand additions: God's name (الله/لله would become له), function words that start with ال.
_WHOLE |= {
    "الله",
    "اللهم",
    "الذي",
    "التي",
    "الذين",
    "اللذين",
    "اللتين",
    "اللاتي",
    "اللواتي",
    "الان",
    "الا",
    "الي",
}
# A function word whose would-be remainder is no function word keeps its letters (فيها, وراء, الذي);
# وقال/وهذا still lose the و, so they share the key of قال/هذا.
_WHOLE |= {
    w
    for w in STOPWORDS
    if (w[:1] in "وف" and w[1:] not in STOPWORDS) or (w[:2] == "ال" and w[2:] not in STOPWORDS)
}

_CONJ = ("و", "ف")
_PREP_ART = ("بال", "كال")
_ENCLITICS_LONG = ("هما", "كما", "هم", "هن", "كم", "كن")  # need a stem of >= 4 letters (تفاهم, محاكم)
_ENCLITICS_SHORT = ("ها", "نا")  # need a stem of >= 3 letters


def strip_proclitics(token: str) -> tuple[str, str]:
    """(proclitics, rest) of a normalized token: و/ف, then ب/ك/ل + article, or the article alone.

    Bare ب ك ل (without the article) are never stripped: بغداد, كان, لبنان start with them far more often
    than a preposition does. و/ف are stripped when at least three letters remain and the lexicon does not
    say the letter belongs to the word."""
    if token in _WHOLE or len(token) < 4:
        return "", token
    pro = ""
    t = token
    if t[0] in "وف":
        pro, t = t[0], t[1:]
        if t in _WHOLE or len(t) < 4:
            return pro, t
    if t in _ONE_LETTER:
        return pro + t[0], t[1:]
    if t.startswith("لل"):
        if len(t) >= 4:  # ل + (ا)ل + stem of >= 2
            return pro + "لل", t[2:]
        return pro, t
    if t.startswith(_PREP_ART) and len(t) >= 5:
        if t[1:] in _WHOLE:  # بالتزام = ب + التزام, not بال + تزام
            return pro + t[0], t[1:]
        return pro + t[:3], t[3:]
    if t.startswith("ال") and len(t) >= 4:
        return pro + "ال", t[2:]
    return pro, t


def _strip_enclitic(stem: str) -> tuple[str, str]:
    for suf in _ENCLITICS_LONG:
        if stem.endswith(suf) and len(stem) - len(suf) >= 4:
            return stem[: -len(suf)], suf
    for suf in _ENCLITICS_SHORT:
        if stem.endswith(suf) and len(stem) - len(suf) >= 3:
            if suf == "نا" and stem[-3] in "اوي":  # كورونا, فيينا, اثينا: a name's vowel, not "our"
                continue
            return stem[: -len(suf)], suf
    return stem, ""


def split_clitics(token: str) -> tuple[str, str, str]:
    """(proclitics, stem, enclitic) of one normalized token; the three parts concatenate to the token.

    Conservative: the stem keeps at least 2 letters after the article, 3 after و/ف, 3-4 before a pronoun
    suffix; ه ك ي are never cut (after folding, final ه is also ة and final ي is also ى or a nisba ending)."""
    pro, rest = strip_proclitics(token)
    if rest in _WHOLE:
        return pro, rest, ""
    stem, enc = _strip_enclitic(rest)
    return pro, stem, enc


_CACHE: dict[str, str] = {}
_CACHE_MAX = 500_000


def _match_key(token: str) -> str:
    key = strip_proclitics(token)[1]
    if len(_CACHE) >= _CACHE_MAX:  # bounded: a long-running process must not grow without end
        _CACHE.clear()
    _CACHE[token] = key
    return key


def match_tokens(text: str) -> list[str]:
    """The matching/indexing key of `text`: normalized tokens without proclitics and article
    ("والعراق", "بالعراق", "للعراق", "العراق" -> "عراق"). Stopwords are kept; filter with STOPWORDS."""
    get = _CACHE.get
    return [get(t) or _match_key(t) for t in _TOKEN.findall(normalize(text))]
