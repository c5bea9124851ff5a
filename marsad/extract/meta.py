"""Title, outlet, credited sources and publication date: helpers shared by the text and HTML paths.

Outlet and credits come from the page's own statements, strongest first: an aggregator's
"نشر في <outlet> يوم ..." line, a source line ("المصدر / وكالات - هيا", "المصادر: العربي، أ ف ب"),
then weaker hints that vote (copyright and reuse notices, "X - city" bylines, photo credits, a
" - X" title suffix). Wire agencies are credited, never taken as the outlet.

The publication date is never guessed: a date counts when the page marks it as the publication's
("نشر في", "بتاريخ", "بتوقيت ...") or prints it under the title. A date above the title without such
a cue is the day the page was viewed (a header clock), and a date far later than everything the
article mentions, or one whose weekday contradicts the body's "اليوم <weekday>", is rejected.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from marsad.arabic.normalize import fold_digits, normalize, strip_tashkeel

from .result import PageFields

log = logging.getLogger(__name__)

try:  # the Arabic layer's date finder (marsad.arabic.dates); extraction degrades to no dates without it
    from marsad.arabic.dates import find_dates as _find_dates
except ImportError:  # pragma: no cover - only while the Arabic layer is incomplete
    _find_dates = None
    log.warning("marsad.arabic.dates is missing: publication dates will not be extracted")


# ---------------------------------------------------------------------------------------------- titles

_BAR_SUFFIX = re.compile(r"\s+[|｜]\s+[^|｜]{1,60}$")
_DASH_SUFFIX = re.compile(r"\s+[-–—]\s+([^-–—]{1,40})$")
_MAX_SUFFIX_WORDS = 5


def strip_title_suffix(title: str, outlet: str | None = None, any_dash: bool = False) -> str:
    """A title without its site/section suffix: " | أخبار السياسة", " - الوئام" (when that is the outlet
    or a short name), as <title> elements print them. The result is a verbatim prefix of the input."""
    t = title.strip()
    m = _BAR_SUFFIX.search(t)
    if m and len(m.group(0).split()) <= _MAX_SUFFIX_WORDS + 1 and m.start() > 0:
        t = t[: m.start()].rstrip()
    m = _DASH_SUFFIX.search(t)
    if m and m.start() > 0:
        tail = m.group(1).strip()
        if outlet and normalize(tail) == normalize(outlet) or any_dash and len(tail.split()) <= 3:
            t = t[: m.start()].rstrip()
    return t


def clean_title(title: str | None, outlet: str | None = None) -> str | None:
    if not title:
        return None
    t = strip_title_suffix(title, outlet)
    return t or None


def title_suffix_name(title: str) -> str | None:
    """The " - X" tail of a title (a site name, usually), if short."""
    m = _DASH_SUFFIX.search(title.strip())
    if m and len(m.group(1).split()) <= 3 and not re.search(r"\d", m.group(1)):
        return m.group(1).strip()
    return None


# ------------------------------------------------------------------------------------- outlet, credits

# Wire agencies (and the plural "agencies"): credited, never the outlet. General knowledge of the
# Arabic news trade, not taken from any gold file.
_AGENCIES = frozenset(
    normalize(a)
    for a in (
        "وكالات",
        "وكالة",
        "واس",
        "أ ف ب",
        "ا ف ب",
        "أ.ف.ب",
        "فرانس برس",
        "فرانس بريس",
        "رويترز",
        "د ب أ",
        "د.ب.أ",
        "الأناضول",
        "الاناضول",
        "أ ش أ",
        "أ.ش.أ",
        "أ ب",
        "أسوشيتد برس",
        "اسوشيتد برس",
        "يو بي آي",
        "قنا",
        "بنا",
        "وام",
        "كونا",
        "سانا",
        "إرنا",
        "شينخوا",
        "نوفوستي",
        "تاس",
        "AFP",
        "Reuters",
        "AP",
        "DPA",
        "Anadolu",
        "WAM",
        "SPA",
        "KUNA",
        "QNA",
    )
)

_AGGREGATOR = re.compile(r"^نشر في\s+(.{1,40}?)\s+يوم\b")
_SOURCE_HEAD = re.compile(r"^(?:المصدر|المصادر|مصدر الخبر|source)\s*[:/|]?\s*", re.IGNORECASE)
_NAME_SPLIT = re.compile(r"\s*(?:[،,+&]|\sو(?=\S)|\s-\s|\s–\s)\s*")
_PAPER_WORD = re.compile(r"^(?:صحيفة|جريدة|موقع|مجلة|وكالة|دار)\s+")
_ONLINE_WORD = re.compile(
    r"\s+(?:الإلكترونية|الالكترونية|الإلكتروني|الالكتروني|أونلاين|اونلاين|أون لاين|نت)$"
)
_QUOTES = "\"'«»“”„‟‹›"
_COPYRIGHT_NAME = [
    re.compile(
        r"محفوظة\s+(?:ل|لـ)\s*(?:صحيفة|جريدة|موقع|مجلة)?\s*([^©\d|]{2,40}?)\s*(?:Powered|$|-|\|)", re.I
    ),
    re.compile(r"©\s*\d{4}\s+([^.©\d|]{2,40}?)\.\s*جميع الحقوق"),
    re.compile(r"جميع الحقوق محفوظة\s*©\s*\d{4}\s+(?:صحيفة|جريدة|موقع|مجلة)?\s*([^©\d|]{2,40}?)\s*$"),
    re.compile(r"شريطة ذكر المصدر\s*\(\s*([^()]{2,40}?)\s*\)"),
    re.compile(r"^(?:صحيفة|جريدة)\s+([^\d]{2,30}?)\s+(?:صحيفة|جريدة)\s+\S+\s+(?:يومية|إخبارية|اخبارية)"),
    re.compile(r"محفوظة\s+(?:ل|لـ)\s*[\"«“]?(?:دار\s+)?([^\"»”\d]{2,30}?)[\"»”]"),
    re.compile(r"©\s*\d{4}\s+([A-Za-z][A-Za-z .]{1,30}?)\.\s"),
]
_SITE_NAME = re.compile(r"(?:موقع|لموقع)\s*[\"«“]([^\"»”]{2,25})[\"»”]")
_BYLINE_PREFIX = re.compile(r"^(?:كتب|كتبت|بقلم|حوار|إعداد|تحرير)\s*:?\s*")
_CAPTION_WORDS = re.compile(r"صورة|صوره|أرشيف|ارشيف|تصوير|GMT|\d")
_PAREN_CREDIT = re.compile(r"\(([^()]{2,25})\)\s*$")
_GUILLEMET_NAME = re.compile(r"[«\"“]([^»\"”]{2,30})[»\"”]\s*$")


@dataclass(frozen=True)
class Credits:
    outlet: str | None
    credited: tuple[str, ...]


def is_agency(name: str) -> bool:
    return normalize(name) in _AGENCIES


def _clean_name(name: str) -> str:
    name = name.strip().strip(_QUOTES + " .:").strip()
    name = _PAPER_WORD.sub("", name)
    name = _ONLINE_WORD.sub("", name)
    return name.strip(_QUOTES + " .:").strip()


def _names(text: str) -> list[str]:
    """Names in a source list: "العربي، أ ف ب", "عكاظ + د ب أ", "وكالات - هيا"."""
    out = []
    for part in _NAME_SPLIT.split(text):
        name = _clean_name(part)
        if name and len(name.split()) <= 4 and not re.search(r"\d", name):
            out.append(name)
    return out


def source_credits(lines: Sequence[str]) -> Credits | None:
    """Outlet and credits from a page's explicit source statements (first one wins), else None."""
    for i, raw in enumerate(lines):
        text = strip_tashkeel(raw).strip()
        m = _AGGREGATOR.match(text)
        if m:
            return Credits(_clean_name(raw[m.start(1) : m.end(1)]), ())
        m = _SOURCE_HEAD.match(text)
        if not m or not text.startswith(("المصدر", "المصادر", "مصدر", "source", "Source")):
            continue
        rest = raw[m.end() :].strip() if len(raw) == len(text) else text[m.end() :].strip()
        if not rest and i + 1 < len(lines):  # "المصادر:" and the list on the next line
            rest = lines[i + 1].strip()
        names = _names(rest)
        if not names:
            continue
        if " - " in rest or " – " in rest:
            # "وكالات - هيا": who supplied it, then who published it
            outlet = names[-1] if not is_agency(names[-1]) else None
            return Credits(outlet, tuple(n for n in names[:-1]) if outlet else tuple(names))
        outlets = [n for n in names if not is_agency(n)]
        if len(names) == 1:
            return Credits(None, tuple(names)) if is_agency(names[0]) else Credits(names[0], ())
        return Credits(outlets[0] if outlets else None, tuple(names))
    return None


def outlet_hints(lines: Iterable[str]) -> Counter[str]:
    """Weak outlet hints from copyright/reuse/about notices, bylines and photo credits, counted."""
    votes: Counter[str] = Counter()
    prev = ""
    for raw in lines:
        text = strip_tashkeel(raw).strip()
        for rx in _COPYRIGHT_NAME:
            m = rx.search(text)
            if m:
                votes[_clean_name(m.group(1))] += 2
                break
        else:
            if re.search(r"محفوظة\s+(?:ل|لـ)\s*$", prev):  # "© 2020 حقوق النشر محفوظة لـ" + name below
                votes[_clean_name(text)] += 2
        m = _SITE_NAME.search(text)
        if m:
            votes[_clean_name(m.group(1))] += 1
        if len(text.split()) <= 8 and not _CAPTION_WORDS.search(text):
            b = _BYLINE_PREFIX.sub("", text)
            for name in re.split(r"\s*[-–:]\s*", b) if re.search(r"\s[-–]\s|:\s", b) else []:
                name = _clean_name(name)
                if name and len(name.split()) <= 3:
                    votes[name] += 1
            m = _PAREN_CREDIT.search(text) or _GUILLEMET_NAME.search(text)
            if m:
                votes[_clean_name(m.group(1))] += 1
        prev = text
    for name in list(votes):
        if not name or is_agency(name) or len(name.split()) > 4:
            del votes[name]
    return votes


def choose_outlet(
    explicit: Credits | None, hints: Counter[str], latin: Sequence[str] = (), names: Sequence[str] = ()
) -> str | None:
    """The outlet: an explicit statement, else the best-supported hint. `latin` are the site's Latin
    names (domain, copyright holder): an Arabic hint they spell gains support, and an Arabic short
    line of the page (`names`, e.g. a menu's site name) they spell becomes a hint."""
    if explicit and explicit.outlet:
        return explicit.outlet
    votes = Counter(hints)
    pool = [n for n in dict.fromkeys(map(_clean_name, dict.fromkeys(names))) if n and not _is_latin(n)]
    for ref in latin:
        ref_sk = latin_skeleton(ref)
        if len(ref_sk) < 2:
            continue
        matched = [n for n in votes if not _is_latin(n) and spells(ref_sk, n)]
        if not matched:
            scored = [(spells(ref_sk, n), -len(n.split()), n) for n in pool]
            scored = [x for x in scored if x[0]]
            matched = [max(scored)[2]] if scored else []
        for n in matched:
            votes[n] += 2
        if matched:
            for n in [n for n in votes if _is_latin(n) and latin_skeleton(n) == ref_sk]:
                del votes[n]  # "Sputnik" when the page also writes "سبوتنيك"
    if not votes:
        return None
    # the name with most support; a single weak hint is not enough
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], _is_latin(kv[0])))
    name, score = ranked[0]
    if len(ranked) > 1 and ranked[1][1] == score and not _is_latin(ranked[1][0]):
        return None  # two names equally supported: no way to tell which is the outlet
    return name if score >= 2 else None


def _is_latin(name: str) -> bool:
    return bool(re.match(r"[A-Za-z]", name))


# Consonant skeletons to match a site's Latin spelling (domain, logo name) with an Arabic name:
# "alwatan" ~ "الوطن", "okaz" ~ "عكاظ", "Beirut Observer" ~ "بيروت اوبزرفر". Vowels, glides and
# the letters with no stable Latin rendering are dropped; close consonants share a class.
_AR_SKELETON = str.maketrans(
    "بتثجحخدذرزسشصضطظغفقكلمنهپڤگ",
    "bttjhkddrssssdtsjfkklmnhbfj",
)
_LAT_DIGRAPHS = (("th", "t"), ("dh", "d"), ("kh", "k"), ("sh", "s"), ("gh", "j"), ("ch", "s"), ("ph", "f"))
_LAT_SKELETON = str.maketrans(
    {"p": "b", "v": "f", "z": "s", "c": "k", "q": "k", "g": "j", "x": "ks", "7": "h"}
)
_DOMAIN = re.compile(
    r"\b(?:www\.)?([a-z0-9][a-z0-9-]{1,40})\.(?:com|net|org|info|news|tv|co|ae|sa|eg|ma|tn|dz|iq|jo|lb|qa|kw|bh|om|ps|sy|ly|sd|ye)\b",
    re.I,
)


@lru_cache(maxsize=4096)
def latin_skeleton(name: str) -> str:
    t = re.sub(r"[^a-z0-9]", "", name.lower())
    for a, b in _LAT_DIGRAPHS:
        t = t.replace(a, b)
    t = t.translate(_LAT_SKELETON)
    t = re.sub(r"[aeiouyw0-9]", "", t)
    return re.sub(r"(.)\1+", r"\1", t)


@lru_cache(maxsize=8192)
def arabic_skeleton(name: str) -> str:
    t = re.sub(r"[^\u0621-\u064a]", "", strip_tashkeel(name))
    t = re.sub(r"[اأإآىءئؤويةع]", "", t).translate(_AR_SKELETON)
    return re.sub(r"(.)\1+", r"\1", t)


def spells(latin_sk: str, name: str) -> int:
    """How well a Latin skeleton spells an Arabic name: 2 for the whole name (with or without its
    article "al"), 1 for its last word ("aawsat" for "الشرق الأوسط"), 0 not at all."""
    refs = {latin_sk, latin_sk[1:] if latin_sk.startswith("l") else latin_sk}
    sk = arabic_skeleton(name)
    if len(sk) < 2:
        return 0
    if refs & {sk, sk[1:] if sk.startswith("l") else sk}:
        return 2
    words_ = name.split()
    if 1 < len(words_) <= 3:
        last = arabic_skeleton(words_[-1])
        if len(last) >= 2 and refs & {last, last[1:] if last.startswith("l") else last}:
            return 1
    return 0


def latin_names(lines: Iterable[str]) -> list[str]:
    """The site's Latin names as its copyright and footer lines write them: domains and holders
    ("Copyright © 2020 - All Rights Reserved - Beirut Observer - Managed by X.com" -> Beirut Observer)."""
    out: list[str] = []
    for text in lines:
        if not re.search(r"[A-Za-z]", text) or not (_FOOTERISH.search(text) or _DOMAIN.search(text)):
            continue
        for part in _FOOTER_PARTS.split(text):
            part = part.strip()
            if not part or _BY.search(part) or _RIGHTS.match(part):
                continue  # "Powered by X", "Managed by X": the web agency, not the site
            m = _DOMAIN.search(part)
            if m:
                out.append(m.group(1))
            elif _FOOTERISH.search(text) and re.fullmatch(r"[A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+){0,3}\.?", part):
                out.append(part.rstrip("."))
    return list(dict.fromkeys(out))


_FOOTER_PARTS = re.compile(r"\s[-–|]\s|©|\bcopyright\b|\d{4}", re.IGNORECASE)
_BY = re.compile(r"\bby\b", re.IGNORECASE)
_RIGHTS = re.compile(r"(?:all )?rights reserved|جميع الحقوق", re.IGNORECASE)
_FOOTERISH = re.compile(r"©|copyright|rights reserved|حقوق", re.IGNORECASE)


# ------------------------------------------------------------------------------------------------ dates

_PUB_CUE = re.compile(r"(?:نشر|بتاريخ|تاريخ النشر|تاريخ الخبر|published|posted)", re.IGNORECASE)
# "بتوقيت مكة": a stamp in the site's local time, how publication lines are written; a bare "GMT"
# clock is the header's running clock, not a cue
_ZONE_CUE = re.compile(r"بتوقيت|توقيت")
_UPDATE_CUE = re.compile(r"(?:آخر|اخر|أخر)\s+تحديث|محدث[ةه]?|updated", re.IGNORECASE)
_TODAY_WEEKDAY = re.compile(
    r"(?:اليوم|صباح اليوم|مساء اليوم)\s*[(،,]?\s*(السبت|الأحد|الاحد|الإثنين|الاثنين|الأثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة)"
)
_WEEKDAYS = {
    "الاثنين": 0,
    "الإثنين": 0,
    "الأثنين": 0,
    "الثلاثاء": 1,
    "الأربعاء": 2,
    "الاربعاء": 2,
    "الخميس": 3,
    "الجمعة": 4,
    "السبت": 5,
    "الأحد": 6,
    "الاحد": 6,
}
_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_CLOCK = re.compile(r"(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])")
_PM = re.compile(r"(?:\bم\b|مساء|مساءً|pm)", re.IGNORECASE)
_AM = re.compile(r"(?:\bص\b|صباح|صباحًا|صباحا|am)", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# A date later than every year the article mentions by this much is not when it was published.
_FAR_LATER_YEARS = 3


@dataclass(frozen=True)
class DateHit:
    value: date
    time: str | None
    line: int  # index among the header lines
    cue: str  # "published" | "zone" | "updated" | ""


def dates_in(text: str) -> list[tuple[date, str | None]]:
    """Day-precise calendar dates stated in `text` (no relative ones), with their clock times, in order.

    Arabic expressions come from the Arabic layer; Latin-script ones ("November 9, 2020",
    "Saturday, 25 July 2015 - 10:02"), which it does not read, from `latin_dates`. When a line gives
    a Hijri date and its Gregorian equivalent, the Gregorian one the page prints is used."""
    found: list[tuple[int, date, str | None, str]] = []
    if _find_dates is not None:
        for m in _find_dates(text):
            if m.precision == "day" and m.kind not in ("relative", "weekday"):
                found.append((m.start, m.value, m.time, m.kind))
    for start, value, time in latin_dates(text):
        found.append((start, value, time, "latin"))
    if any(k != "hijri" for *_, k in found):
        found = [f for f in found if f[3] != "hijri"]
    found.sort(key=lambda f: f[0])
    return [(value, time or _clock(text)) for _, value, time, _ in found]


_EN_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for m in names
}
_EN_MONTH = "|".join(sorted(_EN_MONTHS, key=len, reverse=True))
_EN_DMY = re.compile(rf"\b(\d{{1,2}})\s+({_EN_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE)
_EN_MDY = re.compile(rf"\b({_EN_MONTH})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.IGNORECASE)


def latin_dates(text: str) -> list[tuple[int, date, str | None]]:
    """English-month dates: "9 November 2020", "November 9, 2020", "Feb. 19 2020" (start, value, time)."""
    if not re.search(r"[A-Za-z]", text):
        return []
    out = []
    for rx, order in ((_EN_DMY, "dmy"), (_EN_MDY, "mdy")):
        for m in rx.finditer(text):
            if order == "dmy":
                d, mo, y = int(m.group(1)), _EN_MONTHS[m.group(2).lower()], int(m.group(3))
            else:
                mo, d, y = _EN_MONTHS[m.group(1).lower()], int(m.group(2)), int(m.group(3))
            try:
                value = date(y, mo, d)
            except ValueError:
                continue
            out.append((m.start(), value, _clock(text[m.end() : m.end() + 16])))
    return out


def _clock(text: str) -> str | None:
    """A lone clock time on a date line ("10:04", "4:16 م"), as HH:MM."""
    m = _CLOCK.search(fold_digits(text))
    if not m:
        return None
    h, mi = int(m.group(1)), int(m.group(2))
    tail = text[m.end() : m.end() + 12]
    if h < 12 and _PM.search(tail):
        h += 12
    elif h == 12 and _AM.search(tail):
        h = 0
    return f"{h:02d}:{mi:02d}"


def _cue(text: str) -> str:
    if _PUB_CUE.search(text):
        return "published"
    if _ZONE_CUE.search(text):
        return "zone"
    if _UPDATE_CUE.search(text):
        return "updated"
    return ""


def date_hits(head: Sequence[str]) -> list[DateHit]:
    hits = []
    for i, text in enumerate(head):
        if not _DIGIT.search(text):
            continue  # every calendar date has a number in it
        found = dates_in(text)
        if not found:
            continue
        cue = _cue(text)
        if cue == "published" and _UPDATE_CUE.search(text) and len(found) > 1:
            found = found[:1]  # "نشر في: ... | آخر تحديث: ...": the first is the publication
        for value, time in found[:1]:
            hits.append(DateHit(value, time, i, cue))
    return hits


def body_weekday(body: Sequence[str]) -> int | None:
    """The weekday the article calls "today" ("اليوم الإثنين"), if it does early on."""
    for para in body[:3]:
        m = _TODAY_WEEKDAY.search(para)
        if m:
            return _WEEKDAYS.get(m.group(1))
    return None


def latest_year(body: Sequence[str]) -> int | None:
    years = [int(y) for p in body for y in _YEAR.findall(fold_digits(p))]
    return max(years) if years else None


def pick_published(head: Sequence[str], title_pos: int | None, body: Sequence[str]) -> DateHit | None:
    """The publication date among the header's dates, or None when the page states none."""
    hits = date_hits(head)
    if not hits:
        return None
    for cue in ("published",):
        for h in hits:
            if h.cue == cue:
                return h
    if title_pos is not None:
        after = [h for h in hits if h.line > title_pos]
        if after:
            return after[0]
    zoned = [h for h in hits if h.cue == "zone"]
    if zoned:
        return zoned[0]
    updated = [h for h in hits if h.cue == "updated"]
    if updated:
        return updated[0]
    if title_pos is not None:
        return None  # only dates above the title, unmarked: the day the page was viewed
    # No title to stand by: keep a date only if nothing speaks against it.
    wd = body_weekday(body)
    last = latest_year(body)
    for h in hits:
        if wd is not None and h.value.weekday() != wd:
            continue
        if last is not None and h.value.year > last + _FAR_LATER_YEARS:
            continue
        return h
    return None


# ------------------------------------------------------------------------------------------ page level


@dataclass(frozen=True)
class SiteHints:
    """What the container says about the site, beside the page's text: the site names it states
    (og:site_name, JSON-LD publisher), its domain, and short link texts (menus) to match them with."""

    stated: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    names: tuple[str, ...] = ()


_NAME_LIKE = re.compile(r"^[^\dA-Za-z\s]+(?:\s+[^\dA-Za-z\s]+){0,2}\s*$")  # one to three Arabic words
_STATED_WEIGHT = 3  # a site name the page states for machines outweighs a copyright line
_GENERIC_LATIN = re.compile(
    r"\b(?:news|online|arabic|ar|net|tv|daily|newspaper|the|ltd|inc)\b", re.IGNORECASE
)


def page_meta(
    head: Sequence[str],
    title_pos: int | None,
    tail: Sequence[str],
    body: Sequence[str],
    title: str | None,
    furniture: Sequence[str] = (),
    site: SiteHints | None = None,
) -> PageFields:
    """Title (cleaned), outlet, credits and publication date of a page from its header and tail lines.

    `head` are the lines above the article (title at `title_pos`), `tail` those below it, both
    without lists and menus; `furniture` are the menu and list lines, read only for the site's name."""
    page = list(head) + list(tail)
    explicit = source_credits(page)
    hints = outlet_hints(page)
    if title:
        suffix = title_suffix_name(title)
        if suffix and not is_agency(suffix):
            hints[_clean_name(suffix)] += 1
    latin = latin_names(page)
    extra: tuple[str, ...] = ()
    if site is not None:
        for name in site.stated:
            if re.search(r"[\u0621-\u064a]", name):
                hints[_clean_name(name)] += _STATED_WEIGHT
            else:
                latin.insert(0, _GENERIC_LATIN.sub(" ", name.replace("_", " ")).strip())
        latin.extend(site.domains)
        extra = site.names
    names = [t.strip() for t in [*page, *furniture, *extra] if len(t) <= 40 and _NAME_LIKE.match(t)]
    outlet = choose_outlet(explicit, hints, latin, names)
    hit = pick_published(head, title_pos, body)
    return PageFields(
        body=tuple(body),
        title=clean_title(title, outlet),
        outlet=outlet,
        credited=explicit.credited if explicit else (),
        published=hit.value if hit else None,
        published_time=hit.time if hit else None,
    )
