"""An extractive multi-document summary whose every sentence names the member articles that state it.

Sentences are scored by how many members state them (support across outlets), how central their words are
to the story (share of members using each word), and how early they sit in their article (news leads carry
the happening). Selection is greedy with redundancy removed, then ordered lead first, then by time.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from marsad.arabic.dates import find_dates
from marsad.arabic.sentences import split_sentences
from marsad.arabic.tokens import STOPWORDS, match_tokens
from marsad.model import Article

MIN_TOKENS, MAX_TOKENS = 7, 40
TARGET_WORDS, MAX_WORDS, MAX_SENTENCES, MIN_SENTENCES = 90, 120, 6, 3
STATES_SHARE = 0.6  # a member states a sentence when one of its sentences holds this share of its tokens

# Openers that point back at text the reader of a summary has not seen.
_DANGLING = re.compile(
    r"^\W*(?:و?من جهت(?:ه|ها|هم)|و?من جانب(?:ه|ها|هم)|و?في المقابل|و?في السياق|و?في سياق متصل|"
    r"و?أضاف|و?أضافت|و?تابع|و?تابعت|و?أشار|و?أشارت|و?أوضح|و?أوضحت|و?لفت|و?كذلك|كما|و?بدوره|و?بدورها|"
    r"و?هذه|و?هذا|و?ذلك|و?تلك|و?هو|و?هي|و?هم|إلى ذلك|و?يذكر|و?يشار|و?لكن|لكن|غير أن|و?بينما|فيما)"
    r"(?:\W|$)"
)
_BOILER = re.compile(r"https?://|www\.|@|اقرأ أيضا|اقرأ المزيد|للمزيد|شاهد|تابعونا|اشترك|جميع الحقوق")
_QUOTES = (("«", "»"), ("“", "”"))


@dataclass(frozen=True)
class SummarySentence:
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class _Candidate:
    text: str
    article: str
    position: int
    keys: frozenset[str]
    n_tokens: int
    published: date | None


def _balanced(text: str) -> bool:
    if text.count('"') % 2:
        return False
    return all(text.count(a) == text.count(b) for a, b in _QUOTES)


def _usable(text: str, n: int) -> bool:
    return MIN_TOKENS <= n <= MAX_TOKENS and _balanced(text) and not _BOILER.search(text)


def _content_keys(text: str) -> list[str]:
    return [t for t in match_tokens(text) if t not in STOPWORDS and len(t) > 1]


def _article_sentences(a: Article) -> list[str]:
    out = []
    for para in a.body:
        out.extend(s.strip() for s in split_sentences(para) if s.strip())
    return out


class _SentenceIndex:
    """The content words of the sources' sentences, inverted (word -> sentences holding it), so that which
    sources state a candidate costs one vectorized pass over the sentences sharing its words instead of a
    Counter intersection with every sentence of every member (quadratic: 20 s for a 300-article story)."""

    def __init__(self, sources: Sequence[list[Counter]]) -> None:
        vocab: dict[str, int] = {}
        words: list[int] = []
        sents: list[int] = []
        counts: list[int] = []
        owner: list[int] = []  # sentence -> source
        for i, sentences in enumerate(sources):
            for c in sentences:
                for k, n in c.items():
                    words.append(vocab.setdefault(k, len(vocab)))
                    sents.append(len(owner))
                    counts.append(n)
                owner.append(i)
        by_word = np.array(words, dtype=np.int64)
        order = np.argsort(by_word, kind="stable")
        self.vocab = vocab
        self.bounds = np.searchsorted(by_word[order], np.arange(len(vocab) + 1))  # word -> its slice of postings
        self.sent = np.array(sents, dtype=np.int64)[order]
        self.count = np.array(counts, dtype=np.int64)[order]
        self.owner = np.array(owner, dtype=np.int64)
        self.n_sources = len(sources)

    def stating(self, want: Counter) -> np.ndarray:
        """Per source: does one of its sentences hold STATES_SHARE of `want`'s tokens (counted with
        multiplicity, as `want & sentence` does)?"""
        states = np.zeros(self.n_sources, dtype=bool)
        total = sum(want.values())
        hits = [(self.bounds[i], self.bounds[i + 1], n) for k, n in want.items() if (i := self.vocab.get(k)) is not None]
        if total <= 0 or not hits:
            return states
        sent = np.concatenate([self.sent[lo:hi] for lo, hi, _ in hits])
        shared = np.concatenate([np.minimum(self.count[lo:hi], n) for lo, hi, n in hits])
        overlap = np.bincount(sent, weights=shared, minlength=len(self.owner))
        states[self.owner[overlap >= STATES_SHARE * total]] = True
        return states


def absolute_dates(text: str, published: date | None) -> str:
    """Relative day expressions ("اليوم الإثنين", "أمس") spelled out against the article's date."""
    if published is None:
        return text
    out, last = [], 0
    for m in find_dates(text, ref=published):
        if m.kind not in ("relative", "weekday") or m.precision != "day" or any(ch.isdigit() for ch in m.text):
            continue
        out.append(text[last:m.start])
        out.append(f"{m.text} ({m.value.day} {_MONTHS[m.value.month - 1]} {m.value.year})")
        last = m.end
    out.append(text[last:])
    return "".join(out)


_MONTHS = ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
           "نوفمبر", "ديسمبر")


def summarize(members: Sequence[Article], sources_for: Sequence[Article] | None = None) -> list[SummarySentence]:
    """Summary sentences for a story.

    `members` are the articles sentences are drawn from (distinct articles, duplicates left out);
    `sources_for` are all the articles that may be named as stating a sentence (duplicates included).
    """
    if not members:
        return []
    sources_for = list(sources_for or members)
    sent_keys = {a.id: [Counter(_content_keys(s)) for s in _article_sentences(a)] for a in sources_for}

    cands: list[_Candidate] = []
    for a in members:
        for i, s in enumerate(_article_sentences(a)):
            keys = _content_keys(s)
            if _usable(s, len(keys)):
                cands.append(_Candidate(s, a.id, i, frozenset(keys), len(keys), a.published))
    if not cands:
        return []

    # word centrality: the share of members whose text uses the word
    doc_freq = Counter(k for a in members for k in {k for c in sent_keys.get(a.id, []) for k in c})
    n_docs = max(1, len(members))

    index = _SentenceIndex([sent_keys[a.id] for a in sources_for])

    def support(c: _Candidate) -> list[str]:
        states = index.stating(Counter(_content_keys(c.text)))
        return [a.id for a, stated in zip(sources_for, states.tolist(), strict=True) if a.id == c.article or stated]

    # members off the story's main thread (clustering is not perfect) should lend few sentences: an
    # article's centrality is how widely its words are shared by the other members
    def centrality(a: Article) -> float:
        keys = {k for c in sent_keys.get(a.id, []) for k in c}
        return sum(doc_freq[k] - 1 for k in keys) / (len(keys) * max(1, n_docs - 1)) if keys else 0.0

    cent = {a.id: centrality(a) for a in members}
    top = max(cent.values()) or 1.0

    scored = []
    for c in cands:
        sup = support(c)
        central = sum(doc_freq[k] / n_docs for k in c.keys) / math.sqrt(len(c.keys) + 4)
        lead = 1.0 / (1 + c.position)
        score = (central + 1.2 * lead + 0.5 * math.log1p(len(sup) - 1)) * (0.4 + 0.6 * cent[c.article] / top)
        if _DANGLING.match(c.text):
            score *= 0.3
        scored.append((score, c, sup))
    scored.sort(key=lambda x: (-x[0], x[1].article, x[1].position))

    chosen: list[tuple[_Candidate, list[str]]] = []
    words = 0
    for _score, c, sup in scored:
        if len(chosen) >= MAX_SENTENCES or (words >= TARGET_WORDS and len(chosen) >= MIN_SENTENCES):
            break
        if _DANGLING.match(c.text) and not chosen:
            continue
        if any(len(c.keys & o.keys) >= 0.5 * min(len(c.keys), len(o.keys)) for o, _ in chosen):
            continue  # the same fact again, perhaps from another outlet's copy
        n_words = len(c.text.split())
        if chosen and words + n_words > MAX_WORDS:
            continue  # a shorter sentence may still fit
        chosen.append((c, sup))
        words += n_words

    if not chosen:  # every usable sentence opens by pointing back at text the reader has not seen
        return []
    # lead first: the best-scored chosen sentence that opens an article; then by time and position
    leads = [x for x in chosen if x[0].position == 0]
    first = leads[0] if leads else chosen[0]
    rest = sorted((x for x in chosen if x is not first),
                  key=lambda x: (x[0].published or date.max, x[0].article, x[0].position))
    published = {a.id: a.published for a in sources_for}
    return [SummarySentence(absolute_dates(c.text, published.get(c.article)), tuple(sup))
            for c, sup in [first, *rest]]
