"""Date expressions in Arabic news text, with their values.

Covers every Arabic month naming (Egyptian/Gulf, Levantine/Iraqi, Algerian/Tunisian, Moroccan) and their
doubled forms ("26 يوليو تموز", "أبريل/نيسان", "11 سبتمبر (أيلول)"), numeric dates ("25 - 07 - 2021",
"23/07/2021 - 03:53", ISO), weekday names, Hijri dates (converted to Gregorian, Umm al-Qura) and relative
expressions resolved against a reference date ("أمس", "غدا الاثنين", "الشهر المقبل", "نهاية العام").

Matching runs on a length-preserving fold of the text (alef/yaa/taa forms, digits), so every mention's
start/end index the caller's original text and `text` is the verbatim display substring.

Values by precision: "day" -> that day; "month" -> the 1st of the month; "year" -> 1 January (1 Muharram for
a Hijri year). A bare year needs a cue ("عام 2017", "في 2020،", "2015م"): a number alone is not a date.
Without `ref`, expressions that need one (relative words, weekdays alone, day-month without year) are skipped.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, timedelta

from .hijri import gregorian_to_hijri, hijri_to_gregorian
from .normalize import DIGITS

__all__ = ["DateMention", "find_dates", "parse_date", "weekday_of", "MONTHS", "HIJRI_MONTHS", "WEEKDAYS"]


@dataclass(frozen=True)
class DateMention:
    start: int
    end: int
    text: str
    value: date
    time: str | None  # "HH:MM" when the expression carries a clock time
    kind: str  # "absolute" | "numeric" | "hijri" | "relative" | "weekday"
    precision: str  # "day" | "month" | "year"


# ---------------------------------------------------------------------------------------------- folding
# Same length as the input: only 1:1 letter and digit substitutions, so regex offsets are the caller's.
_FOLD = {
    ord(k): v
    for k, v in {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ی": "ي", "ک": "ك"}.items()
}
_FOLD.update(DIGITS)
_FOLD.update({c: " " for c in (0x00A0, 0x202F, 0x2009, 0x200A, 0x2007)})
_FOLD.update({0x2013: "-", 0x2014: "-", 0x2212: "-", 0x2044: "/", 0x2215: "/"})


def _fold(text: str) -> str:
    return text.translate(_FOLD)


# ----------------------------------------------------------------------------------------------- tables
# Written in folded form (ا for أ/إ/آ, ي for ى, ه for ة).
_MONTH_NAMES = (
    ("يناير", "جانفي", "كانون الثاني", "كانون ثاني", "كانون ثان"),
    ("فبراير", "فبرير", "فيفري", "شباط"),
    ("مارس", "اذار"),
    ("ابريل", "افريل", "نيسان"),
    ("مايو", "ماي", "ايار"),
    ("يونيو", "يونيه", "جوان", "حزيران"),
    ("يوليو", "يوليه", "يوليوز", "جويليه", "تموز"),
    ("اغسطس", "اغسطوس", "غشت", "اوت", "اب"),
    ("سبتمبر", "شتنبر", "ايلول"),
    ("اكتوبر", "تشرين الاول", "تشرين اول"),
    ("نوفمبر", "نونبر", "تشرين الثاني", "تشرين ثاني", "تشرين ثان"),
    ("ديسمبر", "دجنبر", "كانون الاول", "كانون اول"),
)  # Egyptian/Gulf, Maghrebi (Algerian/Tunisian, Moroccan), Levantine/Iraqi spellings
MONTHS: dict[str, int] = {name: i for i, names in enumerate(_MONTH_NAMES, start=1) for name in names}
# Names that are also common words or names ("ماي" Theresa May, "نيسان" the carmaker, "مارس" practised, "اب" father, "جوان" Juan,
# "اوت"): only taken with a day before or a year after, never alone.
_AMBIGUOUS_MONTHS = {
    "ماي",
    "مارس",
    "اب",
    "جوان",
    "اوت",
    "اذار",
    "ايار",
    "يونيه",
    "يوليه",
    "نيسان",
}  # نيسان: Nissan

HIJRI_MONTHS: dict[str, int] = {
    "محرم": 1, "صفر": 2,
    "ربيع الاول": 3, "ربيع اول": 3,
    "ربيع الثاني": 4, "ربيع الاخر": 4, "ربيع ثاني": 4, "ربيع اخر": 4,
    "جمادي الاولي": 5, "جمادي الاول": 5, "جمادي اولي": 5,
    "جمادي الاخره": 6, "جمادي الثانيه": 6, "جمادي الاخر": 6, "جمادي الثاني": 6, "جمادي اخره": 6,
    "رجب": 7, "شعبان": 8, "رمضان": 9, "شوال": 10,
    "ذو القعده": 11, "ذي القعده": 11, "ذا القعده": 11,
    "ذو الحجه": 12, "ذي الحجه": 12, "ذا الحجه": 12,
}  # fmt: skip
# Also personal names or words (صفر zero, رجب/شعبان/رمضان names, محرم forbidden): alone only after "شهر".
_AMBIGUOUS_HIJRI = {"محرم", "صفر", "رجب", "شعبان", "رمضان"}

WEEKDAYS: dict[str, int] = {
    "الاثنين": 0, "الاتنين": 0, "الثلاثاء": 1, "الثلاثا": 1, "الاربعاء": 2, "الاربعا": 2,
    "الخميس": 3, "الجمعه": 4, "السبت": 5, "الاحد": 6,
}  # fmt: skip

_ORDINALS: dict[str, int] = {}
_UNITS = ["الاول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر"]
for _k, _w in enumerate(_UNITS, start=1):
    _ORDINALS[_w] = _k
_TEEN_UNITS = ["الحادي", *_UNITS[1:9]]
for _k, _w in enumerate(_TEEN_UNITS, start=1):
    _ORDINALS[_w + " عشر"] = 10 + _k
_ORDINALS["العشرين"] = 20
_ORDINALS["الثلاثين"] = 30
for _k, _w in enumerate(_TEEN_UNITS, start=1):
    _ORDINALS[_w + " والعشرين"] = 20 + _k
_ORDINALS["الحادي والثلاثين"] = 31
_ORDINALS["الاولي"] = 1


def _alt(names: object) -> str:
    """Regex alternation, longest first, spaces as \\s+."""
    return "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(names, key=len, reverse=True))


_B = r"(?<![\w])"  # word start
_E = r"(?![\w])"  # word end
_BP = (
    r"(?:(?<![\w])|(?<=[وبلف])(?<![\w][\w]))"  # word start, or after one proclitic letter: "وأيار", "بيناير"
)
_EL = r"(?![^\W\d_])"  # end of a letter run: a digit may follow ("يوليوز2006", "مايو2014")
_MONTH = rf"(?:{_alt(MONTHS)})"
_HMONTH = rf"(?:{_alt(HIJRI_MONTHS)})"
_WEEKDAY = rf"(?:{_alt(WEEKDAYS)})"
_ORD = rf"(?:{_alt(_ORDINALS)})"
_DAY = r"(?<![\d.,/:])(?:3[01]|[12]\d|0?[1-9])(?![\d.,:])"
_YEAR = r"(?<![\d.,])(?:1[6-9]\d\d|20\d\d|21\d\d)(?![\d%]|[.,]\d)"
# After a named Gregorian day and month any four-digit year is Gregorian ("29 أيار 1453").
_YEAR_WIDE = r"(?<![\d.,])(?:1\d\d\d|20\d\d|21\d\d)(?![\d%]|[.,]\d)"
_HYEAR = r"(?<![\d.,])(?:1[34]\d\d)(?![\d%]|[.,]\d)"
_HSUFFIX = r"(?:\s?ه\u0640*(?![\w\u0640])|\s?هجري(?:ه)?" + _E + r"|\s+للهجره" + _E + ")"
_GSUFFIX = r"(?:\s?م" + _E + r"|\s+ميلادي(?:ه)?" + _E + r"|\s+للميلاد" + _E + ")"
# A weekday (optionally "يوم") before a date joins its mention: "الجمعة 23/07/2021", "الخميس، 25 أبريل".
_WD_PREFIX = rf"(?:{_B}(?:(?:اليوم|امس|غدا)\s+)?(?:يوم\s+)?(?P<wd>{_WEEKDAY}){_E}\s*[،,]?\s*(?:\(?\s*)?(?:الموافق\s+)?)?"
_TIME = (
    r"(?:\s*(?:[-|،,]|\s)\s*(?:(?:في\s+)?الساعه\s*)?"
    r"(?P<hh>[01]?\d|2[0-3])\s*:\s*(?P<mi>[0-5]\d)(?::[0-5]\d)?(?![\d:])"
    r"(?:\s*(?P<ampm>صباحا|مساء|مساءا|ص|م|am|pm|AM|PM)" + _E + ")?)?"
)
# Two names of one month: "يوليو تموز", "أبريل/نيسان", "سبتمبر (أيلول)", "أبريل / أبريل".
_MONTHS2 = rf"(?P<m1>{_MONTH}){_EL}(?:\s*(?:[/\-]\s*|\(\s*|\s)(?P<m2>{_MONTH}){_EL}(?:\s*\))?)?"
_OF = r"(?:\s*[-/]?\s*(?:من\s+)?(?:شهر\s+)?)"  # "25 من شهر يوليو", "25-يوليو", "10/شوال/1436"
# The day: digits, an ordinal word with "من" ("الخامس والعشرين من يوليو"), or an edge word ("غرة شوال" is the
# 1st; "مطلع/أواخر يوليو" give the month only).
_DAY_PART = (
    rf"(?:(?P<day>{_DAY}){_OF}|{_BP}(?P<ord>{_ORD}){_E}\s+من\s+(?:شهر\s+)?"
    rf"|{_B}(?P<edge>غره|مطلع|مستهل|بدايه|اوايل|اوائل|منتصف|اواخر|نهايه|اخر|اول)\s+(?:شهر\s+)?)?"
)

_RE_NAMED = re.compile(
    _WD_PREFIX
    + _DAY_PART
    + rf"(?P<shahr>{_B}شهر\s+)?{_BP}"
    + _MONTHS2
    + rf"(?:(?:\s*[,،/\-]?\s*(?:من\s+)?(?:(?:عام|سنه|العام|لعام|لسنه)\s+)?(?P<year>{_YEAR_WIDE}){_GSUFFIX}?)"
    + r"|\s+(?P<rel>الماضي|المنصرم|المقبل|القادم|الجاري|الحالي)"
    + _E
    + ")?"
    + _TIME
)
_RE_NUMERIC = re.compile(
    _WD_PREFIX
    + r"(?:(?<![\d/.\-])(?P<a>\d{1,2})\s*(?P<sep>[/\-.])\s*(?P<b>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})(?![\d/])"
    + r"|(?<![\d/.\-])(?P<y2>\d{4})(?P<sep2>[/\-.])(?P<b2>\d{1,2})(?P=sep2)(?P<a2>\d{1,2})(?![\d/.]))"
    + rf"(?P<hs>{_HSUFFIX})?(?:{_GSUFFIX})?"
    + r"(?:T(?P<thh>[01]\d|2[0-3]):(?P<tmi>[0-5]\d))?"
    + _TIME
)
_RE_HIJRI = re.compile(
    _WD_PREFIX
    + _DAY_PART
    + rf"(?P<shahr>{_B}شهر\s+)?{_B}(?P<hm>{_HMONTH}){_EL}"
    + rf"(?:\s*[,،/\-]?\s*(?:من\s+)?(?:(?:عام|سنه|العام|لعام|لسنه)\s+)?(?P<hy>{_HYEAR}){_HSUFFIX}?"
    + r"|\s+(?P<blessed>المبارك|الكريم|الفضيل|المعظم|الحرام)"
    + _E
    + ")?"
)
_RE_HYEAR = re.compile(rf"(?:{_B}(?:[وبلف]?(?:عام|العام|سنه|السنه|لعام|لسنه))\s+)?(?P<hy>{_HYEAR}){_HSUFFIX}")
_RE_YEAR = re.compile(
    rf"{_B}(?:(?:[وبلف]?(?:عام|العام|سنه|السنه|لعام|لسنه|اعوام)\s+)(?P<y>{_YEAR}){_GSUFFIX}?"
    rf"|(?:في|منذ|حتي|قبل|بعد|خلال|مطلع|بدايه|نهايه|اواخر|اوائل|منتصف|من|الي|بحلول)\s+(?P<y2>{_YEAR})"
    rf"(?={_GSUFFIX}|\s*(?:$|[.,،؛:!?؟)\-»\"'/]|\n))"
    rf"|(?P<y3>{_YEAR}){_GSUFFIX})"
)
_RE_WEEKDAY = re.compile(
    rf"(?:{_B}(?P<pre>(?:(?:صباح|مساء|ظهر|عصر|ليل|فجر)\s+)?(?:يوم\s+)?(?:اليوم|غدا|غدا\u064b|امس|غد)){_E}"
    r"\s*\(?\s*)?"
    rf"(?:{_B}يوم\s+)?{_B}(?P<wd>{_WEEKDAY}){_E}\s*\)?"
    r"(?:\s*(?P<post>المقبل|القادم|المقبله|القادمه|الماضي|الماضيه|المنصرم|الفايت|الفائت)" + _E + ")?"
)
_RE_RELATIVE = re.compile(
    _B
    + r"(?:(?<!صحيفه )(?<!جريده )(?P<today>(?:صباح\s+|مساء\s+|ظهر\s+|عصر\s+|ليل\s+)?اليوم)(?!\s+ال)(?!\s*\(?\s*"
    + _WEEKDAY
    + ")"
    r"|(?P<yday>(?:صباح\s+|مساء\s+|ظهر\s+|ليل\s+)?(?:امس|البارحه))(?!\s+الاول)(?!\s*\(?\s*" + _WEEKDAY + ")"
    r"|(?P<dbyday>اول\s+(?:من\s+)?امس|امس\s+الاول)"
    r"|(?P<tmrw>غدا\u064b?|(?:يوم\s+|صباح\s+|مساء\s+)غد)(?!\s*\(?\s*" + _WEEKDAY + ")"
    r"|(?P<datmrw>بعد\s+غد)"
    r"|(?P<unit>الاسبوع|الشهر|العام|السنه)\s+(?P<dir>الماضي|الماضيه|المنصرم|المنصرمه|المقبل|المقبله|القادم|القادمه"
    r"|الجاري|الجاريه|الحالي|الحاليه)"
    r"|(?P<this>هذا\s+(?:الاسبوع|الشهر|العام)|هذه\s+السنه)"
    r"|(?P<edge>مطلع|بدايه|اوايل|اوائل|مستهل|منتصف|نهايه|اواخر|ختام|اخر)\s+(?:هذا\s+|هذه\s+)?"
    r"(?P<eunit>العام|الشهر|السنه|الاسبوع)(?!\s*\d)(?:\s+(?P<edir>الماضي|الماضيه|المقبل|المقبله|القادم|القادمه|الجاري|الحالي))?"
    r"|(?P<ago>منذ|قبل|بعد)\s+(?:(?P<n>\d{1,3})\s+)?(?P<nunit>يوم|ايام|يومين|اسبوع|اسابيع|اسبوعين|شهر|اشهر|شهور"
    r"|شهرين|عام|اعوام|عامين|سنه|سنوات|سنتين)(?!\s*\d)(?!\s+" + _MONTH + r")(?!\s+" + _HMONTH + ")"
    r")" + _E
)
_NOT_WEEKDAY_BEFORE = re.compile(r"(?:صلاه|خطبه|ايام|كل|كلا|بين|خطب|صلاتي|يومي)\s+$")
# Future cues before a bare weekday: planning words, or a verb with the future prefix سـ (سيلتقي, ستعقد),
# leaving out the common nouns that start the same way (سياسة, سيارة, ستة, سنة ...).
_FUTURE_CUE = re.compile(
    r"(?:المقرر|المرتقب|المنتظر|سوف|يرتقب|يعتزم|تعتزم|يتوقع|تتوقع|يعتزم)"
    r"|(?<![\w])(?!سياس|سيار|سيطر|سيول|سينما|سيناء|سيد|سير|سيف|ستين|ستار|سترا|ستاد|ستوك|سنوات|سنوي|سنغا)"
    r"(?:سي|ست|سن)\w{3,}"
)


# --------------------------------------------------------------------------------------------- helpers
def _clock(m: re.Match[str], hh: str = "hh", mi: str = "mi") -> str | None:
    h = m.group(hh)
    if h is None:
        return None
    hour = int(h)
    ampm = m.groupdict().get("ampm") if hh == "hh" else None
    if ampm in ("م", "مساء", "مساءا", "pm", "PM") and hour < 12:
        hour += 12
    elif ampm in ("ص", "صباحا", "am", "AM") and hour == 12:
        hour = 0
    return f"{hour:02d}:{m.group(mi)}"


def _safe_date(y: int, m: int, d: int) -> date | None:
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1 <= y <= 9999):
        return None
    if d > monthrange(y, m)[1]:
        return None
    return date(y, m, d)


def _month_key(s: str) -> str:
    return re.sub(r"\s+", " ", s)


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _nearest_weekday(ref: date, wd: int, direction: int) -> date:
    """direction -1: last such day on/before ref; +1: next on/after ref; 0: the nearest either side."""
    back = (ref.weekday() - wd) % 7
    fwd = (wd - ref.weekday()) % 7
    if direction < 0:
        return ref - timedelta(days=back)
    if direction > 0:
        return ref + timedelta(days=fwd)
    return ref - timedelta(days=back) if back <= fwd else ref + timedelta(days=fwd)


def _hijri_year_near(ref: date, month: int, day: int = 1) -> int:
    """The Hijri year that puts `month` (and day) closest to ref: "ذو الحجة" said in Shawwal is this year's."""
    hy = gregorian_to_hijri(ref)[0]
    best, best_gap = hy, None
    for y in (hy - 1, hy, hy + 1):
        g = hijri_to_gregorian(y, month, min(day, 29))
        if g is None:
            continue
        gap = abs((g - ref).days)
        if best_gap is None or gap < best_gap:
            best, best_gap = y, gap
    return best


def _day_of(m: re.Match[str]) -> int | None:
    if m.group("day"):
        return int(m.group("day"))
    if m.group("ord"):
        return _ORDINALS.get(_month_key(m.group("ord")))
    return 1 if m.group("edge") in ("غره", "اول") else None  # other edges: month precision


# -------------------------------------------------------------------------------------------- matchers
_ALLIANCE = re.compile(r"(?:قوي|لقوي|تيار|تحالف|حركه|فريق|معسكر)\s*\(?\s*$")


def _named(m: re.Match[str], ref: date | None) -> tuple[date, str | None, str, str, int | None] | None:
    if _ALLIANCE.search(m.string, max(0, m.start() - 8), m.start()):
        return None  # "قوى 14 آذار", "حركة 20 فبراير": a name, not a date mention
    month = MONTHS[_month_key(m.group("m1"))]
    day = _day_of(m)
    year = int(m.group("year")) if m.group("year") else None
    rel = m.group("rel")
    end = None
    if m.group("m2") and MONTHS[_month_key(m.group("m2"))] != month:
        # "يوليو أغسطس" is two months, not one doubled name: this mention ends after the first,
        # and the search resumes at the second (which keeps the year, if any)
        year = rel = None
        end = m.end("m1")
    name = _month_key(m.group("m1"))
    if day is None and year is None:
        if ref is None:
            return None
        if name in _AMBIGUOUS_MONTHS and not m.group("shahr") and not rel:
            return None
    if year is None:
        if ref is None:
            return None
        year = ref.year
        probe = _safe_date(year, month, day or 1) or date(year, month, 1)
        if rel in ("الماضي", "المنصرم") and (probe > ref or (day is None and month >= ref.month)):
            year -= 1
        elif rel in ("المقبل", "القادم") and (probe < ref or (day is None and month <= ref.month)):
            year += 1
    time = None if end else _clock(m)
    if day is None:
        return date(year, month, 1), time, "absolute", "month", end
    value = _safe_date(year, month, day)
    if value is None:
        return None
    return value, time, "absolute", "day", end


def _numeric(m: re.Match[str], ref: date | None) -> tuple[date, str | None, str, str] | None:
    if m.group("y"):
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if m.group("sep") == "." and " " in m.string[m.start("a") : m.end("y")]:
            return None  # "4 . 3 . 2021" is unlikely a date; dotted dates are written tight
        day, month = (a, b) if not (b > 12 and a <= 12) else (b, a)  # d/m/y, unless only m/d fits
    else:
        y, month, day = int(m.group("y2")), int(m.group("b2")), int(m.group("a2"))
    time = _clock(m, "thh", "tmi") or _clock(m)
    if m.group("hs") or 1300 <= y < 1600:
        value = hijri_to_gregorian(y, month, day)
        return (value, time, "hijri", "day") if value else None
    if not 1800 <= y <= 2199:
        return None
    value = _safe_date(y, month, day)
    return (value, time, "numeric", "day") if value else None


def _hijri(m: re.Match[str], ref: date | None) -> tuple[date, str | None, str, str] | None:
    name = _month_key(m.group("hm"))
    month = HIJRI_MONTHS[name]
    day = _day_of(m)
    hy = int(m.group("hy")) if m.group("hy") else None
    if hy is None:
        if ref is None:
            return None
        if day is None and name in _AMBIGUOUS_HIJRI and not (m.group("shahr") or m.group("blessed")):
            return None
        hy = _hijri_year_near(ref, month, day or 1)
    value = hijri_to_gregorian(hy, month, day or 1)
    if value is None:
        return None
    return value, None, "hijri", "day" if day else "month"


def _hyear(m: re.Match[str], ref: date | None) -> tuple[date, str | None, str, str] | None:
    value = hijri_to_gregorian(int(m.group("hy")), 1, 1)
    return (value, None, "hijri", "year") if value else None


def _year(m: re.Match[str], ref: date | None) -> tuple[date, str | None, str, str] | None:
    y = int(m.group("y") or m.group("y2") or m.group("y3"))
    return date(y, 1, 1), None, "absolute", "year"


_CLAUSE_END = re.compile(r"[.!?؟\n]")


def _future_before(folded: str, pos: int) -> bool:
    """A future cue earlier in the same sentence (up to 120 characters back)."""
    lo = max(0, pos - 120)
    window = folded[lo:pos]
    cut = max((mm.end() for mm in _CLAUSE_END.finditer(window)), default=0)
    return _FUTURE_CUE.search(window, cut) is not None


def _weekday(m: re.Match[str], ref: date | None, folded: str) -> tuple[date, str | None, str, str] | None:
    if ref is None:
        return None
    if not m.group("pre") and _NOT_WEEKDAY_BEFORE.search(folded, max(0, m.start() - 12), m.start()):
        return None  # صلاة الجمعة, بين الاثنين (between the two)
    wd = WEEKDAYS[_month_key(m.group("wd"))]
    pre = _month_key(m.group("pre") or "")
    post = m.group("post") or ""
    # The named weekday anchors the relative word: "أمس الأربعاء" in a paper dated Friday is Wednesday
    # (the copy was written a day before it was published or crawled).
    if pre.endswith("اليوم"):
        value = _nearest_weekday(ref, wd, 0)
    elif pre.startswith("غد") or pre.endswith("غد"):
        value = _nearest_weekday(ref + timedelta(days=1), wd, 0)
    elif pre.endswith("امس"):
        value = _nearest_weekday(ref - timedelta(days=1), wd, -1)
    elif post.startswith(("المقبل", "القادم")):
        value = _nearest_weekday(ref + timedelta(days=1), wd, 1)
    elif post:
        value = _nearest_weekday(ref - timedelta(days=1), wd, -1)
    elif _future_before(folded, m.start()):
        value = _nearest_weekday(ref, wd, 1)
    else:  # news reports mostly what happened: the last such day, today included
        value = _nearest_weekday(ref, wd, -1)
    return value, None, "weekday", "day"


_UNIT_DAYS = {"يوم": 1, "ايام": 1, "يومين": 1, "اسبوع": 7, "اسابيع": 7, "اسبوعين": 7}
_UNIT_MONTHS = {"شهر": 1, "اشهر": 1, "شهور": 1, "شهرين": 1}
_UNIT_YEARS = {"عام": 1, "اعوام": 1, "عامين": 1, "سنه": 1, "سنوات": 1, "سنتين": 1}
_DUALS = {"يومين", "اسبوعين", "شهرين", "عامين", "سنتين"}


def _relative(m: re.Match[str], ref: date | None) -> tuple[date, str | None, str, str] | None:
    if ref is None:
        return None
    g = m.group
    if g("today"):
        return ref, None, "relative", "day"
    if g("yday"):
        return ref - timedelta(days=1), None, "relative", "day"
    if g("dbyday"):
        return ref - timedelta(days=2), None, "relative", "day"
    if g("tmrw"):
        return ref + timedelta(days=1), None, "relative", "day"
    if g("datmrw"):
        return ref + timedelta(days=2), None, "relative", "day"
    if g("this"):
        unit = g("this").split()[-1]
        return _unit_value(ref, unit, 0)
    if g("unit"):
        d = g("dir")
        k = -1 if d.startswith(("الماضي", "المنصرم")) else 1 if d.startswith(("المقبل", "القادم")) else 0
        return _unit_value(ref, g("unit"), k)
    if g("edge"):
        d = g("edir") or ""
        k = -1 if d.startswith("الماضي") else 1 if d.startswith(("المقبل", "القادم")) else 0
        unit, edge = g("eunit"), g("edge")
        end = edge in ("نهايه", "اواخر", "ختام", "اخر")
        mid = edge == "منتصف"
        if unit in ("العام", "السنه"):
            y = ref.year + k
            return date(y, 12 if end else 7 if mid else 1, 1), None, "relative", "month"
        if unit == "الشهر":
            y, mo = _shift_month(ref.year, ref.month, k)
            day = monthrange(y, mo)[1] if end else 15 if mid else 1
            return date(y, mo, day), None, "relative", "day"
        start = ref - timedelta(days=ref.weekday()) + timedelta(days=7 * k)  # the week's Monday
        return start + timedelta(days=4 if end else 2 if mid else 0), None, "relative", "day"
    if g("ago"):
        unit = g("nunit")
        n = int(g("n")) if g("n") else (2 if unit in _DUALS else 1)
        if g("n") is None and unit in ("ايام", "اسابيع", "اشهر", "شهور", "اعوام", "سنوات"):
            return None  # "منذ أيام": a few days, no value
        sign = 1 if g("ago") == "بعد" else -1
        if unit in _UNIT_DAYS:
            return ref + timedelta(days=sign * n * _UNIT_DAYS[unit]), None, "relative", "day"
        if unit in _UNIT_MONTHS:
            y, mo = _shift_month(ref.year, ref.month, sign * n)
            return date(y, mo, 1), None, "relative", "month"
        return date(ref.year + sign * n, 1, 1), None, "relative", "year"
    return None


def _unit_value(ref: date, unit: str, k: int) -> tuple[date, str | None, str, str]:
    if unit == "الاسبوع":
        return ref + timedelta(days=7 * k), None, "relative", "day"
    if unit == "الشهر":
        y, mo = _shift_month(ref.year, ref.month, k)
        return date(y, mo, 1), None, "relative", "month"
    return date(ref.year + k, 1, 1), None, "relative", "year"


# Order breaks ties between candidates of equal start and length: the more specific reading first.
# Each pattern has an anchor, a cheap pattern every match contains (a month name, "d/d"): the full pattern,
# whose optional weekday/day prefixes make it slow to try at every position, only runs near anchors.
_MATCHERS = (
    (_RE_NUMERIC, _numeric, re.compile(r"\d\s*[/\-.]\s*\d")),
    (_RE_NAMED, _named, re.compile(_MONTH)),
    (_RE_HIJRI, _hijri, re.compile(_HMONTH)),
    (_RE_HYEAR, _hyear, re.compile(r"\d\s?ه")),
    (_RE_YEAR, _year, None),
    (_RE_RELATIVE, _relative, None),
)
_WEEKDAY_ANCHOR = re.compile(_WEEKDAY)
_WINDOW = 80  # characters around an anchor: longer than any prefix (weekday, day) or suffix (year, time)
# A quick gate: text with none of these cannot hold a date expression (saves the regex passes).
_HAS_CUE = re.compile(
    r"\d|"
    + _MONTH
    + "|"
    + _HMONTH
    + "|"
    + _WEEKDAY
    + r"|امس|غد|اليوم|البارحه|الاسبوع|الشهر|العام|السنه|منذ|قبل|بعد"
)


def _near_anchors(rx: re.Pattern[str], anchor: re.Pattern[str] | None, folded: str, resume: list[int]):
    """Matches of rx, searched only in windows around anchor hits (everywhere when anchor is None).

    A match is taken from the window of the first anchor at or after its start, so no match is cut short
    by a window's end. `resume` lets the caller move the search back (to re-read a shortened mention's tail)."""
    n = len(folded)
    if anchor is None:
        spans = [(0, n, n)]
    else:
        spans = [
            (max(0, a.start() - _WINDOW), min(n, a.end() + _WINDOW), a.end()) for a in anchor.finditer(folded)
        ]
    pos = 0
    for lo, hi, limit in spans:
        lo = max(lo, pos)
        while lo < hi and (m := rx.search(folded, lo, hi)) is not None:
            if m.start() > limit:
                break  # belongs to a later anchor's window
            lo = m.end() if m.end() > m.start() else m.start() + 1
            yield m
            if resume:
                lo = resume.pop()
            pos = lo
        pos = max(pos, lo)


def find_dates(text: str, ref: date | None = None) -> list[DateMention]:
    """All date expressions in `text`, in order, without overlaps (the longest reading wins)."""
    if not text:
        return []
    folded = _fold(text)
    if not _HAS_CUE.search(folded):
        return []
    cands: list[tuple[int, int, int, date, str | None, str, str]] = []
    for rank, (rx, fn, anchor) in enumerate(_MATCHERS):
        resume: list[int] = []
        for m in _near_anchors(rx, anchor, folded, resume):
            if m.end() == m.start():
                continue
            got = fn(m, ref)
            if got is None:
                continue
            value, time, kind, precision, *rest = got
            end = rest[0] if rest and rest[0] else m.end()
            cands.append((m.start(), end, rank, value, time, kind, precision))
            if end < m.end():
                resume.append(end)  # "يوليو أغسطس 2021": read again from after the first month
    if ref is not None:
        for m in _near_anchors(_RE_WEEKDAY, _WEEKDAY_ANCHOR, folded, []):
            got = _weekday(m, ref, folded)
            if got:
                cands.append((m.start(), m.end(), len(_MATCHERS), *got))
    cands.sort(key=lambda c: (c[0], -(c[1] - c[0]), c[2]))
    out: list[DateMention] = []
    last_end = -1
    for start, end, _rank, value, time, kind, precision in cands:
        if start < last_end:
            continue
        # trailing spaces or an open bracket the optional parts took along are not part of the mention
        while end > start and (text[end - 1].isspace() or text[end - 1] == "("):
            end -= 1
        out.append(DateMention(start, end, text[start:end], value, time, kind, precision))
        last_end = end
    return out


def parse_date(text: str, ref: date | None = None) -> date | None:
    """The value of the first date expression in `text`, or None."""
    found = find_dates(text, ref)
    return found[0].value if found else None


def weekday_of(name: str) -> int | None:
    """Weekday number (Monday 0 ... Sunday 6, like date.weekday()) of an Arabic weekday name, else None.
    Accepts "الإثنين", "الاثنين", "اثنين", "يوم الجمعة", with or without diacritics."""
    key = re.sub(r"[\u064b-\u065f\u0640]", "", _fold(name)).strip()
    key = re.sub(r"^يوم\s+", "", key)
    if not key.startswith("ال"):
        key = "ال" + key
    return WEEKDAYS.get(key)
