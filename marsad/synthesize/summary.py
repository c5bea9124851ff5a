"""An extractive multi-document summary whose every sentence names the member articles that state it.

Sentences are scored by how many articles state them (support across outlets), how central their words are
to the story (share of articles using each word), and how early they sit in their article (news leads carry
the happening). Selection is greedy with redundancy removed, then ordered lead first, then by time.

Clusters are not perfect: a story can hold members of another happening of the same kind (another day's
report, a neighbouring incident). So each article weighs by its centrality to the story: how widely the words
of its title and lead are shared by the other articles, the others counted by closeness in time to the
story's median day (reports of one happening cluster in time; a merged-in sibling is usually from another
day). An article less than half as central as the most central one lends no sentence (unless no other
article offers any), and the others' sentences are scaled by centrality. Every copy of a wire text counts
(it is what each outlet's readers saw), and a copy's sentences are candidates too (outlets split and trim
the same lead differently).
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
CORE_SHARE = 0.5  # an article less central than this share of the most central one lends no sentence
PERIPHERY_FLOOR = 0.4  # a sentence's score scales with its article's centrality c as FLOOR + (1 - FLOOR) * c
TOPIC_SENTENCES = 2  # what an article is about: its title and first sentences (the first is often a dateline)
DEMOTE = 0.3  # score factor of a sentence that opens by pointing back at text the reader has not seen

# Openers that point back at text the reader of a summary has not seen.
_DANGLING = re.compile(
    r"^\W*(?:و?من جهت(?:ه|ها|هم)|و?من جانب(?:ه|ها|هم)|و?في المقابل|و?في السياق|و?في سياق متصل|"
    r"و?أضاف|و?أضافت|و?تابع|و?تابعت|و?أشار|و?أشارت|و?أوضح|و?أوضحت|و?لفت|و?كذلك|كما|و?بدوره|و?بدورها|"
    r"و?هذه|و?هذا|و?ذلك|و?تلك|و?هو|و?هي|و?هم|إلى ذلك|و?يذكر|و?يشار|و?لكن|لكن|غير أن|و?بينما|فيما)"
    r"(?:\W|$)"
)
# A sentence ends with a full stop, question or exclamation mark, semicolon, or a closing quote or bracket; a line
# that does not is seldom a sentence (a tag list, a caption, a sub-heading, a dateline, a contact line, text cut
# off at a comma) and is not a candidate.
_TERMINATED = re.compile(r"[.!?؟;؛…»\"”)]\W*$")
_BOILER = re.compile(r"https?://|www\.|@|رابط الخبر|اقرأ أيضا|اقرأ المزيد|للمزيد|شاهد|تابعونا|اشترك|جميع الحقوق")
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
    return (MIN_TOKENS <= n <= MAX_TOKENS and _balanced(text) and not _BOILER.search(text)
            and _TERMINATED.search(text) is not None)


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


def centrality(articles: Sequence[Article], bags: Sequence[set[str]]) -> list[float]:
    """Each article's centrality to the story, the most central 1.0: the share of the other articles using its
    words, averaged over its words (`bags`: the content words of what each article is about, its title and
    lead), where another article counts by its closeness in time to the story's median day,
    1 / (1 + days apart). Undated articles count fully."""
    n = len(articles)
    if n <= 2:
        return [1.0] * n
    days = [a.published.toordinal() if a.published else None for a in articles]
    known = sorted(d for d in days if d is not None)
    median = known[(len(known) - 1) // 2] if known else None
    near = [1.0 if d is None or median is None else 1.0 / (1 + abs(d - median)) for d in days]
    used: dict[str, float] = {}
    for bag, x in zip(bags, near, strict=True):
        for k in bag:
            used[k] = used.get(k, 0.0) + x
    total = sum(near)
    cent = [sum(used[k] - x for k in bag) / (len(bag) * (total - x)) if bag else 0.0
            for bag, x in zip(bags, near, strict=True)]
    top = max(cent)
    return [c / top for c in cent] if top > 0 else [1.0] * n


def summarize(members: Sequence[Article], sources_for: Sequence[Article] | None = None) -> list[SummarySentence]:
    """Summary sentences for a story.

    `members` are the story's distinct articles (duplicates left out); `sources_for` are all its articles,
    duplicates included (default: `members`). Sentences are drawn from all of them, a sentence several copies
    share once (credited to a distinct member where one holds it); every article that states a sentence is
    named as its source.
    """
    if not members:
        return []
    member_ids = {a.id for a in members}
    sources_for = list(sources_for or members)
    articles = [*members, *(a for a in sources_for if a.id not in member_ids)]
    sources_for = list({a.id: a for a in [*sources_for, *members]}.values())
    sentences = {a.id: _article_sentences(a) for a in articles}
    tokens = {i: [_content_keys(s) for s in ss] for i, ss in sentences.items()}
    sent_keys = {i: [Counter(k) for k in ks] for i, ks in tokens.items()}

    cands: list[_Candidate] = []
    seen: set[tuple[str, ...]] = set()
    for a in articles:
        for i, (s, keys) in enumerate(zip(sentences[a.id], tokens[a.id], strict=True)):
            if tuple(keys) in seen:
                continue  # the same sentence in another copy of the text
            if _usable(s, len(keys)):
                seen.add(tuple(keys))
                cands.append(_Candidate(s, a.id, i, frozenset(keys), len(keys), a.published))
    if not cands:
        return []

    # word centrality: the share of articles (every copy counts) whose text uses the word
    doc_freq = Counter(k for a in sources_for for k in {k for c in sent_keys[a.id] for k in c})
    n_docs = len(sources_for)
    topics = [set(_content_keys(a.title or "")).union(*sent_keys[a.id][:TOPIC_SENTENCES]) for a in sources_for]
    weight = dict(zip((a.id for a in sources_for), centrality(sources_for, topics), strict=True))

    index = _SentenceIndex([sent_keys[a.id] for a in sources_for])

    def support(c: _Candidate) -> list[str]:
        states = index.stating(sent_keys[c.article][c.position])
        return [a.id for a, stated in zip(sources_for, states.tolist(), strict=True) if a.id == c.article or stated]

    scored = []
    for c in cands:
        sup = support(c)
        central = sum(doc_freq[k] / n_docs for k in c.keys) / math.sqrt(len(c.keys) + 4)
        lead = 1.0 / (1 + c.position)
        score = (central + 1.2 * lead + 0.5 * math.log1p(len(sup) - 1)) * (
            PERIPHERY_FLOOR + (1 - PERIPHERY_FLOOR) * weight[c.article])
        if _DANGLING.match(c.text):
            score *= DEMOTE
        scored.append((score, c, sup))
    scored.sort(key=lambda x: (-x[0], x[1].article, x[1].position))

    published = {a.id: a.published for a in sources_for}
    # the story's core lends the sentences; the periphery only when the core offers none at all
    chosen = _select([x for x in scored if weight[x[1].article] >= CORE_SHARE], published) or _select(
        scored, published)
    if not chosen:  # every usable sentence opens by pointing back at text the reader has not seen
        return []
    # lead first: the best-scored chosen sentence that opens an article; then by time and position
    leads = [x for x in chosen if x[0].position == 0]
    first = leads[0] if leads else chosen[0]
    rest = sorted((x for x in chosen if x is not first),
                  key=lambda x: (x[0].published or date.max, x[0].article, x[0].position))
    return [SummarySentence(text, tuple(sup)) for c, sup, text in [first, *rest]]


def _select(scored: list[tuple[float, _Candidate, list[str]]],
            published: dict[str, date | None]) -> list[tuple[_Candidate, list[str], str]]:
    """Greedy: best score first, no fact twice, up to the length bounds (counted on the text as shown, its
    relative dates spelled out). Each chosen: (candidate, its sources, its text as shown)."""
    chosen: list[tuple[_Candidate, list[str], str]] = []
    words = 0
    for _score, c, sup in scored:
        if len(chosen) >= MAX_SENTENCES or (words >= TARGET_WORDS and len(chosen) >= MIN_SENTENCES):
            break
        if _DANGLING.match(c.text) and not chosen:
            continue
        if any(len(c.keys & o.keys) >= 0.5 * min(len(c.keys), len(o.keys)) for o, _, _ in chosen):
            continue  # the same fact again, perhaps from another outlet's copy
        text = absolute_dates(c.text, published.get(c.article))
        n_words = len(text.split())
        if chosen and words + n_words > MAX_WORDS:
            continue  # a shorter sentence may still fit
        chosen.append((c, sup, text))
        words += n_words
    return chosen
