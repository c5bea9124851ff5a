"""Sentence splitting for Arabic news text. Sentences are verbatim substrings (outer whitespace stripped).

Boundaries: . ! ? ؟ ؛ and line breaks. Not boundaries: decimals (4.3), dotted abbreviations and initials
(أ.ف.ب، د.ب.أ، ص.ب، د. محمد، J.), ellipses (… ... and the headline ".."), and punctuation inside a short
quotation («...»، “...”، "...") — the quotation stays in its sentence, unless its own last character ends
it ('وقال "انتهى الأمر." ثم'). Closing quotes and brackets after a full stop belong to the sentence they close.
"""

from __future__ import annotations

import re

__all__ = ["split_sentences", "sentence_spans"]

_CANDIDATE = re.compile(r"\n|[.!?؟؛…]+")
_CLOSERS = "»”’\"')]"
_OPEN_CLOSE = {"«": "»", "“": "”", "„": "”"}
_SHORT_QUOTE = 300  # characters: a quotation longer than this may hold several sentences of its own
_LETTER = re.compile(r"[^\W\d_]")
_OPENER = re.compile("[" + re.escape("".join(_OPEN_CLOSE)) + '"]')


def _quoted_ranges(text: str) -> list[tuple[int, int]]:
    """(open, close) index pairs of short quotations on one line."""
    out = []
    n = len(text)
    m = _OPENER.search(text)
    while m is not None:  # jump from quote mark to quote mark: a per-character loop was the hot spot
        i = m.start()
        ch = text[i]
        close = _OPEN_CLOSE.get(ch, '"')
        j = text.find(close, i + 1, min(n, i + 1 + _SHORT_QUOTE))
        nl = text.find("\n", i + 1, j if j >= 0 else i + 1)
        if j < 0 or nl >= 0:
            m = _OPENER.search(text, i + 1)
            continue
        out.append((i, j))
        m = _OPENER.search(text, j + 1)
    return out


def _is_abbreviation_dot(text: str, i: int) -> bool:
    """A single "." at i that ends an initial or sits in a dotted abbreviation or a number."""
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    if before.isdigit() and after.isdigit():
        return True  # 4.3
    if before and _LETTER.match(before):
        # the word before the dot is one letter long: an initial (أ.ف.ب، ص.ب، د. محمد، J. Smith)
        k = i - 1
        while k > 0 and text[k - 1] in "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652":
            k -= 1
        if k == 0 or not (_LETTER.match(text[k - 1]) or text[k - 1].isdigit()):
            return True
        if after and (_LETTER.match(after) or after.isdigit()):
            # no space after the dot: a domain (aawsat.com) or a glued sentence (بغداد.وقال)
            word_after = re.match(r"[^\W_]+", text[i + 1 :])
            glued_arabic = "\u0600" <= before <= "\u06ff" and "\u0600" <= after <= "\u06ff"
            return not (glued_arabic and word_after and len(word_after.group()) >= 2)
    return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in `text`, outer whitespace excluded."""
    quotes = _quoted_ranges(text)
    cuts: list[int] = []
    qi = 0
    for m in _CANDIDATE.finditer(text):
        s, e = m.start(), m.end()
        while qi < len(quotes) and quotes[qi][1] < s:
            qi += 1
        punct = m.group()
        if qi < len(quotes) and quotes[qi][0] < s < quotes[qi][1]:
            # inside a short quotation: only a full stop that closes it ends the sentence ('قال "انتهى."')
            close = quotes[qi][1]
            if punct == "\n" or text[e:close].strip(_CLOSERS) or "…" in punct or punct.startswith(".."):
                continue
            e = close + 1
            while e < len(text) and text[e] in _CLOSERS:
                e += 1
            cuts.append(e)
            continue
        if punct != "\n":
            if punct == "." and _is_abbreviation_dot(text, s):
                continue
            if "…" in punct or punct.startswith(".."):
                continue  # an ellipsis or a headline "..": the sentence goes on
            while e < len(text) and text[e] in _CLOSERS:
                e += 1
        cuts.append(e)
    spans = []
    start = 0
    for c in [*cuts, len(text)]:
        a, b = start, c
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        start = c
    return spans


def split_sentences(text: str) -> list[str]:
    """Sentences of `text`, verbatim, in order."""
    return [text[a:b] for a, b in sentence_spans(text)]
