"""HTML pages -> article fields: lexbor (selectolax) for speed, marsad's line model for the article,
page metadata for title, outlet and date, trafilatura as the fallback.

1. Parse once with lexbor; read the metadata the page states for machines (Open Graph, article:*,
   itemprop, JSON-LD): headline, site name, publication time. Only fields that mean publication
   are read (never modified/updated times, never a footer's copyright year).
2. Drop what is never article text: scripts and styles, navigation, headers, footers and asides
   outside the article, and elements whose class or id names them as share bars, related lists,
   comments, ads, captions, menus or tickers (unless they hold the headline or most of the text:
   layout classes such as "has-sidebar" wrap whole pages).
3. Render the rest as lines the way a browser lays out blocks (one line per block element or
   <br>, whitespace collapsed), and hand them to the plain-text extractor (text.py), which finds the
   article, its subheadings and the header's title, source line and dates.
4. Title: the page's <h1> or og:title without its site suffix; outlet: the text's own source
   statement, else an Arabic site name, else the Arabic name the page's Latin site name spells;
   date: the stated publication time, else the date printed under the title.
5. When no article text is found this way, trafilatura (precision mode, no date search) is asked.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from datetime import date, datetime

from selectolax.lexbor import LexborHTMLParser, LexborNode

from marsad.arabic.normalize import normalize

from . import meta
from .result import PageFields
from .template import Template
from .text import extract_text

log = logging.getLogger(__name__)

# Elements that are never article text.
_DROP_TAGS = ["script", "style", "noscript", "template", "svg", "iframe", "button", "select", "nav"]
# Page furniture that may still hold the title and date when it is inside the article.
_OUTER_TAGS = ("header", "footer", "aside")
_BLOCK_SELECTOR = ",".join(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote section article header footer main aside "
    "table tr td th figure figcaption address hr br center pre".split()
)
# class/id words that name furniture; matched against the words of the attribute, not substrings
_FURNITURE_WORDS = frozenset(
    """share shares sharing social socials sharebar addthis related relatedposts recommended recommendation
    comment comments commentlist disqus sidebar widget widgets breadcrumb breadcrumbs menu navbar navigation
    nav topbar ticker marquee breaking newsletter subscribe subscription advert advertisement advertising ads
    ad adsbygoogle banner sponsor sponsored promo popup modal cookie cookies caption figcaption wp-caption
    tags tagcloud keywords print toolbar outbrain taboola mostread most-read popular trending footer
    copyright login signup register search""".split()
)
_CLASS_SPLIT = re.compile(r"[^a-z0-9]+")
_FURNITURE_SELECTOR = ",".join(
    f"[class*={w}],[id*={w}]" for w in sorted({w.split("-")[0] for w in _FURNITURE_WORDS} | {"ad"})
)
_ARTICLE_SELECTOR = 'h1,article,main,[itemprop="articleBody"]'
_MOST_OF_PAGE = 0.4  # share of the page's text beyond which an element is not furniture
_BLOCK_MARK = "\u2029"  # stands for a block boundary while the text is collected
_WS = re.compile(r"[ \t\n\r\f\v]+")  # collapsed like a browser; no-break spaces are kept
_MIN_BODY_WORDS = 30  # fewer words than this and trafilatura gets a chance
_MIN_FALLBACK_WORDS = 10  # and what it finds must be text, not a stray word
_MAX_FALLBACK_CHARS = 2_000_000  # trafilatura takes tens of seconds on a many-megabyte page of small blocks
# Nesting past this many levels is flattened before parsing, as browsers do (Chromium stops at 512): tree
# building slows with the square of the depth, and a hostile page can nest a million elements.
MAX_DEPTH = 512
_DEPTH_CHECK_TAGS = 5000  # pages with fewer tags than this cannot nest deep enough to matter
# a tag up to its ">", not past the next "<": "<a <a <a ..." must not rescan the rest of the page per "<"
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^<>]*>")
# An element with more attributes than this loses them all: lexbor checks each new attribute against the
# element's others (time grows with the square of their number), and real elements have a handful.
MAX_ATTRIBUTES = 256
_LONG_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9:-]*)([^<>]{4096,})(>?)")  # only a long tag can hold that many
_ATTRIBUTE = re.compile(r"""[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?""")
# elements that never deepen the tree: void ones, and those whose end tag is optional (an unclosed <p> or
# <li> ends at the next one) or implied
_FLAT_TAGS = frozenset(
    """area base br col embed hr img input link meta param source track wbr p li dt dd tr td th option
    optgroup rb rp rt rtc colgroup tbody thead tfoot caption html head body""".split()
)


def extract_html(
    html: str, url: str | None = None, template: Template | None = None, loose: bool = False
) -> PageFields:
    """Article fields of an HTML page (already decoded); body empty when no article text is found.
    `loose`: the container vouches the HTML is an article (a feed entry), take its sentences as they come."""
    html = limit_attributes(limit_nesting(html))
    tree = LexborHTMLParser(html)
    info = page_info(tree)
    lines_text = visible_text(tree)
    site = meta.SiteHints(
        stated=tuple(info.site_names), domains=tuple(_domains(url, info)), names=tuple(info.link_names)
    )
    found = extract_text(lines_text, template, site, loose=loose)
    if sum(len(p.split()) for p in found.body) < _MIN_BODY_WORDS and len(html) <= _MAX_FALLBACK_CHARS:
        fallback = _trafilatura_body(html, url)
        size = sum(len(p.split()) for p in fallback)
        if size >= _MIN_FALLBACK_WORDS and size > sum(len(p.split()) for p in found.body):
            found = replace(found, body=fallback)
    return _merge(found, info)


def limit_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """`html` with nesting held to `max_depth` levels the way browsers hold it: an element that would open
    deeper first closes the innermost open one, and so becomes its sibling. Every element keeps its tag (a
    heading stays a heading, a script stays hidden); a sloppy page's unclosed <div>s pile up the same way."""
    if html.count("<") < _DEPTH_CHECK_TAGS:
        return html
    open_tags: list[str] = []
    out: list[str] = []
    last = 0
    for m in _TAG.finditer(html):
        name = m.group(2).lower()
        if name in _FLAT_TAGS or m.group(0).endswith("/>"):
            continue
        if m.group(1):  # an end tag closes the innermost open element, whichever it names
            if open_tags:
                open_tags.pop()
        elif len(open_tags) < max_depth:
            open_tags.append(name)
        else:
            out.append(html[last : m.start()] + f"</{open_tags[-1]}>")
            last = m.start()
            open_tags[-1] = name
    if not out:
        return html
    out.append(html[last:])
    log.debug("markup nested over %d levels flattened", max_depth)
    return "".join(out)


def limit_attributes(html: str, max_attributes: int = MAX_ATTRIBUTES) -> str:
    """`html` where elements with more than `max_attributes` attributes have none."""
    if _LONG_TAG.search(html) is None:
        return html

    def fewer(m: re.Match[str]) -> str:
        if len(_ATTRIBUTE.findall(m.group(2))) <= max_attributes:
            return m.group(0)
        log.debug("<%s> with over %d attributes stripped of them", m.group(1), max_attributes)
        return f"<{m.group(1)}>"

    return _LONG_TAG.sub(fewer, html)


# ---------------------------------------------------------------------------------------- metadata


class PageInfo:
    """What the page states for machines."""

    __slots__ = ("titles", "h1", "site_names", "published", "published_time", "link_names", "canonical")

    def __init__(self) -> None:
        self.link_names: list[str] = []  # short link texts (menus): the site may name itself there
        self.canonical: str | None = None
        self.titles: list[str] = []  # og:title, twitter:title, JSON-LD headline, <title>
        self.h1: list[str] = []
        self.site_names: list[str] = []
        self.published: date | None = None
        self.published_time: str | None = None


_TITLE_KEYS = ("og:title", "twitter:title", "title", "headline", "dc.title")
_SITE_KEYS = ("og:site_name", "application-name", "publisher", "dc.publisher", "twitter:site")
# Fields that state when an article was first published; modified/updated times are not.
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "publication_date",
    "date.issued",
    "dc.date.issued",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "datecreated",
)
_ARABIC = re.compile(r"[\u0621-\u064a]")
_SHORT_ARABIC = re.compile(
    r"^[ \t]*([\u0621-\u064a\u064b-\u0652]+(?:[ \t]+[\u0621-\u064a\u064b-\u0652]+){0,2})[ \t]*$", re.M
)
_DOMAIN_SUFFIX = re.compile(r"(?:news|online|arabic|daily|tv|net|today)$")
_SITE_IN_TEXT = re.compile(r"(?:موقع|لموقع)\s*[\"«“]([^\"»”]{2,25})[\"»”]")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2}))?")


def page_info(tree: LexborHTMLParser) -> PageInfo:
    info = PageInfo()
    metas: dict[str, str] = {}
    for node in tree.css("meta"):
        a = node.attributes
        key = (a.get("property") or a.get("name") or a.get("itemprop") or "").strip().lower()
        value = (a.get("content") or "").strip()
        if key and value and key not in metas:
            metas[key] = value
    for key in _TITLE_KEYS:
        if key in metas:
            info.titles.append(metas[key])
    for key in _SITE_KEYS:
        if key in metas and not metas[key].startswith(("http://", "https://")):
            info.site_names.append(metas[key].lstrip("@"))
    stamps = [metas[k] for k in _DATE_KEYS if k in metas]
    for node in tree.css("time[datetime]"):
        a = node.attributes
        if (a.get("itemprop") or "").lower() in ("datepublished", "datecreated") or "publish" in (
            a.get("class") or ""
        ).lower():
            stamps.append(a.get("datetime") or "")
    for ld in _json_ld(tree):
        if ld.get("headline"):
            info.titles.append(str(ld["headline"]))
        if ld.get("datePublished"):
            stamps.append(str(ld["datePublished"]))
        pub = ld.get("publisher")
        if isinstance(pub, dict) and pub.get("name"):
            info.site_names.append(str(pub["name"]))
    for stamp in stamps:
        parsed = _iso(stamp)
        if parsed:
            info.published, info.published_time = parsed
            break
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        info.titles.append(_WS.sub(" ", title.text()).strip())
    info.h1 = [t for t in (_WS.sub(" ", h.text()).strip() for h in tree.css("h1")) if t]
    if tree.body is not None and not any(_ARABIC.search(n) for n in info.site_names):
        # short texts anywhere (menus, logos, footers) and "موقع "X"" mentions may name the site
        raw = tree.body.text(separator="\n")
        info.link_names = _SHORT_ARABIC.findall(raw) + _SITE_IN_TEXT.findall(raw)
    link = tree.css_first('link[rel="canonical"]')
    if link is not None:
        info.canonical = link.attributes.get("href")
    if not info.canonical and "og:url" in metas:
        info.canonical = metas["og:url"]
    return info


def _domains(url: str | None, info: PageInfo) -> list[str]:
    """Second-level names of the page's own domains ("youm7" for https://www.youm7.com/story/...)."""
    out = []
    for u in (url, info.canonical):
        m = re.match(r"^[a-z]+://([^/:?#]+)", u or "", re.IGNORECASE)
        if m:
            parts = [p for p in m.group(1).lower().split(".") if p not in ("www", "m", "amp", "arabic", "ar")]
            if parts:
                out.append(_DOMAIN_SUFFIX.sub("", parts[0]) or parts[0])
    return list(dict.fromkeys(out))


def _iso(stamp: str) -> tuple[date, str | None] | None:
    m = _ISO.match(stamp)
    if not m:
        return None
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
    if d.year < 1990 or d > datetime.now().date().replace(year=datetime.now().year + 1):
        return None
    t = f"{int(m.group(4)):02d}:{m.group(5)}" if m.group(4) and int(m.group(4)) < 24 else None
    return d, t


def _json_ld(tree: LexborHTMLParser) -> list[dict]:
    """Article-like JSON-LD objects (NewsArticle, Article, ... also inside @graph)."""
    out: list[dict] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text())
        except (ValueError, TypeError, RecursionError):  # RecursionError: arrays nested thousands deep
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            obj = stack.pop()
            if isinstance(obj, list):
                stack.extend(obj)
            elif isinstance(obj, dict):
                if "@graph" in obj:
                    stack.append(obj["@graph"])
                kind = obj.get("@type")
                kinds = kind if isinstance(kind, list) else [kind]
                if any(isinstance(k, str) and "Article" in k or k == "WebPage" for k in kinds):
                    out.append(obj)
    return out


# ------------------------------------------------------------------------------------------- text


def visible_text(tree: LexborHTMLParser) -> str:
    """The page's text as a browser would lay it out in blocks, one line per block, furniture removed."""
    tree.strip_tags(_DROP_TAGS)
    root = tree.body
    if root is None:
        return ""
    page_chars = len(root.text(separator=" "))
    doomed = [n for n in root.css(",".join(_OUTER_TAGS)) if not _inside_article(n)]
    # the selector pre-filters in C; the word test then rejects substrings ("shadow" is not "ad")
    doomed += [n for n in root.css(_FURNITURE_SELECTOR) if _is_furniture(n)]
    # a layout class ("has-sidebar") must not take the article with it
    doomed = [n for n in doomed if not _holds_article(n, page_chars)]
    ids = {n.mem_id for n in doomed}
    for node in doomed:
        if not _has_ancestor_in(node, ids):  # a removed subtree takes its furniture with it
            node.decompose()
    for node in root.css(_BLOCK_SELECTOR):
        node.insert_after(_BLOCK_MARK)
        if node.tag != "br":
            node.insert_before(_BLOCK_MARK)
    text = root.text(separator="")
    lines = (_WS.sub(" ", part).strip() for part in text.split(_BLOCK_MARK))
    return "\n".join(line for line in lines if line)


def _inside_article(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in ("article", "main"):
            return True
        parent = parent.parent
    return False


def _holds_article(node: LexborNode, page_chars: int) -> bool:
    """Whether an element marked as furniture holds the article: its headline, an <article>, or most text."""
    if node.css_first(_ARTICLE_SELECTOR) is not None:
        return True
    return len(node.text(separator=" ")) > _MOST_OF_PAGE * page_chars


def _has_ancestor_in(node: LexborNode, ids: set[int]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.mem_id in ids:
            return True
        parent = parent.parent
    return False


def _is_furniture(node: LexborNode) -> bool:
    if node.tag in ("body", "html", "article", "main", "h1"):
        return False
    a = node.attributes
    words = _CLASS_SPLIT.split(((a.get("class") or "") + " " + (a.get("id") or "")).lower())
    return any(w in _FURNITURE_WORDS for w in words if w)


def _trafilatura_body(html: str, url: str | None) -> tuple[str, ...]:
    """trafilatura's paragraphs, for pages whose layout the line model cannot read."""
    try:
        import trafilatura

        doc = trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=False,
            with_metadata=False,
        )
    except Exception:  # trafilatura is a fallback; its failure must not lose the page
        log.exception("trafilatura failed on %s", url or "a page")
        return ()
    text = getattr(doc, "text", None) if doc is not None else None
    if not text:
        return ()
    return tuple(p.strip() for p in text.split("\n") if p.strip())


# ------------------------------------------------------------------------------------------- merge


def _merge(found: PageFields, info: PageInfo) -> PageFields:
    """The text's fields, with the title and publication time the page states for machines."""
    title = _title(info, found.outlet) or found.title
    published, ptime = found.published, found.published_time
    if info.published is not None:
        published, ptime = info.published, info.published_time
    return replace(found, title=title, published=published, published_time=ptime if published else None)


def _title(info: PageInfo, outlet: str | None) -> str | None:
    """The headline: an <h1> that the page's og:title/<title> confirms, else the first title field
    without its site suffix (" - Sputnik Arabic", " | أخبار")."""
    cleaned = []
    for t in info.titles:
        c = meta.clean_title(t, outlet)
        for name in info.site_names:
            c = meta.clean_title(c, name) if c else c
        if c:
            cleaned.append(c)
    keys = {normalize(t) for t in cleaned}
    for h in info.h1:
        k = normalize(h)
        if len(k) >= _MIN_H1_CHARS and any(k == c or c.startswith(k) or k.startswith(c) for c in keys):
            return h
    if cleaned:
        return cleaned[0]
    return info.h1[0] if info.h1 else None


_MIN_H1_CHARS = 10  # a logo in an <h1> is not the headline
