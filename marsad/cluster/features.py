"""What an article says, as the clusterer compares it: weighted term vectors, salient rare terms, time.

Follows Miranda et al. (EMNLP 2018): separate TF-IDF sub-vectors for the title, the body and the
"entities", compared by cosine, plus time features, fed to a learned join / new-story decision.
Arabic has no capitals to find names with, so the entity sub-vector is a proxy: rare stems and rare
adjacent pairs (names are mostly rare words that travel together) and numbers with the noun they count.

Two steps so that document frequencies can be learned online:
- `read_terms(article)` is pure and idf-free (tokens, stems, numbers, dates), the costly part;
- `weigh(terms, df)` turns the counts into unit vectors with the idf known at that moment.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from marsad.arabic.dates import find_dates
from marsad.arabic.normalize import normalize
from marsad.arabic.numbers import find_numbers
from marsad.arabic.stem import stem
from marsad.arabic.tokens import STOPWORDS, match_tokens
from marsad.model import Article

Vec = dict[str, float]

# The lead carries the happening; the tail of a long article is background shared by the whole topic
# (and costs time to read), so only the first tokens of the body are weighed.
LEAD_TOKENS = 160
# Entity proxies are read from the title and the first tokens of the lead.
ENTITY_TOKENS = 60
# A term is "rare" (an entity proxy, a retrieval key) when it is in at most this share of documents.
RARE_SHARE = 0.004
RARE_FLOOR = 20  # ... or in at most this many (early in a stream every word is in few documents)
MAX_SALIENT = 24
FALLBACK_SALIENT = 4  # title words that serve as retrieval keys when an article has no rare word
# Numbers and dates are read from the title and the start of the lead: where a report states its own
# counts and day ("killed 3 soldiers", "yesterday, Thursday"); later mentions are often background.
LEAD_CHARS = 200
EVENT_DAYS_BACK = 10  # a day-precise date this far before publication (or the day after) can be the event's

# Ordinals tell apart serial happenings of one kind ("the second aid plane", "the third"); they are
# stopword-like elsewhere, so they are kept in the title even when the stopword list drops them.
# Normalized forms (ة -> ه, ى -> ي) and the place in the series they name.
ORDINALS: dict[str, int] = {
    "اول": 1, "اولي": 1, "ثاني": 2, "ثانيه": 2, "ثالث": 3, "ثالثه": 3, "رابع": 4, "رابعه": 4,
    "خامس": 5, "خامسه": 5, "سادس": 6, "سادسه": 6, "سابع": 7, "سابعه": 7, "ثامن": 8, "تاسع": 9, "عاشر": 10,
}  # fmt: skip
# ... but "for the third day in a row", "for the second time" count the days or times of one happening, not
# happenings: an ordinal next to one of these words does not number the happening.
_COUNTED_TIMES = ("يوم", "ليله", "اسبوع", "شهر", "عام", "سنه", "مره", "توالي")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ArticleTerms:
    """Idf-free reading of one article: term counts, entity candidates, numbers, time."""

    id: str
    hours: float | None  # publication time, hours since the epoch (UTC, naive dates taken as UTC)
    outlet: str | None
    title: Mapping[str, int]
    lead: Mapping[str, int]
    pairs: tuple[str, ...]  # adjacent content-stem pairs of the title and the first lead tokens
    numbers: frozenset[str]  # "N" and "N:noun" keys
    days: frozenset[int]  # days (ordinals) the title and lead date something to: the happening's day
    ordinals: frozenset[int] = frozenset()  # the place in a series the title numbers its happening by
    dense: Any = field(default=None, compare=False)  # the body's sentence embedding (cluster.dense), when used

    @property
    def terms(self) -> frozenset[str]:
        """Every key whose document frequency this article adds to (derived, so not stored or pickled)."""
        return frozenset(self.title) | frozenset(self.lead) | frozenset(self.pairs)


@dataclass(frozen=True)
class ArticleFeatures:
    """An article as the clusterer compares it: unit vectors and retrieval keys."""

    id: str
    hours: float | None
    outlet: str | None
    title: Vec = field(compare=False)
    body: Vec = field(compare=False)
    ents: Vec = field(compare=False)
    salient: tuple[str, ...]  # rarest keys first: what candidates are retrieved by
    numbers: frozenset[str]
    days: frozenset[int]
    # the entity proxies' raw weights (idf-scaled, before normalizing): shared rare names, counted by idf
    rare: Vec = field(default_factory=dict, compare=False)
    ordinals: frozenset[int] = frozenset()
    dense: Any = field(default=None, compare=False)  # numpy float32 unit vector, or None


def article_hours(a: Article) -> float | None:
    """Hours since the epoch of the article's publication (date, and time of day when known)."""
    if a.published is None:
        return None
    h = (datetime(a.published.year, a.published.month, a.published.day, tzinfo=UTC) - _EPOCH)
    hours = h.total_seconds() / 3600.0
    if a.published_time:
        try:
            hh, mm = a.published_time.split(":")[:2]
            hours += int(hh) + int(mm) / 60.0
        except ValueError:
            hours += 12.0
    else:
        hours += 12.0  # a date alone: assume midday, the smallest possible error
    return hours


def hours_to_date(hours: float) -> date:
    return datetime.fromtimestamp(hours * 3600.0, tz=UTC).date()


@lru_cache(maxsize=400_000)
def _key(token: str) -> str | None:
    """The matching key of one normalized token: its light stem; None for stopwords and noise."""
    if token in ORDINALS:
        return token
    if token in STOPWORDS or len(token) < 2:
        return None
    if token.isdigit():
        return None  # numbers are read separately, with their noun
    s = stem(token)
    return s if len(s) >= 2 else token


@lru_cache(maxsize=1)
def _counted_times() -> frozenset[str]:
    return frozenset(k for k in map(_key, _COUNTED_TIMES) if k)


def title_ordinals(tokens: list[str]) -> frozenset[int]:
    """The places in a series ("the second aid plane", "the third") a title's normalized tokens number its
    happening by; not those counting days or times of one happening ("for the third day", "for the first time")."""
    times = _counted_times()
    out = set()
    for i, tok in enumerate(tokens):
        if tok in ORDINALS:
            near = tokens[max(0, i - 1) : i] + tokens[i + 1 : i + 2]
            if not any(_key(t) in times for t in near):
                out.add(ORDINALS[tok])
    return frozenset(out)


def _numbers(text: str) -> set[str]:
    """Keys of the counts a text states: "9" and, with its noun, "9:<stem>" (years left out)."""
    out: set[str] = set()
    for m in find_numbers(text):
        v = m.value
        if m.noun is None and v == int(v) and (1900 <= v <= 2100 or 1400 <= v <= 1500):
            continue  # a year dates the text, it does not tell happenings apart
        n = f"{v:g}"
        out.add(n)
        if m.noun and m.noun != "%":
            noun = _key(normalize(m.noun))
            if noun:
                out.add(f"{n}:{noun}")
    return out


def _days(text: str, published: date | None) -> frozenset[int]:
    """Day-precise dates near publication that the text mentions ("أمس الخميس", "15 يوليو")."""
    if published is None:
        return frozenset()
    lo, hi = published.toordinal() - EVENT_DAYS_BACK, published.toordinal() + 1
    out = set()
    for m in find_dates(text, published):
        if m.precision == "day" and lo <= m.value.toordinal() <= hi:
            out.add(m.value.toordinal())
    return frozenset(out)


def read_terms(a: Article) -> ArticleTerms:
    """The idf-free reading of an article (pure; the expensive half of featurizing)."""
    title_toks = match_tokens(" ".join(x for x in (a.title, a.subtitle) if x))
    lead_toks: list[str] = []
    for para in a.body:
        # Arabic words average under 6 letters: 8 characters a token is enough, and a one-paragraph
        # article is not tokenized whole
        lead_toks.extend(match_tokens(para[: 8 * (LEAD_TOKENS - len(lead_toks))]))
        if len(lead_toks) >= LEAD_TOKENS:
            break
    lead_toks = lead_toks[:LEAD_TOKENS]
    title_keys = [k for k in map(_key, title_toks) if k]
    lead_keys = [k for k in map(_key, lead_toks) if k]
    ent_keys = title_keys + [k for k in map(_key, lead_toks[:ENTITY_TOKENS]) if k]
    pairs = tuple(dict.fromkeys(f"{x}_{y}" for x, y in zip(ent_keys, ent_keys[1:], strict=False) if x != y))
    head = " . ".join(x for x in (a.title, a.body[0][:LEAD_CHARS] if a.body else "") if x)
    numbers = frozenset(_numbers(head))
    title = dict(Counter(title_keys))  # plain dicts: they pickle (to batch windows) several times faster
    lead = dict(Counter(lead_keys))
    return ArticleTerms(
        id=a.id,
        hours=article_hours(a),
        outlet=a.outlet or a.source,
        title=title,
        lead=lead,
        pairs=pairs,
        numbers=numbers,
        days=_days(head, a.published),
        ordinals=title_ordinals(title_toks),
    )


class DocFreq:
    """Document frequencies learned online: counts only, so they can be stored and restored exactly."""

    def __init__(self, n_docs: int = 0, counts: dict[str, int] | None = None) -> None:
        self.n_docs = n_docs
        self.counts: dict[str, int] = counts if counts is not None else {}

    def observe(self, terms: Iterable[str]) -> None:
        self.n_docs += 1
        c = self.counts
        for t in terms:
            c[t] = c.get(t, 0) + 1

    def idf(self, term: str) -> float:
        # smoothed: a term never seen weighs as one seen once
        return math.log((self.n_docs + 1) / (self.counts.get(term, 0) + 1)) + 1.0

    def is_rare(self, term: str) -> bool:
        return self.counts.get(term, 0) <= max(RARE_FLOOR, RARE_SHARE * self.n_docs)


def unit(v: Mapping[str, float]) -> Vec:
    n = math.sqrt(sum(x * x for x in v.values()))
    return {k: x / n for k, x in v.items()} if n else {}


def dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    # the key intersection runs in C; vectors share few terms, so the Python loop is short
    return sum([a[k] * b[k] for k in a.keys() & b.keys()])


def _tfidf(counts: Mapping[str, int], df: DocFreq) -> Vec:
    idf = df.idf
    return unit({t: (1.0 + math.log(n)) * idf(t) for t, n in counts.items()})


def weigh(t: ArticleTerms, df: DocFreq) -> ArticleFeatures:
    """Unit TF-IDF vectors for title, body lead and entity proxies, with the idf known now."""
    idf = df.idf
    rare = df.is_rare
    ents: dict[str, float] = {}
    for k in t.title:
        if rare(k):
            ents[k] = 1.5 * idf(k)  # a rare word of the title names what the article is about
    for k, n in t.lead.items():
        if rare(k):
            ents[k] = max(ents.get(k, 0.0), min(n, 3) / 3.0 * idf(k))
    # retrieval keys: rare single stems (a name's parts, a place); pairs would rarely be shared
    salient = tuple(sorted(ents, key=lambda k: -ents[k])[:MAX_SALIENT])
    if not salient:  # no rare word at all ("a UAE plane lands at Aden airport" on the war's busiest days):
        # the title's least common words stand in, or the article could never meet its story's other reports
        salient = tuple(sorted(t.title, key=lambda k: (-idf(k), k))[:FALLBACK_SALIENT])
    count = df.counts.get
    for p in t.pairs:
        if count(p, 0) >= 2 and rare(p):  # a pair seen before: a name or a set phrase, not chance
            ents[p] = idf(p)
    for n in sorted(t.numbers):  # set order varies by process: sums must not
        if ":" in n:
            ents["#" + n] = 0.5 * idf(n.split(":", 1)[1]) + 2.0  # a count of something: specific
    return ArticleFeatures(
        id=t.id,
        hours=t.hours,
        outlet=t.outlet,
        title=_tfidf(t.title, df),
        body=_tfidf(t.lead, df),
        ents=unit(ents),
        salient=salient,
        numbers=t.numbers,
        days=t.days,
        rare=ents,
        ordinals=t.ordinals,
        dense=t.dense,
    )
