"""Lines that recur across the pages of one site in a batch: the site's template, learnt, not listed.

A menu item, a footer notice or an "about the paper" blurb is printed on every page of a site;
an article's sentence is not. `learn_template` counts, for each line, how many distinct pages of a
batch carry it; lines on at least `min_pages` pages are template and the extractor treats them
as page furniture. Long prose lines need a larger share of the batch (a syndicated paragraph may
appear on a few pages of one site), and a page's own title is never dropped for being a template
line: text.py still finds titles among repeated lines.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from marsad.arabic.normalize import normalize

from .lines import split_lines, strip_line, words

# Prose-length lines are template only when most pages carry them.
_LONG_LINE_WORDS = 20
_LONG_LINE_SHARE = 0.5


_HTML_START = re.compile(r"\s*(?:<!doctype html|<html|<head|<body|<meta|<!--)", re.IGNORECASE)


def _html_lines(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    from .html import visible_text  # imported here: html.py builds on text.py, which uses Template

    return visible_text(LexborHTMLParser(html))


def line_key(text: str) -> str:
    return normalize(strip_line(text))


@dataclass(frozen=True)
class Template:
    """Keys of template lines; `text in template` asks whether a display line is one of them."""

    keys: frozenset[str] = field(default_factory=frozenset)
    pages: int = 0

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and line_key(text) in self.keys

    def __len__(self) -> int:
        return len(self.keys)


def learn_template(texts: Iterable[str], min_pages: int = 3) -> Template:
    """Lines found on at least `min_pages` of the given pages (plain-text dumps or HTML block text)."""
    if min_pages < 2:
        raise ValueError("a template line must recur on at least 2 pages")
    counts: Counter[str] = Counter()
    long_lines: set[str] = set()
    pages = 0
    for text in texts:
        pages += 1
        if _HTML_START.match(text):
            text = _html_lines(text)  # an HTML page's template is in its visible lines, not its markup
        seen = set()
        for raw in split_lines(text):
            s = strip_line(raw)
            if not s:
                continue
            key = normalize(s)
            if key and key not in seen:
                seen.add(key)
                if words(s) >= _LONG_LINE_WORDS:
                    long_lines.add(key)
        counts.update(seen)
    keys = set()
    for key, n in counts.items():
        if n < min_pages:
            continue
        if key in long_lines and n < _LONG_LINE_SHARE * pages:
            continue
        keys.add(key)
    return Template(frozenset(keys), pages)
