"""Line features for page text: what kind of line is this, before any page-level decision.

A plain-text dump (a browser's visible text) and the block text marsad takes out of HTML are both a
sequence of lines. Each line gets a kind from its own content only: boilerplate families are
recognised by their wording (share bars, comment forms, aggregator notices, related-list headers,
footers), navigation by its shape (many short items joined by runs of spaces, no-break spaces or
bars), prose by its length and punctuation. Page-level choices (where the article starts and
ends, which line is the title) live in text.py.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from enum import StrEnum

from marsad.arabic.normalize import fold_digits, strip_tashkeel

log = logging.getLogger(__name__)

# \w+ tokens, the unit the scoring and our thresholds count in.
WORD = re.compile(r"\w+")

# Ends a line may be trimmed of besides whitespace: bidi marks, BOM, zero-width space.
_EDGE = " \t\u00a0\u200b\u200e\u200f\u202a\u202b\u202c\u2066\u2067\u2068\u2069\ufeff"


class Kind(StrEnum):
    BLANK = "blank"
    PROSE = "prose"  # a paragraph: long enough and punctuated like running text
    SHORT = "short"  # a short line of unknown role: a headline, a subheading, a menu item
    NAV = "nav"  # navigation run, menu bar, breadcrumb
    TICKER = "ticker"  # breaking-news ticker / latest-news strip
    RELATED = "related"  # header of a related-articles list ("اقرأ أيضا")
    SOCIAL = "social"  # social links, share bars
    COMMENT = "comment"  # comment forms and counters
    NOTICE = "notice"  # aggregator notices ("انقر هنا لقراءة الخبر من مصدره.")
    MORE = "more"  # "read more", "close", widget labels
    TAGS = "tags"  # keyword lists
    AD = "ad"
    FOOTER = "footer"  # copyright, about-the-paper, reuse policy, legal links
    CAPTION = "caption"  # photo captions and credits
    BYLINE = "byline"  # "كتب: ...", "بقلم ...", "حوار: ..."
    SOURCE = "source"  # "المصدر: ...", "المصادر:", "نشر في X يوم ..."
    DATE = "date"  # a line that is only a date (and time, weekday, place)
    URL = "url"


# Kinds that end an article when met after its text: what follows them is page furniture.
STOPS = frozenset({Kind.SOCIAL, Kind.COMMENT, Kind.NOTICE, Kind.MORE, Kind.TAGS, Kind.FOOTER, Kind.SOURCE})
# Kinds that may sit inside an article's text and are simply left out (photos, ads, inline lists).
INLINE = frozenset({Kind.CAPTION, Kind.AD, Kind.RELATED})


@dataclass(frozen=True)
class Line:
    index: int
    text: str  # the line with surrounding whitespace removed: verbatim display text
    kind: Kind
    words: int
    item: bool = False  # one of the headlines of a list (under a related-list or ticker header)
    template: bool = False  # the batch's Template has it: recurs across the site's pages


def _tolerant(pattern: str) -> str:
    """Let a pattern written with one spelling match the common alternatives (hamza, ta marbuta, ya)."""
    out = []
    for ch in pattern:
        if ch in "اأإآ":
            out.append("[اأإآ]")
        elif ch in "ةه":
            out.append("[ةه]")
        elif ch in "يى":
            out.append("[يى]")
        else:
            out.append(ch)
    return "".join(out)


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{_tolerant(p)})" for p in patterns), re.IGNORECASE)


# Each family, whole-line patterns unless said otherwise. Written once, matched with spelling tolerance.
_NOTICE = _rx(
    r"^شكرا على الإبلاغ",
    r"^سيتم حجب هذه الصورة",
    r"^انقر هنا لقراءة الخبر",
    r"^اضغط هنا لقراءة الخبر",
    r"^لقراءة الخبر من مصدره",
)
_COMMENT = _rx(
    r"^leave a (reply|comment)",
    r"^your email address will not be published",
    r"^(required fields are marked|name|email|website|comment|comments|submit)\s*\*?:?$",
    r"^(أضف|اضف|اترك|إضافة|أكتب|اكتب) (تعليق|تعليقك|تعليقا|تعليقاً)",
    r"^(التعليقات|تعليقات|تعليق|تعليقك|اسمك|الاسم|البريد الإلكتروني|إرسال|ارسال)\s*\*?:*$",
    r"^لا توجد تعليقات",
    r"^لن يتم نشر (عنوان )?بريدك",
    r"^تم (إضافة|أضافة|اضافة) تعليقك",
    r"^بروتوكول نشر التعليقات",
    r"^التعليق بواسطة",
    r"^تعليقك يحتوي على رابط",
    r"^\d+\s+(تعليق|تعليقات)$",
)
_MORE = _rx(
    r"^(تابع القراءة|اقرأ المزيد|إقرأ المزيد|المزيد|\.{2,}\s*المزيد|read more|more|close|changed|pause|إغلاق|كل الأخبار)\s*\.*$",
    r"^للمزيد من الأخبار",
    r"^(short url|copy|انسخ الرابط|نسخ الرابط|الرابط المختصر)\s*(copy)?$",
    r"^(Footer Links|Apps|Trending Plus|Trending)$",
)
_RELATED = _rx(
    r"^(اقرأ|إقرأ|شاهد|انظر|طالع) (أيضا|أيضاً|ايضا)\s*:?$",
    r"^(مواضيع|موضوعات|الموضوعات|أخبار|اخبار|مقالات|المقالات|قصص) (ذات (صلة|علاقة)|متعلقة|المتعلقة|مقترحة|مختارة|ساخنة( أخرى| اخرى)?|أخرى|ذات الصلة)\s*:?$",
    r"^(ترشيحاتنا|مختارات.*|الأكثر (قراءة|مشاهدة|تعليقا|تداولا)|اخترنا لك|قد يهمك|ننصحك بقراءة|related( articles| posts)?|most read)\s*:?$",
    r"^(أحدث|آخر|أخر) (الأخبار|الاخبار)\s*\|?:?$",
    r"^(شريط الأحداث|شريط الأخبار|الأخبار العاجلة|مقالات مختارة|تحقيقات و مقابلات)\s*:?$",
)
_TAGS = _rx(r"^(الكلمات (المفتاحية|الدالة|الدلالية)|الوسوم|وسوم|تاجز|tags|كلمات دالة)\s*:")
_AD = _rx(
    r"^[-–]?\s*(إعلان|اعلان|advertisement|ads|sponsored)\s*[-–]?$", r"^المحتوى المدعوم$", r"^إعلانك على"
)
_FOOTER = _rx(
    r"©",
    r"copyright",
    r"all rights reserved",
    r"جميع الحقوق",
    r"حقوق النشر",
    r"powered by",
    r"^لا مانع من الاقتباس",
    r"الآراء والتعليقات المنشورة",
    r"^(من نحن|اتصل بنا|سياسة الخصوصية|للإعلان|أعلن معنا|privacy policy|terms of use|contact us|about us)\s*$",
    r"^(صحيفة|جريدة|موقع)\s+\S+(\s+\S+){0,3}\s+(صحيفة|جريدة|موقع)\s+\S+\s+(يومية|إخبارية|اخبارية|إلكترونية)",
    r"^(يومية|صحيفة|جريدة) (اخبارية|إخبارية|يومية)",
    r"^(المقر|الهاتف|فاكس|البريد الإلكتروني)[^:]{0,20}:",
)
_CAPTION = _rx(
    r"^\((تصوير|الصورة|صورة)[^()]*\)$",
    r"^(صورة|صوره) (أرشيفية|ارشيفية|من الأرشيف|تعبيرية)$",
    r"\s[-–]\s(صورة|صوره) (من الأرشيف|أرشيفية|ارشيفية|تعبيرية)$",
    r"\((أرشيفية|ارشيفية|أرشيف|ارشيف|صورة أرشيفية|تعبيرية)\)$",
    r"^جانب من (الحدث|اللقاء|الاجتماع|الحفل|الزيارة)",
    r"^©\s*[A-Z]",
)
# A caption's closing credit: "... متوجهًا إلى واشنطن (تويتر)", "... (الأناضول)".
# (not a headline's media tag: "(فيديو)", "(صور)")
_CREDIT_END = re.compile(
    r"[^.،,!?؟:]\s\((?!\s*(?:فيديو|صور|بالصور|بالفيديو|إنفوجراف|انفوجراف))[^()\d.،]{2,20}\)$"
)
# Photo credits: "© REUTERS / AHMED JADALLAH", "© AFP 2020 / ...".
_PHOTO_CREDIT = re.compile(r"^©\s*[A-Z][A-Z0-9 .&-]{1,30}(?:\s+\d{4})?\s*/")
# "كتبت أسماء نصار", "بقلم: ..."; "حوار: ..." needs its colon ("حوار مع متطرف" is a headline)
_BYLINE = _rx(
    r"^(كتب|كتبت|بقلم|by)(\s*[:：]\s*|\s+)\S", r"^(حوار|إعداد|اعداد|تحرير|ترجمة|متابعة|تصوير)\s*[:：]\s*\S"
)
_SOURCE = _rx(
    r"^(المصدر|المصادر|مصدر الخبر|source)\s*[:/|]", r"^(المصدر|المصادر)\s*$", r"^نشر في .{1,40} يوم "
)
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u0640]")
_ANY_DIGIT = re.compile(r"[0-9\u0660-\u0669\u06f0-\u06f9]")
_URL = re.compile(r"^(https?://|www\.)\S+$", re.IGNORECASE)
# A breaking-news item: "عاجل" and a headline on one line.
_URGENT = _rx(r"^عاجل\s*[|:]?\s+\S")

# Social network and share-button vocabulary: a line made only of these is a social/share bar.
_SOCIAL_WORDS = _rx(
    r"facebook|twitter|google\+?|youtube|rss|instagram|whatsapp|telegram|linkedin|snapchat|pinterest",
    r"email|e-mail|print|share|tweet|on|copy|link|url",
    r"فيسبوك|فيس بوك|تويتر|يوتيوب|انستقرام|انستغرام|إنستغرام|إينستاجرام|انستجرام|سناب شات|سناب|تيليجرام|تلغرام|تليجرام",
    r"لينكد إن|لينكدين|واتساب|واتس اب|خدمة|طباعة|أرسل لصديق|ارسل لصديق|حفظ|مشاركة|مشاركه|شارك|القصة|الخبر|هذا",
    r"تابعونا|تابعنا|على|عبر|نسخ|الرابط|المقال",
)
_SOCIAL_REST = re.compile(r"^[\s•·|:/,،\-–]*$")

# Navigation items are joined by runs of ASCII spaces, no-break spaces, bars or bullets.
_NAV_SEP = re.compile(r"(?:[ \u00a0]{2,}|\s+[|›»/•]\s+|\t+)")
_HOME = _rx(r"^(الرئيسية|الرئيسيه|home|الصفحة الرئيسية)$")

# Date-only lines: tokens that are digits, month or weekday names, clock words.
_MONTHS = (
    "يناير فبراير مارس أبريل ابريل إبريل مايو يونيو يونيه يوليو يوليه أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر "
    "كانون الثاني شباط آذار اذار نيسان أيار ايار حزيران تموز آب اب أيلول ايلول تشرين الأول الاول "
    "جانفي فيفري أفريل افريل ماي جوان جويلية جويليه أوت اوت يوليوز غشت شتنبر نونبر دجنبر "
    "محرم صفر ربيع جمادى الآخر الآخرة الاخرة رجب شعبان رمضان شوال القعدة الحجة ذو ذي "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_DATE_WORDS = frozenset(
    (
        _MONTHS + " السبت الأحد الاحد الإثنين الاثنين الأثنين الثلاثاء الأربعاء الاربعاء الخميس الجمعة "
        "saturday sunday monday tuesday wednesday thursday friday sat sun mon tue wed thu fri "
        "gmt utc ص م صباحا صباحًا صباحاً مساء مساءً مساءا هـ ه am pm بتوقيت توقيت اليوم الموافق "
        "نشر في بتاريخ تاريخ الخبر آخر اخر تحديث محدثة updated published on at"
    ).split()
)
_MONTH_WORDS = frozenset(_MONTHS.split()) - {
    "الاول",
    "الأول",
    "الثاني",
    "الآخر",
    "الآخرة",
    "الاخرة",
    "ذو",
    "ذي",
    "may",
}
_DATE_TOKEN = re.compile(r"[^\W\d_]+|\d+")
_NUMERIC_DATE = re.compile(r"\d{1,4}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,4}")
_CITY_PREFIX = re.compile(r"^[^\d:|]{2,30}:\s+(?=\D)")
_AFTER_ZONE = re.compile(r"(بتوقيت|توقيت)\s.*$")
_RELATIVE = re.compile(
    r"^(منذ|قبل)\s+(\d+\s+)?(دقيقة|دقائق|ساعة|ساعات|ساعتين|يوم|يومين|أيام|ايام|أسبوع|اسبوع)$"
)


def strip_line(text: str) -> str:
    return text.strip(_EDGE)


def words(text: str) -> int:
    return len(WORD.findall(text))


def nav_items(text: str) -> list[str]:
    """The items of a line read as a navigation run (one item when it is not one)."""
    return [p for p in (s.strip(_EDGE + "|•") for s in _NAV_SEP.split(text)) if p]


def is_nav(text: str) -> bool:
    """Many short items joined by wide gaps or bars: a menu, a headline strip, a breadcrumb."""
    items = nav_items(text)
    if len(items) < 2:
        return False
    sizes = [words(i) for i in items]
    if _HOME.match(items[0]) and max(sizes) <= 6:
        return True  # breadcrumb "الرئيسية / سياسة"
    # A paragraph may contain a stray double space: then one of its parts is long. Headline strips
    # (many items) carry headlines of up to ~20 words.
    mean = sum(sizes) / len(sizes)
    if len(items) >= 5:
        return max(sizes) <= 30 and mean <= 15
    return len(items) >= 3 and max(sizes) <= 16 and mean <= 12


def is_social(text: str) -> bool:
    rest = _SOCIAL_WORDS.sub(" ", text)
    return bool(_SOCIAL_REST.match(rest)) and rest != text


def is_date_line(text: str) -> bool:
    """A line that holds a date (or a relative time) and nothing else worth reading.

    Weekday, clock, era marks, "بتوقيت <place>", a city prefix ("مكة المكرمة: ...") and publication
    cues ("نشر في", "آخر تحديث") may come with it.
    """
    if not _ANY_DIGIT.search(text):
        return bool(_RELATIVE.match(text))  # "قبل ساعة": the only date words without a digit
    t = fold_digits(strip_tashkeel(text)).lower()
    if _RELATIVE.match(t):
        return True
    t = _CITY_PREFIX.sub("", t, count=1)
    t = _AFTER_ZONE.sub("", t)
    toks = _DATE_TOKEN.findall(t)
    if not toks or len(toks) > 18:
        return False
    months = sum(1 for x in toks if x in _MONTH_WORDS)
    if not (months or _NUMERIC_DATE.search(t)):
        return False
    unknown = sum(1 for x in toks if not x.isdigit() and x not in _DATE_WORDS)
    return unknown <= 1


_SENT_END = tuple(".!؟?…:\"”»'")
_QUOTE_END = tuple("\"”»'")
_QUOTED_LINE = 12
_ITEM_MARK = ("* ", "*", "- ", "-", "– ")
_MID_LINE = 15  # a line this long with a comma inside is a sentence
_LONG_LINE = 22  # headlines are shorter than this
_STRIP_LINE = 45
_INNER_STOP = re.compile(r"[^.]\.\s")


def is_photo_caption(text: str) -> bool:
    """A caption by its wording ("صورة أرشيفية", "(تصوير: ...)", "© REUTERS / ..."), not only its credit."""
    k = strip_tashkeel(text)
    return bool(_CAPTION.search(k) or _PHOTO_CREDIT.match(k))


def is_prose(text: str, n: int) -> bool:
    """Running text: a paragraph of an article rather than a headline or a label."""
    if n >= 8 and text.endswith(_SENT_END) and not text.endswith(".."):
        # a closing quote ends a sentence when a stop precedes it or the line is long
        return not text.endswith(_QUOTE_END) or n >= _QUOTED_LINE or text[-2:-1] in ".!؟?…"
    if n >= 4 and text.startswith(_ITEM_MARK) and not text.startswith("•"):
        return True  # an item of a list the article itself makes ("* المجموعة الأولى: ...")
    if text.endswith(")") and n >= 10:
        return True
    # Long lines without a final stop still read as prose when punctuated inside like sentences.
    if n < _MID_LINE:
        return False
    # A long line without any punctuation is a paragraph of a terse writer, or, past a few dozen
    # words, a ticker strip of headlines run together.
    inner = text.count("،") + text.count(",") + len(_INNER_STOP.findall(text)) + text.count("؛")
    return inner >= 1 or _LONG_LINE <= n < _STRIP_LINE


def classify(text: str) -> Kind:
    """The kind of one stripped line, from its own content."""
    if not text:
        return Kind.BLANK
    n = words(text)
    if n == 0:
        return Kind.SHORT if len(text) < 3 else Kind.NAV
    k = strip_tashkeel(text) if _MARKS.search(text) else text  # patterns are written without diacritics
    if _URL.match(k):
        return Kind.URL
    if _NOTICE.search(k):
        return Kind.NOTICE
    if _SOURCE.search(k):
        return Kind.SOURCE
    if n <= 40:
        m = _LABEL.search(k)
        if m:
            return Kind(m.lastgroup)
    if n <= 25 and _PHOTO_CREDIT.match(k):
        return Kind.CAPTION
    if n <= 60 and _FOOTER.search(k):
        return Kind.FOOTER
    if n <= 14 and is_social(k):
        return Kind.SOCIAL
    if n <= 40 and _URGENT.match(k):
        return Kind.TICKER
    if n <= 18 and is_date_line(k):
        return Kind.DATE
    if is_nav(text):
        return Kind.NAV
    if n <= 25 and (_CAPTION.search(k) or n <= 20 and _CREDIT_END.search(k)):
        return Kind.CAPTION
    if n <= 12 and _BYLINE.match(k):
        return Kind.BYLINE
    if is_prose(text, n):
        return Kind.PROSE
    return Kind.SHORT


# One pass for the label families (comment forms, list headers, tags, ads, "read more"), first wins.
_LABEL = re.compile(
    "|".join(
        f"(?P<{kind.value}>{rx.pattern})"
        for kind, rx in (
            (Kind.COMMENT, _COMMENT),
            (Kind.RELATED, _RELATED),
            (Kind.TAGS, _TAGS),
            (Kind.AD, _AD),
            (Kind.MORE, _MORE),
        )
    ),
    re.IGNORECASE,
)


def split_lines(text: str) -> list[str]:
    """Lines of a dump, whatever its line ends (LF, CRLF, CR)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# A news page's text runs to hundreds of lines; a hostile one can hold millions, and each costs tens of
# microseconds here and in the line model. Lines past this many are not read.
MAX_LINES = 20_000


def read_lines(text: str) -> list[Line]:
    out = []
    raw_lines = split_lines(text)
    if len(raw_lines) > MAX_LINES:
        log.debug("%d lines, only the first %d read", len(raw_lines), MAX_LINES)
        del raw_lines[MAX_LINES:]
    for i, raw in enumerate(raw_lines):
        s = strip_line(raw)
        out.append(Line(i, s, classify(s), words(s)))
    return out
