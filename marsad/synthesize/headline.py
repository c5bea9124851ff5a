"""A story's headline: the member title that shares most with the other members' titles."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from marsad.arabic.tokens import STOPWORDS, match_tokens


def choose_headline(titles: Sequence[str | None]) -> str | None:
    """The most representative title: highest summed token weight, where a token weighs by how many
    titles use it (so the wording most outlets share wins); ties go to the earliest member."""
    return _choose(tuple(titles))


@lru_cache(maxsize=4096)
def _choose(titles: tuple[str | None, ...]) -> str | None:
    """Cached: story lists and search results name the same stories' headlines request after request."""
    keyed = [(t, set(match_tokens(t)) - STOPWORDS) for t in titles if t and t.strip()]
    if not keyed:
        return None
    df = Counter(tok for _, toks in keyed for tok in toks)

    def score(item: tuple[str, set[str]]) -> float:
        _, toks = item
        # normalise by a soft length so a long title doesn't win on length alone
        return sum(df[t] - 1 for t in toks) / (len(toks) + 3) ** 0.5

    best = max(range(len(keyed)), key=lambda i: (score(keyed[i]), -i))
    return keyed[best][0].strip()
