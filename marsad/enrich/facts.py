"""Facts (numbers with their counted noun and qualifier), grouped across a story, and disagreements.

    extract_facts(article_id, text) -> [Fact]      numbers from marsad.arabic.numbers, with their sentence
    group_facts(facts)               -> [FactGroup] same counted thing: same noun (and modifier), similar context
    disagreements(groups)            -> [Disagreement] values that cannot both be true, with articles on each side

Qualifiers make ranges: "ما لا يقل عن 50" is [50, inf), "نحو خمسين" is about 50 (±15%), so they agree;
"30 قتيلا" and "36 قتيلا على الأقل" do not. What keeps different quantities apart:
- the counted noun, by the consonant skeleton of its light stem (قتيلا/القتلى, هجوما/هجمات, جندي/جنود);
- a modifier after the noun: "2500 جندي أمريكي" and "3500 جندي أجنبي" count different things, and so does a
  count "أخرى" on top of another;
- one article stating two incompatible values for one noun: they are different quantities there, never grouped;
- context: facts are linked most similar first (sentence words and the words around the number);
- size: values more than twice apart are not reported as a disagreement (different quantities sharing a noun).
Dates, years, time spans and percentages are not facts here.
Measured on 52 hand-labelled SaudiNewsNet stories: 30 disagreements in 14 stories; about half of those read
are real (death tolls and arrest counts that differ between outlets), the rest different quantities sharing a
noun. Treat them as "worth a look", not as verdicts.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from marsad.arabic.dates import MONTHS
from marsad.arabic.normalize import normalize
from marsad.arabic.numbers import find_numbers
from marsad.arabic.sentences import sentence_spans
from marsad.arabic.stem import stem
from marsad.arabic.tokens import STOPWORDS, match_tokens, strip_proclitics, tokenize

from .canon import UnionFind, skeleton

__all__ = [
    "Fact",
    "FactGroup",
    "Disagreement",
    "extract_facts",
    "group_facts",
    "disagreements",
    "compatible",
    "similarity",
    "noun_key",
]

ABOUT_TOLERANCE = 0.15  # "نحو 50" covers 42.5..57.5
EXACT_TOLERANCE = 0.005  # rounding noise in an exact figure
CONTEXT_MIN = 0.03  # context similarity below which two facts with the same noun are not linked
MAX_RATIO = 2.0  # values further apart than this are different quantities, not a disagreement (see _close)
WINDOW = 5  # content words each side of the number that make its local context

# Counted nouns that measure time: "3 أشهر", "منذ 10 سنوات" place events in time, they are not counts.
_TIME_NOUNS = frozenset(
    normalize(w)
    for w in "يوم يوما أيام ايام أسبوع أسبوعا أسابيع شهر شهرا أشهر شهور سنة سنوات سنين عام عاما أعوام "
    "ساعة ساعات دقيقة دقائق ثانية ثوان ثواني عقد عقود قرن قرون هـ م".split()
)
# Words a number reader may take for the counted noun that only point back to it ("وأصيب خمسة آخرون").
_NOT_NOUNS = frozenset(normalize(w) for w in "آخر آخرون آخرين أخرى اخرى منهم منها من".split())
# "... أخرى": a count added to one given before, not another report of it.
_ADDITIONAL = frozenset(normalize(w) for w in "أخرى أخريات آخرين آخرون إضافية إضافيين إضافيا جديدة".split())
# "29 يونيو" is a date that a number reader may still return as a count of "يونيو".
_MONTH_KEYS = frozenset(normalize(m).split()[0] for m in MONTHS)


@dataclass(frozen=True)
class Fact:
    article_id: str
    value: float
    qualifier: str  # exact | about | at_least | at_most
    noun: str  # counted noun, display form ("قتيلا")
    modifier: str | None  # adjective right after the noun ("أمريكي"), display form
    text: str  # the number phrase, verbatim
    sentence: str  # the sentence that states it, verbatim
    start: int  # offsets of the number phrase in the article text
    end: int
    window: tuple[str, ...] = ()  # match keys of the content words around the number (local context)

    @property
    def noun_key(self) -> str:
        return noun_key(self.noun)

    @property
    def interval(self) -> tuple[float, float]:
        v = self.value
        if self.qualifier == "about":
            return v * (1 - ABOUT_TOLERANCE), v * (1 + ABOUT_TOLERANCE)
        if self.qualifier == "at_least":
            return v, math.inf
        if self.qualifier == "at_most":
            return 0.0, v
        return v * (1 - EXACT_TOLERANCE), v * (1 + EXACT_TOLERANCE)


@dataclass(frozen=True)
class FactGroup:
    """Facts from one story about the same counted thing."""

    noun: str  # skeleton key of the counted noun
    modifier: str | None  # skeleton key of its modifier
    facts: tuple[Fact, ...]

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(sorted({f.article_id for f in self.facts}))


@dataclass(frozen=True)
class Disagreement:
    what: str  # the counted thing, e.g. "قتيلا (الهجوم الانتحاري)"
    values: dict[str, list[str]]  # value as written by marsad ("30") -> article ids stating it
    sentences: tuple[str, ...] = ()  # the sentences on each side, for display
    stance: float | None = None  # with check_stance: the stance model's highest "disagree" probability


def noun_key(noun: str) -> str:
    """Key of a counted noun: normalized, proclitics off, accusative alef off (قتيلا -> قتيل)."""
    k = strip_proclitics(normalize(noun))[1]
    if len(k) >= 4 and k.endswith("ا") and not k.endswith("يا"):
        k = k[:-1]
    elif len(k) >= 5 and k.endswith("يا"):  # صاروخيا -> صاروخي
        k = k[:-1]
    return k


def _thing_key(key: str) -> str:
    """Spelling- and number-tolerant key: the consonant skeleton of the light stem (قتيل/قتلى, هجوم/هجمات,
    أمريكي/أميركي)."""
    st = stem(key)
    sk = skeleton(st)
    return sk if len(sk) >= 3 else st


def _nisba(key: str) -> bool:
    return len(key) >= 4 and (key.endswith("ي") or key.endswith("يه") or key.endswith("يين"))


def _modifier(text: str, end: int) -> str | None:
    """The relative adjective right after the counted noun that follows position `end`, if any; or a word
    saying the count is on top of another ("أربع طائرات إف-16 أخرى"), which makes it a different quantity."""
    toks = tokenize(text[end : end + 80])
    if len(toks) < 2:
        return None
    for t in toks[1:4]:
        if normalize(t) in _ADDITIONAL:
            return t
    k = noun_key(toks[1])
    return toks[1] if _nisba(k) and k not in STOPWORDS else None


def _context(sentence: str) -> frozenset[str]:
    return frozenset(t for t in match_tokens(sentence) if t not in STOPWORDS and not t[:1].isdigit())


def extract_facts(article_id: str, text: str) -> list[Fact]:
    """Counted numbers of an article with noun, qualifier, modifier and sentence; dates and spans of time
    are left out."""
    facts = []
    for a, b in sentence_spans(text):
        sentence = text[a:b]
        for m in find_numbers(sentence):
            if not m.noun or m.noun == "%":
                # A percentage is a fact too, but its noun is "what of": too vague to group safely here.
                continue
            key = noun_key(m.noun)
            if key in _TIME_NOUNS or normalize(m.noun) in _TIME_NOUNS or normalize(m.noun) in _MONTH_KEYS:
                continue
            if key in _NOT_NOUNS or normalize(m.noun) in _NOT_NOUNS:
                continue
            facts.append(
                Fact(
                    article_id=article_id,
                    value=m.value,
                    qualifier=m.qualifier,
                    noun=m.noun,
                    modifier=_modifier(sentence, m.end),
                    text=m.text,
                    sentence=sentence,
                    start=a + m.start,
                    end=a + m.end,
                    window=_window(sentence, m.start, m.end),
                )
            )
    return facts


def _window(sentence: str, start: int, end: int) -> tuple[str, ...]:
    """Content words next to the number: the noun, its modifier and what is counted ("طنا من التمور")."""
    left = _context_list(sentence[:start])[-WINDOW:]
    right = _context_list(sentence[end:])[:WINDOW]
    return tuple(left + right)


def _context_list(text: str) -> list[str]:
    return [t for t in match_tokens(text) if t not in STOPWORDS and not t[:1].isdigit()]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def similarity(a: Fact, b: Fact) -> float:
    """How alike the contexts of two facts are: half sentence words, half the words around the number."""
    return 0.5 * _jaccard(_context(a.sentence), _context(b.sentence)) + 0.5 * _jaccard(
        frozenset(a.window), frozenset(b.window)
    )


def group_facts(facts: Iterable[Fact]) -> list[FactGroup]:
    """Facts about the same thing: same counted noun and modifier, linked most similar context first.

    Two facts that one article states with incompatible values count different things there ("3540 طنا"
    of goods, "450 طنا" of dates), so they are never put in one group; facts of other articles join the
    group whose context they share most. Pairs whose contexts share (almost) nothing are not linked.
    Largest groups first."""
    by_thing: dict[tuple[str, str | None], list[Fact]] = defaultdict(list)
    for f in facts:
        mod = _thing_key(noun_key(f.modifier)) if f.modifier else None
        by_thing[(_thing_key(f.noun_key), mod)].append(f)
    groups: list[FactGroup] = []
    for (noun, mod), fs in by_thing.items():
        pairs = sorted(
            (
                (similarity(fs[i], fs[j]), compatible(fs[i], fs[j]), i, j)
                for i in range(len(fs))
                for j in range(i)
            ),
            reverse=True,
        )
        uf = UnionFind(len(fs))
        members: dict[int, list[int]] = {i: [i] for i in range(len(fs))}
        for sim, _, i, j in pairs:
            ri, rj = uf.find(i), uf.find(j)
            if sim < CONTEXT_MIN or ri == rj or _apart(fs, members[ri], members[rj]):
                continue
            uf.union(ri, rj)
            root = uf.find(ri)
            other = rj if root == ri else ri
            members[root] = members[root] + members.pop(other)
        groups.extend(FactGroup(noun, mod, tuple(fs[i] for i in sorted(m))) for m in members.values())
    groups.sort(key=lambda g: (-len(g.facts), g.noun))
    return groups


def _apart(facts: Sequence[Fact], a: list[int], b: list[int]) -> bool:
    """True when one article states incompatible values across the two sets (they count different things)."""
    return any(
        facts[i].article_id == facts[j].article_id and not compatible(facts[i], facts[j])
        for i in a
        for j in b
    )


def compatible(a: Fact, b: Fact) -> bool:
    """True when both values can be true at once (their qualifier ranges overlap)."""
    lo1, hi1 = a.interval
    lo2, hi2 = b.interval
    return lo1 <= hi2 and lo2 <= hi1


def _close(a: Fact, b: Fact) -> bool:
    """Two reports of one count differ by a factor of two at most; beyond that (6 cases vs 1048 cases in all,
    3 vs 27 people) they are different quantities that share a noun, not a disagreement."""
    lo, hi = sorted((a.value, b.value))
    return lo > 0 and hi <= MAX_RATIO * lo


def _value_text(v: float) -> str:
    return str(int(v)) if v == int(v) else f"{v:g}"


def disagreements(groups: Sequence[FactGroup], check_stance: bool = False) -> list[Disagreement]:
    """Groups whose facts hold values that cannot all be true, stated by different articles. With
    `check_stance`, each is annotated with how strongly the stance model reads the clashing sentences as
    contradicting each other (a second, independent signal for display; it does not filter)."""
    out = []
    for g in groups:
        clash = [
            (a, b)
            for i, a in enumerate(g.facts)
            for b in g.facts[:i]
            if a.article_id != b.article_id and not compatible(a, b) and _close(a, b)
        ]
        if not clash:
            continue
        involved = {id(f): f for pair in clash for f in pair}.values()
        values: dict[str, list[str]] = defaultdict(list)
        for f in sorted(involved, key=lambda f: f.value):
            if f.article_id not in values[_value_text(f.value)]:
                values[_value_text(f.value)].append(f.article_id)
        what = g.facts[0].noun + (f" {g.facts[0].modifier}" if g.facts[0].modifier else "")
        sentences = tuple(dict.fromkeys(f.sentence for f in involved))
        stance = None
        if check_stance:
            from .stance import disagree_probability  # the stance model is loaded only when asked for

            stance = max(disagree_probability(a.sentence, b.sentence) for a, b in clash)
        out.append(Disagreement(what, {k: sorted(v) for k, v in values.items()}, sentences, stance))
    return out
