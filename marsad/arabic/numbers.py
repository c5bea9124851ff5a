"""Counted numbers in Arabic news text: value, qualifier and the counted noun.

"نحو 2500 جندي أمريكي" -> 2500, "about", "جندي"; "52 ألفا و495 شهيدا" -> 52495, "exact", "شهيدا";
"4.3 مليار دولار" -> 4.3e9, noun "دولار"; "أزيد من 3 قناطير" -> 3, "at_least", "قناطير"; "خمسين هجوما" -> 50.

Choices (documented because facts depend on them):
- Dates and clock times are not counted facts: numbers inside a date expression (marsad.arabic.dates),
  "HH:MM" and "الساعة 10" times are skipped, and so is a bare year-like integer 1900-2100 with no
  separator, qualifier, scale or counted noun ("انتخابات 2021"). "2000 شخص" is a count and kept.
- Separators: ٫ is decimal, ٬ thousands. "," with groups of exactly three digits is a thousands separator
  ("2,500"), otherwise decimal ("3,5"). A single "." is decimal ("4.3"); "d.ddd" is read as thousands
  ("1.500 شخص", as Maghrebi and Levantine papers write), except before a scale word ("3.104 مليون") or a
  currency ("3.800 درهم", three-decimal Gulf prices) or after "0.". Several dots = thousands.
- Ranges and lists are two numbers: "بين 500 ألف و600 ألف" gives 500000 and 600000, while
  "52 ألفا و495" and "مليارين و340 مليونا و800 ألف" are one number (each part smaller than the last scale).
- The counted noun is the word right after the number phrase, in display form, unless it is a function
  word, a number word, an adverb ("63 عالميا") or definite (a counted noun is indefinite: "2021 المبكرة");
  percentages get noun "%" ("30 في المئة", "30%").
- Vague plurals (آلاف، مئات، عشرات، بضعة) carry no value and are skipped; "واحد"/"اثنان" alone are
  adjectives after the noun ("جندي واحد") and skipped; "ست", "سبع", "خمس", "عشر" alone count only before a
  noun or "من" (they are also "lady", "lion", "fifth", "tenth").
- Qualifiers: before the number نحو حوالي قرابة زهاء ما يقرب من يناهز قارب -> about; ما لا يقل عن، أكثر من،
  أزيد من، ما يزيد على، يتجاوز/تجاوز، فاق -> at_least; أقل من، ما لا يزيد عن، لا يتجاوز، ما يصل إلى (up to)
  -> at_most ("ليصل إلى X", rising to reach X, states the value: exact); after it على الأقل -> at_least,
  تقريبا -> about; "تقدر (قيمتها) بـ" (estimated at) -> about.
- The mention's span is the number phrase itself (scale words included; a proclitic letter, the qualifier
  and the noun excluded).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date

from .dates import find_dates
from .normalize import DIGITS, normalize
from .tokens import STOPWORDS

__all__ = ["NumberMention", "find_numbers", "parse_number"]


@dataclass(frozen=True)
class NumberMention:
    start: int
    end: int
    text: str
    value: float
    qualifier: str  # "exact" | "about" | "at_least" | "at_most"
    noun: str | None  # the counted noun right after, display form ("جندي"), "%" for percentages


# Length-preserving fold (offsets stay the caller's): letters and digits only.
_FOLD = {ord(k): v for k, v in {"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ئ": "ي", "ؤ": "و"}.items()}
_FOLD.update(DIGITS)
_FOLD.update({0x066B: ".", 0x066C: ","})  # Arabic decimal ٫ and thousands ٬ separators
_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")

_UNITS = {
    "واحد": 1, "واحده": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثه": 3,
    "اربع": 4, "اربعه": 4, "خمس": 5, "خمسه": 5, "ست": 6, "سته": 6, "سبع": 7, "سبعه": 7, "ثمان": 8,
    "ثماني": 8, "ثمانيه": 8, "تسع": 9, "تسعه": 9, "عشر": 10, "عشره": 10,
}  # fmt: skip
_TEEN_FIRST = {**_UNITS, "احد": 1, "احدي": 1, "اثنا": 2, "اثني": 2, "اثنتا": 2, "اثنتي": 2}
_TEN_WORDS = ("عشر", "عشره")
_TENS = {
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "اربعون": 40, "اربعين": 40, "خمسون": 50,
    "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70, "ثمانون": 80, "ثمانين": 80,
    "تسعون": 90, "تسعين": 90,
}  # fmt: skip
_HUNDREDS = {"مايه": 100, "ميه": 100, "مايتان": 200, "مايتين": 200, "ميتان": 200, "ميتين": 200, "مايتي": 200}
_HUNDREDS["ميتي"] = 200
for _w, _v in [("ثلاث", 3), ("اربع", 4), ("خمس", 5), ("ست", 6), ("سبع", 7), ("ثمان", 8), ("تسع", 9)]:
    _HUNDREDS[_w + "مايه"] = _v * 100
    _HUNDREDS[_w + "ميه"] = _v * 100
_SCALES = {
    "الف": 1e3, "الفا": 1e3, "الاف": 1e3, "مليون": 1e6, "مليونا": 1e6, "ملايين": 1e6, "مليار": 1e9,
    "مليارا": 1e9, "مليارات": 1e9, "بليون": 1e9, "بليونا": 1e9, "تريليون": 1e12, "تريليونا": 1e12,
}  # fmt: skip
_DUAL_SCALES = {
    "الفين": 1e3, "الفان": 1e3, "الفي": 1e3, "مليونين": 1e6, "مليونان": 1e6, "مليوني": 1e6,
    "مليارين": 1e9, "ملياران": 1e9, "ملياري": 1e9,
}  # fmt: skip
_PLURAL_SCALES = {"الاف", "ملايين", "مليارات"}  # alone: "thousands of", no value
_FRACTIONS = {"نصف": 0.5, "ربع": 0.25}
_WEAK_ALONE = {"ست", "سبع", "خمس", "عشر", "تسع", "ثمان"}
_ADJECTIVAL = {"واحد", "واحده", "اثنان", "اثنين", "اثنتان", "اثنتين"}
_NUMBER_WORDS = (
    set(_UNITS) | set(_TENS) | set(_HUNDREDS) | set(_SCALES) | set(_DUAL_SCALES) | set(_TEEN_FIRST)
)

# Adverbs that follow a number without being what is counted ("المرتبة 63 عالميا").
_ADVERBS = {
    "عالميا", "سنويا", "يوميا", "شهريا", "اسبوعيا", "محليا", "دوليا", "عربيا", "اقليميا", "تقريبا", "فقط",
    "حاليا", "اجمالا", "اضافيا", "مجددا", "ايضا", "اخيرا", "سابقا", "لاحقا",
}  # fmt: skip
# Currencies after "d.ddd": a three-decimal price (Gulf dinars and rials have 1000 fils), not thousands.
_CURRENCIES = {
    "درهم",
    "دراهم",
    "ريال",
    "ريالات",
    "دينار",
    "دنانير",
    "دولار",
    "يورو",
    "جنيه",
    "ليره",
    "فلس",
    "روبيه",
}

_TOKEN = re.compile(
    r"(?P<num>\d+(?:[.,]\d+)*)|(?P<word>(?:[^\W\d_]|[\u064b-\u065f\u0670\u0640])+)|(?P<pct>[%٪])|\S"
)

_PRE = r"(?<![\w])[وبلف]?"
_ABOUT = re.compile(
    _PRE
    + r"(?:نحو|حوالي|حوالى|قرابه|زهاء|ما\s+يقرب\s+من|يقرب\s+من|ما\s+يناهز|يناهز|تناهز|ما\s+يقارب|يقارب|تقارب"
    r"|قارب|قاربت|(?:تقدر|يقدر|قدرت|قدر)(?:\s+\w+)?\s+ب\u0640?)\s*$"
)
_AT_MOST = re.compile(
    _PRE + r"(?:(?:ما\s+)?(?:لا|لن)\s+(?:يزيد|تزيد|يتجاوز|تتجاوز|يتعدي|تتعدي)(?:\s+\w+)?(?:\s+(?:عن|علي))?"
    r"|اقل\s+من|ادني\s+من|ما\s+(?:يصل|تصل)\s+الي|بحد\s+اقصي|حد\s+اقصي)\s*$"
)
_AT_LEAST = re.compile(
    _PRE
    + r"(?:(?:ما\s+)?(?:لا|لن)\s+(?:يقل|تقل)(?:\s+\w+)?\s+(?:عن|علي)|اكثر\s+من|ازيد\s+من|ما\s+يزيد\s+(?:عن|علي)"
    r"|(?:يزيد|تزيد)\s+(?:عن|علي)|(?:ما\s+)?(?:يفوق|تفوق|يتجاوز|تتجاوز|يتخطي|تتخطي)|فوق|بحد\s+ادني"
    r"|تجاوز|تجاوزت|تخطت|تخطي|فاق|فاقت)\s*$"
)
_AT_LEAST_AFTER = re.compile(r"\s*(?:علي\s+الاقل|كحد\s+ادني)")
_ABOUT_AFTER = re.compile(r"\s*تقريبا")
_PERCENT_AFTER = re.compile(r"\s*(?:%|٪|في\s+الم(?:ا)?يه|بالم(?:ا)?يه)(?![\w])")
_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?!\d)|(?<![\w])الساعه\s+\d{1,2}(?:[.:]\d{2})?\s*(?:م|ص)?(?![\w])")
_LATIN_BEFORE = re.compile(r"[A-Za-z][\-\u2011]?$")
_ANY_REF = date(2000, 1, 1)
_YEARLIKE = re.compile(r"(?:19|20)\d\d|2100")


@dataclass
class _Tok:
    kind: str  # "num" | "word" | "pct" | "punct"
    start: int
    end: int
    key: str  # folded, marks removed


def _tokens(folded: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(folded):
        kind = m.lastgroup or "punct"
        key = _MARKS.sub("", m.group()) if kind == "word" else m.group()
        out.append(_Tok(kind, m.start(), m.end(), key))
    return out


def _digits_value(s: str, next_key: str) -> float | None:
    """Digits with separators -> value, reading the separator convention (see module notes)."""
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):  # 1.234,5
            s = s.replace(".", "").replace(",", ".")
        else:  # 1,234.5
            s = s.replace(",", "")
        try:
            return float(s)
        except ValueError:
            return None
    for sep in (",", "."):
        if sep in s:
            parts = s.split(sep)
            if len(parts) > 2:
                return float("".join(parts)) if all(len(p) == 3 for p in parts[1:]) else None
            if len(parts[1]) == 3 and parts[0] != "0":
                decimal = sep == "." and (
                    next_key in _SCALES or next_key in _DUAL_SCALES or next_key in _CURRENCIES
                )
                if not decimal:
                    return float(parts[0] + parts[1])
            return float(parts[0] + "." + parts[1])
    return float(s)


def _word(toks: list[_Tok], k: int, clitic_ok: bool) -> tuple[str, bool, int]:
    """(number-word key or "", joined by و, proclitic length) of token k."""
    if k >= len(toks) or toks[k].kind != "word":
        return "", False, 0
    key = toks[k].key
    if key in _NUMBER_WORDS or key in _FRACTIONS:
        return key, False, 0
    if len(key) > 3 and key[0] in "وبلفك" and (key[0] == "و" or clitic_ok):
        rest = key[1:]
        if (rest in _NUMBER_WORDS or rest in _FRACTIONS) and key != "لست":  # لست: "I am not"
            return rest, key[0] == "و", 1
    return "", False, 0


def _waw_next(toks: list[_Tok], k: int) -> tuple[int, bool] | None:
    """Where the element joined by "و" at token k starts: (index, attached) for "وعشرين" / "و 495" / "و495"."""
    if k >= len(toks):
        return None
    t = toks[k]
    if t.kind == "word" and t.key == "و" and k + 1 < len(toks):
        nxt = toks[k + 1]
        if nxt.kind == "num" or nxt.key in _NUMBER_WORDS or nxt.key in _FRACTIONS:
            return k + 1, False
        return None
    key, waw, _ = _word(toks, k, False)
    if key and waw:
        return k, True
    return None


def _group(toks: list[_Tok], j: int, clitic_ok: bool, attached: bool) -> tuple[float, str, int] | None:
    """One group below the scales: digits, "خمسة وعشرين", "ثلاثة عشر", "مائة وخمسون", "ثلاث مائة"."""
    n = len(toks)
    t = toks[j]
    if t.kind == "num":
        if attached:
            return None
        nxt = toks[j + 1].key if j + 1 < n else ""
        v = _digits_value(t.key, nxt)
        return (v, "digits", j + 1) if v is not None else None
    key, _waw, _ = _word(toks, j, clitic_ok or attached)
    if not key:
        return None
    k = j + 1
    if key in _TEEN_FIRST and k < n and toks[k].key in _TEN_WORDS and key not in _TEN_WORDS:
        return 10 + _TEEN_FIRST[key], "teen", k + 1
    if key in _HUNDREDS:
        v, kind = float(_HUNDREDS[key]), "hundreds"
    elif key in _UNITS:
        v, kind = float(_UNITS[key]), "unit"
        if k < n and toks[k].key in ("مايه", "ميه"):  # "ثلاث مائة"
            v, kind, k = v * 100, "hundreds", k + 1
    elif key in _TENS:
        return float(_TENS[key]), "tens", k
    else:
        return None
    # "خمسة وعشرين" (a unit, then و and tens); "مائة وخمسة وعشرون" (hundreds, then a smaller group)
    w = _waw_next(toks, k)
    if w is not None:
        at, att = w
        if kind == "unit":
            key2, _, _ = _word(toks, at, True) if att else (toks[at].key, False, 0)
            if key2 in _TENS:
                return v + _TENS[key2], "tens", at + 1
        elif kind == "hundreds":
            sub = _group(toks, at, False, att)
            if sub is not None and sub[0] < 100:
                return v + sub[0], sub[1], sub[2]
    return v, kind, k


def _scale_at(toks: list[_Tok], k: int) -> tuple[float, bool, str] | None:
    """(scale, dual, key) when token k is a scale word."""
    if k >= len(toks) or toks[k].kind != "word":
        return None
    key = toks[k].key
    if key in _SCALES:
        return _SCALES[key], False, key
    if key in _DUAL_SCALES:
        return _DUAL_SCALES[key], True, key
    return None


def _parse_at(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """A number phrase starting at toks[i]: (value, index after it)."""
    total = 0.0
    last_scale = math.inf
    j, end, value = i, i, None
    attached = False
    first = True
    while True:
        sc = _scale_at(toks, j)
        if sc is not None:  # a scale word with no count before it: "مليون رأس", "ألفي شخص"
            scale, dual, key = sc
            if not first and scale >= last_scale:
                break
            if key in _PLURAL_SCALES:
                return None if first else (value, end) if value is not None else None
            total += (2 if dual else 1) * scale
            last_scale, j = scale, j + 1
        else:
            g = _group(toks, j, first, attached)
            if g is None:
                break
            v, _kind, j2 = g
            sc = _scale_at(toks, j2)
            if sc is not None:
                scale, dual, _key = sc
                if dual:  # "ثلاثة ألفين" is not Arabic: the dual stands alone
                    sc = None
                elif scale >= last_scale:
                    break  # "500 ألف و600 ألف": a second number, not a part of the first
            if sc is not None:
                total += v * sc[0]
                last_scale, j = sc[0], j2 + 1
            else:
                total += v
                j = j2
                if not first or last_scale == math.inf:
                    end, value = j, total
                    break
        end, value = j, total
        first = False
        w = _waw_next(toks, j)
        if w is None:
            break
        at, attached = w
        fkey = _word(toks, at, False)[0] if attached else toks[at].key
        if fkey in _FRACTIONS:  # "مليون ونصف"
            total += _FRACTIONS[fkey] * last_scale
            end, value = at + 1, total
            break
        j = at
    return (value, end) if value is not None else None


class _Spans:
    """Where dates and clock times are, as merged sorted spans: "is this offset inside one" by bisection
    (a text with thousands of dates must not cost tokens x dates)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for a, b in sorted(spans):
            if self.ends and a <= self.ends[-1]:
                self.ends[-1] = max(self.ends[-1], b)
            else:
                self.starts.append(a)
                self.ends.append(b)

    def __contains__(self, pos: int) -> bool:
        k = bisect_right(self.starts, pos) - 1
        return k >= 0 and pos < self.ends[k]


def _skip_spans(text: str, folded: str) -> _Spans:
    # Any reference date lets year-less dates ("في 29 يونيو") be found; relative ones ("منذ 3 سنوات") are
    # durations and stay countable.
    spans = [(d.start, d.end) for d in find_dates(text, _ANY_REF) if d.kind not in ("relative", "weekday")]
    spans += [(m.start(), m.end()) for m in _TIME.finditer(folded)]
    return _Spans(spans)


def find_numbers(text: str) -> list[NumberMention]:
    """Counted numbers in `text`, in order (see the module notes for what is skipped and why)."""
    if not text:
        return []
    folded = text.translate(_FOLD)
    toks = _tokens(folded)
    skip = _skip_spans(text, folded)
    out: list[NumberMention] = []
    i, n = 0, len(toks)
    while i < n:
        t = toks[i]
        if t.kind == "num":
            if _LATIN_BEFORE.search(folded, max(0, t.start - 2), t.start):
                i += 1  # part of an identifier: B-2, F-16, U20
                continue
        elif not _word(toks, i, True)[0]:
            i += 1
            continue
        if t.start in skip:
            i += 1
            continue
        parsed = _parse_at(toks, i)
        if parsed is None:
            i += 1
            continue
        value, j = parsed
        if not math.isfinite(value):  # hundreds of digits, or scales on scales: no count, and no valid JSON
            i = j
            continue
        key, _waw, clitic = _word(toks, i, True) if t.kind == "word" else (t.key, False, 0)
        start, end = t.start + clitic, toks[j - 1].end
        single_word = j == i + 1 and t.kind == "word"
        if single_word and (key in _ADJECTIVAL or (key in _TEEN_FIRST and key not in _UNITS)):
            i = j  # "جندي واحد", "أحد" (one of): not a count
            continue
        qualifier = _qualifier_before(folded, start)
        noun, after = _noun_after(text, folded, toks, j, end)
        if qualifier == "exact":
            if _AT_LEAST_AFTER.match(folded, after) or _AT_LEAST_AFTER.match(folded, end):
                qualifier = "at_least"
            elif _ABOUT_AFTER.match(folded, after):
                qualifier = "about"
        if single_word and key in _WEAK_ALONE and noun is None and not (j < n and toks[j].key == "من"):
            i = j
            continue
        if (
            t.kind == "num"
            and j == i + 1
            and noun is None
            and qualifier == "exact"
            and _YEARLIKE.fullmatch(t.key)
        ):
            i = j  # a year named without a cue ("انتخابات 2021"): not a count
            continue
        out.append(NumberMention(start, end, text[start:end], value, qualifier, noun))
        i = j
    return out


def _qualifier_before(folded: str, start: int) -> str:
    before = folded[max(0, start - 40) : start]
    if _AT_MOST.search(before):
        return "at_most"
    if _AT_LEAST.search(before):
        return "at_least"
    if _ABOUT.search(before):
        return "about"
    return "exact"


def _noun_after(text: str, folded: str, toks: list[_Tok], j: int, end: int) -> tuple[str | None, int]:
    """(counted noun or None, where the number+noun ends)."""
    m = _PERCENT_AFTER.match(folded, end)
    if m:
        return "%", m.end()
    if j < len(toks) and toks[j].kind == "word":
        nt = toks[j]
        if (
            not nt.key.startswith("ال")  # a counted noun (tamyiz) is indefinite: "2021 المبكرة" is no count
            and normalize(nt.key) not in STOPWORDS
            and nt.key not in _NUMBER_WORDS
            and nt.key not in _ADVERBS
            and not _word(toks, j, False)[0]
        ):
            return text[nt.start : nt.end], nt.end
    return None, end


def parse_number(text: str) -> float | None:
    """The value of the first number in `text` ("4.3 مليار" -> 4.3e9, "خمسين" -> 50), or None."""
    found = find_numbers(text)
    return found[0].value if found else None
