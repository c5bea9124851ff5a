"""Batch story clustering over a whole corpus: the online pass in publication order, then a merge.

Online, a story can be founded twice: two outlets report a happening at nearly the same hour in different
words, each opens a story, and both then grow. Over a whole corpus the pass can be corrected: every article
that the model would also have let join a second story is a vote that the two are one; story pairs with
enough votes (relative to the smaller story) are merged. The merged story keeps the id of its earliest
founder, so batch ids are made the same way as online ids. Output has the same shape in both modes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from marsad.cluster.decision import Decision
from marsad.cluster.dense import embed_articles
from marsad.cluster.features import ArticleTerms, DocFreq, hours_to_date, read_terms
from marsad.cluster.online import OnlineClusterer, StoryState
from marsad.cluster.pairs import PairModel, pair_vector
from marsad.model import Article

MIN_VOTES = 2  # articles that must also fit the other story before two stories merge
VOTE_SHARE = 0.25  # ... and at least this share of the smaller story's articles
VOTE_P = 0.5  # a vote needs this join probability (at least the join threshold): a low join threshold
# lets an article into its best story on weak evidence, but weak evidence must not merge two stories
LINK_VOTE = 0.6  # linkage merge: a second candidate this close to the join threshold (share of it) proposes one


@dataclass(frozen=True)
class StoryRecord:
    id: str
    members: tuple[str, ...]  # in publication order
    first_seen: date | None
    last_seen: date | None


@dataclass(frozen=True)
class BatchResult:
    assignments: dict[str, str]  # article id -> story id
    stories: tuple[StoryRecord, ...]


def publication_order(articles: Iterable[Article]) -> list[Article]:
    """Articles by publication time (undated last), ties by id: the order both modes assume."""
    return sorted(articles, key=lambda a: (a.published or date.max, a.published_time or "", a.id))


def stories_of(assignments: dict[str, str], hours: dict[str, float]) -> tuple[StoryRecord, ...]:
    """Story records from an assignment, members in time order, stories by first appearance."""
    members: dict[str, list[str]] = {}
    for aid, sid in assignments.items():
        members.setdefault(sid, []).append(aid)
    out = []
    for sid, ms in members.items():
        ms.sort(key=lambda m: (hours[m], m))
        out.append(StoryRecord(sid, tuple(ms), hours_to_date(hours[ms[0]]), hours_to_date(hours[ms[-1]])))
    out.sort(key=lambda s: (s.first_seen or date.max, s.id))
    return tuple(out)


class _Union:
    """Union-find over story ids; the representative is the story founded first."""

    def __init__(self, founded: dict[str, float]) -> None:
        self.parent: dict[str, str] = {}
        self.founded = founded

    def find(self, x: str) -> str:
        root = x
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while x != root:
            self.parent[x], x = root, self.parent.get(x, x)
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=lambda s: (self.founded[s], s))
            self.parent[second] = first


def cluster_online(
    articles: Iterable[Article], decision: Decision | None = None, pairs: PairModel | None | bool = True
) -> BatchResult:
    """The online pass alone, in memory, with the batch mode's output (for comparison and tests)."""
    return cluster_batch(articles, decision, merge=False, pairs=pairs)


def cluster_batch(
    articles: Iterable[Article],
    decision: Decision | None = None,
    merge: bool = True,
    pairs: PairModel | None | bool = True,
    link_p: float | None = None,
) -> BatchResult:
    """Cluster a whole corpus in memory (the online pass, then the merge unless `merge=False`).

    The merge is the vote merge by default. With a pair model and `link_p` (experimental, see
    bench/cluster_pairs.py) it is average linkage instead: two stories that some article found plausible
    (a second candidate) merge when the mean pair probability between their kept members reaches `link_p`."""
    ordered = publication_order(articles)
    terms: Iterable[ArticleTerms] = (read_terms(a) for a in ordered)
    if decision is not None and decision.dense:
        terms = (replace(t, dense=v) for t, v in zip(terms, _embedded(ordered), strict=True))
    return cluster_terms(terms, decision, merge, pairs, link_p)


def _embedded(articles: list[Article], chunk: int = 256) -> Iterable:
    """The articles' body embeddings in order, made a chunk at a time (one encoder call each is faster)."""
    for i in range(0, len(articles), chunk):
        yield from embed_articles(articles[i : i + chunk])


def cluster_terms(
    terms: Iterable[ArticleTerms],
    decision: Decision | None = None,
    merge: bool = True,
    pairs: PairModel | None | bool = True,
    link_p: float | None = None,
    df: DocFreq | None = None,
) -> BatchResult:
    """`cluster_batch` over articles already read (`features.read_terms`, the costly half, which needs no
    state and so can run anywhere beforehand), given in publication order. `df`: the document frequencies
    of the articles published before these, when they are a time window of a longer corpus."""
    oc = OnlineClusterer(decision=decision, pairs=pairs, df=df)
    threshold = oc.threshold
    linkage = link_p is not None and oc.pairs is not None
    vote_p = LINK_VOTE * threshold if linkage else max(VOTE_P, threshold)
    states: dict[str, StoryState] = {}
    assignments: dict[str, str] = {}
    hours: dict[str, float] = {}
    founded: dict[str, float] = {}
    votes: dict[tuple[str, str], int] = {}
    for t in terms:
        feats, h = oc.prepare_terms(t)
        cands = sorted(oc.score(feats, h), key=lambda c: -c.p)
        if cands and cands[0].p >= threshold:
            placed = oc.place(feats, h, cands[0].story, cands[0].p)
            for c in () if linkage else cands[1:]:
                if c.p < vote_p:
                    break
                pair = tuple(sorted((placed.story_id, c.story.id)))
                votes[pair] = votes.get(pair, 0) + 1
        else:
            placed = oc.place(feats, h, None, None)
            founded[placed.story_id] = h
            states[placed.story_id] = oc.stories[placed.story_id]
        if linkage:
            for c in cands:
                if c.p >= vote_p and c.story.id != placed.story_id:
                    pair = tuple(sorted((placed.story_id, c.story.id)))
                    votes[pair] = votes.get(pair, 0) + 1
        assignments[t.id] = placed.story_id
        hours[t.id] = h
    if merge and votes and linkage and oc.pairs is not None and link_p is not None:
        model = oc.pairs
        uf = _Union(founded)
        links = []
        for x, y in votes:
            mx, my = states[x].members, states[y].members
            ps = [model.probability(pair_vector(a, b)) for a in mx for b in my]
            links.append((sum(ps) / len(ps) if ps else 0.0, x, y))
        for p, x, y in sorted(links, reverse=True):
            if p >= link_p:
                uf.union(x, y)
        assignments = {aid: uf.find(sid) for aid, sid in assignments.items()}
    elif merge and votes:
        size: dict[str, int] = {}
        for sid in assignments.values():
            size[sid] = size.get(sid, 0) + 1
        uf = _Union(founded)
        for (x, y), n in sorted(votes.items(), key=lambda kv: -kv[1]):
            if n >= max(MIN_VOTES, VOTE_SHARE * min(size[x], size[y])):
                uf.union(x, y)
        assignments = {aid: uf.find(sid) for aid, sid in assignments.items()}
    return BatchResult(assignments, stories_of(assignments, hours))
