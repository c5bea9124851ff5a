"""Story clustering partitioned by time: windows with a warm-up overlap, merged across windows.

The single-machine batch mode (`marsad.cluster.batch.cluster_batch`) is one pass in publication order, so a
corpus is cut into consecutive time windows of `window_days` (from the first article's day) and each window
is clustered on its own, in parallel, by that same function. A story takes articles for `WINDOW_HOURS`
after its latest one, so each window first clusters the `overlap_hours` before it again (its warm-up): the
stories running into the window are rebuilt from their recent articles and the window's own articles can
join them as they would in one pass.

Merging: each warm-up article also belongs to a story of the window that owns it (its home). A window's
story that holds warm-up articles is anchored to the home story holding most of them (its parent), and
every story takes the id of the story at the root of its parents: the story of the earliest window, whose
founder is its earliest article, so ids are `story_id_for(founder)` as in one pass. Anchoring to one parent,
rather than joining every story that shares an article, keeps a window that merged two running stories
(it saw only their tails) from merging them for good: the home window saw more of them.

Document frequencies: one pass weighs each article's terms by the counts of every article before it, and
which terms are rare decides what is compared. A window's clusterer therefore starts from the counts of all
articles published before its warm-up (summed over segments cut at every warm-up start), not from zero.

Articles with no date are clustered last in one pass, at the latest time seen: here, in the last window.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

from marsad.cluster.online import WINDOW_HOURS

DAY_HOURS = 24.0
WINDOW_DAYS = 7.0  # days of articles a window owns: a longer window repeats less warm-up, a shorter one
# gives more tasks to run in parallel and less memory a task (see docs/scale.md)
OVERLAP_HOURS = WINDOW_HOURS

Node = tuple[int, str]  # (window, story id in that window's clustering)


@dataclass(frozen=True)
class Window:
    """A window owns articles published in [start, end) and also clusters those in [warm, start)."""

    index: int
    start: float  # hours since the epoch (features.article_hours); -inf for the first window
    end: float  # +inf for the last window, which also owns undated articles
    warm: float

    @property
    def last(self) -> bool:
        return math.isinf(self.end)


def plan(
    days: Mapping[int, int], window_days: float = WINDOW_DAYS, overlap_hours: float = OVERLAP_HOURS
) -> tuple[Window, ...]:
    """The windows for articles counted by UTC day (hours // 24): consecutive spans of `window_days` from
    the first day, leaving out spans with no article. Depends on the data only, never on the cluster."""
    if not days:
        return (Window(0, -math.inf, math.inf, -math.inf),)
    first = min(days) * DAY_HOURS
    span = window_days * DAY_HOURS
    used = sorted({int((d * DAY_HOURS - first) // span) for d, n in days.items() if n})
    starts = [first + k * span for k in used]
    starts[0] = -math.inf
    ends = [*starts[1:], math.inf]
    return tuple(
        Window(i, s, e, s - overlap_hours) for i, (s, e) in enumerate(zip(starts, ends, strict=True))
    )


def home(windows: tuple[Window, ...], hours: float | None) -> int:
    """The window that owns an article published at `hours` (None: undated, the last window)."""
    if hours is None:
        return len(windows) - 1
    return bisect.bisect_right([w.start for w in windows], hours) - 1


def warm_in(windows: tuple[Window, ...], hours: float | None) -> list[int]:
    """The later windows whose warm-up holds an article published at `hours`."""
    if hours is None:
        return []
    return [w.index for w in windows[home(windows, hours) + 1 :] if w.warm <= hours]


def df_cuts(windows: tuple[Window, ...]) -> tuple[float, ...]:
    """Where the document-frequency segments end: every window's warm-up start. Segment k holds the dated
    articles published in [cuts[k-1], cuts[k]); articles after the last cut are in no window's seed."""
    return tuple(sorted({w.warm for w in windows if not math.isinf(w.warm)}))


def segment(cuts: tuple[float, ...], hours: float | None) -> int | None:
    """The segment an article counts in, or None (undated, or after the last cut)."""
    if hours is None:
        return None
    k = bisect.bisect_right(cuts, hours)
    return k if k < len(cuts) else None


def seed_segments(windows: tuple[Window, ...], cuts: tuple[float, ...]) -> list[int]:
    """For each window, how many leading segments its clusterer's document frequencies start from: those
    published before its warm-up."""
    return [0 if math.isinf(w.warm) else cuts.index(w.warm) + 1 for w in windows]


def anchors(warm: Mapping[str, str], homes: Mapping[str, Node]) -> dict[str, Node]:
    """For each of a window's stories with warm-up articles, the home story holding most of them (ties: the
    smaller node). `warm`: warm-up article -> its story here; `homes`: article -> its story in its home."""
    votes: dict[str, Counter[Node]] = {}
    for article, story in warm.items():
        node = homes.get(article)
        if node is not None:
            votes.setdefault(story, Counter())[node] += 1
    return {story: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for story, c in votes.items()}


def renames(parents: Mapping[Node, Node]) -> dict[int, dict[str, str]]:
    """Window -> {story id there: final story id}: the id of the story at the root of its parents (parents
    are always in earlier windows, so the chain ends)."""
    out: dict[int, dict[str, str]] = {}
    for node in parents:
        root = node
        while root in parents:
            root = parents[root]
        out.setdefault(node[0], {})[node[1]] = root[1]
    return out
