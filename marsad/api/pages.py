"""The Arabic web page: server-rendered HTML from Jinja2 templates (autoescaping every value).

Every scraped string (titles, bodies, outlets, entity names, URLs) reaches the page only through Jinja2's
autoescape or `markupsafe.escape`; links to outside pages keep only http(s) URLs. No script, no external
font or stylesheet: the page works offline and on a phone.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from marsad.arabic.normalize import fold_digits

MONTHS = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
          "ديسمبر"]
ENTITY_TYPES = {"PER": "أشخاص", "LOC": "أماكن", "ORG": "جهات", "MISC": "أخرى"}
QUALIFIERS = {"exact": "", "about": "نحو", "at_least": "على الأقل", "at_most": "على الأكثر"}


def _date(stamp: str | None, with_time: bool = True) -> str:
    """"2015-07-21T10:05" -> "21 يوليو 2015، 10:05"."""
    if not stamp:
        return "تاريخ غير معروف"
    day, _, clock = stamp.partition("T")
    try:
        d = date.fromisoformat(day)
    except ValueError:
        return stamp
    out = f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    return out + (f"، {clock}" if clock and with_time else "")


def _count(n: int, one: str = "مقال", two: str = "مقالان", few: str = "مقالات", many: str = "مقالًا") -> str:
    """Arabic number agreement: 1 مقال واحد, 2 مقالان, 3-10 مقالات, 11+ مقالًا."""
    if n == 1:
        return f"{one} واحد"
    if n == 2:
        return two
    if 3 <= n % 100 <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def _url(u: str | None) -> str | None:
    """Only http(s) links leave the page (no javascript:, data: ...)."""
    if not u:
        return None
    try:
        parts = urlsplit(u.strip())
    except ValueError:
        return None
    return u.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _q(s: str) -> str:
    return quote(s or "", safe="")


def highlight(text: str, marks: list) -> Markup:
    """`text` escaped, with the spans in `marks` wrapped in <mark>."""
    out, last = [], 0
    for start, end in sorted(marks or []):
        if start < last or end > len(text):
            continue
        out.append(escape(text[last:start]))
        out.append(Markup("<mark>") + escape(text[start:end]) + Markup("</mark>"))
        last = end
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+(?:[.,]\d+)*", fold_digits(text or "")))


def timeline_svg(timeline: list[dict], width: int = 640, height: int = 120) -> Markup:
    """A small bar chart of reports per day (per hour when the story spans one day), inline SVG.
    Time runs right to left, as the page reads."""
    stamps = [t["published"] for t in timeline if t.get("published")]
    if not stamps:
        return Markup("")
    days = sorted({s[:10] for s in stamps})
    hourly = len(days) == 1 and all("T" in s for s in stamps)
    key = (lambda s: s[11:13] + ":00") if hourly else (lambda s: s[:10])
    counts = Counter(key(s) for s in stamps)
    if hourly:
        hours = sorted(counts)
        lo, hi = int(hours[0][:2]), int(hours[-1][:2])
        buckets = [f"{h:02d}:00" for h in range(lo, hi + 1)]
    else:
        d0, d1 = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
        span = (d1 - d0).days
        if span > 60:  # a long story: its days with reports only
            buckets = days
        else:
            buckets = [date.fromordinal(d0.toordinal() + i).isoformat() for i in range(span + 1)]
    top = max(counts.values())
    n = len(buckets)
    pad, base = 8, height - 28
    slot = (width - 2 * pad) / n
    bar = max(2.0, min(40.0, slot * 0.7))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape("التغطية عبر الزمن")}"'
             ' xmlns="http://www.w3.org/2000/svg">',
             f'<line x1="{pad}" y1="{base}" x2="{width - pad}" y2="{base}" class="axis"/>']
    label_every = max(1, round(n / 6))
    for i, b in enumerate(buckets):
        x = width - pad - (i + 0.5) * slot  # earliest at the right
        c = counts.get(b, 0)
        h = (base - 12) * c / top if c else 0
        label = b if hourly else _date(b, with_time=False).rsplit(" ", 1)[0]
        if c:
            parts.append(f'<rect x="{x - bar / 2:.1f}" y="{base - h:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="2">'
                         f'<title>{escape(label)}: {c}</title></rect>')
            parts.append(f'<text x="{x:.1f}" y="{base - h - 3:.1f}" class="n">{c}</text>')
        if i % label_every == 0 or i == n - 1:
            parts.append(f'<text x="{x:.1f}" y="{height - 10}" class="lbl">{escape(label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


_env = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters.update(date=_date, count=_count, url=_url, q=_q, highlight=highlight)
_env.globals.update(ENTITY_TYPES=ENTITY_TYPES, QUALIFIERS=QUALIFIERS)


def _render(name: str, **kw) -> str:
    return _env.get_template(name).render(**kw)


def home_page(stories: list[dict], total: int, page: int, per: int, outlet: str | None) -> str:
    pages = max(1, -(-total // per))
    return _render("home.html", stories=stories, total=total, page=page, pages=pages, outlet=outlet)


def story_page(view: dict) -> str:
    by_id = {a["id"]: a for a in view.get("articles", [])}
    disputed = {v for d in view.get("disagreements", []) for v in d.get("values", {})}
    summary = [{"text": s["text"], "sources": [by_id.get(i, {"id": i}) for i in s["sources"]],
                "disputed": bool(disputed & _numbers(s["text"]))} for s in view.get("summary", [])]
    facts = [{**f, "sources": [by_id.get(i, {"id": i}) for i in f["articles"]],
              "disputed": str(f["value"]) in disputed} for f in view.get("facts", [])]
    disagreements = [{"what": d["what"], "values": [(v, [by_id.get(i, {"id": i}) for i in ids])
                                                    for v, ids in d["values"].items()]}
                     for d in view.get("disagreements", [])]
    passages = [{**p, "sources": [by_id.get(i, {"id": i}) for i in p["articles"]]}
                for p in view.get("wire_passages", [])]
    entities: dict[str, list[dict]] = {}
    for e in view.get("entities", []):
        entities.setdefault(e["type"], []).append(e)
    dup = {t["article"]: t.get("duplicate_of") for t in view.get("timeline", [])}
    stamp = {t["article"]: t.get("published") for t in view.get("timeline", [])}
    outlets = list(dict.fromkeys(a["outlet"] for a in view.get("articles", []) if a.get("outlet")))
    return _render("story.html", v=view, summary=summary, facts=facts, disagreements=disagreements,
                   passages=passages, entities=entities, dup=dup, stamp=stamp, outlets=outlets,
                   chart=timeline_svg(view.get("timeline", [])))


def article_page(a: dict) -> str:
    return _render("article.html", a=a)


def search_page(q: str, stories: list[dict], articles: list[dict], total: int) -> str:
    return _render("search.html", q=q, stories=stories, articles=articles, total=total)


def error_page(status: int, message: str) -> str:
    title = {404: "الصفحة غير موجودة", 422: "طلب غير صالح"}.get(status, "حدث خطأ")
    return _render("error.html", status=status, title=title, message=message)
