"""Plain-text dumps (a browser's visible text of a page) -> article fields.

trafilatura has nothing to hold on to in a dump, so this is marsad's own:
1. every line gets a kind from its content (lines.py), then from its neighbours: runs of one-word
   lines are a vertical menu, lines under a "اقرأ أيضا" / "شريط الأحداث" header are a list;
2. the article is the stretch of lines that maximises prose words minus everything else (the
   maximum-sum segment, as in body-text extraction); comment forms, share bars, sources and
   footers weigh so much that the article never runs across them;
3. inside it, paragraphs are kept verbatim, a lone short line between paragraphs is a subheading,
   lists, captions and ads are dropped;
4. before it, the header: the title (a line printed twice, or the first headline-like line of the
   header block), the subtitle, the source line, the bylines and the dates (meta.py decides which
   date is the publication's).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import replace

from marsad.arabic.normalize import normalize
from marsad.arabic.tokens import is_stopword, match_tokens

from . import meta
from .lines import INLINE, STOPS, Kind, Line, is_photo_caption, read_lines
from .result import PageFields
from .template import Template, learn_template

__all__ = ["extract_text", "learn_template", "Template", "loose_body", "article_span", "find_title"]

log = logging.getLogger(__name__)

# Weights of the article segment: prose counts for its words, anything else against.
_STOP_PENALTY = 30  # a stop line (comments, share bar, source, footer) ends an article
_INLINE_PENALTY = 1  # captions, ads and inline lists are crossed cheaply: text goes on after them
_ITEM_PENALTY = 0.25  # each headline of such a list
_CHROME_PENALTY = 10  # navigation, tickers, URLs: a gap, on top of their words

# Longest run of short lines kept inside an article (subheadings, a short enumeration).
_MAX_SUBHEAD_RUN = 3
_MAX_SUBHEAD_WORDS = 15

# Phrases sites append to the last paragraph: "رابط الخبر بصحيفة الوئام: <title>".
_TRAILER = re.compile(r"\s+(رابط الخبر|رابط المقال|رابط دائم)\b.*$")

# A list item this long is a ticker strip holding the whole list.
_STRIP_WORDS = 30
# Vertical menus: at least this many one-to-three-word lines in a row.
_MENU_RUN = 3
_MENU_WORDS = 3


def extract_text(
    text: str, template: Template | None = None, site: meta.SiteHints | None = None, loose: bool = False
) -> PageFields:
    """Article fields of a plain-text dump; body empty when no article text is found. `site` is what a
    container (HTML metadata, a URL) says about the site, used to name the outlet. `loose` is for
    text a container vouches is an article (a feed entry's excerpt): without paragraphs, its
    sentence-length lines are taken."""
    lines = mark_context(read_lines(text), template)
    span = article_span(lines)
    if span is None:
        return PageFields(body=loose_body(lines) if loose else ())
    start, end = span
    start = _skip_header_in_span(lines, start, end)
    body_idx = body_lines(lines, start, end)
    body = tuple(_TRAILER.sub("", lines[i].text) for i in body_idx)
    title_i = find_title(lines, start, end)
    title = lines[title_i].text if title_i is not None else None
    subtitle = find_subtitle(lines, title_i, start)
    last = body_idx[-1] if body_idx else end - 1
    head = [ln for ln in lines[:start] if _readable(ln)]
    fields = meta.page_meta(
        head=[ln.text for ln in head],
        title_pos=next((k for k, ln in enumerate(head) if ln.index == title_i), None),
        tail=[ln.text for ln in lines[last + 1 :] if _readable(ln)],
        body=body,
        title=title,
        furniture=[ln.text for ln in lines if ln.kind in (Kind.NAV, Kind.RELATED) or ln.template],
        site=site,
    )
    return replace(fields, body=body, subtitle=subtitle)


_LOOSE_WORDS = 5


def loose_body(lines: Sequence[Line]) -> tuple[str, ...]:
    """Every sentence-length line that is not page furniture: for excerpts without paragraphs."""
    return tuple(ln.text for ln in lines if ln.kind in (Kind.PROSE, Kind.SHORT) and ln.words >= _LOOSE_WORDS)


def _readable(ln: Line) -> bool:
    """Lines meta may read for sources, credits and dates: not blank, not menus or lists."""
    return ln.kind not in (Kind.BLANK, Kind.NAV, Kind.RELATED, Kind.TICKER)


def mark_context(lines: list[Line], template: Template | None = None) -> list[Line]:
    """Kinds that depend on neighbours (vertical menus, lists under a list header, lines printed twice,
    a source list under its header), and the lines the batch's template knows."""
    out = list(lines)
    _mark_menus(out)
    _mark_lists(out)
    _mark_doubles(out)
    _mark_source_lists(out)
    if template is not None and len(template):
        for i, ln in enumerate(out):
            if ln.kind is not Kind.BLANK and ln.text in template:
                out[i] = replace(ln, template=True)
    return out


def _mark_source_lists(lines: list[Line]) -> None:
    """A source header alone on its line ("المصادر:"): the names on the next line belong to it."""
    for i, ln in enumerate(lines):
        if ln.kind is Kind.SOURCE and _SOURCE_HEADER.match(ln.text):
            nxt = _next_nonblank(lines, i)
            if nxt is not None and lines[nxt].kind is Kind.SHORT and lines[nxt].words <= _MAX_SOURCE_WORDS:
                lines[nxt] = replace(lines[nxt], kind=Kind.SOURCE)


_SOURCE_HEADER = re.compile(r"^(?:المصدر|المصادر|مصدر الخبر)\s*:?\s*$")
_MAX_SOURCE_WORDS = 10


def _mark_doubles(lines: list[Line]) -> None:
    """A sentence printed twice in a row is a headline or a photo caption, never a paragraph."""
    prev = None
    for i, ln in enumerate(lines):
        if ln.kind is Kind.BLANK:
            continue
        if prev is not None and ln.kind is Kind.PROSE and ln.text == lines[prev].text:
            lines[prev] = replace(lines[prev], kind=Kind.SHORT)
            lines[i] = replace(ln, kind=Kind.SHORT)
        prev = i


def _mark_menus(lines: list[Line]) -> None:
    """Runs of one-to-three-word lines are a menu printed one item a line (not an enumeration after ':')."""
    i = 0
    n = len(lines)
    while i < n:
        j = i
        while j < n and _menu_item(lines[j]) and not _printed_twice(lines, j):
            j += 1
        if j - i >= _MENU_RUN:
            prev = _prev_nonblank(lines, i)
            if not (prev is not None and lines[prev].kind is Kind.PROSE and lines[prev].text.endswith(":")):
                for k in range(i, j):
                    lines[k] = replace(lines[k], kind=Kind.NAV)
        i = max(j, i + 1)


def _printed_twice(lines: Sequence[Line], i: int) -> bool:
    """Whether line i and the next line are one headline printed twice (a title, not a menu item)."""
    nxt = _next_nonblank(lines, i)
    return nxt is not None and _same_headline(lines[i].text, lines[nxt].text)


def _menu_item(ln: Line) -> bool:
    return (
        ln.kind in (Kind.SHORT, Kind.NAV, Kind.FOOTER, Kind.SOCIAL, Kind.MORE) and 0 < ln.words <= _MENU_WORDS
    )


def _mark_lists(lines: list[Line]) -> None:
    """Headlines (and their dates) under a related-list or ticker header belong to the list."""
    i = 0
    n = len(lines)
    while i < n:
        if lines[i].kind is not Kind.RELATED:
            i += 1
            continue
        j = i + 1
        while j < n and lines[j].kind is Kind.BLANK:  # a header may stand apart from its items
            j += 1
        items: list[Kind] = []
        while j < n:
            ln = lines[j]
            if ln.kind is Kind.BLANK or not _list_item(ln):
                break
            if ln.kind is Kind.DATE and len(items) >= 2 and items[-2] is not Kind.DATE:
                break  # dates alternate with headlines in a dated list; a lone one after many is a page clock
            nxt = _next_nonblank(lines, j)
            if nxt is not None and _same_headline(ln.text, lines[nxt].text):
                break  # a headline printed twice is the page's title, not a list item
            lines[j] = replace(ln, kind=Kind.RELATED, item=True)
            items.append(ln.kind)
            j += 1
            if ln.words > _STRIP_WORDS:
                break  # a ticker strip: all its headlines on one line, and the list is over
        i = j if items else i + 1


def _list_item(ln: Line) -> bool:
    if ln.kind in (Kind.SHORT, Kind.DATE, Kind.CAPTION, Kind.TICKER, Kind.RELATED):
        return True
    # a headline may end with "؟" or "!" and look like a sentence; a paragraph ends with a full stop
    return ln.kind is Kind.PROSE and ln.words <= 25 and not ln.text.endswith((".", ":", "،"))


def _weight(ln: Line) -> float:
    k = ln.kind
    if k is Kind.BLANK:
        return 0.0
    if ln.template and k in (Kind.PROSE, Kind.SHORT):
        return -float(_INLINE_PENALTY)  # furniture the batch taught us: never text, cheap to cross
    if k is Kind.PROSE:
        return float(ln.words)
    if k in STOPS:
        return -float(_STOP_PENALTY + ln.words)
    if k in INLINE:
        return -_ITEM_PENALTY if ln.item else -float(_INLINE_PENALTY)
    if k in (Kind.NAV, Kind.TICKER, Kind.URL):
        return -float(_CHROME_PENALTY + ln.words)
    if k in (Kind.DATE, Kind.BYLINE):
        return -5.0
    return -float(max(1, ln.words))  # short lines: headlines, labels, subheadings


def _best_segment(lines: Sequence[Line], lo: int, hi: int) -> tuple[float, int, int] | None:
    """The maximum-weight run of lines within [lo, hi), as (weight, start, end)."""
    best, best_span = 0.0, None
    run, run_start = 0.0, lo
    for i in range(lo, hi):
        w = _weight(lines[i])
        if run <= 0:
            run, run_start = w, i
        else:
            run += w
        if run > best:
            best, best_span = run, (run_start, i + 1)
    if best_span is None:
        return None
    return best, best_span[0], best_span[1]


def _segments(lines: Sequence[Line], lo: int, hi: int, depth: int = 0) -> list[tuple[float, int, int]]:
    """Disjoint heavy runs: the best one, then the best ones before and after it."""
    seg = _best_segment(lines, lo, hi)
    if seg is None or depth > 6:
        return []
    _, s, e = seg
    return [seg, *_segments(lines, lo, s, depth + 1), *_segments(lines, e, hi, depth + 1)]


def _title_overlap(lines: Sequence[Line], start: int, end: int) -> float:
    """Share of the header title's words found in the run: the article is the text under its title."""
    t = find_title(lines, start)
    return 0.0 if t is None else _overlap(lines[t].text, _body_keys(lines, start, end))


def article_span(lines: Sequence[Line]) -> tuple[int, int] | None:
    """[start, end) of the article: among the heavy runs of lines, the heaviest once runs under a
    matching title count more and runs below the copyright line (pop-ups, site rules) count less;
    trimmed to prose at both ends. None if the page has no prose."""
    segs = _segments(lines, 0, len(lines))
    if not segs:
        return None
    top = max(w for w, _, _ in segs)
    end_of_page = next(
        (ln.index for ln in lines if ln.kind is Kind.FOOTER and _COPYRIGHT.search(ln.text)), len(lines)
    )
    best, best_score = None, -1.0
    for w, s, e in sorted(segs, reverse=True):
        s, e = _trim(lines, s, e)
        factor = _AFTER_END_FACTOR if s > end_of_page else 1.0
        if s >= e or w < _MIN_SHARE * top or 2 * w * factor <= best_score:
            continue  # too light to win even with a perfectly matching title
        score = w * (1.0 + _title_overlap(lines, s, e)) * factor
        if score > best_score:
            best, best_score = (s, e), score
    return best


_MIN_SHARE = 0.3  # runs lighter than this share of the heaviest are not considered
_AFTER_END_FACTOR = 0.5
_COPYRIGHT = re.compile(r"©|copyright|جميع الحقوق|حقوق النشر", re.IGNORECASE)


def _trim(lines: Sequence[Line], s: int, e: int) -> tuple[int, int]:
    while s < e and lines[s].kind is not Kind.PROSE:
        s += 1
    while e > s and lines[e - 1].kind is not Kind.PROSE:
        e -= 1
    return s, e


def _skip_header_in_span(lines: Sequence[Line], start: int, end: int) -> int:
    """A deck or a lead-in above a byline/date/source line is header, not article text."""
    prose_words = 0
    prose_lines = 0
    for i in range(start, end):
        ln = lines[i]
        if ln.kind is Kind.PROSE:
            prose_lines += 1
            prose_words += ln.words
            if prose_lines > 2 or prose_words > 70:
                return start
        elif ln.kind in (Kind.BYLINE, Kind.DATE, Kind.SOURCE, Kind.SOCIAL, Kind.COMMENT) or (
            ln.kind is Kind.SHORT and _BYLINE_SHAPE.match(ln.text)
        ):
            nxt = next((j for j in range(i + 1, end) if lines[j].kind is Kind.PROSE), None)
            if nxt is not None:
                return _skip_header_in_span(lines, nxt, end)
    return start


def body_lines(lines: Sequence[Line], start: int, end: int) -> list[int]:
    """Indexes of the article's paragraphs and subheadings within [start, end)."""
    out: list[int] = []
    i = start
    while i < end:
        ln = lines[i]
        if ln.kind is Kind.PROSE:
            if not ln.template:
                out.append(i)
            i += 1
            continue
        if ln.kind is Kind.BLANK:
            i += 1
            continue
        # a run of non-prose lines (blank lines inside it do not break it)
        j = i
        run: list[int] = []
        while j < end and lines[j].kind is not Kind.PROSE:
            if lines[j].kind is not Kind.BLANK:
                run.append(j)
            j += 1
        if _is_subheading_run(lines, run) and j < end:
            out.extend(run)
        i = j
    return out


def _is_subheading_run(lines: Sequence[Line], run: list[int]) -> bool:
    if not run or len(run) > _MAX_SUBHEAD_RUN:
        return False
    return all(
        lines[k].kind is Kind.SHORT and not lines[k].template and 0 < lines[k].words <= _MAX_SUBHEAD_WORDS
        for k in run
    )


def _next_nonblank(lines: Sequence[Line], i: int) -> int | None:
    j = i + 1
    while j < len(lines) and lines[j].kind is Kind.BLANK:
        j += 1
    return j if j < len(lines) else None


def _prev_nonblank(lines: Sequence[Line], i: int) -> int | None:
    j = i - 1
    while j >= 0 and lines[j].kind is Kind.BLANK:
        j -= 1
    return j if j >= 0 else None


# The header block above an article: what may sit between the title and the text.
_HEADER_KINDS = frozenset(
    {
        Kind.BLANK,
        Kind.SHORT,
        Kind.PROSE,
        Kind.DATE,
        Kind.SOURCE,
        Kind.BYLINE,
        Kind.CAPTION,
        Kind.SOCIAL,
        Kind.MORE,
        Kind.COMMENT,
        Kind.URL,
        Kind.AD,
    }
)
_MAX_HEADER_LINES = 40
_CAPTION_END = re.compile(r"\((?:[^()]{1,30})\)$|\s[-–]\s(?:صورة|صوره)\s")
# "محمد عليان - ينبع", "الرياض - جدة", "جدة : واس": who and where, not a headline ("الرشيدان: عقد مورا ملزم")
_BYLINE_SHAPE = re.compile(
    r"^[^\d\s]+(?:\s[^\d\s]+){0,2}\s+[-–]\s+[^\d\s]+(?:\s[^\d\s]+){0,2}$|^[^\d\s]+\s*:\s*[^\d\s]+$"
)


def header_block(lines: Sequence[Line], start: int) -> list[int]:
    """Indexes of the non-blank lines of the header block just above the article (top to bottom)."""
    out: list[int] = []
    i = start - 1
    while i >= 0 and start - i <= _MAX_HEADER_LINES and lines[i].kind in _HEADER_KINDS:
        if lines[i].kind is not Kind.BLANK:
            out.append(i)
        i -= 1
    return out[::-1]


def _title_like(ln: Line) -> bool:
    if ln.kind not in (Kind.SHORT, Kind.PROSE) or ln.words < 2 or ln.words > 40:
        return False
    if ln.kind is Kind.PROSE and ln.text.endswith("."):
        return False  # a lead paragraph, not a headline
    return not _BYLINE_SHAPE.match(ln.text) or ln.words > 5


def _captionish(ln: Line) -> bool:
    return ln.kind is Kind.CAPTION or bool(_CAPTION_END.search(ln.text))


def find_title(lines: Sequence[Line], start: int, end: int | None = None) -> int | None:
    """Index of the title line: a headline printed twice, else the first headline of the header block;
    when that one shares nothing with the article and another headline above it does, that one."""
    block = header_block(lines, start)
    zone = [i for i in range(start) if lines[i].kind in (Kind.SHORT, Kind.PROSE, Kind.CAPTION)]
    for pool in (block, zone):
        title = _repeated_title(lines, pool)
        if title is not None:
            return title
    first = next((i for i in block if _title_like(lines[i]) and not _captionish(lines[i])), None)
    if first is None:
        first = next((i for i in block if _title_like(lines[i])), None)
    if first is None:
        # a headline ending in a parenthesis ("... (إبراهيم أبو عرقوب)") reads like a credited caption;
        # printed twice with nothing better above the article, it is the title
        first = _repeated_title(lines, block, credited=True)
    if end is None:
        return first
    body = _body_keys(lines, start, end)
    if first is not None and _overlap(lines[first].text, body) >= _TITLE_OVERLAP_LOW:
        return first
    near = [i for i in range(max(0, start - _MAX_HEADER_LINES), start) if _title_like(lines[i])]
    best = max(near, key=lambda i: _overlap(lines[i].text, body), default=None)
    if best is not None and _overlap(lines[best].text, body) >= _TITLE_OVERLAP_HIGH:
        return best
    return first


_TITLE_OVERLAP_LOW = 0.34
_TITLE_OVERLAP_HIGH = 0.5


def _body_keys(lines: Sequence[Line], start: int, end: int) -> set[str]:
    return set(
        match_tokens(" ".join(lines[i].text for i in range(start, end) if lines[i].kind is Kind.PROSE))
    )


def _overlap(title: str, body: set[str]) -> float:
    """Share of a headline's content words that the article's text uses."""
    words_ = {w for w in match_tokens(title) if not is_stopword(w) and len(w) > 1}
    return len(words_ & body) / len(words_) if words_ else 0.0


def _repeated_title(lines: Sequence[Line], pool: list[int], credited: bool = False) -> int | None:
    """A line printed twice (the page's <title> and its <h1>), suffixed copies included; with
    `credited`, lines that look like captions only for their closing parenthesis count too."""
    seen: dict[str, int] = {}
    for i in pool:
        ln = lines[i]
        if credited:
            if ln.kind is not Kind.CAPTION or is_photo_caption(ln.text):
                continue
        elif ln.kind not in (Kind.SHORT, Kind.PROSE) or ln.words < 1 or _captionish(ln):
            continue
        if ln.kind is Kind.PROSE and ln.text.endswith("."):
            continue
        for key in _title_keys(ln.text):
            if key in seen and seen[key] != i:
                first = seen[key]
                # prefer the copy without a site/section suffix
                a, b = lines[first].text, ln.text
                return first if len(a) <= len(b) else i
        for key in _title_keys(ln.text):
            seen.setdefault(key, i)
    return None


def _same_headline(a: str, b: str) -> bool:
    """Whether two lines are one headline printed twice (a site suffix on either allowed)."""
    if a[:12] != b[:12]:
        return False  # cheap test first: copies share their start
    ka, kb = _title_keys(a), _title_keys(b)
    return any(k in kb for k in ka)


def _title_keys(text: str) -> list[str]:
    """The line and its forms without a " | section" or " - site" suffix, as matching keys."""
    keys = [normalize(text)]
    for stripped in (meta.strip_title_suffix(text), meta.strip_title_suffix(text, any_dash=True)):
        if stripped != text:
            keys.append(normalize(stripped))
    return keys


def find_subtitle(lines: Sequence[Line], title_i: int | None, start: int) -> str | None:
    """A deck under the title: the next line when it is a headline-like line, or a '-' led deck."""
    if title_i is None:
        return None
    title_key = {normalize(k) for k in (lines[title_i].text, meta.strip_title_suffix(lines[title_i].text))}
    for i in range(title_i + 1, start):
        ln = lines[i]
        if ln.kind is Kind.BLANK or normalize(meta.strip_title_suffix(ln.text)) in title_key:
            continue
        if (
            ln.kind is Kind.SHORT
            and ln.words >= 4
            and not _captionish(ln)
            and not _BYLINE_SHAPE.match(ln.text)
        ):
            return ln.text
        break
    for i in range(title_i + 1, start):
        ln = lines[i]
        if ln.kind in (Kind.SHORT, Kind.PROSE) and ln.text.startswith(("-", "–")) and ln.words >= 6:
            return ln.text
    return None
